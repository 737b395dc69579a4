/**
 * Scans (part of) the library folder against the stored index: new and changed videos (size or
 * mtime differ) are probed with bounded concurrency, changed sidecars only re-read, vanished
 * entries deleted. Results are written in batches (one transaction each) and announced through
 * `onChange` so listings fill in while a long first scan runs. A file that cannot be probed is
 * kept as unplayable with the reason; it never fails the scan.
 */
import type { MediaInfo, MediaInput } from '../model.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../log/logger.js';
import { SidecarError, errorMessage, isSidecarError } from '../../util/errors.js';
import { isVideoFile } from '../metadata/file-name.js';
import type { EntryRow, EntryStore } from './entry-store.js';
import { entryIdOf } from './ids.js';
import { imageOf, planFolderSidecars, planItemSidecars, readFolderMetadata, readItemMetadata } from './sidecars.js';
import type { SidecarPlan } from './sidecars.js';
import type { DirListing, FileStat, WalkResult } from './walk.js';
import { absoluteOf, joinRel, walk } from './walk.js';

export type ProbeFn = (input: MediaInput, signal?: AbortSignal) => Promise<MediaInfo>;

export interface ScannerOptions {
  readonly root: string;
  readonly store: EntryStore;
  /** The in-memory mirror of the stored rows, by relative path; the scanner updates it. */
  readonly rows: Map<string, EntryRow>;
  readonly probe: ProbeFn;
  readonly probeConcurrency: number;
  readonly clock: Clock;
  readonly log: Logger;
  /** Called after each written batch. */
  readonly onChange: () => void;
}

export interface ScanStats {
  readonly probed: number;
  readonly metadataRead: number;
  readonly removed: number;
}

interface ItemJob {
  readonly relPath: string;
  readonly parentPath: string;
  readonly fileName: string;
  readonly stat: FileStat;
  readonly plan: SidecarPlan;
  readonly existing?: EntryRow;
  readonly probe: boolean;
}

const BATCH_ROWS = 100;
const BATCH_MS = 1000;

function parentOf(relPath: string): string | undefined {
  const slash = relPath.lastIndexOf('/');
  return relPath === '' ? undefined : slash < 0 ? '' : relPath.slice(0, slash);
}

function nameOf(relPath: string): string {
  return relPath.slice(relPath.lastIndexOf('/') + 1);
}

function isUnder(relPath: string, base: string): boolean {
  return base === '' || relPath === base || relPath.startsWith(`${base}/`);
}

function createdIso(stat: FileStat): string {
  return new Date(stat.birthtimeMs > 0 ? stat.birthtimeMs : stat.mtimeMs).toISOString();
}

export class Scanner {
  private probedTotal = 0;

  constructor(private readonly options: ScannerOptions) {}

  /** Videos probed since this scanner was created. */
  get probed(): number {
    return this.probedTotal;
  }

  /**
   * Scans the folder `baseRel` (root-relative, "" = everything). When it no longer exists the
   * nearest existing ancestor is scanned instead. `rootReal` is the root's real path (symbolic
   * links resolving outside it are not followed). The root itself missing or unreadable throws
   * `ERR_LIBRARY_ROOT_UNAVAILABLE` and leaves the index as it was (an unmounted disk must not
   * empty the library).
   */
  async scan(baseRel: string, rootReal: string, signal?: AbortSignal): Promise<ScanStats> {
    const { root } = this.options;
    let base = baseRel;
    let result: WalkResult | undefined;
    while (!result) {
      try {
        result = await walk(root, rootReal, base, signal);
      } catch (cause) {
        signal?.throwIfAborted();
        const code = (cause as { code?: unknown }).code;
        const parent = parentOf(base);
        if (parent !== undefined && (code === 'ENOENT' || code === 'ENOTDIR')) {
          base = parent;
          continue;
        }
        throw new SidecarError('ERR_LIBRARY_ROOT_UNAVAILABLE', 'unavailable', `cannot read library folder ${absoluteOf(root, base)}: ${errorMessage(cause)}`, { cause });
      }
    }
    return this.apply(base, result, signal);
  }

  private async apply(base: string, result: WalkResult, signal?: AbortSignal): Promise<ScanStats> {
    const { rows, root } = this.options;
    const seen = new Set<string>();
    const folderUpserts: EntryRow[] = [];
    const jobs: ItemJob[] = [];
    for (const listing of result.dirs.values()) {
      if (listing.relPath !== '') {
        seen.add(listing.relPath);
        const row = await this.folderRow(listing);
        if (row) folderUpserts.push(row);
      }
      // Videos directly in the root belong to no library; only folders there are libraries.
      if (listing.relPath === '') continue;
      for (const [fileName, stat] of listing.files) {
        if (!isVideoFile(fileName)) continue;
        const relPath = joinRel(listing.relPath, fileName);
        seen.add(relPath);
        const job = this.itemJob(listing, fileName, relPath, stat);
        if (job) jobs.push(job);
      }
    }
    const deletes: string[] = [];
    for (const relPath of rows.keys()) {
      if (!isUnder(relPath, base) || seen.has(relPath)) continue;
      if ([...result.unreadable].some((dir) => isUnder(relPath, dir))) continue;
      deletes.push(relPath);
    }
    // Folders and removals first, so new folders show at once and removed files vanish at once.
    this.write(folderUpserts, deletes);
    let metadataRead = folderUpserts.length;
    let pending: EntryRow[] = [];
    let lastFlush = this.options.clock.now();
    const flush = (): void => {
      if (pending.length === 0) return;
      this.write(pending, []);
      pending = [];
      lastFlush = this.options.clock.now();
    };
    let next = 0;
    let probed = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        signal?.throwIfAborted();
        const job = jobs[next++];
        if (!job) break;
        const row = await this.itemRow(job, root, signal);
        if (job.probe) probed++;
        metadataRead++;
        pending.push(row);
        if (pending.length >= BATCH_ROWS || this.options.clock.now() - lastFlush >= BATCH_MS) flush();
      }
    };
    const workers = Array.from({ length: Math.max(1, Math.min(this.options.probeConcurrency, jobs.length)) }, () => worker());
    try {
      await Promise.all(workers);
    } finally {
      // Keep what was probed before an abort or failure: a restart must not redo it.
      flush();
    }
    return { probed, metadataRead, removed: deletes.length };
  }

  private async folderRow(listing: DirListing): Promise<EntryRow | undefined> {
    const parentPath = parentOf(listing.relPath);
    const existing = this.options.rows.get(listing.relPath);
    const plan = planFolderSidecars(listing);
    const parent = parentPath === '' ? undefined : parentPath;
    if (existing?.kind === 'folder' && existing.sidecarSig === plan.signature && existing.parentPath === parent) return undefined;
    const metadata = await readFolderMetadata(this.options.root, nameOf(listing.relPath), plan);
    return {
      relPath: listing.relPath,
      id: entryIdOf(listing.relPath),
      ...(parent !== undefined ? { parentPath: parent } : {}),
      kind: 'folder',
      size: 0,
      mtimeMs: listing.stat.mtimeMs,
      sidecarSig: plan.signature,
      dateCreated: existing?.dateCreated ?? createdIso(listing.stat),
      metadata,
      probeStatus: 'none',
      ...imageOf(plan),
    };
  }

  private itemJob(listing: DirListing, fileName: string, relPath: string, stat: FileStat): ItemJob | undefined {
    const existing = this.options.rows.get(relPath);
    const plan = planItemSidecars(listing, fileName);
    const changed = existing?.kind !== 'item' || existing.size !== stat.size || existing.mtimeMs !== stat.mtimeMs;
    const probe = changed || existing.probeStatus === 'retry' || existing.probeStatus === 'none';
    if (!probe && existing.sidecarSig === plan.signature) return undefined;
    return { relPath, parentPath: listing.relPath, fileName, stat, plan, ...(existing ? { existing } : {}), probe };
  }

  private async itemRow(job: ItemJob, root: string, signal?: AbortSignal): Promise<EntryRow> {
    const metadata = await readItemMetadata(root, job.fileName, job.plan);
    let media = job.existing?.media;
    let probeStatus = job.existing?.probeStatus ?? 'none';
    let unplayableReason = job.existing?.unplayableReason;
    if (job.probe) {
      try {
        const info = await this.options.probe({ kind: 'file', path: absoluteOf(root, job.relPath) }, signal);
        this.probedTotal++;
        media = info.sizeBytes > 0 ? info : { ...info, sizeBytes: job.stat.size };
        probeStatus = 'ok';
        unplayableReason = undefined;
      } catch (error) {
        signal?.throwIfAborted();
        if (isSidecarError(error) && error.kind === 'aborted') throw error;
        this.probedTotal++;
        media = undefined;
        // A corrupt file stays failed until it changes; a probe that could not run is retried.
        probeStatus = isSidecarError(error) && error.code === 'ERR_PROBE_FAILED' ? 'failed' : 'retry';
        unplayableReason = errorMessage(error);
        this.options.log.warn('cannot probe media file', { path: job.relPath, code: isSidecarError(error) ? error.code : 'ERR_INTERNAL', reason: unplayableReason });
      }
    }
    return {
      relPath: job.relPath,
      id: entryIdOf(job.relPath),
      ...(job.parentPath !== '' ? { parentPath: job.parentPath } : {}),
      kind: 'item',
      size: job.stat.size,
      mtimeMs: job.stat.mtimeMs,
      sidecarSig: job.plan.signature,
      dateCreated: job.existing?.dateCreated ?? createdIso(job.stat),
      metadata,
      ...(media ? { media } : {}),
      probeStatus,
      ...(unplayableReason !== undefined ? { unplayableReason } : {}),
      ...imageOf(job.plan),
    };
  }

  private write(upserts: readonly EntryRow[], deletes: readonly string[]): void {
    if (upserts.length === 0 && deletes.length === 0) return;
    this.options.store.apply(upserts, deletes, new Date(this.options.clock.now()).toISOString());
    for (const path of deletes) this.options.rows.delete(path);
    for (const row of upserts) this.options.rows.set(row.relPath, row);
    this.options.onChange();
  }
}
