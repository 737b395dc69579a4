/**
 * A dvbcss-clocks root clock on process.hrtime (CLOCK_MONOTONIC, ns): the high-resolution
 * client clock the accuracy tests need. BBC's library only ships DateNowClock (1 ms, not
 * monotonic), which bounds dispersion at 1–3 ms. Being the same clock as the sidecar's wall
 * clock on one host, it also gives a ground truth: the client's wall-clock estimate should equal
 * local hrtime within the dispersion.
 */
import clocks from 'dvbcss-clocks';

export class HrtimeClock extends clocks.ClockBase {
  constructor(
    private readonly precisionSeconds = 1e-7,
    private readonly maxFreqErrorPpm = 500,
  ) {
    super();
  }
  override now(): number {
    return Number(process.hrtime.bigint());
  }
  override getTickRate(): number {
    return 1e9;
  }
  /** ClockBase schedules timers in Date.now() milliseconds. */
  calcWhen(ticks: number): number {
    return Date.now() + (ticks - this.now()) / 1e6;
  }
  override getParent(): null {
    return null;
  }
  toParentTime(): never {
    throw new Error('HrtimeClock has no parent');
  }
  fromParentTime(): never {
    throw new Error('HrtimeClock has no parent');
  }
  override setAvailabilityFlag(availability: boolean): void {
    if (!availability) throw new Error('HrtimeClock is always available');
  }
  _errorAtTime(): number {
    return this.precisionSeconds;
  }
  override getRootMaxFreqError(): number {
    return this.maxFreqErrorPpm;
  }
}
