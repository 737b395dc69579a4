/**
 * SQLite schema of the local folder library (namespace `library`, tables prefixed `library_`).
 * The index keeps what a restart must not redo: probe results keyed by size + mtime, the
 * parsed sidecar metadata keyed by a signature of the sidecar files, and the first-seen date.
 */
import type { Migration } from '../../state/types.js';

/** Migration namespace passed to `StateDatabase.migrate`. */
export const LOCAL_LIBRARY_NAMESPACE = 'library';

/** Migrations for the local folder index and the XMLTV timers. */
export const localLibraryMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'local-folder index and live TV timers',
    sql: `
CREATE TABLE library_entries (
  rel_path TEXT PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  parent_path TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('folder', 'item')),
  size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  sidecar_sig TEXT NOT NULL,
  date_created TEXT NOT NULL,
  metadata_json TEXT NOT NULL,
  media_json TEXT,
  probe_status TEXT NOT NULL CHECK (probe_status IN ('none', 'ok', 'failed', 'retry')),
  unplayable_reason TEXT,
  image_path TEXT,
  image_tag TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX library_entries_parent ON library_entries (parent_path);
CREATE TABLE library_timers (
  id TEXT PRIMARY KEY,
  program_id TEXT,
  channel_id TEXT NOT NULL,
  name TEXT NOT NULL,
  start_at TEXT NOT NULL,
  end_at TEXT NOT NULL,
  pre_padding_seconds INTEGER NOT NULL,
  post_padding_seconds INTEGER NOT NULL,
  cancelled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX library_timers_program ON library_timers (program_id);
`,
  },
];
