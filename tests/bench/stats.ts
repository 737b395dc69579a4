/** Statistics shared by the benches, so every figure uses the same rules. */

/** The q-quantile (0 < q ≤ 1): the smallest sample with at least q·n samples at or below it; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
}

/** The middle sample, or the mean of the two middle ones for an even count; NaN when empty. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** `n` rounded to `digits` decimals (for printing). */
export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/**
 * Baseline and ratio of a "value must stay under `target`" result: the target is the baseline and
 * ratio = target / value (≥ 1 passes; a value near zero counts as 0.001).
 */
export function vsTarget(value: number, target: number): { readonly baseline: number; readonly ratio: number } {
  return { baseline: target, ratio: round(target / Math.max(value, 0.001)) };
}
