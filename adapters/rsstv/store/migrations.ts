/**
 * SQLite tables of the `rsstv` adapter (namespace `rsstv`): secrets, invites, suggestions,
 * subscriptions and the per-item status of what the reader consumed.
 */
import type { Migration } from '../../../plugin/index.js';

export const rsstvMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'rsstv',
    sql: `
CREATE TABLE rsstv_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
-- Invite links: only the SHA-256 of the token is kept.
CREATE TABLE rsstv_invites (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT
);
CREATE TABLE rsstv_suggestions (
  id TEXT PRIMARY KEY,
  guid TEXT NOT NULL UNIQUE,
  invite_id TEXT NOT NULL REFERENCES rsstv_invites(id),
  program_id TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  channel_name TEXT NOT NULL,
  channel_number TEXT NOT NULL,
  call_sign TEXT NOT NULL,
  title TEXT NOT NULL,
  episode_title TEXT,
  overview TEXT,
  start_at INTEGER NOT NULL,
  end_at INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  review TEXT NOT NULL CHECK (review IN ('auto', 'pending', 'approved', 'declined')),
  UNIQUE (invite_id, program_id)
);
CREATE INDEX rsstv_suggestions_invite ON rsstv_suggestions (invite_id, created_at);
CREATE INDEX rsstv_suggestions_end ON rsstv_suggestions (end_at);
CREATE TABLE rsstv_subscriptions (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  url TEXT,
  source TEXT NOT NULL CHECK (source IN ('self', 'config', 'owner')),
  etag TEXT,
  last_modified TEXT,
  last_polled_at INTEGER,
  last_result TEXT,
  created_at INTEGER NOT NULL
);
-- One row per consumed item and feed: the idempotency record across polls and restarts.
CREATE TABLE rsstv_items (
  subscription_id TEXT NOT NULL,
  guid TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL DEFAULT '',
  start_at INTEGER,
  end_at INTEGER,
  status TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  timer_id TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  first_seen_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (subscription_id, guid)
);
CREATE INDEX rsstv_items_guid ON rsstv_items (guid);
`,
  },
];
