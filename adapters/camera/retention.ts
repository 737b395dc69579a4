/**
 * Applies the retention plan (retention-plan.ts): deletes the files and index rows of the
 * oldest closed segments, removes emptied day folders and reports the deletions to the library.
 * Free space is read with statfs on each library folder; the check runs after every finalised
 * segment, after a recorder run fails (a full disk makes ffmpeg fail) and on a timer.
 */
import { readdir, rm, rmdir, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../../plugin/index.js';
import { errorMessage } from '../../plugin/index.js';
import { planRetention, type CameraBudget } from './retention-plan.js';
import type { SegmentRow, SegmentStore } from './segment-store.js';

export interface RetentionOptions {
  readonly store: SegmentStore;
  readonly log: Logger;
  readonly now: () => number;
  /** Budgets of the cameras configured now, by camera key. */
  readonly budgets: () => ReadonlyMap<string, CameraBudget>;
  /** Library folders in use, each with the free space wanted there. */
  readonly folders: () => readonly { readonly path: string; readonly minFreeBytes: number }[];
  /** Free bytes of the filesystem holding `path` (statfs by default; tests inject). */
  readonly freeBytes?: (path: string) => Promise<number>;
  readonly onDeleted: (path: string) => void;
}

async function statfsFree(path: string): Promise<number> {
  const s = await statfs(path);
  return s.bavail * s.bsize;
}

export class Retention {
  private running: Promise<number> | undefined;
  private again = false;
  private deleted = 0;

  constructor(private readonly options: RetentionOptions) {}

  /** Runs a pass (coalescing concurrent calls); resolves with the number of segments deleted. */
  run(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.run();
      }
    });
    return this.running;
  }

  deletedCount(): number {
    return this.deleted;
  }

  private async pass(): Promise<number> {
    const { store, log } = this.options;
    const all = store.all();
    const budgets = this.options.budgets();
    let total = 0;
    const folders = this.options.folders();
    // Per-camera rules first, over everything; then the free-space rule per library folder.
    const perCamera = new Set(planRetention({ segments: all, budgets, nowMs: this.options.now(), freeDeficitBytes: 0 }));
    total += await this.remove(all.filter((s) => perCamera.has(s.id)));
    for (const folder of folders) {
      let free: number;
      try {
        free = await (this.options.freeBytes ?? statfsFree)(folder.path);
      } catch (error) {
        log.debug('cannot read free space', { path: folder.path, error: errorMessage(error) });
        continue;
      }
      const deficit = folder.minFreeBytes - free;
      if (deficit <= 0) continue;
      const inFolder = store.all().filter((s) => s.path.startsWith(`${folder.path.replace(/\/+$/, '')}/`));
      const ids = new Set(planRetention({ segments: inFolder, budgets: new Map(), nowMs: this.options.now(), freeDeficitBytes: deficit }));
      if (ids.size > 0) log.warn('low disk space: deleting the oldest recordings', { code: 'ERR_CAMERA_DISK_LOW', path: folder.path, freeBytes: free, segments: ids.size });
      total += await this.remove(inFolder.filter((s) => ids.has(s.id)));
    }
    return total;
  }

  private async remove(rows: readonly SegmentRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    for (const row of rows) {
      await rm(row.path, { force: true });
      this.options.onDeleted(row.path);
      await removeIfEmpty(dirname(row.path));
    }
    this.options.store.remove(rows.map((r) => r.id));
    this.deleted += rows.length;
    this.options.log.debug('retention deleted segments', { count: rows.length });
    return rows.length;
  }
}

async function removeIfEmpty(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => undefined);
  if (entries !== undefined && entries.length === 0) await rmdir(dir).catch(() => undefined);
}
