/**
 * One camera's supervised recorder (the camera policy; the ffmpeg process itself is the core's
 * `transcoder.files.record`). Loop: sweep staging → start ffmpeg → move each closed segment
 * into the library as ffmpeg reports it → on exit, finalise what is left → back off → again.
 *
 * - Any exit is a disconnect until we asked for it: ffmpeg exits 0 when the camera dies.
 * - Stall: no advance of ffmpeg's progress for `stallSeconds` (a frozen camera keeps the TCP
 *   connection open) → stop it (`q`, SIGKILL after the grace period) and start again.
 * - Backoff doubles from `minBackoff` to `maxBackoff` and resets after a run that recorded.
 *   While the camera's port refuses connections we poll it cheaply (TCP connect, no ffmpeg),
 *   so recording resumes within about a second of the camera coming back.
 * - AAC audio is copied; when mp4 cannot hold the camera's audio, the next run converts it to
 *   AAC or drops it (`nonAacAudio`).
 */
import { open, mkdir, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Clock, FileJobService, Logger, RecordingRun, TimerHandle } from '../../plugin/index.js';
import { errorMessage } from '../../plugin/index.js';
import { Backoff } from './backoff.js';
import type { CameraDeviceSettings } from './config.js';
import { classifyRun, type ExitReason } from './exit-reason.js';
import type { Finalizer } from './finalizer.js';
import { STAGING_PATTERN } from './naming.js';
import { SegmentListParser } from './segment-list.js';

export type RecorderState = 'starting' | 'connecting' | 'recording' | 'waiting' | 'stopped' | 'failed';

/** The camera's recording settings, plus what the recorder needs to run. */
export interface RecorderSpec
  extends Pick<CameraDeviceSettings, 'transport' | 'segmentSeconds' | 'timeoutSeconds' | 'stallSeconds' | 'nonAacAudio' | 'audioBitrateKbps'> {
  readonly camera: string;
  readonly cameraName: string;
  readonly url: string;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly stagingDir: string;
}

export interface RecorderDeps {
  readonly files: FileJobService;
  readonly finalizer: Finalizer;
  readonly clock: Clock;
  readonly log: Logger;
  /** A run ended on its own (for retention's free-space check and health). */
  readonly onRunEnded?: (reason: ExitReason) => void;
}

export interface RecorderStatus {
  readonly state: RecorderState;
  readonly since: number;
  readonly detail: string;
  readonly restarts: number;
  readonly currentFile?: string;
  readonly lastError?: { readonly code: string; readonly message: string; readonly at: number };
}

const WATCH_INTERVAL_MS = 500;
const PORT_POLL_MS = 500;
const PID_FILE = 'recorder.pid';

export class CameraRecorder {
  private state: RecorderState = 'starting';
  private since: number;
  private detail = 'starting';
  private restarts = 0;
  private lastError: RecorderStatus['lastError'];
  private currentFile: string | undefined;
  private audio: 'copy' | 'aac' | 'none' = 'copy';
  private run: RecordingRun | undefined;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly backoff: Backoff;

  constructor(
    readonly spec: RecorderSpec,
    private readonly deps: RecorderDeps,
  ) {
    this.since = deps.clock.now();
    this.backoff = new Backoff(spec.minBackoffMs, spec.maxBackoffMs);
  }

  start(): void {
    this.loop ??= this.supervise().catch((error: unknown) => {
      this.setState('failed', `supervisor crashed: ${errorMessage(error)}`);
      this.deps.log.error('camera supervisor crashed', { code: 'ERR_CAMERA_INTERNAL', error: errorMessage(error) });
    });
  }

  /** Stops the recorder (`q`: ffmpeg closes the open segment), then finalises staging. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.run?.stop();
    await this.loop;
    this.setState('stopped', 'stopped');
  }

  status(): RecorderStatus {
    return {
      state: this.state,
      since: this.since,
      detail: this.detail,
      restarts: this.restarts,
      ...(this.currentFile === undefined ? {} : { currentFile: this.currentFile }),
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  private async supervise(): Promise<void> {
    const { spec, deps } = this;
    const signal = this.abort.signal;
    await mkdir(spec.stagingDir, { recursive: true });
    // A recorder orphaned by a kill -9 of the sidecar is still writing here: end it first.
    await deps.files.reap(join(spec.stagingDir, PID_FILE));
    await deps.finalizer.sweep();
    let runNumber = 0;
    while (!signal.aborted) {
      runNumber += 1;
      const reason = await this.runOnce(runNumber);
      await deps.finalizer.sweep();
      if (signal.aborted || reason === undefined) break;
      this.restarts += 1;
      deps.onRunEnded?.(reason);
      if (reason.code === 'ERR_CAMERA_AUDIO_UNSUPPORTED' && this.audio === 'copy') {
        this.audio = spec.nonAacAudio === 'convert' ? 'aac' : 'none';
        deps.log.info(`camera audio cannot be copied into mp4; ${this.audio === 'aac' ? 'converting it to AAC' : 'dropping it'}`);
        continue;
      }
      this.lastError = { code: reason.code, message: reason.message, at: deps.clock.now() };
      const delay = this.backoff.next();
      deps.log.warn(`camera recorder ended: ${reason.message}`, { code: reason.code, retryInMs: delay });
      this.setState('waiting', `${reason.message}; retrying`);
      await this.wait(delay, reason.unreachable);
    }
  }

  /** One ffmpeg run; resolves with why it ended, or undefined when we stopped it. */
  private async runOnce(runNumber: number): Promise<ExitReason | undefined> {
    const { spec, deps } = this;
    const listFile = join(spec.stagingDir, `run-${runNumber}.csv`);
    await (await open(listFile, 'w')).close();
    this.setState('connecting', this.restarts === 0 ? 'connecting' : `reconnecting (attempt ${this.backoff.attempts() + 1})`);
    const run = deps.files.record({
      url: spec.url,
      transport: spec.transport,
      timeoutSeconds: spec.timeoutSeconds,
      audio: this.audio,
      audioBitrateKbps: spec.audioBitrateKbps,
      segmentSeconds: spec.segmentSeconds,
      directory: spec.stagingDir,
      filePattern: STAGING_PATTERN,
      listFile,
      pidFile: join(spec.stagingDir, PID_FILE),
      title: spec.cameraName,
      label: { adapter: 'camera', device: spec.camera },
    });
    this.run = run;
    const parser = new SegmentListParser();
    let offset = 0;
    let stalled = false;
    let recorded = false;
    let reading = false;
    const readList = async (): Promise<void> => {
      if (reading) return;
      reading = true;
      try {
        // Polled every WATCH_INTERVAL_MS but grows once a segment: opened only when it did.
        const { size } = await stat(listFile);
        if (size > offset) {
          const handle = await open(listFile, 'r');
          try {
            const buf = Buffer.alloc(size - offset);
            await handle.read(buf, 0, buf.length, offset);
            offset = size;
            for (const closed of parser.push(buf.toString('utf8'))) void deps.finalizer.enqueue(closed.name, 'complete');
          } finally {
            await handle.close();
          }
        }
      } catch {
        // The list appears with the first closed segment on some ffmpeg versions; try again later.
      } finally {
        reading = false;
      }
    };
    const watch: TimerHandle = deps.clock.setInterval(() => {
      void readList();
      const p = run.progress();
      const now = deps.clock.now();
      if (p.lastAdvanceAt > 0 && !recorded) {
        recorded = true;
        this.backoff.reset();
        this.setState('recording', 'recording');
      }
      const lastSign = p.lastAdvanceAt > 0 ? p.lastAdvanceAt : run.startedAt;
      // Before the first frame, connecting may take up to the RTSP timeout on its own.
      const allowance = (p.lastAdvanceAt > 0 ? spec.stallSeconds : spec.stallSeconds + spec.timeoutSeconds) * 1000;
      if (!stalled && !this.abort.signal.aborted && now - lastSign > allowance) {
        stalled = true;
        deps.log.warn('camera stalled: no progress; restarting the recorder', { code: 'ERR_CAMERA_STALLED', seconds: Math.round((now - lastSign) / 1000) });
        void run.stop();
      }
      this.currentFile = p.totalSize > 0 ? `${spec.cameraName} (recording, ${Math.round(p.outSeconds)} s)` : undefined;
    }, WATCH_INTERVAL_MS);
    const result = await run.done;
    watch.cancel();
    this.run = undefined;
    this.currentFile = undefined;
    await readList();
    if (run.progress().lastAdvanceAt > 0) recorded = true;
    if (this.abort.signal.aborted && !stalled) return undefined;
    return classifyRun({
      stalled,
      recorded,
      exitCode: result.exitCode,
      signal: result.signal,
      failedToStart: result.exit === 'failed-to-start',
      stderrTail: result.stderrTail,
    });
  }

  /** Sleeps `delayMs`, or less when the camera's port starts answering after it refused. */
  private async wait(delayMs: number, pollPort: boolean): Promise<void> {
    const { clock } = this.deps;
    const signal = this.abort.signal;
    const deadline = clock.now() + delayMs;
    const target = hostPort(this.spec.url);
    if (!pollPort || target === undefined) {
      await clock.sleep(delayMs, signal).catch(() => undefined);
      return;
    }
    // The first probe tells whether the camera is down now; only a down → up change ends the wait.
    let wasDown = !(await canConnect(target.host, target.port, 1000));
    while (!signal.aborted && clock.now() < deadline) {
      await clock.sleep(Math.min(PORT_POLL_MS, Math.max(0, deadline - clock.now())), signal).catch(() => undefined);
      if (signal.aborted) return;
      const up = await canConnect(target.host, target.port, 1000);
      if (up && wasDown) return;
      wasDown = !up;
    }
  }

  private setState(state: RecorderState, detail: string): void {
    if (state !== this.state) this.since = this.deps.clock.now();
    this.state = state;
    this.detail = detail;
  }
}

/** Host and port of an rtsp:// URL (554 / 322 by default). */
export function hostPort(url: string): { readonly host: string; readonly port: number } | undefined {
  try {
    const u = new URL(url);
    const port = u.port === '' ? (u.protocol === 'rtsps:' ? 322 : 554) : Number(u.port);
    return { host: u.hostname.replace(/^\[|\]$/g, ''), port };
  } catch {
    return undefined;
  }
}

function canConnect(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
