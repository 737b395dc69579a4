/** Key/value settings in `core_settings` (JSON values). */
import { randomUUID } from 'node:crypto';
import type { SqlStore } from './types.js';

export class SettingsStore {
  constructor(private readonly db: SqlStore) {}

  get<T>(key: string): T | undefined {
    const row = this.db.get<{ value: string }>('SELECT value FROM core_settings WHERE key = ?', [key]);
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  set(key: string, value: unknown): void {
    this.db.run(
      "INSERT INTO core_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
      [key, JSON.stringify(value)],
    );
  }

  delete(key: string): void {
    this.db.run('DELETE FROM core_settings WHERE key = ?', [key]);
  }

  /** A stable id created once per data folder (TiVo beacon identity, DVB-CSS ids). */
  serverId(): string {
    const existing = this.get<string>('server_id');
    if (existing) return existing;
    const id = randomUUID();
    this.set('server_id', id);
    return id;
  }
}
