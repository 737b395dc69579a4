/**
 * What a wall-clock server declares about its clock, shared by the UDP and WebSocket
 * transports: precision (measured from the clock unless configured) and maximum frequency error.
 */
import type { Clock } from '../../plugin/index.js';
import { decodeMaxFreqError, decodePrecision, encodeMaxFreqError, encodePrecision } from './wallclock-codec.js';

export interface WallClockParameters {
  /** log2(seconds) as sent in byte 2. */
  readonly precisionLog2: number;
  /** 1/256 ppm units as sent in bytes 4–7. */
  readonly maxFreqError: number;
  readonly followUp: boolean;
}

/**
 * Measures how finely the clock can be read: the median step between consecutive readings
 * that differ. hrtime on Linux gives tens of ns (≈ 2^-24 s); a clock that never moves (a fake
 * clock in tests) falls back to 1 µs.
 */
export function measurePrecisionSeconds(clock: Clock, samples = 2000): number {
  const steps: number[] = [];
  let prev = clock.monotonicNs();
  for (let i = 0; i < samples; i++) {
    const now = clock.monotonicNs();
    if (now > prev) steps.push(Number(now - prev));
    prev = now;
  }
  if (steps.length === 0) return 1e-6;
  steps.sort((a, b) => a - b);
  return (steps[Math.floor(steps.length / 2)] ?? 1000) / 1e9;
}

export function wallClockParameters(clock: Clock, options: { readonly precisionLog2?: number | undefined; readonly maxFreqErrorPpm: number; readonly followUp: boolean }): WallClockParameters {
  return {
    precisionLog2: options.precisionLog2 ?? encodePrecision(measurePrecisionSeconds(clock)),
    maxFreqError: encodeMaxFreqError(options.maxFreqErrorPpm),
    followUp: options.followUp,
  };
}

/** Declared precision in seconds and mfe in ppm (the JSON form's units). */
export function declaredUnits(p: WallClockParameters): { readonly precisionSeconds: number; readonly maxFreqErrorPpm: number } {
  return { precisionSeconds: decodePrecision(p.precisionLog2), maxFreqErrorPpm: decodeMaxFreqError(p.maxFreqError) };
}
