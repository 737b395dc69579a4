/**
 * Pacing arithmetic (nginx-rtmp's `ngx_rtmp_flv_send` rule, clamped). Pure.
 *
 * The playhead runs from `baseTs` at wall time `epochMs`; a tag with timestamp `ts` may be sent
 * once `ts <= baseTs + (now - epochMs) + lead`, where lead = min(client buffer, cap) + slack.
 * Pausing freezes the playhead; unpausing re-anchors it at the frozen position.
 */
export interface PacerSettings {
  /** Extra media sent beyond the client buffer, ms. */
  readonly slackMs: number;
  /** Largest client buffer honoured, ms. */
  readonly maxLeadMs: number;
}

export class Pacer {
  private baseTs = 0;
  private epochMs: number | undefined;
  private pausedAt: number | undefined;
  bufferMs = 1000;

  constructor(private readonly settings: PacerSettings) {}

  /** The allowed lead over the playhead, ms. */
  lead(): number {
    return Math.min(Math.max(this.bufferMs, 0), this.settings.maxLeadMs) + this.settings.slackMs;
  }

  /** Restarts the playhead at `ts` (play, seek); the clock starts with the first tag sent. */
  restart(ts: number): void {
    this.baseTs = ts;
    this.epochMs = undefined;
  }

  /** Playhead position at `now`, ms. */
  position(now: number): number {
    if (this.epochMs === undefined) return this.baseTs;
    const at = this.pausedAt ?? now;
    return this.baseTs + Math.max(0, at - this.epochMs);
  }

  /** Milliseconds to wait before a tag with timestamp `ts` may go out (0 = now). */
  delayFor(ts: number, now: number): number {
    if (this.epochMs === undefined) {
      this.epochMs = now;
    }
    if (this.pausedAt !== undefined) return Number.POSITIVE_INFINITY;
    const allowed = this.position(now) + this.lead();
    return ts <= allowed ? 0 : ts - allowed;
  }

  pause(now: number): void {
    if (this.pausedAt === undefined) this.pausedAt = now;
  }

  /** Resumes with the playhead where it stopped (or at `positionMs` when the client says). */
  resume(now: number, positionMs?: number): void {
    if (this.pausedAt === undefined) return;
    const frozen = this.position(now);
    this.pausedAt = undefined;
    this.baseTs = positionMs ?? frozen;
    this.epochMs = now;
  }

  get paused(): boolean {
    return this.pausedAt !== undefined;
  }
}
