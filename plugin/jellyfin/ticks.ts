/**
 * Jellyfin time units: 1 tick = 100 ns, 10 000 000 ticks per second (the spec's text saying
 * "1 tick = 10000 ms" is wrong; protocols/jellyfin.md §4).
 */
const TICKS_PER_SECOND = 10_000_000;

/** Ticks → seconds. */
export function ticksToSeconds(ticks: number): number {
  return ticks / TICKS_PER_SECOND;
}

/** Seconds → whole ticks (rounded). */
export function secondsToTicks(seconds: number): number {
  return Math.round(seconds * TICKS_PER_SECOND);
}
