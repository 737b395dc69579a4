/**
 * The sole better-sqlite3 importer. Opens `<dataDir>/jellybridge.db` (WAL, foreign keys on) and
 * runs numbered migrations per namespace (`core`, each adapter id) in one transaction at boot.
 */
import Database from 'better-sqlite3';
import type { Migration, SqlParams, SqlRow, SqlStore, SqlValue } from './types.js';
import { SidecarError } from '../util/errors.js';

export interface StateDatabase extends SqlStore {
  /** Applies the namespace's migrations newer than the recorded version, in one transaction. */
  migrate(namespace: string, migrations: readonly Migration[]): void;
  close(): void;
}

type Statement = Database.Statement;

/** Opens (creating) the database at `path`; `:memory:` for tests. */
export function openDatabase(path: string): StateDatabase {
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (cause) {
    throw new SidecarError('ERR_STATE_OPEN', 'failed-precondition', `cannot open database ${path}`, { cause });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 2000');
  db.exec('CREATE TABLE IF NOT EXISTS schema_versions (namespace TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  const cache = new Map<string, Statement>();
  const prepare = (sql: string): Statement => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
  const bind = (params: SqlParams | undefined): unknown[] => (params === undefined ? [] : Array.isArray(params) ? Array.from(params as readonly SqlValue[]) : [params]);

  return {
    run(sql, params) {
      const info = prepare(sql).run(...bind(params));
      return { changes: info.changes, lastInsertRowid: info.lastInsertRowid };
    },
    get<T extends SqlRow = SqlRow>(sql: string, params?: SqlParams): T | undefined {
      return prepare(sql).get(...bind(params)) as T | undefined;
    },
    all<T extends SqlRow = SqlRow>(sql: string, params?: SqlParams): T[] {
      return prepare(sql).all(...bind(params)) as T[];
    },
    transaction<R>(fn: () => R): R {
      return db.transaction(fn)();
    },
    migrate(namespace, migrations) {
      const row = db.prepare('SELECT version FROM schema_versions WHERE namespace = ?').get(namespace) as { version: number } | undefined;
      const current = row?.version ?? 0;
      const pending = [...migrations].sort((a, b) => a.version - b.version).filter((m) => m.version > current);
      if (pending.length === 0) return;
      try {
        db.transaction(() => {
          for (const migration of pending) db.exec(migration.sql);
          const last = pending[pending.length - 1];
          db.prepare('INSERT INTO schema_versions (namespace, version) VALUES (?, ?) ON CONFLICT(namespace) DO UPDATE SET version = excluded.version').run(
            namespace,
            last?.version ?? current,
          );
        })();
      } catch (cause) {
        throw new SidecarError('ERR_STATE_MIGRATION', 'internal', `migration of ${namespace} failed`, { cause });
      }
    },
    close() {
      cache.clear();
      db.close();
    },
  };
}
