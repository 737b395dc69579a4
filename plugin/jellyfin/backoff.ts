/**
 * Exponential reconnect backoff (pure). Jitter spreads reconnects of several sidecars after a
 * Jellyfin restart; `random` is injectable so tests are deterministic.
 */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Growth per failed attempt (2 = doubling). */
  readonly factor: number;
  /** Fraction of the delay that is randomised, 0..1 (0.2 = ±10 %). */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.2 };

/** Delay before retry number `attempt` (0 = first retry). */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const n = Math.max(0, Math.floor(attempt));
  const raw = Math.min(policy.maxMs, policy.initialMs * Math.pow(policy.factor, Math.min(n, 60)));
  const spread = raw * policy.jitter;
  const jittered = raw - spread / 2 + spread * random();
  return Math.max(0, Math.min(policy.maxMs, Math.round(jittered)));
}
