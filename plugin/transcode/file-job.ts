/**
 * ffmpeg runs that write files instead of a stream (segment recorders, copy remuxes): spawned
 * with an exact argument array and no shell, stderr read line by line (`-progress` blocks parsed,
 * other lines scrubbed of credentials, logged at debug and kept as a tail), stopped with `q` on
 * stdin and SIGKILL after a grace period (DESIGN.md §7.2).
 *
 * Spawned directly rather than through fluent-ffmpeg (ffmpeg-process.ts): fluent-ffmpeg wants an
 * output it owns and adds `-y` and pipes we would have to drain; here stdout is ignored, and the
 * child gets its own process group so a terminal's SIGINT/SIGHUP reaches only the sidecar, which
 * then stops the recorder gracefully (SIGHUP would kill ffmpeg without writing its trailer).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Logger } from '../log/logger.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import { guardAgainstOrphans } from './ffmpeg-process.js';
import { LineTail, stderrLineHandler } from './progress.js';
import { scrubLine } from './recorder-args.js';
import type { FileJobResult, RecordingProgress, RecordingRun } from './types.js';

export interface FileJobOptions {
  readonly ffmpegPath: string;
  readonly argv: readonly string[];
  /** Strings cut out of every logged or returned line (URL, userinfo, password). */
  readonly secrets: readonly string[];
  readonly clock: Clock;
  readonly log: Logger;
  readonly stopGraceMs: number;
  /** Keep stdin open for `q` (recorders); remuxes use `-nostdin` and get /dev/null. */
  readonly interactive: boolean;
  /** Hand ffmpeg's stdout to the caller (live view); default ignored. */
  readonly pipeOutput?: boolean;
}

/** A run; `output` is ffmpeg's stdout when `pipeOutput` was asked for (else null). */
export interface FileJobRun extends RecordingRun {
  readonly output: Readable | null;
}

const TAIL_LINES = 30;

/** Starts ffmpeg; the returned run never throws (a failed spawn resolves `done`). */
export function startFileJob(options: FileJobOptions): FileJobRun {
  const { clock, log } = options;
  const id = randomUUID();
  const startedAt = clock.now();
  const tail = new LineTail(TAIL_LINES);
  let progress: RecordingProgress = { blocks: 0, outSeconds: 0, totalSize: 0, frame: 0, lastAdvanceAt: 0 };
  let stopRequested = false;
  let killTimer: TimerHandle | undefined;
  let result: FileJobResult | undefined;
  let resolveDone: (r: FileJobResult) => void = () => undefined;
  const done = new Promise<FileJobResult>((resolve) => {
    resolveDone = resolve;
  });
  const finish = (r: FileJobResult): void => {
    if (result !== undefined) return;
    result = r;
    killTimer?.cancel();
    resolveDone(r);
  };

  const child = spawn(options.ffmpegPath, [...options.argv], {
    stdio: [options.interactive ? 'pipe' : 'ignore', options.pipeOutput === true ? 'pipe' : 'ignore', 'pipe'],
    detached: true,
    windowsHide: true,
  });
  child.stdin?.on('error', () => undefined);
  child.on('error', (err) => {
    if (child.pid === undefined) {
      tail.push(`cannot start ffmpeg: ${err.message}`);
      finish({ exit: 'failed-to-start', exitCode: null, signal: null, stderrTail: tail.text() });
    }
  });
  if (child.pid !== undefined) guardAgainstOrphans(child);

  if (child.stderr) {
    const lines = createInterface({ input: child.stderr, crlfDelay: Infinity });
    lines.on(
      'line',
      stderrLineHandler({
        tail,
        scrub: (line) => scrubLine(line, options.secrets),
        log,
        onProgress: (snap) => {
          const advanced = snap.outSeconds > progress.outSeconds || snap.frame > progress.frame || snap.totalSize > progress.totalSize;
          progress = {
            blocks: progress.blocks + 1,
            outSeconds: snap.outSeconds,
            totalSize: snap.totalSize,
            frame: snap.frame,
            lastAdvanceAt: advanced ? clock.now() : progress.lastAdvanceAt,
          };
        },
      }),
    );
  }
  child.once('close', (code, signal) => {
    finish({ exit: stopRequested ? 'stopped' : 'exited', exitCode: code, signal, stderrTail: tail.text() });
  });

  const stop = (): Promise<FileJobResult> => {
    if (result !== undefined || stopRequested) return done;
    stopRequested = true;
    if (child.stdin && child.stdin.writable) child.stdin.write('q');
    else child.kill('SIGINT');
    // A reader that went away must not leave ffmpeg blocked on a full stdout pipe.
    child.stdout?.resume();
    killTimer = clock.setTimeout(() => {
      log.warn('ffmpeg ignored q; killing it', { graceMs: options.stopGraceMs });
      child.kill('SIGKILL');
    }, options.stopGraceMs);
    return done;
  };

  return { id, startedAt, pid: () => child.pid, progress: () => progress, done, stop, output: child.stdout };
}
