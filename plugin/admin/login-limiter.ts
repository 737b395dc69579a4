/**
 * Login attempts per remote address in a fixed window. Every attempt counts when it starts (so
 * parallel guesses cannot slip through during the failure delay); a success clears the address.
 */
import type { Clock } from '../util/clock.js';

export class LoginLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly maxAttempts: number,
    private readonly windowMs: number,
  ) {}

  /** Counts an attempt; returns the seconds to wait when the address is over the limit. */
  attempt(address: string): { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number } {
    const now = this.clock.now();
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
    let window = this.windows.get(address);
    if (!window) {
      window = { start: now, count: 0 };
      this.windows.set(address, window);
    }
    if (window.count >= this.maxAttempts) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000)) };
    window.count++;
    return { allowed: true };
  }

  succeeded(address: string): void {
    this.windows.delete(address);
  }
}
