/**
 * One ffmpeg run (DESIGN.md §7.2): output to the caller or to a spool, `-progress` parsing,
 * stderr line by line to debug logs with a tail kept for errors, graceful stop (`q` on stdin,
 * SIGKILL after the grace period) and the exit classified as completed / stopped / failed.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { MediaInfo, MediaInput } from '../library/model.js';
import type { Logger } from '../log/logger.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import { SidecarError, errorMessage } from '../util/errors.js';
import { runFfmpeg, type FfmpegExit, type FfmpegRun } from './ffmpeg-process.js';
import { OutputPump } from './output-pump.js';
import { buildFfmpegArgs, redactedFfmpegArgs, type FfmpegArgs } from './profiles.js';
import { LineTail, inputScrubber, stderrLineHandler } from './progress.js';
import type { Spool } from './spool.js';
import type { SpoolReader, TranscodeProfile, TranscodeProgress, TranscodeRequest, TranscodeResult, TranscodeSession, TranscodeExit } from './types.js';

export interface SessionDeps {
  readonly ffmpegPath: string;
  readonly stopGraceMs: number;
  readonly clock: Clock;
  readonly log: Logger;
  /** Probes the input when the audio language needs stream info the request did not carry. */
  readonly probe: (input: MediaInput, signal: AbortSignal) => Promise<MediaInfo>;
}

const STDERR_TAIL_LINES = 30;

/** A running (or finished) transcode. */
export class Session implements TranscodeSession {
  readonly id = randomUUID();
  readonly profile: TranscodeProfile;
  readonly startedAt: string;
  readonly spool?: SpoolReader;
  readonly done: Promise<TranscodeResult>;

  private readonly pump: OutputPump | undefined;
  private spoolOutput: Readable | undefined;
  private readonly onAbort = (): void => void this.stop();
  private readonly spoolFile: Spool | undefined;
  private readonly log: Logger;
  private readonly tail = new LineTail(STDERR_TAIL_LINES);
  private readonly probeAbort = new AbortController();
  private latest: TranscodeProgress = { outSeconds: 0, bytes: 0, speed: 0, fps: 0 };
  private run: FfmpegRun | undefined;
  private stopRequested = false;
  private exited = false;
  private killTimer: TimerHandle | undefined;
  private sinkError: Error | undefined;
  private result: TranscodeResult | undefined;
  private resolveDone: (result: TranscodeResult) => void = () => undefined;

  /**
   * Starts ffmpeg at once (after a probe when the audio language needs one). `args` are built
   * by the caller so a bad profile throws from `open()`.
   */
  constructor(
    private readonly request: TranscodeRequest,
    args: FfmpegArgs,
    private readonly deps: SessionDeps,
    spool?: Spool,
  ) {
    this.profile = request.profile;
    this.startedAt = new Date(deps.clock.now()).toISOString();
    this.log = deps.log.child({ session: this.id, profile: request.profile.id, ...labelFields(request) });
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    if (spool !== undefined) {
      this.spoolFile = spool;
      this.spool = spool.reader;
      this.pump = undefined;
      spool.sink.on('error', (err) => {
        this.sinkError = err;
      });
    } else {
      this.spoolFile = undefined;
      this.pump = new OutputPump(this.onAbort);
      request.signal?.addEventListener('abort', this.onAbort, { once: true });
    }
    const needsProbe = request.profile.audio !== 'none' && request.profile.audio.language !== undefined && request.media === undefined;
    if (needsProbe) void this.probeThenStart();
    else this.start(args);
  }

  /**
   * The output from byte 0. Spooled: a spool reader created on first access (so a caller that
   * only uses `spool.read(offset)` leaves no idle reader pinning the spool); the request's
   * signal ends that reader only, since a spooled transcode outlives its caller (TiVo resume).
   */
  get output(): Readable {
    if (this.pump) return this.pump.output;
    this.spoolOutput ??= (this.spoolFile as Spool).read(0, undefined, this.request.signal);
    return this.spoolOutput;
  }

  progress(): TranscodeProgress {
    return { ...this.latest, bytes: this.bytes() };
  }

  /** What the admin view shows: the caller's label and the expected output duration. */
  requestInfo(): { readonly label: TranscodeRequest['label']; readonly durationSeconds?: number } {
    const { label, durationSeconds, media, startSeconds } = this.request;
    const expected = durationSeconds ?? (media === undefined ? undefined : Math.max(0, media.durationSeconds - (startSeconds ?? 0)));
    return expected === undefined ? { label } : { label, durationSeconds: expected };
  }

  isSpooled(): boolean {
    return this.spoolFile !== undefined;
  }

  stop(): Promise<TranscodeResult> {
    if (this.stopRequested || this.result !== undefined) return this.done;
    this.stopRequested = true;
    this.pump?.discard();
    this.probeAbort.abort();
    if (this.run !== undefined) {
      this.log.debug('stopping ffmpeg', { graceMs: this.deps.stopGraceMs });
      this.run.requestQuit();
      const run = this.run;
      this.killTimer = this.deps.clock.setTimeout(() => {
        if (this.exited) return;
        this.log.warn('ffmpeg ignored q; killing it', { graceMs: this.deps.stopGraceMs });
        run.kill();
      }, this.deps.stopGraceMs);
    }
    return this.done;
  }

  private bytes(): number {
    return this.spoolFile?.size() ?? this.pump?.bytes() ?? 0;
  }

  private async probeThenStart(): Promise<void> {
    let media: MediaInfo | undefined;
    try {
      media = await this.deps.probe(this.request.input, this.probeAbort.signal);
    } catch (err) {
      if (this.stopRequested) {
        this.finish({ code: null, signal: null, stdioClosed: true });
        return;
      }
      // Without stream info the first audio stream is used; the transcode itself may still work.
      this.log.debug('probe for audio selection failed; using the first audio stream', { err: errorMessage(err) });
    }
    if (this.stopRequested) {
      this.finish({ code: null, signal: null, stdioClosed: true });
      return;
    }
    const args = buildFfmpegArgs({ ...specOf(this.request), ...(media === undefined ? {} : { media }) });
    this.start(args);
  }

  private start(args: FfmpegArgs): void {
    const sink = this.spoolFile?.sink ?? this.pump?.sink;
    if (sink === undefined) throw new Error('session without output');
    this.log.debug('ffmpeg starting', { args: redactedFfmpegArgs(args, this.request.input) });
    this.run = runFfmpeg({
      ffmpegPath: this.deps.ffmpegPath,
      args,
      sink,
      clock: this.deps.clock,
      closeGraceMs: this.deps.stopGraceMs,
      onStderrLine: stderrLineHandler({
        tail: this.tail,
        scrub: inputScrubber(this.request.input),
        log: this.log,
        onProgress: (snapshot) => {
          this.latest = { outSeconds: snapshot.outSeconds, bytes: this.bytes(), speed: snapshot.speed, fps: snapshot.fps };
        },
      }),
    });
    void this.run.exited.then((exit) => this.afterExit(exit));
  }

  private async afterExit(exit: FfmpegExit): Promise<void> {
    this.killTimer?.cancel();
    // Every byte ffmpeg wrote must be in the spool / handed to the caller before `done`.
    // A stopped unspooled transcode discards, so its sink never waits on a reader.
    this.exited = true;
    if (exit.startError === undefined && exit.stdioClosed) {
      if (this.spoolFile) await this.spoolFile.sinkDone();
      else if (this.pump) await this.pump.finished();
    }
    this.finish(exit);
  }

  private finish(exit: FfmpegExit): void {
    if (this.result !== undefined) return;
    const classified = this.classify(exit);
    const result: TranscodeResult = {
      exit: classified.exit,
      exitCode: exit.code,
      bytes: this.bytes(),
      stderrTail: this.tail.text(),
      ...(classified.error ? { error: classified.error } : {}),
    };
    this.result = result;
    this.killTimer?.cancel();
    this.request.signal?.removeEventListener('abort', this.onAbort);
    this.latest = { ...this.latest, bytes: result.bytes };
    this.spoolFile?.finish(result.exit);
    this.pump?.close(result.exit === 'completed');
    if (classified.error) {
      this.log.error(classified.error.message, { code: classified.error.code, exitCode: exit.code, signal: exit.signal, stderrTail: result.stderrTail });
    } else {
      this.log.info(`ffmpeg ${result.exit}`, { exitCode: exit.code, signal: exit.signal, bytes: result.bytes });
    }
    this.resolveDone(result);
  }

  private classify(exit: FfmpegExit): { exit: TranscodeExit; error?: SidecarError } {
    if (this.sinkError !== undefined && !this.stopRequested) {
      return {
        exit: 'failed',
        error: new SidecarError('ERR_TRANSCODE_SPOOL', 'internal', `cannot write the transcode spool: ${this.sinkError.message}`, {
          cause: this.sinkError,
        }),
      };
    }
    // Whatever ffmpeg did after we asked it to stop (exit 0 after `q`, SIGKILL) is "stopped".
    if (this.stopRequested) return { exit: 'stopped' };
    if (exit.startError !== undefined) {
      return {
        exit: 'failed',
        error: new SidecarError('ERR_TRANSCODE_START', 'unavailable', `cannot start ffmpeg (${this.deps.ffmpegPath}): ${exit.startError.message}`, {
          cause: exit.startError,
        }),
      };
    }
    if (exit.code === 0) return { exit: 'completed' };
    const how = exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const last = lastMeaningfulLine(this.tail.text());
    return {
      exit: 'failed',
      error: new SidecarError('ERR_TRANSCODE_EXITED', 'internal', `ffmpeg ${how}${last ? `: ${last}` : ''}`, {
        detail: { exitCode: exit.code, signal: exit.signal, stderrTail: this.tail.text() },
      }),
    };
  }
}

/** The part of a request that decides the arguments. */
export function specOf(request: TranscodeRequest): Parameters<typeof buildFfmpegArgs>[0] {
  return {
    input: request.input,
    profile: request.profile,
    ...(request.startSeconds === undefined ? {} : { startSeconds: request.startSeconds }),
    ...(request.keepTimestamps === undefined ? {} : { keepTimestamps: request.keepTimestamps }),
    ...(request.durationSeconds === undefined ? {} : { durationSeconds: request.durationSeconds }),
    ...(request.media === undefined ? {} : { media: request.media }),
  };
}

function labelFields(request: TranscodeRequest): Record<string, string> {
  const label = request.label;
  if (label === undefined) return {};
  return {
    adapter: label.adapter,
    ...(label.device === undefined ? {} : { device: label.device }),
    ...(label.item === undefined ? {} : { item: label.item }),
  };
}

function lastMeaningfulLine(tail: string): string | undefined {
  const lines = tail.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('frame='));
  return lines.at(-1)?.trim();
}
