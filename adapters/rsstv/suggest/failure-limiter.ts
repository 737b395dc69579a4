/**
 * Counts failed invite-token attempts per client address in a sliding window, so nobody can
 * guess tokens at speed (protocols/rsstv.md §6). In memory: a restart forgets, which only
 * helps someone who can restart the sidecar.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until `ip` may try again, or 0 when it may try now. */
  blockedFor(ip: string, now: number): number {
    const list = this.prune(ip, now);
    if (list.length < this.max) return 0;
    return (list[0] ?? now) + this.windowMs - now;
  }

  record(ip: string, now: number): void {
    const list = this.prune(ip, now);
    list.push(now);
    this.failures.set(ip, list);
    if (this.failures.size > 10_000) {
      for (const key of this.failures.keys()) {
        if (this.prune(key, now).length === 0) this.failures.delete(key);
      }
    }
  }

  private prune(ip: string, now: number): number[] {
    const list = (this.failures.get(ip) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length === 0) this.failures.delete(ip);
    else this.failures.set(ip, list);
    return list;
  }
}
