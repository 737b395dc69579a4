/**
 * Tells the library source about new and deleted segments, debounced: one
 * `/Library/Media/Updated` call per burst instead of one per file. Paths are translated from
 * the sidecar's view of the library folder to the source's (Jellyfin may mount it elsewhere).
 */
import type { Clock, LibraryFacade, Logger, TimerHandle } from '../../plugin/index.js';
import { errorMessage } from '../../plugin/index.js';

export interface RefreshOptions {
  readonly library: LibraryFacade;
  readonly clock: Clock;
  readonly log: Logger;
  readonly debounceMs: number;
}

type UpdateType = 'Created' | 'Deleted';

export class LibraryRefresh {
  private readonly pending = new Map<UpdateType, Set<string>>();
  private timer: TimerHandle | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private sent = 0;

  constructor(private readonly options: RefreshOptions) {}

  /** Queues a path (as the source sees it). */
  add(path: string, type: UpdateType): void {
    const set = this.pending.get(type) ?? new Set<string>();
    set.add(path);
    this.pending.set(type, set);
    this.timer ??= this.options.clock.setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.debounceMs);
  }

  /** Sends what is pending now (shutdown). */
  async flush(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    const batches = [...this.pending.entries()];
    this.pending.clear();
    const run = async (): Promise<void> => {
      for (const [type, paths] of batches) {
        try {
          await this.options.library.notifyMediaUpdated([...paths], type);
          this.sent += 1;
        } catch (error) {
          this.options.log.warn('library refresh failed', { code: 'ERR_CAMERA_REFRESH', error: errorMessage(error), count: paths.size });
        }
      }
    };
    this.inFlight = this.inFlight.then(run);
    await this.inFlight;
  }

  notifications(): number {
    return this.sent;
  }
}

/** Maps a path under `localRoot` to the same place under `sourceRoot`. */
export function toSourcePath(path: string, localRoot: string, sourceRoot: string | undefined): string {
  if (sourceRoot === undefined || sourceRoot === localRoot) return path;
  const root = localRoot.replace(/\/+$/, '');
  if (path !== root && !path.startsWith(`${root}/`)) return path;
  return sourceRoot.replace(/\/+$/, '') + path.slice(root.length);
}
