/**
 * A benchmark module (`tests/bench/*.bench.ts`) exports `run()`, returning results as ratios
 * against a baseline measured in the same run (machines are shared and noisy).
 */
export interface BenchResult {
  /** What was measured, e.g. "local listing p95 (10 000 items)". */
  readonly name: string;
  /** Measured value in `unit`. */
  readonly value: number;
  readonly unit: string;
  /** Baseline measured in the same run (same unit), when the target is a ratio. */
  readonly baseline?: number;
  /** value / baseline (or the reverse, as `target` says). */
  readonly ratio?: number;
  /** The target as text, e.g. "p95 < 20 ms" or "ratio ≥ 0.95". */
  readonly target: string;
  readonly pass: boolean;
  /** Extra figures worth printing (× realtime, sizes). */
  readonly notes?: string;
}

export type BenchModule = { readonly run: () => Promise<readonly BenchResult[]> };
