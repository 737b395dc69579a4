/**
 * Admin sessions, in memory: random 256-bit ids, a per-session CSRF token, idle and absolute
 * expiry. Expired sessions are dropped when touched or listed, so no timer is needed.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../util/clock.js';

export interface AdminSession {
  readonly id: string;
  readonly csrfToken: string;
  readonly createdAt: number;
  lastUsed: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, AdminSession>();

  constructor(
    private readonly clock: Clock,
    private readonly idleMs: number,
    private readonly maxMs: number,
  ) {}

  create(): AdminSession {
    this.sweep();
    const now = this.clock.now();
    const session: AdminSession = { id: randomBytes(32).toString('base64url'), csrfToken: randomBytes(32).toString('base64url'), createdAt: now, lastUsed: now };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id (its idle timer restarts), or undefined. */
  touch(id: string | undefined): AdminSession | undefined {
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (this.expired(session)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastUsed = this.clock.now();
    return session;
  }

  /** When the session ends if it keeps being used (ms since epoch). */
  expiresAt(session: AdminSession): number {
    return Math.min(session.lastUsed + this.idleMs, session.createdAt + this.maxMs);
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  /** Ends every session except `keep` (password changed). */
  deleteAllExcept(keep: string | undefined): void {
    for (const id of [...this.sessions.keys()]) if (id !== keep) this.sessions.delete(id);
  }

  size(): number {
    this.sweep();
    return this.sessions.size;
  }

  private expired(session: AdminSession): boolean {
    return this.clock.now() >= this.expiresAt(session);
  }

  private sweep(): void {
    for (const [id, session] of this.sessions) if (this.expired(session)) this.sessions.delete(id);
  }
}
