/**
 * An in-process FLV producer for the RTMP layer's unit tests and the bench: synthetic Sorenson
 * video tags (keyframe first, then every 2 s) at 25 fps and MP3-flagged audio tags every 26 ms,
 * with absolute timestamps from the start offset — what ffmpeg `-ss T -output_ts_offset T` gives.
 */
import { Readable } from 'node:stream';
import { AmfEcmaArray } from '../../../adapters/wii/rtmp/amf0.js';
import type { MediaRunResult, OpenedMedia, PlayableSource } from '../../../adapters/wii/rtmp/application.js';
import { flvHeader, flvTag } from '../../../adapters/wii/flv/flv-reader.js';

export interface FakeSourceOptions {
  readonly durationSeconds: number;
  /** Bytes per video tag (default 600). */
  readonly videoTagBytes?: number;
  /** Emit an ffmpeg-style failure once this media time is reached. */
  readonly failAtMs?: number;
  /** Leading audio before the first keyframe (ffmpeg: ~25 ms), and a non-key frame first. */
  readonly leadIn?: boolean;
  /** Delay before the first bytes (a slow transcode start). */
  readonly startDelayMs?: number;
}

export interface FakeSource extends PlayableSource {
  /** Start offsets of every open() call, seconds. */
  readonly opens: number[];
  /** Producers currently running. */
  running(): number;
}

export function fakeFlvSource(options: FakeSourceOptions): FakeSource {
  const opens: number[] = [];
  let running = 0;
  const durationMs = Math.round(options.durationSeconds * 1000);
  return {
    durationSeconds: options.durationSeconds,
    hasVideo: true,
    label: 'fake',
    metadata: new AmfEcmaArray({ duration: options.durationSeconds, width: 320, height: 240, videocodecid: 2, audiocodecid: 2 }),
    opens,
    running: () => running,
    open(startSeconds: number, signal: AbortSignal): OpenedMedia {
      opens.push(startSeconds);
      running++;
      const startMs = Math.round(startSeconds * 1000);
      let stopped = false;
      let resolveDone!: (r: MediaRunResult) => void;
      const done = new Promise<MediaRunResult>((r) => (resolveDone = r));
      function* tags(): Generator<Buffer> {
        yield Buffer.concat([flvHeader(true, true), flvTag({ type: 18, timestamp: 0, data: Buffer.from('0200', 'hex') })]);
        if (options.leadIn) {
          yield flvTag({ type: 8, timestamp: Math.max(0, startMs - 25), data: Buffer.from([0x2f, 0xff, 0xfb]) });
          yield flvTag({ type: 9, timestamp: Math.max(0, startMs - 10), data: Buffer.from([0x22, 0]) });
        }
        let v = startMs;
        let a = startMs;
        let lastKey = -Infinity;
        const batch: Buffer[] = [];
        while (v < durationMs || a < durationMs) {
          if (options.failAtMs !== undefined && Math.min(v, a) >= options.failAtMs) throw new Error('source failed');
          if (v <= a && v < durationMs) {
            const key = v === startMs || v - lastKey >= 2000;
            if (key) lastKey = v;
            const body = Buffer.alloc(options.videoTagBytes ?? 600, 0x55);
            body[0] = key ? 0x12 : 0x22;
            batch.push(flvTag({ type: 9, timestamp: v, data: body }));
            v += 40;
          } else {
            batch.push(flvTag({ type: 8, timestamp: a, data: Buffer.from([0x2f, 0xff, 0xfb, 0x90, 0x64]) }));
            a += 26;
          }
          if (batch.length >= 16) yield Buffer.concat(batch.splice(0));
        }
        if (batch.length > 0) yield Buffer.concat(batch);
      }
      async function* delayed(): AsyncGenerator<Buffer> {
        if (options.startDelayMs) await new Promise((r) => setTimeout(r, options.startDelayMs));
        yield* tags();
      }
      const output = Readable.from(delayed(), { objectMode: false });
      const finish = (r: MediaRunResult): void => {
        if (running > 0 && !stopped) running--;
        stopped = true;
        resolveDone(r);
      };
      output.on('end', () => finish({ exit: 'completed' }));
      output.on('error', (e) => finish({ exit: 'failed', reason: e.message }));
      output.on('close', () => finish({ exit: 'stopped' }));
      const stop = async (): Promise<void> => {
        if (!stopped) {
          output.destroy();
          finish({ exit: 'stopped' });
        }
        await done;
      };
      signal.addEventListener('abort', () => void stop(), { once: true });
      return { output, done, stop };
    },
  };
}
