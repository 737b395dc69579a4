/** Restart delays (pure): doubling from `minMs` to `maxMs`, reset after a run that recorded. */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {}

  /** The delay before the next attempt, counting this failure. */
  next(): number {
    const delay = Math.min(this.maxMs, this.minMs * 2 ** Math.min(this.failures, 30));
    this.failures += 1;
    return delay;
  }

  reset(): void {
    this.failures = 0;
  }

  attempts(): number {
    return this.failures;
  }
}
