/**
 * The admin surface's SQLite table (namespace `admin`): the scrypt hash of the password set at
 * first start. Sessions stay in memory (a restart logs everyone out; ids never touch the disk).
 */
import type { Migration } from '../state/types.js';

export const adminMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'admin credentials',
    sql: `
CREATE TABLE admin_credentials (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  -- scrypt$N$r$p$<salt base64>$<hash base64>
  password_hash TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`,
  },
];
