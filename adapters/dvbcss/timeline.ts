/**
 * Timeline maths for CSS-TS (protocols/dvbcss.md §4–5). Pure and BigInt throughout: positions
 * and wall-clock times are nanoseconds, content times are integer ticks.
 *
 * The timeline is BBC's "simple elapsed time" (`…:simple-elapsed-time:<N>`, N ticks per second):
 * the media element's currentTime, which is exactly Jellyfin's PositionTicks.
 */

/** Prefix of BBC's private elapsed-time selector; the tick rate follows the last colon. */
const SIMPLE_ELAPSED_TIME_PREFIX = 'tag:rd.bbc.co.uk,2015-12-08:dvb:css:timeline:simple-elapsed-time:';

/** The selector offered in CII: milliseconds, Jellyfin's report granularity. */
export const DEFAULT_TIMELINE_SELECTOR = `${SIMPLE_ELAPSED_TIME_PREFIX}1000`;

/** Tick rates above 1 GHz would be finer than the wall clock's nanoseconds. */
const MAX_TICK_RATE = 1_000_000_000n;

const NS_PER_S = 1_000_000_000n;

/** A point on the media timeline: the position (ns) held at a wall-clock instant, and the slope. */
export interface TimelineAnchor {
  readonly positionNs: bigint;
  readonly wallClockNs: bigint;
  /** 0 = paused, 1 = normal play; fractional and negative rates are legal. */
  readonly speed: number;
}

/** An available control timestamp, before serialisation. */
export interface TimelineCorrelation {
  readonly contentTime: bigint;
  readonly wallClockTime: bigint;
  readonly timelineSpeedMultiplier: number;
}

/** Ticks per second of a selector we can serve, or undefined for any other selector. */
export function parseTimelineSelector(selector: string): bigint | undefined {
  if (!selector.startsWith(SIMPLE_ELAPSED_TIME_PREFIX)) return undefined;
  const rate = selector.slice(SIMPLE_ELAPSED_TIME_PREFIX.length);
  if (!/^[1-9]\d{0,9}$/.test(rate)) return undefined;
  const ticks = BigInt(rate);
  return ticks <= MAX_TICK_RATE ? ticks : undefined;
}

/**
 * contentId for a Jellyfin item, general to specific so stems work:
 * `jellyfin://<serverId>/items/<itemId>/sources/<mediaSourceId>`. No play-session id, so a replay
 * keeps the id and a seek stays a timestamp change.
 */
export function buildContentId(serverId: string, itemId: string, mediaSourceId: string): string {
  return `jellyfin://${encodeURIComponent(serverId)}/items/${encodeURIComponent(itemId)}/sources/${encodeURIComponent(mediaSourceId)}`;
}

/** Plain prefix match; an empty stem matches any contentId; a null contentId matches nothing. */
export function stemMatches(contentId: string | null, stem: string): boolean {
  return contentId !== null && contentId.startsWith(stem);
}

/** Jellyfin position in seconds (ticks / 1e7, as the model carries it) → ns, via whole 100 ns ticks. */
export function positionSecondsToNs(positionSeconds: number): bigint {
  return BigInt(Math.round(positionSeconds * 10_000_000)) * 100n;
}

/** Speed of a playback state: 0 while paused, else its rate (1 when the source gives none). */
export function playbackSpeed(isPaused: boolean, playbackRate: number): number {
  if (isPaused) return 0;
  return Number.isFinite(playbackRate) && playbackRate !== 0 ? playbackRate : 1;
}

/**
 * The control timestamp for an anchor at `ticksPerSecond`, with wallClockTime the exact instant
 * (to the nanosecond) at which the integer contentTime held: moving forward, the next whole tick
 * at or after the anchor; moving backward, the previous one; paused, the nearest one (the
 * position is frozen, so any instant is exact and only the rounding remains).
 */
export function controlTimestampFor(anchor: TimelineAnchor, ticksPerSecond: bigint): TimelineCorrelation {
  const scaled = anchor.positionNs * ticksPerSecond; // position in ticks × 1e9
  const speed = anchor.speed;
  if (speed === 0) {
    return { contentTime: roundDiv(scaled, NS_PER_S), wallClockTime: anchor.wallClockNs, timelineSpeedMultiplier: 0 };
  }
  const contentTime = speed > 0 ? ceilDiv(scaled, NS_PER_S) : floorDiv(scaled, NS_PER_S);
  // Timeline distance from the anchor to that tick, in ns × ticksPerSecond; |rest| < 1e9·… fits a double.
  const rest = contentTime * NS_PER_S - scaled;
  const offset = speed === 1 ? roundDiv(rest, ticksPerSecond) : BigInt(Math.round(Number(rest) / (Number(ticksPerSecond) * speed)));
  return { contentTime, wallClockTime: anchor.wallClockNs + offset, timelineSpeedMultiplier: speed };
}

/** Position (ns) the timeline has at `wallClockNs` according to a correlation. */
export function positionAt(correlation: TimelineCorrelation, ticksPerSecond: bigint, wallClockNs: bigint): bigint {
  const base = roundDiv(correlation.contentTime * NS_PER_S, ticksPerSecond);
  return base + scaleNs(wallClockNs - correlation.wallClockTime, correlation.timelineSpeedMultiplier);
}

/** Position (ns) of an anchor's line at `wallClockNs`. */
export function anchorPositionAt(anchor: TimelineAnchor, wallClockNs: bigint): bigint {
  return anchor.positionNs + scaleNs(wallClockNs - anchor.wallClockNs, anchor.speed);
}

/** What a TS connection last sent. */
export interface SentTimeline {
  readonly contentId: string | null;
  /** undefined = the last message was the "unavailable" form. */
  readonly correlation?: TimelineCorrelation;
}

/** What the connection should present now. */
export interface WantedTimeline {
  readonly contentId: string | null;
  /** undefined = unavailable (no match, unknown selector, nothing playing). */
  readonly anchor?: TimelineAnchor;
}

/**
 * Whether a new Control Timestamp must be sent: on availability, content or speed changes at
 * once; otherwise only when the line last sent predicts the anchor's position with an error above
 * `toleranceNs` (a seek, or drift). Two consecutive "unavailable" messages count as equal.
 */
export function needsControlTimestamp(
  last: SentTimeline | undefined,
  wanted: WantedTimeline,
  ticksPerSecond: bigint,
  toleranceNs: bigint,
): boolean {
  if (last === undefined) return true;
  if (wanted.anchor === undefined) return last.correlation !== undefined;
  if (last.correlation === undefined) return true;
  if (last.contentId !== wanted.contentId) return true;
  if (last.correlation.timelineSpeedMultiplier !== wanted.anchor.speed) return true;
  const predicted = positionAt(last.correlation, ticksPerSecond, wanted.anchor.wallClockNs);
  const error = predicted - wanted.anchor.positionNs;
  return (error < 0n ? -error : error) > toleranceNs;
}

function scaleNs(deltaNs: bigint, speed: number): bigint {
  if (speed === 0) return 0n;
  if (speed === 1) return deltaNs;
  return BigInt(Math.round(Number(deltaNs) * speed));
}

/** floor(a / b) for b > 0 (BigInt division truncates toward zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** ceil(a / b) for b > 0. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/** a / b rounded half up, for b > 0. */
export function roundDiv(a: bigint, b: bigint): bigint {
  return floorDiv(2n * a + b, 2n * b);
}
