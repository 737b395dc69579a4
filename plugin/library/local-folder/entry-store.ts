/**
 * The persisted half of the local folder index: one `library_entries` row per folder and video
 * file. The in-memory catalog is built from these rows at start and after every scan batch.
 */
import type { MediaInfo } from '../model.js';
import type { ItemMetadata } from '../metadata/item-metadata.js';
import type { SqlStore } from '../../state/types.js';

export type ProbeStatus = 'none' | 'ok' | 'failed' | 'retry';

/** One folder or video file as stored. Paths are root-relative with `/` separators. */
export interface EntryRow {
  readonly relPath: string;
  readonly id: string;
  /** Root-relative path of the parent folder; undefined for library roots. */
  readonly parentPath?: string;
  readonly kind: 'folder' | 'item';
  readonly size: number;
  readonly mtimeMs: number;
  /** Signature of the sidecar files (nfo, txt, images) the metadata was read from. */
  readonly sidecarSig: string;
  readonly dateCreated: string;
  readonly metadata: ItemMetadata;
  readonly media?: MediaInfo;
  /** `failed`: the file cannot be probed (corrupt); `retry`: the probe itself failed (timeout, no ffprobe). */
  readonly probeStatus: ProbeStatus;
  readonly unplayableReason?: string;
  readonly imagePath?: string;
  readonly imageTag?: string;
}

interface RawRow {
  readonly [key: string]: string | number | null;
  readonly rel_path: string;
  readonly id: string;
  readonly parent_path: string | null;
  readonly kind: string;
  readonly size: number;
  readonly mtime_ms: number;
  readonly sidecar_sig: string;
  readonly date_created: string;
  readonly metadata_json: string;
  readonly media_json: string | null;
  readonly probe_status: string;
  readonly unplayable_reason: string | null;
  readonly image_path: string | null;
  readonly image_tag: string | null;
}

function fromRaw(raw: RawRow): EntryRow {
  return {
    relPath: raw.rel_path,
    id: raw.id,
    ...(raw.parent_path !== null ? { parentPath: raw.parent_path } : {}),
    kind: raw.kind === 'folder' ? 'folder' : 'item',
    size: raw.size,
    mtimeMs: raw.mtime_ms,
    sidecarSig: raw.sidecar_sig,
    dateCreated: raw.date_created,
    metadata: JSON.parse(raw.metadata_json) as ItemMetadata,
    ...(raw.media_json !== null ? { media: JSON.parse(raw.media_json) as MediaInfo } : {}),
    probeStatus: (['none', 'ok', 'failed', 'retry'] as const).find((s) => s === raw.probe_status) ?? 'none',
    ...(raw.unplayable_reason !== null ? { unplayableReason: raw.unplayable_reason } : {}),
    ...(raw.image_path !== null ? { imagePath: raw.image_path } : {}),
    ...(raw.image_tag !== null ? { imageTag: raw.image_tag } : {}),
  };
}

const UPSERT = `INSERT INTO library_entries
  (rel_path, id, parent_path, kind, size, mtime_ms, sidecar_sig, date_created, metadata_json, media_json, probe_status, unplayable_reason, image_path, image_tag, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(rel_path) DO UPDATE SET
    id = excluded.id, parent_path = excluded.parent_path, kind = excluded.kind, size = excluded.size,
    mtime_ms = excluded.mtime_ms, sidecar_sig = excluded.sidecar_sig, date_created = excluded.date_created,
    metadata_json = excluded.metadata_json, media_json = excluded.media_json, probe_status = excluded.probe_status,
    unplayable_reason = excluded.unplayable_reason, image_path = excluded.image_path, image_tag = excluded.image_tag,
    updated_at = excluded.updated_at`;

/** Reads and writes `library_entries`. */
export class EntryStore {
  constructor(private readonly db: SqlStore) {}

  loadAll(): EntryRow[] {
    return this.db.all<RawRow>('SELECT * FROM library_entries').map(fromRaw);
  }

  /** Upserts and deletes in one transaction. */
  apply(upserts: readonly EntryRow[], deletes: readonly string[], nowIso: string): void {
    if (upserts.length === 0 && deletes.length === 0) return;
    this.db.transaction(() => {
      for (const path of deletes) this.db.run('DELETE FROM library_entries WHERE rel_path = ?', [path]);
      for (const row of upserts) {
        this.db.run(UPSERT, [
          row.relPath,
          row.id,
          row.parentPath ?? null,
          row.kind,
          row.size,
          row.mtimeMs,
          row.sidecarSig,
          row.dateCreated,
          JSON.stringify(row.metadata),
          row.media ? JSON.stringify(row.media) : null,
          row.probeStatus,
          row.unplayableReason ?? null,
          row.imagePath ?? null,
          row.imageTag ?? null,
          nowIso,
        ]);
      }
    });
  }
}
