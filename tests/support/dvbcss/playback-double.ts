/**
 * Test doubles for the DVB-CSS adapter's unit and server tests: a PlaybackFacade fed by the
 * test (standing in for the core's Jellyfin-backed facade), a manual clock, and session builders.
 */
import { testItem } from '../library-fixtures.js';
import type { Clock, MediaItem, PlaybackEvent, PlaybackFacade, PlaybackSession, TimerHandle } from '../../../plugin/index.js';

export class PlaybackDouble implements PlaybackFacade {
  private list: readonly PlaybackSession[] = [];
  private readonly listeners = new Set<(event: PlaybackEvent) => void>();

  sessions(): readonly PlaybackSession[] {
    return this.list;
  }

  subscribe(listener: (event: PlaybackEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  /** Replaces the session list and pushes it, as the Jellyfin socket's Sessions message does. */
  publish(sessions: readonly PlaybackSession[]): void {
    this.list = sessions;
    for (const l of [...this.listeners]) l({ type: 'sessions', sessions });
  }

  connection(state: 'connected' | 'polling' | 'disconnected'): void {
    for (const l of [...this.listeners]) l({ type: 'connection', state });
  }
}

export interface SessionSpec {
  readonly id: string;
  readonly userId?: string;
  readonly deviceId?: string;
  readonly lastActivity?: string;
  /** Omit for an idle session. */
  readonly playing?: {
    readonly itemId: string;
    readonly title?: string;
    readonly mediaSourceId?: string;
    readonly positionSeconds: number;
    readonly isPaused?: boolean;
    readonly receivedMonotonicNs: bigint;
    readonly receivedAt?: number;
  };
}

export function mediaItem(id: string, title = `Item ${id}`): MediaItem {
  return testItem(id, title, { durationSeconds: 3600 });
}

export function session(spec: SessionSpec): PlaybackSession {
  const base = {
    id: spec.id,
    client: 'Jellyfin Web',
    deviceId: spec.deviceId ?? `dev-${spec.id}`,
    deviceName: `Device ${spec.id}`,
    lastActivity: spec.lastActivity ?? '2026-01-01T00:00:00.000Z',
    ...(spec.userId === undefined ? {} : { userId: spec.userId, userName: `user ${spec.userId}` }),
  };
  const p = spec.playing;
  if (p === undefined) return base;
  const isPaused = p.isPaused ?? false;
  return {
    ...base,
    nowPlaying: {
      item: mediaItem(p.itemId, p.title),
      state: {
        positionSeconds: p.positionSeconds,
        isPaused,
        receivedAt: p.receivedAt ?? 0,
        receivedMonotonicNs: p.receivedMonotonicNs,
        playbackRate: isPaused ? 0 : 1,
        ...(p.mediaSourceId === undefined ? {} : { mediaSourceId: p.mediaSourceId }),
      },
    },
  };
}

interface ManualTimer {
  at: bigint;
  fn: () => void;
  every?: bigint;
  cancelled: boolean;
}

/** A clock the test moves by hand; timers fire during advance(). */
export class ManualClock implements Clock {
  private ns = 1_000_000_000_000n;
  private timers: ManualTimer[] = [];

  now(): number {
    return 1_767_225_600_000 + Number(this.ns / 1_000_000n);
  }

  monotonicNs(): bigint {
    return this.ns;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.add({ at: this.ns + BigInt(Math.round(ms * 1e6)), fn, cancelled: false });
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const every = BigInt(Math.max(1, Math.round(ms * 1e6)));
    return this.add({ at: this.ns + every, fn, every, cancelled: false });
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  advanceMs(ms: number): void {
    const end = this.ns + BigInt(Math.round(ms * 1e6));
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => (a.at < b.at ? -1 : 1))[0];
      if (due === undefined) break;
      this.ns = due.at > this.ns ? due.at : this.ns;
      if (due.every === undefined) due.cancelled = true;
      else due.at += due.every;
      due.fn();
    }
    this.ns = end;
    this.timers = this.timers.filter((t) => !t.cancelled);
  }

  private add(t: ManualTimer): TimerHandle {
    this.timers.push(t);
    return { cancel: () => (t.cancelled = true) };
  }
}
