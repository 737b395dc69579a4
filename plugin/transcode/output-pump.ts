/**
 * Carries ffmpeg's stdout to the caller of an unspooled transcode with backpressure: `sink`
 * (what ffmpeg's stdout is piped into) and `output` (what the caller reads) are two objects so
 * that the caller destroying its stream turns into our graceful stop, not into fluent-ffmpeg's
 * SIGKILL on a write error, and so the end of `output` can wait for the exit classification.
 */
import { Readable, Writable } from 'node:stream';

/** Large buffers: ffmpeg writes 64 KiB pipe chunks and throughput matters (bench). */
const HIGH_WATER_MARK = 1024 * 1024;

export class OutputPump {
  readonly sink: Writable;
  readonly output: Readable;
  private pending: (() => void) | undefined;
  private discarding = false;
  private bytesIn = 0;
  private sinkFinished = false;
  private readonly finishWaiters: (() => void)[] = [];

  /** `onConsumerGone` runs when the caller destroys `output` before it ended. */
  constructor(onConsumerGone: () => void) {
    this.sink = new Writable({
      highWaterMark: HIGH_WATER_MARK,
      emitClose: false,
      write: (chunk: Buffer, _encoding, callback) => {
        this.bytesIn += chunk.length;
        if (this.discarding || this.output.destroyed) {
          callback();
          return;
        }
        if (this.output.push(chunk)) callback();
        else this.pending = callback;
      },
      final: (callback) => {
        this.sinkFinished = true;
        for (const w of this.finishWaiters.splice(0)) w();
        callback();
      },
    });
    this.output = new Readable({
      highWaterMark: HIGH_WATER_MARK,
      read: () => this.release(),
      destroy: (err, callback) => {
        const early = !this.output.readableEnded;
        this.discard();
        if (early) onConsumerGone();
        callback(err);
      },
    });
  }

  /** Bytes ffmpeg wrote so far. */
  bytes(): number {
    return this.bytesIn;
  }

  /** Drops further output so ffmpeg never blocks on a pipe nobody reads (while it stops). */
  discard(): void {
    this.discarding = true;
    this.release();
  }

  /** Resolves when ffmpeg's stdout has ended and every byte was handed to `output` (or dropped). */
  finished(): Promise<void> {
    if (this.sinkFinished) return Promise.resolve();
    return new Promise((resolve) => this.finishWaiters.push(resolve));
  }

  /**
   * Ends `output` after the last byte when the transcode completed; otherwise closes it without
   * an end (pipeline() reports a premature close), so an HTTP layer never mistakes a stopped or
   * failed transcode for a complete body.
   */
  close(completed: boolean): void {
    if (this.output.destroyed) return;
    if (completed) this.output.push(null);
    else this.output.destroy();
  }

  private release(): void {
    const callback = this.pending;
    this.pending = undefined;
    callback?.();
  }
}
