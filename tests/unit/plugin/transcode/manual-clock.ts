/** A clock whose wall time moves only when a test says so (timers are not needed by these tests). */
import type { Clock, TimerHandle } from '../../../../plugin/util/clock.js';

export class ManualClock implements Clock {
  private nowMs = Date.UTC(2026, 10, 1);
  private readonly timers = new Set<{ at: number; fn: () => void; every?: number }>();

  now(): number {
    return this.nowMs;
  }

  monotonicNs(): bigint {
    return BigInt(this.nowMs) * 1_000_000n;
  }

  advance(ms: number): void {
    this.nowMs += ms;
    for (const t of [...this.timers]) {
      while (this.timers.has(t) && t.at <= this.nowMs) {
        if (t.every === undefined) this.timers.delete(t);
        else t.at += t.every;
        t.fn();
      }
    }
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { at: this.nowMs + ms, fn };
    this.timers.add(timer);
    return { cancel: () => this.timers.delete(timer) };
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const timer = { at: this.nowMs + ms, fn, every: Math.max(1, ms) };
    this.timers.add(timer);
    return { cancel: () => this.timers.delete(timer) };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const handle = this.setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        handle.cancel();
        reject(signal.reason as Error);
      });
    });
  }

  /** Timers still pending (a test checks the spool cleanup timer is cancelled). */
  pending(): number {
    return this.timers.size;
  }
}
