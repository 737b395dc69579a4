/**
 * ffmpeg's stderr: the `-progress` parser and the line handler shared by transcode sessions and
 * file jobs (tests in tests/unit/plugin/transcode/progress.test.ts).
 *
 * ffmpeg prints a block of `key=value` lines about twice a second, ending with
 * `progress=continue` (or `progress=end`). With `-progress pipe:2` the blocks share stderr with
 * the log lines, so `isProgressLine` tells them apart: progress lines never go to the error tail.
 */
import type { MediaInput } from '../library/model.js';
import type { Logger } from '../log/logger.js';
import { scrubLine, secretsOfUrl } from './recorder-args.js';

/** The figures of one progress block. */
export interface ProgressSnapshot {
  /** Output time reached, seconds, relative to the start offset (ffmpeg's `out_time_us`). */
  readonly outSeconds: number;
  /** Bytes ffmpeg reports as written (`total_size`). */
  readonly totalSize: number;
  /** Multiple of realtime (`speed=1.5x`). */
  readonly speed: number;
  readonly fps: number;
  readonly frame: number;
  /** True on the last block (`progress=end`). */
  readonly ended: boolean;
}

const PROGRESS_KEYS = new Set([
  'frame',
  'fps',
  'bitrate',
  'total_size',
  'out_time_us',
  'out_time_ms',
  'out_time',
  'dup_frames',
  'drop_frames',
  'speed',
  'progress',
]);

/**
 * True for a `-progress` line: one `key=value` with a known key (or `stream_N_M_q`). The final
 * `frame=… fps=… size=…` report also starts with `frame=` but has many `=` and is a log line.
 */
export function isProgressLine(line: string): boolean {
  const eq = line.indexOf('=');
  if (eq <= 0 || line.indexOf('=', eq + 1) !== -1) return false;
  const key = line.slice(0, eq);
  return PROGRESS_KEYS.has(key) || /^stream_\d+_\d+_q$/.test(key);
}

/** Accumulates progress lines; `push` returns a snapshot when a block is complete. */
export class ProgressParser {
  private outSeconds = 0;
  private totalSize = 0;
  private speed = 0;
  private fps = 0;
  private frame = 0;

  /** Feeds one stderr line; returns the snapshot when the line closes a block. */
  push(line: string): ProgressSnapshot | undefined {
    const eq = line.indexOf('=');
    if (eq <= 0) return undefined;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1).trim();
    switch (key) {
      case 'out_time_us': {
        // "N/A" before the first packet; slightly negative at the start of some streams.
        const us = Number(value);
        if (Number.isFinite(us)) this.outSeconds = Math.max(0, us / 1e6);
        return undefined;
      }
      case 'total_size':
        this.totalSize = finiteOr(Number(value), this.totalSize);
        return undefined;
      case 'speed':
        this.speed = finiteOr(Number.parseFloat(value), 0);
        return undefined;
      case 'fps':
        this.fps = finiteOr(Number.parseFloat(value), this.fps);
        return undefined;
      case 'frame':
        this.frame = finiteOr(Number.parseInt(value, 10), this.frame);
        return undefined;
      case 'progress':
        return this.snapshot(value === 'end');
      default:
        return undefined;
    }
  }

  snapshot(ended = false): ProgressSnapshot {
    return { outSeconds: this.outSeconds, totalSize: this.totalSize, speed: this.speed, fps: this.fps, frame: this.frame, ended };
  }
}

function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}

/** Keeps the last `capacity` lines (the stderr tail attached to errors). */
export class LineTail {
  private readonly lines: string[] = [];

  constructor(private readonly capacity = 30) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.shift();
  }

  text(): string {
    return this.lines.join('\n');
  }
}

export interface StderrLineOptions {
  readonly tail: LineTail;
  /** Cuts credentials out of a log line before it is kept or logged. */
  readonly scrub: (line: string) => string;
  readonly log: Logger;
  /** Called with each complete `-progress` block. */
  readonly onProgress: (snapshot: ProgressSnapshot) => void;
}

/**
 * The handler for ffmpeg's stderr lines: `-progress` lines feed a parser (complete blocks go to
 * `onProgress`), blank lines are dropped, the rest is scrubbed, kept in the tail and logged at debug.
 */
export function stderrLineHandler(options: StderrLineOptions): (raw: string) => void {
  const parser = new ProgressParser();
  return (raw) => {
    if (isProgressLine(raw)) {
      const snapshot = parser.push(raw);
      if (snapshot) options.onProgress(snapshot);
      return;
    }
    if (raw.trim() === '') return;
    const line = options.scrub(raw);
    options.tail.push(line);
    options.log.debug('ffmpeg', { line });
  };
}

/**
 * ffmpeg and ffprobe print their input URL (with credentials) in errors; keep it out of logs and
 * tails: the URL becomes `<url>` (its query may hold an API key), and its userinfo and password
 * are cut out wherever else they appear.
 */
export function inputScrubber(input: MediaInput): (text: string) => string {
  if (input.kind !== 'url') return (text) => text;
  const { url } = input;
  const secrets = secretsOfUrl(url);
  return (text) => scrubLine(text.split(url).join('<url>'), secrets);
}
