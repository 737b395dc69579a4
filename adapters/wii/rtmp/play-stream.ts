/**
 * One playing NetStream (a message stream id on a connection): play, seek, pause, close, the
 * status messages around them, and the paced FLV → RTMP pump (DESIGN.md §4 "flv-to-rtmp").
 *
 * Every play/seek/unpause-after-release starts a new *run*: the previous run's producer is
 * stopped and its pump exits (generation check + abort), so nothing queued from an old
 * transcode reaches the client after a seek. Each run's first media message is a keyframe with
 * the target timestamp (absolute timeline), sent with a fresh fmt-0 header.
 */
import type { Clock, Logger, TimerHandle } from '../../../plugin/index.js';
import { errorMessage, isSidecarError } from '../../../plugin/index.js';
import { FLV_TAG_AUDIO, FLV_TAG_SCRIPT, FLV_TAG_VIDEO, FlvTagReader, isKeyframe, type FlvTag } from '../flv/flv-reader.js';
import { clampPosition } from '../profile.js';
import type { RtmpAppSession, OpenedMedia, PlayableSource } from './application.js';
import type { RtmpMessage } from './chunk.js';
import { Csid, UserControlEvent, dataMessage, onStatus, userControl } from './messages.js';
import { Pacer, type PacerSettings } from './pacer.js';

/** Custom status telling our SWF that a transcode is starting (Wiidiaserver did the same). */
export const PENDING_STATUS_CODE = 'Jellyfin.Transcode.Pending';

/** What a stream needs from its connection. */
export interface StreamSink {
  /** Queues messages in one socket write; false when the socket buffer is full. */
  send(messages: readonly (readonly [number, RtmpMessage])[]): boolean;
  /** Forces a fmt-0 header for the next message on `csid`. */
  resetChunkStream(csid: number): void;
  /** Resolves when the socket can take more, or rejects when `signal` fires / the socket closes. */
  waitDrain(signal: AbortSignal): Promise<void>;
}

export interface PlayStreamOptions extends PacerSettings {
  readonly clock: Clock;
  readonly log: Logger;
  readonly pendingStatusAfterMs: number;
  readonly pauseReleaseMs: number;
  /**
   * A run (transcode) starts this long after the play or seek that asked for it; a seek in the
   * meantime replaces the target, so play+seek sent back to back (a player resuming at a
   * position) or a burst of seeks from a dragged seek bar start one transcode, not several.
   * 0 starts at once.
   */
  readonly startDebounceMs?: number;
  /** Counters shared with the adapter's health(). */
  readonly stats: StreamStats;
}

export interface StreamStats {
  mediaBytes: number;
  runs: number;
  activeRuns: number;
  failures: number;
}

type StreamState = 'idle' | 'resolving' | 'playing' | 'ended' | 'closed';

export class PlayStream {
  private state: StreamState = 'idle';
  private source: PlayableSource | undefined;
  private generation = 0;
  private run: { readonly controller: AbortController; readonly media: OpenedMedia | undefined; readonly gen: number } | undefined;
  private readonly pacer: Pacer;
  private pendingTimer: TimerHandle | undefined;
  private releaseTimer: TimerHandle | undefined;
  /** A run waiting out the start debounce. */
  private startTimer: TimerHandle | undefined;
  /** A seek that arrived while the stream name was being resolved (ms). */
  private queuedSeekMs: number | undefined;
  /** The run was stopped during a long pause; unpause restarts it here (ms). */
  private releasedAtMs: number | undefined;
  private lastSentTs = 0;
  private sentKeyframe = false;
  private showFrameWhilePaused = false;
  private resumeWaiters: (() => void)[] = [];
  /** Absolute stop timestamp from play(…, duration) (rtmpdump -B), ms. */
  private stopAtMs: number | undefined;
  private runBytes = 0;

  constructor(
    readonly streamId: number,
    private readonly sink: StreamSink,
    private readonly options: PlayStreamOptions,
  ) {
    this.pacer = new Pacer(options);
  }

  /** Client buffer from SetBufferLength, ms. */
  setBufferLength(ms: number): void {
    this.pacer.bufferMs = ms;
  }

  get isActive(): boolean {
    return this.state === 'resolving' || this.state === 'playing';
  }

  get paused(): boolean {
    return this.pacer.paused;
  }

  /** play(name, start ms, duration ms): start <= 0 means from the beginning (VOD). */
  async play(app: RtmpAppSession, name: string, startMs: number, durationMs: number | undefined): Promise<void> {
    this.stopRun();
    this.state = 'resolving';
    this.queuedSeekMs = undefined;
    const gen = ++this.generation;
    const controller = new AbortController();
    this.run = { controller, media: undefined, gen };
    const resolution = await app.resolveStream(name, controller.signal);
    if (gen !== this.generation || (this.state as StreamState) === 'closed') return;
    if (!resolution.ok) {
      this.state = 'idle';
      this.run = undefined;
      this.queuedSeekMs = undefined;
      this.send([[Csid.stream, onStatus(this.streamId, 'error', resolution.code, resolution.description, { details: name })]]);
      return;
    }
    const source = resolution.source;
    this.source = source;
    const start = clampPosition(startMs / 1000, source.durationSeconds);
    this.stopAtMs = durationMs !== undefined && durationMs > 0 ? Math.round(start * 1000 + durationMs) : undefined;
    this.state = 'playing';
    this.send([
      [Csid.control, userControl(UserControlEvent.streamBegin, this.streamId)],
      [Csid.stream, onStatus(this.streamId, 'status', 'NetStream.Play.Reset', `Playing and resetting ${name}.`, { details: name })],
      [Csid.stream, onStatus(this.streamId, 'status', 'NetStream.Play.Start', `Started playing ${name}.`, { details: name })],
      [Csid.control, userControl(UserControlEvent.streamIsRecorded, this.streamId)],
      [Csid.stream, dataMessage(this.streamId, '|RtmpSampleAccess', true, true)],
      [Csid.stream, dataMessage(this.streamId, 'onMetaData', source.metadata)],
    ]);
    this.scheduleRun(start * 1000);
    const queued = this.queuedSeekMs;
    this.queuedSeekMs = undefined;
    if (queued !== undefined) this.seek(queued);
  }

  /** seek(ms): Red5's order; the run restarts at the (clamped) target. */
  seek(ms: number): void {
    if (this.state === 'resolving') {
      // play(…) then seek(…) back to back: answer the seek once the name is resolved.
      this.queuedSeekMs = ms;
      return;
    }
    const source = this.source;
    if (!source || this.state === 'closed') {
      this.send([[Csid.stream, onStatus(this.streamId, 'error', 'NetStream.Seek.Failed', 'Nothing is playing.')]]);
      return;
    }
    const target = clampPosition(ms / 1000, source.durationSeconds) * 1000;
    this.stopRun();
    this.state = 'playing';
    this.releasedAtMs = undefined;
    this.send([
      [Csid.control, userControl(UserControlEvent.streamEof, this.streamId)],
      [Csid.control, userControl(UserControlEvent.streamIsRecorded, this.streamId)],
      [Csid.control, userControl(UserControlEvent.streamBegin, this.streamId)],
      [Csid.stream, onStatus(this.streamId, 'status', 'NetStream.Seek.Notify', `Seeking ${Math.round(target)} (stream ID: ${this.streamId}).`, { details: this.streamId })],
      [Csid.stream, onStatus(this.streamId, 'status', 'NetStream.Play.Start', 'Started playing.')],
    ]);
    // While paused, Red5 sends one keyframe so the player shows the new position (nginx-rtmp #600).
    this.showFrameWhilePaused = this.pacer.paused;
    if (this.stopAtMs !== undefined) this.stopAtMs = undefined;
    this.scheduleRun(target);
  }

  /** pause(true|false, ms). Unpause continues from the paused position, never from 0. */
  pause(pause: boolean, positionMs: number | undefined): void {
    const now = this.options.clock.now();
    if (pause) {
      this.pacer.pause(now);
      this.send([[Csid.stream, onStatus(this.streamId, 'status', 'NetStream.Pause.Notify', `Pausing ${this.source?.label ?? ''}.`.trim())]]);
      this.releaseTimer?.cancel();
      if (this.state === 'playing') {
        this.releaseTimer = this.options.clock.setTimeout(() => this.releaseWhilePaused(), this.options.pauseReleaseMs);
      }
      return;
    }
    if (!this.pacer.paused) {
      this.send([[Csid.stream, onStatus(this.streamId, 'status', 'NetStream.Unpause.Notify', 'Unpausing.')]]);
      return;
    }
    this.releaseTimer?.cancel();
    this.releaseTimer = undefined;
    const resumeAt = positionMs !== undefined && positionMs > 0 && positionMs <= this.lastSentTs ? positionMs : undefined;
    this.pacer.resume(now, resumeAt);
    this.send([[Csid.stream, onStatus(this.streamId, 'status', 'NetStream.Unpause.Notify', `Unpausing ${this.source?.label ?? ''}.`.trim())]]);
    if (this.releasedAtMs !== undefined && this.state === 'playing') {
      const from = this.releasedAtMs;
      this.releasedAtMs = undefined;
      this.startRun(from, this.pacer.position(now));
      return;
    }
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const w of waiters) w();
  }

  /** closeStream / deleteStream / disconnect. */
  close(): void {
    this.stopRun();
    this.state = 'closed';
    this.releaseTimer?.cancel();
    this.releaseTimer = undefined;
    this.source = undefined;
  }

  private releaseWhilePaused(): void {
    if (!this.pacer.paused || this.state !== 'playing' || !this.run) return;
    this.options.log.debug('releasing transcode during a long pause', { stream: this.streamId, at: this.lastSentTs });
    this.releasedAtMs = this.lastSentTs + 1;
    this.stopRun();
  }

  private send(messages: readonly (readonly [number, RtmpMessage])[]): boolean {
    if (this.state === 'closed') return false;
    return this.sink.send(messages);
  }

  private stopRun(): void {
    this.generation++;
    this.pendingTimer?.cancel();
    this.pendingTimer = undefined;
    this.startTimer?.cancel();
    this.startTimer = undefined;
    const run = this.run;
    this.run = undefined;
    if (run) {
      run.controller.abort();
      if (run.media) void run.media.stop();
    }
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const w of waiters) w();
  }

  /** Starts a run after the start debounce (a later play/seek/close cancels it through stopRun). */
  private scheduleRun(fromMs: number): void {
    this.startTimer?.cancel();
    this.startTimer = undefined;
    const delay = this.options.startDebounceMs ?? 0;
    if (delay <= 0) {
      this.startRun(fromMs);
      return;
    }
    this.startTimer = this.options.clock.setTimeout(() => {
      this.startTimer = undefined;
      if (this.state === 'playing') this.startRun(fromMs);
    }, delay);
  }

  /**
   * Starts producing from `fromMs` (absolute). `playheadMs` is where the client's playhead is
   * when that differs (resuming after a release: the client still holds buffered media).
   */
  private startRun(fromMs: number, playheadMs?: number): void {
    const source = this.source;
    if (!source) return;
    const gen = ++this.generation;
    const controller = new AbortController();
    this.pacer.restart(playheadMs ?? fromMs);
    this.sink.resetChunkStream(Csid.audio);
    this.sink.resetChunkStream(Csid.video);
    this.sentKeyframe = false;
    this.runBytes = 0;
    this.options.stats.runs++;
    let media: OpenedMedia;
    try {
      media = source.open(fromMs / 1000, controller.signal);
    } catch (cause) {
      this.options.stats.failures++;
      this.options.log.warn('cannot start stream', { stream: this.streamId, item: source.label, code: isSidecarError(cause) ? cause.code : 'ERR_INTERNAL', reason: errorMessage(cause) });
      this.state = 'ended';
      this.send([
        [Csid.stream, onStatus(this.streamId, 'error', 'NetStream.Play.Failed', 'The stream could not be started.')],
        [Csid.stream, onStatus(this.streamId, 'status', 'NetStream.Play.Stop', 'Stopped.')],
      ]);
      return;
    }
    this.run = { controller, media, gen };
    this.options.stats.activeRuns++;
    if (source.hasVideo && this.options.pendingStatusAfterMs >= 0) {
      this.pendingTimer = this.options.clock.setTimeout(() => {
        if (gen === this.generation && !this.sentKeyframe) {
          this.send([[Csid.stream, onStatus(this.streamId, 'status', PENDING_STATUS_CODE, 'Preparing the stream.', { position: fromMs / 1000 })]]);
        }
      }, this.options.pendingStatusAfterMs);
    }
    void this.pump(media, source, gen, controller.signal).finally(() => {
      this.options.stats.activeRuns--;
    });
  }

  private async pump(media: OpenedMedia, source: PlayableSource, gen: number, signal: AbortSignal): Promise<void> {
    const reader = new FlvTagReader();
    let started = !source.hasVideo;
    let reachedStop = false;
    try {
      outer: for await (const chunk of media.output) {
        if (signal.aborted || gen !== this.generation) return;
        for (const tag of reader.push(chunk as Buffer)) {
          if (tag.type === FLV_TAG_SCRIPT) continue; // ffmpeg's own onMetaData (duration 0)
          if (tag.type !== FLV_TAG_AUDIO && tag.type !== FLV_TAG_VIDEO) continue;
          if (!started) {
            if (!isKeyframe(tag)) continue; // the first media message is a keyframe
            started = true;
          }
          if (this.stopAtMs !== undefined && tag.timestamp >= this.stopAtMs) {
            reachedStop = true;
            break outer;
          }
          await this.paceTag(tag, signal);
          if (signal.aborted || gen !== this.generation) return;
          this.sendTag(tag);
          if (!this.sinkWritable) await this.sink.waitDrain(signal);
        }
      }
    } catch (cause) {
      if (signal.aborted || gen !== this.generation) return;
      this.options.log.warn('media pump failed', { stream: this.streamId, item: source.label, reason: errorMessage(cause) });
      this.finish(gen, false, errorMessage(cause));
      void media.stop();
      return;
    }
    if (signal.aborted || gen !== this.generation) return;
    if (reachedStop) {
      void media.stop();
      this.finish(gen, true);
      return;
    }
    const result = await media.done;
    if (gen !== this.generation) return;
    if (result.exit === 'failed') {
      this.options.stats.failures++;
      this.options.log.warn('transcode failed mid-stream', { stream: this.streamId, item: source.label, code: 'ERR_WII_SOURCE_FAILED', reason: result.reason ?? 'unknown' });
      this.finish(gen, false, result.reason);
      return;
    }
    this.finish(gen, true);
  }

  private sinkWritable = true;

  private sendTag(tag: FlvTag): void {
    const csid = tag.type === FLV_TAG_AUDIO ? Csid.audio : Csid.video;
    if (isKeyframe(tag)) {
      this.sentKeyframe = true;
      this.pendingTimer?.cancel();
      this.pendingTimer = undefined;
    }
    this.lastSentTs = tag.timestamp;
    this.runBytes += tag.data.length;
    this.options.stats.mediaBytes += tag.data.length;
    this.sinkWritable = this.send([[csid, { type: tag.type, streamId: this.streamId, timestamp: tag.timestamp, payload: tag.data }]]);
  }

  /** Waits until the pacer lets `tag` go (or the run is aborted). */
  private async paceTag(tag: FlvTag, signal: AbortSignal): Promise<void> {
    const clock = this.options.clock;
    for (;;) {
      if (signal.aborted) return;
      if (this.pacer.paused) {
        if (this.showFrameWhilePaused && isKeyframe(tag)) {
          this.showFrameWhilePaused = false;
          return;
        }
        if (this.showFrameWhilePaused && tag.type === FLV_TAG_AUDIO && !this.sentKeyframe) return;
        await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
        continue;
      }
      const delay = this.pacer.delayFor(tag.timestamp, clock.now());
      if (delay <= 0) return;
      try {
        // Wake at least once a second so pause/seek changes are seen promptly.
        await clock.sleep(Math.min(delay, 1000), signal);
      } catch {
        return;
      }
    }
  }

  /** End of a run: StreamEOF, onPlayStatus Complete (when complete), onStatus Play.Stop. */
  private finish(gen: number, complete: boolean, reason?: string): void {
    if (gen !== this.generation) return;
    this.pendingTimer?.cancel();
    this.pendingTimer = undefined;
    this.run = undefined;
    this.state = 'ended';
    const messages: [number, RtmpMessage][] = [[Csid.control, userControl(UserControlEvent.streamEof, this.streamId)]];
    if (complete) {
      messages.push([
        Csid.stream,
        dataMessage(this.streamId, 'onPlayStatus', { code: 'NetStream.Play.Complete', level: 'status', duration: (this.source?.durationSeconds ?? 0), bytes: this.runBytes }),
      ]);
    } else if (reason !== undefined) {
      messages.push([Csid.stream, onStatus(this.streamId, 'error', 'NetStream.Play.Failed', 'The stream stopped because its source failed.')]);
    }
    messages.push([Csid.stream, onStatus(this.streamId, 'status', 'NetStream.Play.Stop', 'Stopped playing.')]);
    this.send(messages);
  }
}
