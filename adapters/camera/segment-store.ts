/** The recordings index in `camera_segments` (one row per segment file in the library). */
import type { SqlStore } from '../../plugin/index.js';
import type { RetainedSegment } from './retention-plan.js';

export interface SegmentRow extends RetainedSegment {
  /** Absolute path of the file in the library. */
  readonly path: string;
  readonly status: 'partial' | 'complete';
}

export interface CameraSummary {
  readonly camera: string;
  readonly bytes: number;
  readonly oldestEndMs: number;
}

interface DbRow {
  readonly [key: string]: string | number | bigint | null | Buffer;
  readonly id: number;
  readonly camera: string;
  readonly path: string;
  readonly start_ms: number;
  readonly end_ms: number;
  readonly bytes: number;
  readonly status: string;
}

function toRow(r: DbRow): SegmentRow {
  return { id: r.id, camera: r.camera, path: r.path, startMs: r.start_ms, endMs: r.end_ms, bytes: r.bytes, status: r.status === 'partial' ? 'partial' : 'complete' };
}

export class SegmentStore {
  constructor(private readonly db: SqlStore) {}

  add(segment: Omit<SegmentRow, 'id'>): number {
    const result = this.db.run(
      'INSERT INTO camera_segments (camera, path, start_ms, end_ms, bytes, status) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET camera = excluded.camera, start_ms = excluded.start_ms, end_ms = excluded.end_ms, bytes = excluded.bytes, status = excluded.status',
      [segment.camera, segment.path, segment.startMs, segment.endMs, segment.bytes, segment.status],
    );
    return Number(result.lastInsertRowid);
  }

  all(): SegmentRow[] {
    return this.db.all<DbRow>('SELECT * FROM camera_segments ORDER BY start_ms, id').map(toRow);
  }

  forCamera(camera: string): SegmentRow[] {
    return this.db.all<DbRow>('SELECT * FROM camera_segments WHERE camera = ? ORDER BY start_ms, id', [camera]).map(toRow);
  }

  /** Segments of a camera overlapping [fromMs, toMs). */
  overlapping(camera: string, fromMs: number, toMs: number): SegmentRow[] {
    return this.db.all<DbRow>('SELECT * FROM camera_segments WHERE camera = ? AND end_ms > ? AND start_ms < ? ORDER BY start_ms, id', [camera, fromMs, toMs]).map(toRow);
  }

  remove(ids: readonly number[]): void {
    this.db.transaction(() => {
      for (const id of ids) this.db.run('DELETE FROM camera_segments WHERE id = ?', [id]);
    });
  }

  /** Every camera in the index with its total bytes and earliest segment end (one aggregate query). */
  cameraSummaries(): CameraSummary[] {
    return this.db.all<{ camera: string; b: number; e: number }>('SELECT camera, SUM(bytes) AS b, MIN(end_ms) AS e FROM camera_segments GROUP BY camera').map((r) => ({
      camera: r.camera,
      bytes: r.b,
      oldestEndMs: r.e,
    }));
  }

  totals(camera: string): { readonly count: number; readonly bytes: number } {
    const row = this.db.get<{ n: number; b: number | null }>('SELECT COUNT(*) AS n, SUM(bytes) AS b FROM camera_segments WHERE camera = ?', [camera]);
    return { count: row?.n ?? 0, bytes: row?.b ?? 0 };
  }
}
