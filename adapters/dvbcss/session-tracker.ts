/**
 * Follows Jellyfin playback through `context.playback` (pushed session lists; the core's
 * Jellyfin source handles the socket and its polling fallback) and hands each CII/TS connection
 * a Follower: the presentation of the session it follows, with change notifications delivered
 * synchronously in the event that caused them (state change → control timestamp on the wire
 * without a timer in between).
 */
import type { Clock, PlaybackEvent, PlaybackFacade, PlaybackSession, PlaybackState, TimerHandle } from '../../plugin/index.js';
import {
  emptyPresentation,
  presentSession,
  samePresentation,
  selectSession,
  type FollowSpec,
  type Presentation,
  type TrackedSession,
} from './presentation.js';
import { anchorPositionAt, playbackSpeed, positionSecondsToNs } from './timeline.js';

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
  /**
   * A report whose position leaves the previous report's line by more than this is a seek
   * (default 100 ms, the drift tolerance).
   */
  readonly seekToleranceMs?: number;
  /**
   * Longest a seek or item change reads "transitioning" when no later report confirms the new
   * position (default 1500 ms; 0 turns the settle state off).
   */
  readonly settleMs?: number;
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
  private readonly seekToleranceNs: bigint;
  private readonly settleNs: bigint;
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
    this.seekToleranceNs = BigInt(Math.round((options.seekToleranceMs ?? 100) * 1e6));
    this.settleNs = BigInt(Math.round((options.settleMs ?? 1500) * 1e6));
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
      const lastEventNs = changed || prev === undefined ? now.state.receivedMonotonicNs : prev.lastEventNs;
      const settling = this.settling(prev, now.item.id, now.state, nowNs);
      return { session, lastEventNs, ...(settling === undefined ? {} : { settling }) };
    }
    const stoppedAtNs = before !== undefined ? nowNs : prev?.stoppedAtNs;
    return { session, lastEventNs: before !== undefined ? nowNs : (prev?.lastEventNs ?? 0n), ...(stoppedAtNs === undefined ? {} : { stoppedAtNs }) };
  }

  /**
   * The settle state of a playing session after this report (protocols/dvbcss.md §5:
   * "transitioning … while buffering after a seek", and between episodes). Jellyfin says nothing
   * about buffering, so a seek (a jump off the previous report's line) or an item change starts
   * a settle window that ends when a later report lands on the line, or after `settleMs`.
   */
  private settling(prev: TrackedSession | undefined, itemId: string, state: PlaybackState, nowNs: bigint): TrackedSession['settling'] {
    if (this.settleNs === 0n || prev === undefined) return undefined;
    const before = prev.session.nowPlaying;
    const start = { reportNs: state.receivedMonotonicNs, untilNs: nowNs + this.settleNs };
    if (before === undefined) {
      // Playback starting again shortly after a stop: the next episode.
      return prev.stoppedAtNs !== undefined && nowNs - prev.stoppedAtNs < this.transitionNs ? start : undefined;
    }
    if (before.item.id !== itemId || before.state.mediaSourceId !== state.mediaSourceId) return start;
    if (state.receivedMonotonicNs === before.state.receivedMonotonicNs) return prev.settling;
    const line = { positionNs: positionSecondsToNs(before.state.positionSeconds), wallClockNs: before.state.receivedMonotonicNs, speed: playbackSpeed(before.state.isPaused, before.state.playbackRate) };
    const error = anchorPositionAt(line, state.receivedMonotonicNs) - positionSecondsToNs(state.positionSeconds);
    if ((error < 0n ? -error : error) > this.seekToleranceNs) return start;
    // On the line: a later report confirms the position, so a pending settle ends here.
    return undefined;
  }

  /** Wakes up when the earliest "transitioning" period (after a stop, or settling) ends, so followers see it end. */
  private scheduleTransitionEnd(nowNs: bigint): void {
    let earliest: bigint | undefined;
    for (const t of this.tracked.values()) {
      const ends = [t.stoppedAtNs === undefined ? undefined : t.stoppedAtNs + this.transitionNs, t.settling?.untilNs];
      for (const end of ends) {
        if (end !== undefined && end > nowNs && (earliest === undefined || end < earliest)) earliest = end;
      }
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
