/**
 * The admin credential: the config/env password when given, else the hash stored at first
 * start. Only an scrypt hash is ever stored; the config password is hashed in memory once.
 */
import type { SqlStore } from '../state/types.js';
import type { Clock } from '../util/clock.js';
import { SidecarError } from '../util/errors.js';
import { hashPassword, verifyPassword } from './password-hash.js';

export type CredentialMode = 'config' | 'stored' | 'unset';

export const MIN_PASSWORD = 8;
export const MAX_PASSWORD = 1024;

/** Throws ERR_ADMIN_BAD_REQUEST when a new password is too short or too long. */
export function checkNewPassword(password: string, field: string): void {
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
    throw new SidecarError('ERR_ADMIN_BAD_REQUEST', 'invalid-argument', `${field}: expected ${MIN_PASSWORD} to ${MAX_PASSWORD} characters`, { detail: { field } });
  }
}

export class Credentials {
  private configHash: Promise<string> | undefined;

  constructor(
    private readonly db: SqlStore,
    private readonly clock: Clock,
    private readonly configPassword: string | undefined,
  ) {}

  mode(): CredentialMode {
    if (this.configPassword !== undefined) return 'config';
    return this.storedHash() === undefined ? 'unset' : 'stored';
  }

  async verify(password: string): Promise<boolean> {
    if (this.configPassword !== undefined) {
      this.configHash ??= hashPassword(this.configPassword);
      return verifyPassword(password, await this.configHash);
    }
    const stored = this.storedHash();
    return stored !== undefined && verifyPassword(password, stored);
  }

  /** First-start setup; ERR_ADMIN_SETUP_CLOSED once a password exists. */
  async setInitial(password: string): Promise<void> {
    checkNewPassword(password, 'password');
    const hash = await hashPassword(password);
    // Checked after the (slow) hash so two racing setups cannot both win.
    if (this.mode() !== 'unset') throw new SidecarError('ERR_ADMIN_SETUP_CLOSED', 'failed-precondition', 'an admin password is already set');
    this.write(hash);
  }

  /** Throws ERR_ADMIN_PASSWORD_FROM_CONFIG when the password comes from config/env. */
  assertChangeable(): void {
    if (this.mode() === 'config') throw new SidecarError('ERR_ADMIN_PASSWORD_FROM_CONFIG', 'failed-precondition', 'the admin password is set in config/env; change it there');
  }

  /** Replaces the stored password (not possible when it comes from config/env). */
  async change(next: string): Promise<void> {
    this.assertChangeable();
    checkNewPassword(next, 'next');
    this.write(await hashPassword(next));
  }

  private write(hash: string): void {
    this.db.run(
      'INSERT INTO admin_credentials (id, password_hash, updated_at) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at',
      [hash, new Date(this.clock.now()).toISOString()],
    );
  }

  private storedHash(): string | undefined {
    const row = this.db.get<{ password_hash: string }>('SELECT password_hash FROM admin_credentials WHERE id = 1');
    return row?.password_hash;
  }
}
