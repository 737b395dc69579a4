/**
 * Follows Jellyfin playback through `context.playback` (pushed session lists; the core's
 * Jellyfin source handles the socket and its polling fallback) and hands each CII/TS connection
 * a Follower: the presentation of the session it follows, with change notifications delivered
 * synchronously in the event that caused them (state change → control timestamp on the wire
 * without a timer in between).
 */
import type { Clock, PlaybackEvent, PlaybackFacade, PlaybackSession, TimerHandle } from '../../plugin/index.js';
import {
  emptyPresentation,
  presentSession,
  samePresentation,
  selectSession,
  type FollowSpec,
  type Presentation,
  type TrackedSession,
} from './presentation.js';

export interface Follower {
  current(): Presentation;
  /** Called after every change of the presentation; returns unsubscribe. */
  onChange(listener: (presentation: Presentation) => void): () => void;
  close(): void;
}

export interface SessionTrackerOptions {
  readonly serverId: string;
  /** How long a stopped session stays "transitioning" before it reads as idle. */
  readonly transitionMs: number;
}

interface FollowerState {
  readonly spec: FollowSpec;
  readonly visible: (session: PlaybackSession) => boolean;
  presentation: Presentation;
  readonly listeners: Set<(presentation: Presentation) => void>;
}

export class SessionTracker {
  private readonly tracked = new Map<string, TrackedSession>();
  private readonly followers = new Set<FollowerState>();
  private readonly transitionNs: bigint;
  private unsubscribe: (() => void) | undefined;
  private sourceDown = false;
  private transitionTimer: TimerHandle | undefined;
  private updates = 0;

  constructor(
    private readonly playback: PlaybackFacade,
    private readonly clock: Clock,
    private readonly options: SessionTrackerOptions,
  ) {
    this.transitionNs = BigInt(Math.round(options.transitionMs * 1e6));
  }

  /** Subscribes to the playback facade and takes its current sessions. */
  start(): void {
    if (this.unsubscribe !== undefined) return;
    this.unsubscribe = this.playback.subscribe((event) => this.onEvent(event));
    this.ingest(this.playback.sessions());
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.transitionTimer?.cancel();
    this.transitionTimer = undefined;
    this.followers.clear();
  }

  /** Number of session lists ingested (health counter). */
  updateCount(): number {
    return this.updates;
  }

  /** Sessions currently known (for the page's session picker). */
  sessions(): readonly PlaybackSession[] {
    return [...this.tracked.values()].map((t) => t.session);
  }

  follow(spec: FollowSpec, visible: (session: PlaybackSession) => boolean): Follower {
    const state: FollowerState = { spec, visible, presentation: emptyPresentation('okay'), listeners: new Set() };
    state.presentation = this.present(state);
    this.followers.add(state);
    return {
      current: () => state.presentation,
      onChange: (listener) => {
        state.listeners.add(listener);
        return () => state.listeners.delete(listener);
      },
      close: () => {
        state.listeners.clear();
        this.followers.delete(state);
      },
    };
  }

  private onEvent(event: PlaybackEvent): void {
    if (event.type === 'sessions') {
      this.ingest(event.sessions);
      return;
    }
    const down = event.state === 'disconnected';
    if (down !== this.sourceDown) {
      this.sourceDown = down;
      this.refresh();
    }
  }

  private ingest(sessions: readonly PlaybackSession[]): void {
    this.updates++;
    const nowNs = this.clock.monotonicNs();
    const next = new Map<string, TrackedSession>();
    for (const session of sessions) next.set(session.id, this.track(this.tracked.get(session.id), session, nowNs));
    this.tracked.clear();
    for (const [id, t] of next) this.tracked.set(id, t);
    this.refresh();
    this.scheduleTransitionEnd(nowNs);
  }

  private track(prev: TrackedSession | undefined, session: PlaybackSession, nowNs: bigint): TrackedSession {
    const now = session.nowPlaying;
    const before = prev?.session.nowPlaying;
    if (now !== undefined) {
      const changed =
        before === undefined ||
        before.item.id !== now.item.id ||
        before.state.mediaSourceId !== now.state.mediaSourceId ||
        before.state.isPaused !== now.state.isPaused;
      return { session, lastEventNs: changed || prev === undefined ? now.state.receivedMonotonicNs : prev.lastEventNs };
    }
    const stoppedAtNs = before !== undefined ? nowNs : prev?.stoppedAtNs;
    return { session, lastEventNs: before !== undefined ? nowNs : (prev?.lastEventNs ?? 0n), ...(stoppedAtNs === undefined ? {} : { stoppedAtNs }) };
  }

  /** Wakes up when the earliest "transitioning" period ends, so followers see it end. */
  private scheduleTransitionEnd(nowNs: bigint): void {
    let earliest: bigint | undefined;
    for (const t of this.tracked.values()) {
      if (t.stoppedAtNs === undefined) continue;
      const end = t.stoppedAtNs + this.transitionNs;
      if (end > nowNs && (earliest === undefined || end < earliest)) earliest = end;
    }
    this.transitionTimer?.cancel();
    this.transitionTimer = undefined;
    if (earliest === undefined) return;
    const ms = Number(earliest - nowNs) / 1e6 + 1;
    this.transitionTimer = this.clock.setTimeout(() => {
      this.transitionTimer = undefined;
      this.refresh();
      this.scheduleTransitionEnd(this.clock.monotonicNs());
    }, ms);
  }

  private refresh(): void {
    for (const f of [...this.followers]) {
      const next = this.present(f);
      if (samePresentation(next, f.presentation)) continue;
      f.presentation = next;
      for (const listener of [...f.listeners]) listener(next);
    }
  }

  private present(f: FollowerState): Presentation {
    if (this.sourceDown) return emptyPresentation('fault', f.presentation.sessionId);
    const all = [...this.tracked.values()];
    const nowNs = this.clock.monotonicNs();
    if (f.spec.kind === 'session') {
      const t = this.tracked.get(f.spec.sessionId);
      if (t === undefined || !f.visible(t.session)) return emptyPresentation('fault', f.spec.sessionId);
      return presentSession(t, this.options.serverId, nowNs, this.transitionNs);
    }
    const chosen = selectSession(f.spec, all, f.visible, f.presentation.sessionId);
    if (chosen === undefined) return emptyPresentation('okay');
    return presentSession(chosen, this.options.serverId, nowNs, this.transitionNs);
  }
}
