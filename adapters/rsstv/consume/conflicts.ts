/**
 * Tuner conflicts (protocols/rsstv.md §5.4): Jellyfin never flags them when a timer is
 * created, so the reader computes them. Each timer occupies a tuner over its padded interval
 * [start − pre, end + post); a new recording fits when, at every instant of its own padded
 * interval, the timers already recording leave a tuner free. Pure.
 */
import type { Timer } from '../../../plugin/index.js';

export interface Interval {
  /** Epoch ms, inclusive. */
  readonly start: number;
  /** Epoch ms, exclusive. */
  readonly end: number;
}

/** Timer states that hold a tuner (cancelled, completed and failed ones do not). */
const ACTIVE = new Set<Timer['status']>(['new', 'in-progress', 'conflicted']);

export function isActiveTimer(timer: Timer): boolean {
  return ACTIVE.has(timer.status);
}

export function paddedInterval(start: number, end: number, prePaddingSeconds: number, postPaddingSeconds: number): Interval {
  return { start: start - Math.max(0, prePaddingSeconds) * 1000, end: end + Math.max(0, postPaddingSeconds) * 1000 };
}

export function timerInterval(timer: Timer): Interval | undefined {
  const start = Date.parse(timer.start);
  const end = Date.parse(timer.end);
  if (Number.isNaN(start) || Number.isNaN(end)) return undefined;
  return paddedInterval(start, end, timer.prePaddingSeconds, timer.postPaddingSeconds);
}

/** The most intervals that are active at one instant within `window`. */
export function peakConcurrency(intervals: readonly Interval[], window: Interval): number {
  const events: [number, number][] = [];
  for (const i of intervals) {
    const start = Math.max(i.start, window.start);
    const end = Math.min(i.end, window.end);
    if (start < end) events.push([start, 1], [end, -1]);
  }
  // Ends sort before starts at the same instant: back-to-back intervals do not overlap.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let peak = 0;
  for (const [, delta] of events) {
    current += delta;
    peak = Math.max(peak, current);
  }
  return peak;
}

export interface ConflictCheck {
  readonly conflict: boolean;
  /** Active timers whose padded interval overlaps the candidate's (owner detail). */
  readonly overlapping: readonly Timer[];
  readonly peak: number;
  readonly capacity: number;
}

/**
 * Whether a recording over `candidate` (already padded) would exceed `capacity` tuners given
 * the existing timers. Capacity below 1 counts as 1.
 */
export function checkConflict(candidate: Interval, timers: readonly Timer[], capacity: number): ConflictCheck {
  const active = timers.filter(isActiveTimer);
  const intervals: Interval[] = [];
  const overlapping: Timer[] = [];
  for (const timer of active) {
    const interval = timerInterval(timer);
    if (interval === undefined) continue;
    intervals.push(interval);
    if (interval.start < candidate.end && candidate.start < interval.end) overlapping.push(timer);
  }
  const cap = Math.max(1, Math.floor(capacity));
  const peak = peakConcurrency(intervals, candidate);
  return { conflict: peak + 1 > cap, overlapping, peak, capacity: cap };
}
