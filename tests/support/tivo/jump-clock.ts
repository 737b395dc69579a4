/**
 * A clock that runs in real time but can be moved forward by hand: `now()` is the system time
 * plus an offset, timers are real timers, and `jump(ms)` adds to the offset and fires every
 * timer that has become due at once (each interval fires once per jump, then re-arms). Lets an
 * integration test say "the client was away for five minutes" without waiting, while ffmpeg,
 * sockets and grace timers keep working normally.
 */
import type { Clock, TimerHandle } from '../../../plugin/index.js';

interface JumpTimer {
  due: number;
  readonly fn: () => void;
  readonly every?: number;
  handle?: ReturnType<typeof setTimeout>;
}

export class JumpClock implements Clock {
  private offset = 0;
  private readonly timers = new Set<JumpTimer>();

  now(): number {
    return Date.now() + this.offset;
  }

  monotonicNs(): bigint {
    return process.hrtime.bigint() + BigInt(this.offset) * 1_000_000n;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.add({ due: this.now() + ms, fn });
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const every = Math.max(1, ms);
    return this.add({ due: this.now() + every, fn, every });
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const onAbort = (): void => {
        timer.cancel();
        reject(signal?.reason as Error);
      };
      const timer = this.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time forward by `ms` and runs every timer that is due by then. */
  jump(ms: number): void {
    this.offset += ms;
    const now = this.now();
    for (const t of [...this.timers].sort((a, b) => a.due - b.due)) {
      if (t.due > now || !this.timers.has(t)) continue;
      clearTimeout(t.handle);
      this.fire(t);
    }
  }

  /** Timers not yet fired or cancelled. */
  pending(): number {
    return this.timers.size;
  }

  private add(t: JumpTimer): TimerHandle {
    this.timers.add(t);
    this.arm(t);
    return {
      cancel: () => {
        clearTimeout(t.handle);
        this.timers.delete(t);
      },
    };
  }

  private arm(t: JumpTimer): void {
    t.handle = setTimeout(() => this.fire(t), Math.max(0, t.due - this.now()));
    t.handle.unref();
  }

  private fire(t: JumpTimer): void {
    if (t.every === undefined) this.timers.delete(t);
    else {
      t.due = this.now() + t.every;
      this.arm(t);
    }
    t.fn();
  }
}
