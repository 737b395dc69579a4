/**
 * What a followed Jellyfin session presents, as DVB-CSS sees it (protocols/dvbcss.md §5), and
 * how a follow request picks its session. Pure: the tracker feeds it sessions and times.
 */
import type { PlaybackSession } from '../../plugin/index.js';
import type { CiiPrivate } from './cii-message.js';
import { buildContentId, playbackSpeed, positionSecondsToNs, type TimelineAnchor } from './timeline.js';

export type PresentationStatus = 'okay' | 'transitioning' | 'fault';

export interface NowPlayingInfo {
  readonly itemId: string;
  readonly mediaSourceId: string;
  readonly title: string;
  readonly seriesName?: string;
  readonly durationSeconds?: number;
}

export interface Presentation {
  /** The Jellyfin session followed, if any. */
  readonly sessionId: string | null;
  readonly contentId: string | null;
  readonly presentationStatus: PresentationStatus;
  /** The timeline when something is loaded; undefined otherwise. */
  readonly anchor?: TimelineAnchor;
  readonly nowPlaying?: NowPlayingInfo;
  readonly session?: { readonly deviceName: string; readonly client: string; readonly userName?: string };
}

/** Which session a connection follows. */
export type FollowSpec =
  | { readonly kind: 'any' }
  | { readonly kind: 'session'; readonly sessionId: string }
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'device'; readonly deviceId: string };

/** A session plus what the tracker derived from its history. */
export interface TrackedSession {
  readonly session: PlaybackSession;
  /** Monotonic ns of its last start, item change, pause or resume (most recent activity). */
  readonly lastEventNs: bigint;
  /** Monotonic ns when playback stopped, while it stays stopped. */
  readonly stoppedAtNs?: bigint;
  /**
   * Set after a seek or an item change (next episode) until a later report confirms the new
   * position or the settle window ends: the presentation reads `transitioning` meanwhile.
   */
  readonly settling?: { readonly reportNs: bigint; readonly untilNs: bigint };
}

const PRIVATE_SESSION_TYPE = 'urn:x-jellybridge:css:session';
const PRIVATE_ITEM_TYPE = 'urn:x-jellybridge:css:now-playing';

/** A spec's path suffix (shared by the CII and TS endpoints of one follow target). */
export function followSpecPath(spec: FollowSpec): string {
  switch (spec.kind) {
    case 'any':
      return '';
    case 'session':
      return `/session/${encodeURIComponent(spec.sessionId)}`;
    case 'user':
      return `/user/${encodeURIComponent(spec.userId)}`;
    case 'device':
      return `/device/${encodeURIComponent(spec.deviceId)}`;
  }
}

/** Parses the part of a path after `/cii` or `/ts`; undefined when it names no target. */
export function parseFollowSpecPath(rest: string): FollowSpec | undefined {
  if (rest === '' || rest === '/') return { kind: 'any' };
  const match = /^\/(session|user|device)\/([^/]+)$/.exec(rest);
  if (match === null) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(match[2] ?? '');
  } catch {
    return undefined;
  }
  if (id.length === 0) return undefined;
  if (match[1] === 'session') return { kind: 'session', sessionId: id };
  if (match[1] === 'user') return { kind: 'user', userId: id };
  return { kind: 'device', deviceId: id };
}

function matchesSpec(spec: FollowSpec, session: PlaybackSession): boolean {
  switch (spec.kind) {
    case 'any':
      return true;
    case 'session':
      return session.id === spec.sessionId;
    case 'user':
      return session.userId === spec.userId;
    case 'device':
      return session.deviceId === spec.deviceId;
  }
}

/**
 * Picks the session a spec follows: the playing one with the most recent start/item/pause
 * event; when none plays, the one followed before (so "transitioning" between episodes shows),
 * else the most recently active one. Progress reports do not count as activity, or two playing
 * sessions would steal the follow from each other every report.
 */
export function selectSession(
  spec: FollowSpec,
  sessions: readonly TrackedSession[],
  visible: (session: PlaybackSession) => boolean,
  previousId: string | null,
): TrackedSession | undefined {
  const candidates = sessions.filter((t) => visible(t.session) && matchesSpec(spec, t.session));
  let best: TrackedSession | undefined;
  for (const t of candidates) {
    if (t.session.nowPlaying === undefined) continue;
    if (best === undefined || t.lastEventNs > best.lastEventNs || (t.lastEventNs === best.lastEventNs && t.session.id === previousId)) best = t;
  }
  if (best !== undefined) return best;
  const previous = candidates.find((t) => t.session.id === previousId);
  if (previous !== undefined) return previous;
  let latest: TrackedSession | undefined;
  for (const t of candidates) {
    if (latest === undefined || Date.parse(t.session.lastActivity) > Date.parse(latest.session.lastActivity)) latest = t;
  }
  return latest;
}

/** The presentation of one tracked session at monotonic time `nowNs`. */
export function presentSession(tracked: TrackedSession, serverId: string, nowNs: bigint, transitionNs: bigint): Presentation {
  const s = tracked.session;
  const session = { deviceName: s.deviceName, client: s.client, ...(s.userName === undefined ? {} : { userName: s.userName }) };
  const playing = s.nowPlaying;
  if (playing === undefined) {
    const transitioning = tracked.stoppedAtNs !== undefined && nowNs - tracked.stoppedAtNs < transitionNs;
    return { sessionId: s.id, contentId: null, presentationStatus: transitioning ? 'transitioning' : 'okay', session };
  }
  const { item, state } = playing;
  const mediaSourceId = state.mediaSourceId ?? item.id;
  const nowPlaying: NowPlayingInfo = {
    itemId: item.id,
    mediaSourceId,
    title: item.title,
    ...(item.seriesName === undefined ? {} : { seriesName: item.seriesName }),
    ...(item.durationSeconds === undefined ? {} : { durationSeconds: item.durationSeconds }),
  };
  const settling = tracked.settling !== undefined && nowNs < tracked.settling.untilNs;
  return {
    sessionId: s.id,
    contentId: buildContentId(serverId, item.id, mediaSourceId),
    presentationStatus: settling ? 'transitioning' : 'okay',
    anchor: {
      positionNs: positionSecondsToNs(state.positionSeconds),
      wallClockNs: state.receivedMonotonicNs,
      speed: playbackSpeed(state.isPaused, state.playbackRate),
    },
    nowPlaying,
    session,
  };
}

/** Nothing followed: nothing plays (okay), or the session/source is gone (fault). */
export function emptyPresentation(status: PresentationStatus, sessionId: string | null = null): Presentation {
  return { sessionId, contentId: null, presentationStatus: status };
}

/** CII `private` entries: which session is followed and what it plays (titles for the page). */
export function presentationPrivate(p: Presentation): readonly CiiPrivate[] | null {
  const out: CiiPrivate[] = [];
  if (p.sessionId !== null) out.push({ type: PRIVATE_SESSION_TYPE, sessionId: p.sessionId, ...p.session });
  if (p.nowPlaying !== undefined) out.push({ type: PRIVATE_ITEM_TYPE, ...p.nowPlaying });
  return out.length === 0 ? null : out;
}

/** Structural equality of two presentations (what listeners care about). */
export function samePresentation(a: Presentation, b: Presentation): boolean {
  return (
    a.sessionId === b.sessionId &&
    a.contentId === b.contentId &&
    a.presentationStatus === b.presentationStatus &&
    a.anchor?.positionNs === b.anchor?.positionNs &&
    a.anchor?.wallClockNs === b.anchor?.wallClockNs &&
    a.anchor?.speed === b.anchor?.speed &&
    JSON.stringify(a.nowPlaying) === JSON.stringify(b.nowPlaying) &&
    JSON.stringify(a.session) === JSON.stringify(b.session)
  );
}
