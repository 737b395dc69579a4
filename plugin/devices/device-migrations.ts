/**
 * SQLite tables of the device registry (namespace `devices`). Only values that change at run time
 * live here: seen data, recorded devices and admin changes. Config rules are never copied in,
 * so editing config.json takes effect at the next start while admin changes keep winning.
 */
import type { Migration } from '../state/types.js';

export const deviceMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'devices',
    sql: `
CREATE TABLE devices_devices (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL CHECK (source IN ('config', 'recorded')),
  -- How a recorded device is recognised: 'tsn:<TSN>', 'key:<key>' or 'ip:<address>'.
  ident TEXT UNIQUE,
  name TEXT NOT NULL,
  admin_name TEXT,
  found_by TEXT,
  first_seen TEXT,
  last_seen TEXT,
  ip TEXT,
  tsn TEXT,
  user_agent TEXT,
  key TEXT,
  announced_name TEXT,
  -- NULL: the config rule decides.
  approval TEXT CHECK (approval IN ('approved', 'held', 'refused')),
  approval_by TEXT CHECK (approval_by IN ('admin', 'policy')),
  user_id TEXT,
  user_id_set INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE devices_adapters (
  device_id TEXT NOT NULL REFERENCES devices_devices(id) ON DELETE CASCADE,
  adapter_id TEXT NOT NULL,
  -- NULL: the config rule decides.
  enabled INTEGER,
  enabled_by TEXT CHECK (enabled_by IN ('admin', 'policy')),
  -- JSON object of admin overrides, NULL when none.
  overrides TEXT,
  last_seen TEXT,
  PRIMARY KEY (device_id, adapter_id)
);
`,
  },
];
