/**
 * One camera's live view, shared by every admin watching it: the core's `files.live` runs
 * `ffmpeg -c copy` from the camera into fragmented mp4 only while someone watches. The first
 * viewer starts it; each viewer gets the init segment, then whole fragments (each starts at a
 * key frame, so a late joiner decodes at once); the last viewer leaving starts a short linger
 * (a reload does not reconnect to the camera), after which ffmpeg is stopped. Zero processes
 * and zero sockets while nobody watches. A viewer that falls too far behind is dropped rather
 * than buffered without bound.
 */
import type { Clock, FileJobService, LiveRun, Logger, TimerHandle } from '../../plugin/index.js';
import { SidecarError, errorMessage } from '../../plugin/index.js';
import { Fmp4Stream } from './fmp4-stream.js';

/** Receives one camera's stream. */
export interface LiveViewer {
  /** The init segment (`ftyp`+`moov`) and its RFC 6381 codecs value when known; comes first, once. */
  init(bytes: Buffer, codecs: string | undefined): void;
  /** A whole fragment; false = the viewer is too far behind and must be dropped. */
  fragment(bytes: Buffer): boolean;
  /** The feed ended for this viewer (camera gone, viewer too slow, adapter stopping). */
  end(error: SidecarError): void;
}

export interface LiveFeedSpec {
  readonly camera: string;
  readonly url: string;
  readonly transport: 'tcp' | 'udp';
  readonly timeoutSeconds: number;
}

export interface LiveFeedDeps {
  readonly files: () => FileJobService;
  readonly clock: Clock;
  readonly log: Logger;
  /** How long ffmpeg keeps running after the last viewer left. */
  readonly lingerMs: number;
  /** ffmpeg has stopped and no viewer is left: the owner may forget this feed. */
  readonly onIdle?: () => void;
}

export class LiveFeed {
  private readonly viewers = new Set<LiveViewer>();
  private run: LiveRun | undefined;
  private initSegment: { readonly bytes: Buffer; readonly codecs: string | undefined } | undefined;
  private linger: TimerHandle | undefined;
  private closed = false;

  constructor(
    readonly spec: LiveFeedSpec,
    private readonly deps: LiveFeedDeps,
  ) {}

  /** Adds a viewer (starting ffmpeg when it is the first); returns how it leaves. */
  join(viewer: LiveViewer): () => void {
    if (this.closed) {
      viewer.end(new SidecarError('ERR_CAMERA_LIVE_UNAVAILABLE', 'unavailable', 'the live view is shutting down'));
      return () => undefined;
    }
    this.linger?.cancel();
    this.linger = undefined;
    this.viewers.add(viewer);
    if (this.run === undefined) this.start();
    else if (this.initSegment) viewer.init(this.initSegment.bytes, this.initSegment.codecs);
    return () => this.leave(viewer);
  }

  viewerCount(): number {
    return this.viewers.size;
  }

  /** Whether ffmpeg runs for this feed now. */
  running(): boolean {
    return this.run !== undefined;
  }

  /** Ends every viewer and stops ffmpeg (adapter stop, camera reconfigured). */
  async close(): Promise<void> {
    this.closed = true;
    this.linger?.cancel();
    this.endAll(new SidecarError('ERR_CAMERA_LIVE_UNAVAILABLE', 'unavailable', 'the live view was closed'));
    await this.run?.stop();
  }

  private leave(viewer: LiveViewer): void {
    if (this.viewers.delete(viewer) && this.viewers.size === 0) this.stopSoon();
  }

  /** No viewer left: stop ffmpeg after the linger unless someone joins before. */
  private stopSoon(): void {
    if (this.run === undefined) return;
    this.linger?.cancel();
    this.linger = this.deps.clock.setTimeout(() => {
      this.linger = undefined;
      if (this.viewers.size === 0) void this.run?.stop();
    }, this.deps.lingerMs);
  }

  private start(): void {
    const { spec, deps } = this;
    const files = deps.files();
    if (files.live === undefined) {
      this.endAll(new SidecarError('ERR_CAMERA_NO_RECORDER', 'failed-precondition', 'the transcode service offers no live view'));
      return;
    }
    const run = files.live({ url: spec.url, transport: spec.transport, timeoutSeconds: spec.timeoutSeconds, label: { adapter: 'camera', device: spec.camera } });
    this.run = run;
    deps.log.info('live view started', { device: spec.camera, viewers: this.viewers.size });
    const parser = new Fmp4Stream();
    run.output.on('data', (chunk: Buffer) => {
      if (this.run !== run) return;
      try {
        for (const event of parser.push(chunk)) {
          if (event.kind === 'init') {
            this.initSegment = { bytes: event.bytes, codecs: event.codecs };
            for (const v of this.viewers) v.init(event.bytes, event.codecs);
          } else {
            for (const v of [...this.viewers]) {
              if (v.fragment(event.bytes)) continue;
              this.viewers.delete(v);
              v.end(new SidecarError('ERR_CAMERA_LIVE_SLOW', 'unavailable', 'the viewer fell too far behind the camera'));
              if (this.viewers.size === 0) this.stopSoon();
            }
          }
        }
      } catch (error) {
        deps.log.warn('live view stream is not fragmented mp4; stopping it', { code: 'ERR_CAMERA_LIVE_UNAVAILABLE', error: errorMessage(error) });
        void run.stop();
      }
    });
    void run.done.then((result) => {
      if (this.run === run) {
        this.run = undefined;
        this.initSegment = undefined;
      }
      this.linger?.cancel();
      this.linger = undefined;
      const asked = result.exit === 'stopped';
      if (!asked) deps.log.warn('live view ended: the camera stream stopped', { code: 'ERR_CAMERA_LIVE_UNAVAILABLE', device: spec.camera, exitCode: result.exitCode, stderrTail: result.stderrTail });
      else deps.log.info('live view stopped', { device: spec.camera });
      this.endAll(new SidecarError('ERR_CAMERA_LIVE_UNAVAILABLE', 'unavailable', asked ? 'the live view was stopped' : 'the camera stream ended or could not be opened'));
      deps.onIdle?.();
    });
  }

  private endAll(error: SidecarError): void {
    const viewers = [...this.viewers];
    this.viewers.clear();
    for (const v of viewers) v.end(error);
  }
}
