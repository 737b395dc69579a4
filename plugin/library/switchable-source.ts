/**
 * A LibrarySource that forwards to the current underlying source, so the admin can switch
 * between the local folder and Jellyfin (or change the Jellyfin URL/key) without a restart.
 * Adapters keep the facades they were given; calls go to whatever source is current.
 */
import type { LibraryFacade, LibrarySource, LiveTvFacade, PlaybackFacade, SourceHealth } from './source.js';
import type { PlaybackEvent } from './model.js';
import type { Logger } from '../log/logger.js';
import { SidecarError } from '../util/errors.js';

export class SwitchableSource implements LibrarySource {
  private current: LibrarySource;
  private signal: AbortSignal | undefined;
  private readonly listeners = new Set<(event: PlaybackEvent) => void>();
  private unsubscribeCurrent: () => void = () => undefined;

  readonly library: LibraryFacade;
  readonly liveTv: LiveTvFacade;
  readonly playback: PlaybackFacade;

  constructor(
    initial: LibrarySource,
    private readonly log: Logger,
  ) {
    this.current = initial;
    const lib = (): LibraryFacade => this.current.library;
    const tv = (): LiveTvFacade => this.current.liveTv;
    this.library = {
      get kind() {
        return lib().kind;
      },
      listRoots: (userId) => lib().listRoots(userId),
      listChildren: (userId, parentId, options) => lib().listChildren(userId, parentId, options),
      getItem: (userId, id) => lib().getItem(userId, id),
      getImage: (id, request) => lib().getImage(id, request),
      getMediaInput: (userId, id) => lib().getMediaInput(userId, id),
      listUsers: () => lib().listUsers(),
      notifyMediaUpdated: (paths, updateType) => lib().notifyMediaUpdated(paths, updateType),
      rescan: () => lib().rescan(),
      getServerTranscodeInput: (userId, id, request) => {
        const current = lib();
        if (!current.getServerTranscodeInput) return Promise.reject(new Error('this library source cannot transcode'));
        return current.getServerTranscodeInput(userId, id, request);
      },
      ensureLibrary: (name, collectionType, path) => {
        const current = lib();
        if (!current.ensureLibrary) return Promise.reject(new SidecarError('ERR_LIBRARY_NO_LIBRARIES', 'failed-precondition', 'the library source is a local folder: there is no Jellyfin library to create'));
        return current.ensureLibrary(name, collectionType, path);
      },
    };
    this.liveTv = {
      isAvailable: () => tv().isAvailable(),
      listChannels: (userId) => tv().listChannels(userId),
      listPrograms: (query, userId) => tv().listPrograms(query, userId),
      listTimers: () => tv().listTimers(),
      createTimer: (programId) => tv().createTimer(programId),
      cancelTimer: (timerId) => tv().cancelTimer(timerId),
      tunerCount: () => tv().tunerCount(),
      defaultPadding: () => tv().defaultPadding(),
    };
    this.playback = {
      sessions: () => this.current.playback.sessions(),
      subscribe: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
    };
  }

  /** The kind of the source in use now. */
  kind(): 'jellyfin' | 'local' {
    return this.current.library.kind;
  }

  async start(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    this.follow();
    await this.current.start(signal);
  }

  async stop(): Promise<void> {
    this.unsubscribeCurrent();
    await this.current.stop();
  }

  health(): SourceHealth {
    return this.current.health();
  }

  /** Starts `next`, makes it current, then stops the previous source. */
  async switchTo(next: LibrarySource): Promise<void> {
    const previous = this.current;
    if (this.signal) await next.start(this.signal);
    this.unsubscribeCurrent();
    this.current = next;
    this.follow();
    this.emit({ type: 'sessions', sessions: next.playback.sessions() });
    this.log.info('library source switched', { kind: next.library.kind });
    await previous.stop().catch((error: unknown) => this.log.warn('stopping the previous library source failed', { error }));
  }

  private follow(): void {
    this.unsubscribeCurrent = this.current.playback.subscribe((event) => this.emit(event));
  }

  private emit(event: PlaybackEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.log.error('playback listener threw', { error });
      }
    }
  }
}
