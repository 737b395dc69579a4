/**
 * ffprobe wrapper: runs `ffprobe -print_format json -show_format -show_streams` on a media input
 * and maps its JSON to the library model's MediaInfo. `parseFfprobeJson` is the pure half (golden
 * tests in tests/unit/plugin/transcode/probe.test.ts); `probeMedia` only spawns and classifies.
 */
import { execFile } from 'node:child_process';
import type { MediaInfo, MediaInput, MediaStreamInfo, StreamType } from '../library/model.js';
import { SidecarError } from '../util/errors.js';
import { inputScrubber } from './progress.js';

/** Default time limit for one ffprobe run; a stuck network input must not hold a scan forever. */
export const PROBE_TIMEOUT_MS = 30_000;

export interface ProbeOptions {
  /** Kill ffprobe after this many ms (default PROBE_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

/**
 * Probes `input` with the ffprobe binary at `ffprobePath`.
 *
 * Throws SidecarError `ERR_PROBE_FAILED` (invalid-argument, ffprobe stderr in `detail.stderr`)
 * for unreadable, corrupt or stream-less inputs, `ERR_PROBE_TIMEOUT` (unavailable) when ffprobe
 * exceeds the time limit, `ERR_PROBE_ABORTED` (aborted) when `signal` fires and
 * `ERR_PROBE_UNAVAILABLE` (failed-precondition) when the binary cannot be started.
 * URLs (which carry credentials) never appear in messages or details.
 */
export async function probeMedia(ffprobePath: string, input: MediaInput, signal?: AbortSignal, options: ProbeOptions = {}): Promise<MediaInfo> {
  const target = input.kind === 'file' ? `file:${input.path}` : input.url;
  const label = input.kind === 'file' ? input.path : '<url>';
  const scrub = inputScrubber(input);
  if (signal?.aborted) throw new SidecarError('ERR_PROBE_ABORTED', 'aborted', `probe of ${label} aborted`, { cause: signal.reason });
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-i', target];
  const { stdout, stderr, error } = await new Promise<{ stdout: string; stderr: string; error: (Error & { code?: unknown; killed?: boolean }) | null }>((resolve) => {
    execFile(
      ffprobePath,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 32 * 1024 * 1024, windowsHide: true, ...(signal ? { signal } : {}) },
      (err, out, errOut) => resolve({ stdout: out, stderr: errOut, error: err }),
    );
  });
  const stderrTail = scrub(stderr.trim().split('\n').slice(-20).join('\n'));
  if (error) {
    if (signal?.aborted) throw new SidecarError('ERR_PROBE_ABORTED', 'aborted', `probe of ${label} aborted`, { cause: signal.reason });
    if (error.code === 'ENOENT' || error.code === 'EACCES') {
      throw new SidecarError('ERR_PROBE_UNAVAILABLE', 'failed-precondition', `cannot run ffprobe at ${ffprobePath}`, { cause: error });
    }
    if (error.killed) {
      throw new SidecarError('ERR_PROBE_TIMEOUT', 'unavailable', `ffprobe did not finish within ${timeoutMs} ms for ${label}`, { detail: { stderr: stderrTail } });
    }
    const lastLine = stderrTail.split('\n').filter((l) => l.trim() !== '').pop() ?? 'ffprobe failed';
    const reason = lastLine.startsWith(`${target}: `) ? lastLine.slice(target.length + 2) : lastLine;
    throw new SidecarError('ERR_PROBE_FAILED', 'invalid-argument', `cannot probe ${label}: ${reason}`, { detail: { stderr: stderrTail, exitCode: error.code } });
  }
  try {
    return parseFfprobeJson(stdout);
  } catch (cause) {
    if (cause instanceof SidecarError) throw new SidecarError(cause.code, cause.kind, `cannot probe ${label}: ${cause.message}`, { cause, detail: { stderr: stderrTail } });
    throw cause;
  }
}

type Json = Readonly<Record<string, unknown>>;

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** ffprobe prints most numbers as strings ("44100", "12.5", "N/A"). */
function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** "30000/1001" → 29.97…; "0/0" → undefined. */
export function parseRational(value: unknown): number | undefined {
  const text = asString(value);
  if (text === undefined) return undefined;
  const [num, den] = text.split('/');
  const n = asNumber(num);
  const d = den === undefined ? 1 : asNumber(den);
  if (n === undefined || d === undefined || d === 0 || n === 0) return undefined;
  return n / d;
}

const INTERLACED_ORDERS = new Set(['tt', 'bb', 'tb', 'bt']);

function mapStreamType(codecType: string | undefined, attachedPicture: boolean): StreamType {
  // Cover art in mp4/mkv is a one-frame "video" stream; transcoders must never pick it.
  if (attachedPicture) return 'data';
  if (codecType === 'video' || codecType === 'audio' || codecType === 'subtitle') return codecType;
  return 'data';
}

function mapStream(raw: Json, position: number): MediaStreamInfo {
  const disposition = asObject(raw['disposition']);
  const tags = asObject(raw['tags']);
  const type = mapStreamType(asString(raw['codec_type']), asNumber(disposition?.['attached_pic']) === 1);
  const profile = asString(raw['profile']);
  const level = asNumber(raw['level']);
  const width = asNumber(raw['width']);
  const height = asNumber(raw['height']);
  const aspect = asString(raw['display_aspect_ratio']);
  const frameRate = type === 'video' ? (parseRational(raw['avg_frame_rate']) ?? parseRational(raw['r_frame_rate'])) : undefined;
  const bitRate = asNumber(raw['bit_rate']);
  const channels = asNumber(raw['channels']);
  const sampleRate = asNumber(raw['sample_rate']);
  const language = asString(tags?.['language']);
  const fieldOrder = asString(raw['field_order']);
  const isDefault = asNumber(disposition?.['default']);
  const pixelFormat = asString(raw['pix_fmt']);
  return {
    type,
    index: asNumber(raw['index']) ?? position,
    codec: asString(raw['codec_name']) ?? 'unknown',
    ...(profile !== undefined && profile !== 'unknown' ? { profile } : {}),
    // ffprobe reports -99 when the codec has no level.
    ...(level !== undefined && level >= 0 ? { level } : {}),
    ...(width !== undefined && width > 0 ? { width } : {}),
    ...(height !== undefined && height > 0 ? { height } : {}),
    ...(aspect !== undefined && /^[1-9]\d*:[1-9]\d*$/.test(aspect) ? { aspectRatio: aspect } : {}),
    ...(frameRate !== undefined ? { frameRate: Math.round(frameRate * 1000) / 1000 } : {}),
    ...(bitRate !== undefined && bitRate > 0 ? { bitRate } : {}),
    ...(channels !== undefined && channels > 0 ? { channels } : {}),
    ...(sampleRate !== undefined && sampleRate > 0 ? { sampleRate } : {}),
    ...(language !== undefined && language !== '' && language !== 'und' ? { language } : {}),
    ...(fieldOrder !== undefined && fieldOrder !== 'unknown' ? { isInterlaced: INTERLACED_ORDERS.has(fieldOrder) } : {}),
    ...(isDefault !== undefined ? { isDefault: isDefault === 1 } : {}),
    ...(pixelFormat !== undefined ? { pixelFormat } : {}),
  };
}

/**
 * Maps ffprobe's `-show_format -show_streams` JSON (a string or the parsed value) to MediaInfo.
 * Pure. Throws `ERR_PROBE_FAILED` when the JSON is malformed or has no audio or video stream
 * (ffprobe happily "detects" text files as the `tty` format).
 */
export function parseFfprobeJson(json: unknown): MediaInfo {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json) as unknown;
    } catch (cause) {
      throw new SidecarError('ERR_PROBE_FAILED', 'invalid-argument', 'ffprobe output is not JSON', { cause });
    }
  }
  const root = asObject(value);
  const format = asObject(root?.['format']);
  const rawStreams = root?.['streams'];
  if (!format || !Array.isArray(rawStreams)) {
    throw new SidecarError('ERR_PROBE_FAILED', 'invalid-argument', 'ffprobe found no container format');
  }
  const streams = rawStreams.map((s, i) => mapStream(asObject(s) ?? {}, i));
  if (!streams.some((s) => s.type === 'video' || s.type === 'audio')) {
    throw new SidecarError('ERR_PROBE_FAILED', 'invalid-argument', 'no audio or video stream');
  }
  const streamDurations = rawStreams.map((s) => asNumber(asObject(s)?.['duration']) ?? 0);
  const duration = asNumber(format['duration']) ?? Math.max(0, ...streamDurations);
  const size = asNumber(format['size']);
  const bitRate = asNumber(format['bit_rate']);
  return {
    container: asString(format['format_name']) ?? 'unknown',
    sizeBytes: size !== undefined && size >= 0 ? size : 0,
    durationSeconds: duration > 0 ? duration : 0,
    ...(bitRate !== undefined && bitRate > 0 ? { bitRate } : {}),
    streams,
  };
}
