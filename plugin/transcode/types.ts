/**
 * The transcode service contract (plugin/transcode/ is the only place that drives ffmpeg).
 * Adapters describe the output they want as a TranscodeProfile (data, no ffmpeg args); the pure
 * `profiles.ts` turns it into arguments, so args are golden-tested.
 */
import type { Readable } from 'node:stream';
import type { MediaInfo, MediaInput } from '../library/model.js';
import type { SidecarError } from '../util/errors.js';

export interface VideoOutput {
  /** ffmpeg encoder name (`mpeg2video`, `flv`, `libx264`) or `copy`. */
  readonly codec: string;
  readonly bitrateKbps?: number;
  readonly maxBitrateKbps?: number;
  readonly bufferKbits?: number;
  /** Output frame size; the source is scaled (and padded when `pad` is set) to fit. */
  readonly width?: number;
  readonly height?: number;
  /** Letterbox/pillarbox to exactly width×height instead of keeping the scaled size. */
  readonly pad?: boolean;
  readonly fps?: number;
  /** Keyframe interval in frames. */
  readonly gop?: number;
  readonly pixelFormat?: string;
  /** Output display aspect ratio, e.g. "4:3" or "16:9". */
  readonly aspect?: string;
  /** H.264 bitstream filter etc. when copying (e.g. h264_mp4toannexb for TS). */
  readonly bitstreamFilter?: string;
}

export interface AudioOutput {
  /** ffmpeg encoder name (`mp2`, `ac3`, `libmp3lame`, `aac`) or `copy`. */
  readonly codec: string;
  readonly bitrateKbps?: number;
  readonly sampleRate?: number;
  readonly channels?: number;
  /** Preferred audio language (ISO 639-2), picks the stream; falls back to the default stream. */
  readonly language?: string;
}

export interface TranscodeProfile {
  /** Profile name, e.g. `tivo-mpeg2-ps`, `wii-flv`; shown in the admin UI and logs. */
  readonly id: string;
  /** ffmpeg muxer (`vob`, `mpegts`, `flv`, `mp4`). */
  readonly format: string;
  /** `none` drops video. */
  readonly video: VideoOutput | 'none';
  readonly audio: AudioOutput | 'none';
  /** Extra output options appended before the output, for muxer-specific flags. */
  readonly extraOutputArgs?: readonly string[];
  /** Read input at native frame rate (live-style pacing). */
  readonly realtime?: boolean;
}

export interface TranscodeRequest {
  readonly input: MediaInput;
  readonly profile: TranscodeProfile;
  /** Input-side seek in seconds; output timestamps are offset so they stay absolute when `keepTimestamps`. */
  readonly startSeconds?: number;
  readonly keepTimestamps?: boolean;
  readonly durationSeconds?: number;
  /** Fires when the caller no longer wants the output (client went away, shutdown). */
  readonly signal?: AbortSignal;
  /**
   * Spool the output to disk under this key so any byte range already produced can be re-read
   * while the transcode continues and after the caller went away (TiVo resume). Opening a
   * request with a key that has a live or complete spool reuses it instead of starting ffmpeg.
   */
  readonly spoolKey?: string;
  /**
   * Probed streams of the input, when the caller has them (MediaItem.media): used to pick the
   * audio stream by `language` without probing again. Without it a language choice costs a probe.
   */
  readonly media?: MediaInfo;
  /** Shown in the admin UI and logs. */
  readonly label?: { readonly adapter: string; readonly device?: string; readonly item?: string; readonly title?: string };
}

export interface TranscodeProgress {
  /** Output media time reached, seconds (relative to the start offset). */
  readonly outSeconds: number;
  readonly bytes: number;
  /** Encoding speed as a multiple of realtime (ffmpeg's `speed=`). */
  readonly speed: number;
  readonly fps: number;
}

export type TranscodeExit = 'completed' | 'stopped' | 'failed';

export interface TranscodeResult {
  readonly exit: TranscodeExit;
  readonly exitCode: number | null;
  readonly bytes: number;
  /** Last stderr lines of ffmpeg (for errors). */
  readonly stderrTail: string;
  /**
   * Why it failed (`exit === 'failed'`): ERR_TRANSCODE_EXITED (stderr tail in `detail`),
   * ERR_TRANSCODE_START or ERR_TRANSCODE_SPOOL. Already logged by the service; map its `kind`,
   * don't log it again.
   */
  readonly error?: SidecarError;
}

/** Reads bytes of a spooled transcode by offset, waiting for bytes not produced yet. */
export interface SpoolReader {
  readonly key: string;
  /** Bytes produced so far. */
  bytesWritten(): number;
  /** The final length once the transcode has completed, else undefined. */
  finalLength(): number | undefined;
  /** True when ffmpeg ended (completed, stopped or failed) and no more bytes will come. */
  isFinished(): boolean;
  /**
   * Streams bytes from `start` to `end` inclusive (or to the end of the output), waiting for
   * bytes not yet produced; ends early when the transcode ends before `end`.
   */
  read(start: number, end?: number, signal?: AbortSignal): Readable;
}

export interface TranscodeSession {
  readonly id: string;
  readonly profile: TranscodeProfile;
  readonly startedAt: string;
  /**
   * The output from byte 0. Without a spool this is ffmpeg's stdout (read it or it stalls);
   * with a spool it is a spool reader from 0.
   */
  readonly output: Readable;
  readonly spool?: SpoolReader;
  progress(): TranscodeProgress;
  /** Resolves when ffmpeg exits; never rejects. */
  readonly done: Promise<TranscodeResult>;
  /** Graceful stop: `q` on stdin, then SIGKILL after a grace period. */
  stop(): Promise<TranscodeResult>;
}

export interface ActiveTranscode {
  readonly id: string;
  readonly profile: string;
  readonly label: TranscodeRequest['label'];
  readonly startedAt: string;
  readonly progress: TranscodeProgress;
  readonly durationSeconds?: number;
  readonly spooled: boolean;
}

export interface TranscodeService {
  /** Starts (or, with a live spool key, joins) a transcode. Throws ERR_TRANSCODE_BUSY at the limit. */
  open(request: TranscodeRequest): TranscodeSession;
  /** A spool that is still on disk (live or complete), for resuming a transfer. */
  findSpool(key: string): SpoolReader | undefined;
  /** Probes a media input with ffprobe. */
  probe(input: MediaInput, signal?: AbortSignal): Promise<MediaInfo>;
  /** Sessions running now (admin UI). */
  active(): readonly ActiveTranscode[];
  /** Stops one session by id (admin UI stop button); false if unknown. */
  stopSession(id: string): Promise<boolean>;
  /** Stops everything (shutdown). */
  stopAll(): Promise<void>;
  /** ffmpeg encoders/muxers available, for descriptor `requires` checks at boot. */
  capabilities(): Promise<{ readonly encoders: ReadonlySet<string>; readonly muxers: ReadonlySet<string> }>;
  /** Segment recorders and file remuxes (camera adapter); absent in stand-ins without them. */
  readonly files?: FileJobService;
}

/**
 * A long-running recorder: an RTSP (or other URL) input copied into segment files on disk
 * (`plugin/transcode/recorder-args.ts` builds the arguments; the caller owns the policy:
 * folders, naming, restarts). Optional service member `record`.
 */
export interface RecordRequest {
  /** The camera URL, credentials included; never logged (ffmpeg's lines are scrubbed). */
  readonly url: string;
  /** RTSP lower transport (`tcp` default). */
  readonly transport?: 'tcp' | 'udp';
  /** RTSP socket I/O timeout in seconds: ffmpeg exits when the camera sends nothing this long. */
  readonly timeoutSeconds: number;
  /** `copy` keeps AAC as is; `aac` converts any audio to AAC; `none` drops audio. */
  readonly audio: 'copy' | 'aac' | 'none';
  readonly audioBitrateKbps?: number;
  /** Target segment length; cuts happen at the first key frame after each wall-clock boundary. */
  readonly segmentSeconds: number;
  /** Existing folder the segments are written to. */
  readonly directory: string;
  /** strftime pattern of segment file names inside `directory` (local time at segment open). */
  readonly filePattern: string;
  /** CSV file ffmpeg appends `name,start,end` to whenever a segment is closed. */
  readonly listFile: string;
  /** Written into every segment's `title`. */
  readonly title?: string;
  /**
   * File holding the recorder's pid while it runs (removed at exit). ffmpeg ignores SIGPIPE,
   * so a recorder orphaned by a kill -9 of the sidecar keeps recording; `reap` ends it at the
   * next start.
   */
  readonly pidFile?: string;
  /** Shown in logs. */
  readonly label?: { readonly adapter: string; readonly device?: string };
}

/** Figures of a running recorder (from ffmpeg's `-progress` blocks). */
export interface RecordingProgress {
  /** Progress blocks seen so far. */
  readonly blocks: number;
  /** Media time written, seconds. */
  readonly outSeconds: number;
  readonly totalSize: number;
  readonly frame: number;
  /** Clock time (ms) when `outSeconds` or `frame` last advanced; 0 before the first advance. */
  readonly lastAdvanceAt: number;
}

/** How an ffmpeg run that writes files ended. */
export interface FileJobResult {
  /** `stopped`: we asked it to stop; `exited`: it ended on its own (any exit code). */
  readonly exit: 'stopped' | 'exited' | 'failed-to-start';
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Last stderr lines, credentials scrubbed. */
  readonly stderrTail: string;
}

export interface RecordingRun {
  readonly id: string;
  readonly startedAt: number;
  pid(): number | undefined;
  progress(): RecordingProgress;
  /** Resolves when ffmpeg exits; never rejects. */
  readonly done: Promise<FileJobResult>;
  /** Graceful stop: `q` on stdin (the open segment is finalised), SIGKILL after the grace period. */
  stop(): Promise<FileJobResult>;
}

/** A copy remux of one or more files into one fast-start mp4 (finalising segments, clips). */
export interface RemuxRequest {
  /** Input files, played back to back (concat demuxer when more than one). */
  readonly inputs: readonly string[];
  readonly output: string;
  /** Offset into the concatenated input where the output starts (snaps to the key frame before). */
  readonly startSeconds?: number;
  readonly durationSeconds?: number;
  readonly title?: string;
  /** ISO 8601 time written as `creation_time`. */
  readonly creationTime?: string;
  readonly signal?: AbortSignal;
}

export interface RemuxResult {
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly stderrTail: string;
}

/** Optional members of the TranscodeService for ffmpeg runs that write files. */
export interface FileJobService {
  /** Starts a segment recorder (not counted against the transcode slots). */
  record(request: RecordRequest): RecordingRun;
  /** Copy-remuxes inputs into one fast-start mp4; resolves when done, never rejects. */
  remux(request: RemuxRequest): Promise<RemuxResult>;
  /**
   * Kills a recorder left running by an earlier sidecar (its `pidFile` exists and the pid is an
   * ffmpeg whose command line names the pid file's folder) and waits until it is gone.
   * Resolves true when one was killed.
   */
  reap(pidFile: string): Promise<boolean>;
  /**
   * Starts a live copy of a camera stream as fragmented mp4 on the run's `output` (the admin
   * live view). Not counted against the transcode slots (copy only); stop it like a recorder.
   * Absent in stand-ins without it.
   */
  live?(request: LiveRequest): LiveRun;
}

/** A live view of a URL: video copied (no audio) into fragmented mp4 on stdout. */
export interface LiveRequest {
  /** The camera URL, credentials included; never logged (ffmpeg's lines are scrubbed). */
  readonly url: string;
  /** RTSP lower transport (`tcp` default). */
  readonly transport?: 'tcp' | 'udp';
  /** RTSP socket I/O timeout in seconds: ffmpeg exits when the camera sends nothing this long. */
  readonly timeoutSeconds: number;
  /** Shown in logs. */
  readonly label?: { readonly adapter: string; readonly device?: string };
}

/** A running live copy: a recorder run whose bytes come out of `output`. */
export interface LiveRun extends RecordingRun {
  /** ffmpeg's stdout: `ftyp`, `moov`, then one `moof`+`mdat` fragment per key frame. */
  readonly output: Readable;
}
