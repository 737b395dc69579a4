/**
 * The embedded default library: a local media folder scanned with ffprobe, no Jellyfin needed.
 *
 * Layout: top-level folders of `root` are the libraries; sub-folders are folders, series
 * (holding `Season N` folders or a `tvshow.nfo`) and seasons; video files are items. Ids hash
 * the root-relative path, so they survive restarts. Hidden names are skipped.
 *
 * Lifecycle: `start()` loads the stored index (SQLite) into memory and returns at once, then
 * rescans in the background (and every `rescanIntervalMs`). Listings are served from the
 * in-memory catalog; a restart re-probes only files whose size or mtime changed.
 *
 * Live TV comes from an XMLTV file when `xmltvPath` is set (see live-tv.ts). Playback state is
 * not available locally: `sessions()` is empty and `subscribe` never fires, so DVB-CSS
 * (which follows what a Jellyfin client plays) needs Jellyfin.
 */
import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Folder, ImageData, LibraryEntry, LibraryUser, ListOptions, MediaInfo, MediaInput, Page, PlaybackEvent, PlaybackSession } from '../model.js';
import type { LibraryFacade, LibrarySource, PlaybackFacade, SourceHealth, SourceState } from '../source.js';
import type { Migration, SqlStore } from '../../state/types.js';
import type { Clock, TimerHandle } from '../../util/clock.js';
import type { Logger } from '../../log/logger.js';
import { SidecarError, errorMessage, isSidecarError } from '../../util/errors.js';
import { sortEntries } from '../paging.js';
import { Catalog } from './catalog.js';
import { EntryStore } from './entry-store.js';
import type { EntryRow } from './entry-store.js';
import { LocalLiveTv } from './live-tv.js';
import { localLibraryMigrations as migrations } from './migrations.js';
import { Scanner } from './scanner.js';
import { absoluteOf, isInside } from './walk.js';

export { LOCAL_LIBRARY_NAMESPACE } from './migrations.js';
export { entryIdOf } from './ids.js';

/** SQLite migrations of the local folder (namespace `library`, tables `library_*`). */
export const localLibraryMigrations: readonly Migration[] = migrations;

/** The one implicit user of the local folder. */
export const LOCAL_USER: LibraryUser = { id: 'local', name: 'Local', isAdministrator: true };

/** Default full rescan interval: 10 minutes. */
export const DEFAULT_RESCAN_INTERVAL_MS = 10 * 60_000;

export interface LocalFolderOptions {
  /** The media folder; its top-level folders are the libraries. */
  readonly root: string;
  /** A store on which `localLibraryMigrations` have been applied (namespace `library`). */
  readonly db: SqlStore;
  readonly probe: (input: MediaInput, signal?: AbortSignal) => Promise<MediaInfo>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Full rescan every this many ms; 0 disables (default 10 min). */
  readonly rescanIntervalMs?: number;
  /** Parallel ffprobe runs during a scan (default 2). */
  readonly probeConcurrency?: number;
  /** XMLTV guide for live TV; without it live TV is unavailable. */
  readonly xmltvPath?: string;
}

const IMAGE_TYPES: Readonly<Record<string, string>> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png' };

/** Runs `fn` and turns its result or throw into a settled promise (sync work, async contract). */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function notFound(id: string): SidecarError {
  return new SidecarError('ERR_LIBRARY_NOT_FOUND', 'not-found', `no library entry ${id}`);
}

/** Creates the local folder source. Nothing touches the disk until `start()`. */
export function createLocalFolderSource(options: LocalFolderOptions): LibrarySource {
  return new LocalFolderSource(options);
}

interface PendingScan {
  readonly bases: Set<string>;
  readonly promise: Promise<void>;
}

class LocalFolderSource implements LibrarySource {
  readonly library: LibraryFacade;
  readonly liveTv: LocalLiveTv;
  readonly playback: PlaybackFacade = {
    sessions: (): readonly PlaybackSession[] => [],
    subscribe: (_listener: (event: PlaybackEvent) => void) => () => undefined,
  };

  private readonly root: string;
  private rootReal: string;
  private readonly store: EntryStore;
  private readonly rows = new Map<string, EntryRow>();
  private catalog = new Catalog([]);
  private loaded = false;
  private readonly scanner: Scanner;
  private readonly abort = new AbortController();
  private chain: Promise<void> = Promise.resolve();
  private pending: PendingScan | undefined;
  private interval: TimerHandle | undefined;
  private started = false;
  private stopped = false;
  private scanning = false;
  private completedScans = 0;
  private lastError: { code: string; message: string; at: string } | undefined;
  private lastState: SourceState = 'starting';
  private since: string;

  constructor(private readonly options: LocalFolderOptions) {
    this.root = resolve(options.root);
    this.rootReal = this.root;
    this.store = new EntryStore(options.db);
    this.liveTv = new LocalLiveTv({ db: options.db, clock: options.clock, log: options.log, ...(options.xmltvPath !== undefined ? { xmltvPath: options.xmltvPath } : {}) });
    this.since = new Date(options.clock.now()).toISOString();
    this.library = this.createLibraryFacade();
    this.scanner = new Scanner({
      root: this.root,
      store: this.store,
      rows: this.rows,
      probe: options.probe,
      probeConcurrency: Math.max(1, options.probeConcurrency ?? 2),
      clock: options.clock,
      log: options.log,
      onChange: () => this.rebuild(),
    });
  }

  start(signal: AbortSignal): Promise<void> {
    return settle(() => this.startNow(signal));
  }

  private startNow(signal: AbortSignal): void {
    if (this.started) return;
    this.started = true;
    this.ensureLoaded();
    signal.addEventListener('abort', () => this.abort.abort(signal.reason), { once: true });
    this.options.log.info('local library loaded', { root: this.root, items: this.catalog.itemCount, folders: this.catalog.folderCount });
    this.background(this.requestScan(''));
    const every = this.options.rescanIntervalMs ?? DEFAULT_RESCAN_INTERVAL_MS;
    if (every > 0) this.interval = this.options.clock.setInterval(() => this.background(this.requestScan('')), every);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.interval?.cancel();
    this.abort.abort(new SidecarError('ERR_LIBRARY_STOPPED', 'aborted', 'library source stopped'));
    await this.chain.catch(() => undefined);
  }

  health(): SourceHealth {
    const state = this.currentState();
    if (state !== this.lastState) {
      this.lastState = state;
      this.since = new Date(this.options.clock.now()).toISOString();
    }
    const detail =
      state === 'starting'
        ? 'first scan of the media folder in progress'
        : state === 'degraded'
          ? (this.lastError?.message ?? 'last scan failed')
          : state === 'stopped'
            ? 'stopped'
            : `${this.catalog.itemCount} items in ${this.catalog.roots.length} libraries${this.scanning ? ', scanning' : ''}`;
    return {
      kind: 'local',
      state,
      detail,
      since: this.since,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      counters: {
        items: this.catalog.itemCount,
        folders: this.catalog.folderCount,
        unplayable: this.catalog.unplayableCount,
        scanned: this.scanner.probed,
        scans: this.completedScans,
        scanning: this.scanning ? 1 : 0,
      },
    };
  }

  private currentState(): SourceState {
    if (this.stopped) return 'stopped';
    if (this.lastError && this.completedScans === 0 && this.rows.size === 0) return 'failed';
    if (this.lastError) return 'degraded';
    if (this.completedScans === 0 && this.rows.size === 0) return 'starting';
    if (!this.started) return 'starting';
    return 'ready';
  }

  private ensureLoaded(): void {
    if (this.loaded) return;
    this.loaded = true;
    for (const row of this.store.loadAll()) this.rows.set(row.relPath, row);
    this.rebuild();
  }

  private rebuild(): void {
    this.catalog = new Catalog(this.rows.values(), this.catalog);
  }

  private background(promise: Promise<void>): void {
    promise.catch(() => undefined); // recorded in health and logged in runScans
  }

  /**
   * Queues a scan of `base`. Requests arriving while a scan runs are merged into one follow-up
   * scan, so a burst of notifications costs one walk.
   */
  private requestScan(base: string): Promise<void> {
    if (this.stopped) return Promise.reject(new SidecarError('ERR_LIBRARY_STOPPED', 'aborted', 'library source stopped'));
    if (this.pending) {
      this.pending.bases.add(base);
      return this.pending.promise;
    }
    const bases = new Set([base]);
    const promise = this.chain.catch(() => undefined).then(() => this.runScans(bases));
    this.pending = { bases, promise };
    this.chain = promise;
    return promise;
  }

  private async runScans(bases: Set<string>): Promise<void> {
    this.pending = undefined;
    if (this.stopped) return;
    try {
      this.rootReal = await realpath(this.root);
    } catch {
      // A missing root is reported by the scan itself (ERR_LIBRARY_ROOT_UNAVAILABLE).
    }
    const list = bases.has('') ? [''] : [...bases].filter((b) => ![...bases].some((o) => o !== b && b.startsWith(`${o}/`)));
    this.scanning = true;
    try {
      for (const base of list) {
        const started = this.options.clock.now();
        const stats = await this.scanner.scan(base, this.rootReal, this.abort.signal);
        if (base === '') {
          this.completedScans++;
          this.lastError = undefined;
        }
        this.options.log.info('library scan finished', { base: base === '' ? '/' : base, ...stats, ms: this.options.clock.now() - started });
      }
    } catch (error) {
      if (this.abort.signal.aborted) return;
      const code = isSidecarError(error) ? error.code : 'ERR_INTERNAL';
      this.lastError = { code, message: errorMessage(error), at: new Date(this.options.clock.now()).toISOString() };
      this.options.log.error('library scan failed', { code, reason: errorMessage(error) });
      throw error;
    } finally {
      this.scanning = false;
    }
  }

  /** Maps a path as callers give it (absolute, or relative to the root) to a root-relative one. */
  private relativeOf(path: string): string | undefined {
    const abs = isAbsolute(path) ? resolve(path) : resolve(this.root, path);
    const rel = relative(this.root, abs);
    if (rel === '') return '';
    if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
    return rel.split(sep).join('/');
  }

  /** The folder to rescan for a changed path: the nearest indexed folder at or above it. */
  private scanBaseFor(rel: string): string {
    let candidate = rel;
    for (;;) {
      const row = this.rows.get(candidate);
      if (candidate === '' || row?.kind === 'folder') return candidate;
      const slash = candidate.lastIndexOf('/');
      candidate = slash < 0 ? '' : candidate.slice(0, slash);
    }
  }

  /** Absolute path of an entry, refusing anything that resolves outside the root. */
  private async pathInsideRoot(relPath: string): Promise<string> {
    const abs = resolve(absoluteOf(this.root, relPath));
    if (!isInside(this.root, abs)) throw new SidecarError('ERR_LIBRARY_PATH_OUTSIDE_ROOT', 'permission-denied', 'path is outside the library folder');
    let real: string;
    try {
      real = await realpath(abs);
    } catch (cause) {
      throw new SidecarError('ERR_LIBRARY_FILE_MISSING', 'not-found', `file ${relPath} is gone`, { cause });
    }
    if (!isInside(this.rootReal, real)) throw new SidecarError('ERR_LIBRARY_PATH_OUTSIDE_ROOT', 'permission-denied', 'path is outside the library folder');
    return real;
  }

  private createLibraryFacade(): LibraryFacade {
    return {
      kind: 'local',
      listRoots: (): Promise<readonly Folder[]> =>
        settle(() => {
          this.ensureLoaded();
          return sortEntries(this.catalog.roots, { sort: [{ by: 'title' }] });
        }),
      listChildren: (_userId: string | undefined, parentId: string | undefined, listOptions?: ListOptions): Promise<Page<LibraryEntry>> =>
        settle(() => {
          this.ensureLoaded();
          const page = this.catalog.list(parentId, listOptions);
          if (!page) throw notFound(parentId ?? '(root)');
          return page;
        }),
      getItem: (_userId: string | undefined, id: string): Promise<LibraryEntry | undefined> =>
        settle(() => {
          this.ensureLoaded();
          return this.catalog.get(id);
        }),
      getImage: async (id: string): Promise<ImageData | undefined> => {
        this.ensureLoaded();
        const imagePath = this.catalog.row(id)?.imagePath;
        if (imagePath === undefined) return undefined;
        const ext = imagePath.slice(imagePath.lastIndexOf('.') + 1).toLowerCase();
        try {
          // Served as stored: the local folder does not resize (ImageRequest is a hint).
          return { contentType: IMAGE_TYPES[ext] ?? 'application/octet-stream', body: await readFile(await this.pathInsideRoot(imagePath)) };
        } catch (error) {
          if (isSidecarError(error) && error.code === 'ERR_LIBRARY_PATH_OUTSIDE_ROOT') throw error;
          return undefined;
        }
      },
      getMediaInput: async (_userId: string | undefined, id: string): Promise<MediaInput> => {
        this.ensureLoaded();
        const row = this.catalog.row(id);
        if (!row) throw notFound(id);
        if (row.kind !== 'item') throw new SidecarError('ERR_LIBRARY_NOT_MEDIA', 'invalid-argument', `entry ${id} is a folder, not a media item`);
        return { kind: 'file', path: await this.pathInsideRoot(row.relPath) };
      },
      listUsers: (): Promise<readonly LibraryUser[]> => Promise.resolve([LOCAL_USER]),
      notifyMediaUpdated: async (paths: readonly string[]): Promise<void> => {
        this.ensureLoaded();
        const scans: Promise<void>[] = [];
        for (const path of paths) {
          const rel = this.relativeOf(path);
          if (rel === undefined) {
            this.options.log.warn('ignoring media update outside the library folder', { code: 'ERR_LIBRARY_PATH_OUTSIDE_ROOT' });
            continue;
          }
          scans.push(this.requestScan(this.scanBaseFor(rel)));
        }
        await Promise.all(scans);
      },
      rescan: async (): Promise<void> => {
        this.ensureLoaded();
        await this.requestScan('');
      },
    };
  }
}
