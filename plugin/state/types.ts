/**
 * The SQL surface adapters and core stores get. better-sqlite3 is imported only in
 * plugin/state/db.ts; everyone else sees this interface. Calls are synchronous: keep them small
 * (prepared statements are cached), never one per media chunk.
 */
export type SqlValue = string | number | bigint | null | Buffer;
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;
export type SqlRow = Readonly<Record<string, SqlValue>>;

export interface SqlStore {
  run(sql: string, params?: SqlParams): { readonly changes: number; readonly lastInsertRowid: number | bigint };
  get<T extends SqlRow = SqlRow>(sql: string, params?: SqlParams): T | undefined;
  all<T extends SqlRow = SqlRow>(sql: string, params?: SqlParams): T[];
  /** Runs `fn` in one transaction (rolled back if it throws). */
  transaction<R>(fn: () => R): R;
}

/** A numbered migration; adapters prefix their tables with their id. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
