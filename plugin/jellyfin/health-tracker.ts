/**
 * Health bookkeeping for the Jellyfin source: state + since + detail, the last error and
 * counters. Cheap and synchronous, as SourceHealth readers expect.
 */
import type { SourceHealth, SourceState } from '../library/source.js';
import type { Clock } from '../util/clock.js';
import type { SidecarError } from '../util/errors.js';

export type Counter = 'requests' | 'requestFailures' | 'reconnectAttempts' | 'socketConnects' | 'socketMessages' | 'sessionPolls';

export class HealthTracker {
  private state: SourceState = 'starting';
  private since: number;
  private detail = 'not started';
  private lastError: { code: string; message: string; at: string } | undefined;
  private readonly counters: Record<Counter, number> = {
    requests: 0,
    requestFailures: 0,
    reconnectAttempts: 0,
    socketConnects: 0,
    socketMessages: 0,
    sessionPolls: 0,
  };

  constructor(private readonly clock: Clock) {
    this.since = clock.now();
  }

  get current(): SourceState {
    return this.state;
  }

  set(state: SourceState, detail: string): void {
    if (state !== this.state) this.since = this.clock.now();
    this.state = state;
    this.detail = detail;
  }

  recordError(error: SidecarError): void {
    this.lastError = { code: error.code, message: error.message, at: new Date(this.clock.now()).toISOString() };
  }

  count(counter: Counter, by = 1): void {
    this.counters[counter] += by;
  }

  snapshot(extraDetail?: string): SourceHealth {
    const detail = extraDetail === undefined ? this.detail : `${this.detail}; ${extraDetail}`;
    return {
      kind: 'jellyfin',
      state: this.state,
      detail,
      since: new Date(this.since).toISOString(),
      ...(this.lastError === undefined ? {} : { lastError: { ...this.lastError } }),
      counters: { ...this.counters },
    };
  }
}
