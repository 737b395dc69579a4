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

  /**
   * One pass. The index holds tens of thousands of rows per camera, so a pass starts from one
   * aggregate row per camera and loads a camera's segments only when it may be over its budget
   * or its library folder is short of space (each camera's rows at most once per pass).
   */
  private async pass(): Promise<number> {
    const { store, log } = this.options;
    const budgets = this.options.budgets();
    const nowMs = this.options.now();
    const cameras = store.cameraSummaries();
    const loaded = new Map<string, SegmentRow[]>();
    const removed = new Set<number>();
    const rowsOf = (camera: string): SegmentRow[] => {
      const rows = loaded.get(camera) ?? store.forCamera(camera);
      loaded.set(camera, rows);
      return rows.filter((s) => !removed.has(s.id));
    };
    const removePlanned = async (candidates: readonly SegmentRow[], ids: readonly number[]): Promise<number> => {
      const byId = new Map(candidates.map((s) => [s.id, s]));
      const rows = ids.flatMap((id) => byId.get(id) ?? []);
      for (const row of rows) removed.add(row.id);
      return this.remove(rows);
    };
    let total = 0;
    // Per-camera rules first; then the free-space rule per library folder.
    const over = cameras.filter((c) => {
      const budget = budgets.get(c.camera);
      return budget !== undefined && (c.bytes > budget.maxBytes || c.oldestEndMs < nowMs - budget.maxAgeMs);
    });
    const overRows = over.flatMap((c) => rowsOf(c.camera));
    total += await removePlanned(overRows, planRetention({ segments: overRows, budgets, nowMs, freeDeficitBytes: 0 }));
    for (const folder of this.options.folders()) {
      let free: number;
      try {
        free = await (this.options.freeBytes ?? statfsFree)(folder.path);
      } catch (error) {
        log.debug('cannot read free space', { path: folder.path, error: errorMessage(error) });
        continue;
      }
      const deficit = folder.minFreeBytes - free;
      if (deficit <= 0) continue;
      const prefix = `${folder.path.replace(/\/+$/, '')}/`;
      const inFolder = cameras.flatMap((c) => rowsOf(c.camera)).filter((s) => s.path.startsWith(prefix));
      const ids = planRetention({ segments: inFolder, budgets: new Map(), nowMs, freeDeficitBytes: deficit });
      if (ids.length > 0) log.warn('low disk space: deleting the oldest recordings', { code: 'ERR_CAMERA_DISK_LOW', path: folder.path, freeBytes: free, segments: ids.length });
      total += await removePlanned(inFolder, ids);
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
