/** Core tables: settings that change at run time (server identity, admin-chosen library source). */
import type { Migration } from './types.js';

export const coreMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'core settings',
    sql: `CREATE TABLE core_settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
    );`,
  },
];
