/**
 * The one place that talks to fluent-ffmpeg (DESIGN.md §5: sole importer; §10 keeps the choice
 * cheap to undo). It spawns ffmpeg with an exact argument array (no shell) and reports stderr
 * lines and the exit; everything else (stop policy, classification, spool) lives in session.ts.
 *
 * fluent-ffmpeg quirks handled here:
 * - Its binary path is process-wide (`setFfmpegPath` writes a module cache), so each command
 *   gets an own `_getFfmpegPath` that answers with this service's path (rffmpeg, GPU wrappers).
 * - Its encoder/format lists are cached process-wide too, after the first run (`ffmpeg -formats`
 *   and `-encoders` before the first transcode: a one-off delay of a few tens of ms).
 * - It kills ffmpeg with SIGTERM 20 ms after the output stream emits `close` and with SIGKILL
 *   on an output `error`; the sink it gets never emits `close` (emitClose: false), so stopping
 *   stays our decision (`q`, then SIGKILL).
 * - A failed spawn (missing binary) makes its own child `error` listener throw; it is replaced.
 * - `'end'`/`'error'` wait for stderr to close, which a surviving grandchild of a wrapper script
 *   can hold open; the exit here is the child's `close`, or its `exit` plus a short grace.
 */
import type { ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import type { Clock, TimerHandle } from '../util/clock.js';
import type { FfmpegArgs } from './profiles.js';

/** How ffmpeg ended. */
export interface FfmpegExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when ffmpeg never ran (binary missing, fluent-ffmpeg's checks failed). */
  readonly startError?: Error;
  /**
   * False when stdio was still open a grace period after the exit (a wrapper's grandchild
   * holds it) and was destroyed: the output then never ends on its own.
   */
  readonly stdioClosed: boolean;
}

export interface FfmpegRun {
  /** Resolves once ffmpeg has exited (or failed to start); never rejects. */
  readonly exited: Promise<FfmpegExit>;
  /** The child's pid once spawned. */
  pid(): number | undefined;
  /** Asks ffmpeg to finish (`q` on stdin): it writes the trailer and exits 0. */
  requestQuit(): void;
  /** SIGKILL, now or as soon as the child exists. */
  kill(): void;
}

export interface RunFfmpegOptions {
  readonly ffmpegPath: string;
  readonly args: FfmpegArgs;
  /** Receives ffmpeg's stdout (piped with end: true). */
  readonly sink: Writable;
  readonly onStderrLine: (line: string) => void;
  readonly clock: Clock;
  /** How long to wait for stdio to close after the child exited. */
  readonly closeGraceMs: number;
}

type PathCallback = (err: Error | null, path: string) => void;
interface FluentInternals {
  /** Set by fluent-ffmpeg just before it emits `start`. */
  ffmpegProc?: ChildProcess;
  _getFfmpegPath: (callback: PathCallback) => void;
}

/** A command bound to one binary path (see the module comment). */
function command(ffmpegPath: string): ffmpeg.FfmpegCommand {
  // fluent-ffmpeg keeps `stdoutLines - 1` stderr lines in memory; 0 would mean "all of them"
  // (hours of -progress blocks). We keep our own tail, so it keeps none.
  const cmd = ffmpeg({ stdoutLines: 1 });
  (cmd as unknown as FluentInternals)._getFfmpegPath = (callback) => callback(null, ffmpegPath);
  return cmd;
}

/** Spawns ffmpeg through fluent-ffmpeg. */
export function runFfmpeg(options: RunFfmpegOptions): FfmpegRun {
  const { args } = options;
  const cmd = command(options.ffmpegPath);
  cmd.input(args.input);
  cmd.inputOptions(...args.inputOptions);
  cmd.output(options.sink, { end: true });
  cmd.outputOptions(...args.outputOptions);

  let proc: ChildProcess | undefined;
  let quitWanted = false;
  let killWanted = false;
  let settled = false;
  let graceTimer: TimerHandle | undefined;
  let resolveExit: (exit: FfmpegExit) => void = () => undefined;
  const exited = new Promise<FfmpegExit>((resolve) => {
    resolveExit = resolve;
  });
  const settle = (exit: FfmpegExit): void => {
    if (settled) return;
    settled = true;
    graceTimer?.cancel();
    resolveExit(exit);
  };

  const writeQuit = (child: ChildProcess): void => {
    if (child.stdin && !child.stdin.destroyed && child.stdin.writable) child.stdin.write('q');
  };

  cmd.on('stderr', (line: string) => options.onStderrLine(line));
  cmd.on('start', () => {
    const child = (cmd as unknown as FluentInternals).ffmpegProc;
    if (child === undefined) return;
    proc = child;
    // Writing `q` after ffmpeg exited gives EPIPE; nothing to do about it.
    child.stdin?.on('error', () => undefined);
    if (child.pid !== undefined) guardAgainstOrphans(child);
    child.once('exit', (code, signal) => {
      // Normally `close` follows at once; don't wait forever for stdio a grandchild holds.
      graceTimer = options.clock.setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        settle({ code, signal, stdioClosed: false });
      }, options.closeGraceMs);
    });
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => settle({ code, signal, stdioClosed: true }));
    // fluent-ffmpeg 2.1.3 throws from its own 'error' listener when the spawn fails (its end
    // callback reads ring buffers it never got: an uncaught TypeError). Spawn errors are
    // emitted on the next tick, so replacing its listener here keeps the process alive.
    child.removeAllListeners('error');
    child.on('error', (err) => {
      if (child.pid === undefined) settle({ code: null, signal: null, startError: err, stdioClosed: true });
    });
    if (killWanted) child.kill('SIGKILL');
    else if (quitWanted) writeQuit(child);
  });
  // fluent-ffmpeg reports the exit too; we only need its errors from before the spawn.
  cmd.on('error', (err: Error) => {
    if (proc === undefined) settle({ code: null, signal: null, startError: err, stdioClosed: true });
  });
  cmd.on('end', () => undefined);
  cmd.run();

  return {
    exited,
    pid: () => proc?.pid,
    requestQuit() {
      quitWanted = true;
      if (proc) writeQuit(proc);
    },
    kill() {
      killWanted = true;
      if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    },
  };
}

/** ffmpeg's encoder and muxer names, through fluent-ffmpeg's parsers of `-encoders`/`-formats`. */
export async function ffmpegCapabilities(ffmpegPath: string): Promise<{ encoders: Set<string>; muxers: Set<string> }> {
  const cmd = command(ffmpegPath);
  const encoders = await new Promise<ffmpeg.Encoders>((resolve, reject) => {
    cmd.availableEncoders((err, list) => (err ? reject(err) : resolve(list)));
  });
  const formats = await new Promise<ffmpeg.Formats>((resolve, reject) => {
    cmd.availableFormats((err, list) => (err ? reject(err) : resolve(list)));
  });
  const muxers = new Set<string>();
  for (const [names, format] of Object.entries(formats)) {
    // fluent-ffmpeg keys formats by ffmpeg's name column, which can list aliases ("a,b").
    if (format.canMux) for (const name of names.split(',')) muxers.add(name);
  }
  return { encoders: new Set(Object.keys(encoders)), muxers };
}

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Never leave ffmpeg behind: if Node exits while children run (the app normally calls
 * stopAll first), they get SIGKILL. Should Node die without running exit hooks, ffmpeg's next
 * write to its closed stdout fails (EPIPE) and it exits on its own.
 */
export function guardAgainstOrphans(child: ChildProcess): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of liveChildren) c.kill('SIGKILL');
    });
  }
}
