/**
 * Pure TranscodeProfile → ffmpeg arguments (DESIGN.md §5: no I/O, golden-tested in
 * tests/unit/plugin/transcode/profiles.test.ts).
 *
 * Argument order is fixed so the list fluent-ffmpeg spawns is exactly the golden list:
 * global options first (fluent-ffmpeg puts input options first and global options are valid
 * anywhere), then input options, `-i <input>`, output options and `pipe:1`.
 *
 * - `-progress pipe:2` makes ffmpeg print `key=value` progress blocks on stderr (session parses
 *   them); `-nostats` drops the `\r` status line. stdin stays open: `q` on stdin is our graceful stop.
 * - Seeking is input-side (`-ss` before `-i`: fast, and audio and video of the first GOP start
 *   together, wii-rtmp.md §2.7); `-output_ts_offset` keeps timestamps absolute when asked.
 * - Scaling fits the source's *display* aspect (`dar`, so anamorphic sources are right) into the
 *   target frame as displayed (`aspect`, or width:height), then sets the sample aspect so the
 *   picture is not distorted, then optionally pads to exactly width×height.
 */
import type { MediaInfo, MediaInput, MediaStreamInfo } from '../library/model.js';
import { SidecarError } from '../util/errors.js';
import type { AudioOutput, TranscodeProfile, VideoOutput } from './types.js';

/** Everything that decides the ffmpeg command line. */
export interface FfmpegArgsSpec {
  readonly input: MediaInput;
  readonly profile: TranscodeProfile;
  readonly startSeconds?: number;
  readonly keepTimestamps?: boolean;
  readonly durationSeconds?: number;
  /** Probed streams of the input; lets the audio stream be picked by language. */
  readonly media?: MediaInfo;
}

/** The command line in the parts fluent-ffmpeg takes; `flattenFfmpegArgs` gives the argv. */
export interface FfmpegArgs {
  readonly inputOptions: readonly string[];
  /** `file:<path>` (so paths starting with `-` or holding `:` stay paths) or the URL. */
  readonly input: string;
  readonly outputOptions: readonly string[];
  readonly output: 'pipe:1';
}

/** Global options every run gets (they sit at the head of the input options). */
export const GLOBAL_ARGS: readonly string[] = ['-hide_banner', '-nostats', '-loglevel', 'info', '-progress', 'pipe:2'];

/** Builds the ffmpeg arguments for a transcode. Throws ERR_TRANSCODE_PROFILE for a contradictory profile. */
export function buildFfmpegArgs(spec: FfmpegArgsSpec): FfmpegArgs {
  const { profile, input } = spec;
  validateProfile(profile);
  const start = spec.startSeconds ?? 0;
  if (!Number.isFinite(start) || start < 0) throw profileError(profile, `start offset must be a non-negative number, got ${start}`);

  const inputOptions: string[] = [...GLOBAL_ARGS];
  if (profile.realtime === true) inputOptions.push('-re');
  if (input.kind === 'url' && !input.seekable) inputOptions.push('-seekable', '0');
  if (start > 0) inputOptions.push('-ss', formatSeconds(start));

  const outputOptions: string[] = [];
  if (profile.video === 'none') outputOptions.push('-vn');
  else outputOptions.push('-map', '0:V:0');
  if (profile.audio === 'none') outputOptions.push('-an');
  else {
    const audioMap = audioMapSpecifier(profile.audio, spec.media);
    if (audioMap !== undefined) outputOptions.push('-map', audioMap);
  }
  if (profile.video !== 'none') outputOptions.push(...videoArgs(profile.video));
  if (profile.audio !== 'none') outputOptions.push(...audioArgs(profile.audio));
  if (spec.durationSeconds !== undefined) {
    if (!Number.isFinite(spec.durationSeconds) || spec.durationSeconds <= 0) {
      throw profileError(profile, `duration must be a positive number, got ${spec.durationSeconds}`);
    }
    outputOptions.push('-t', formatSeconds(spec.durationSeconds));
  }
  if (spec.keepTimestamps === true && start > 0) outputOptions.push('-output_ts_offset', formatSeconds(start));
  outputOptions.push(...(profile.extraOutputArgs ?? []));
  outputOptions.push('-f', profile.format);

  return { inputOptions, input: inputArgument(input), outputOptions, output: 'pipe:1' };
}

/** The argv after the binary name, exactly as ffmpeg receives it. */
export function flattenFfmpegArgs(args: FfmpegArgs): string[] {
  return [...args.inputOptions, '-i', args.input, ...args.outputOptions, args.output];
}

/** The argv with a URL input replaced by `<url>` (URLs carry credentials; never log them). */
export function redactedFfmpegArgs(args: FfmpegArgs, input: MediaInput): string[] {
  const flat = flattenFfmpegArgs(args);
  return input.kind === 'url' ? flat.map((a) => (a === args.input ? '<url>' : a)) : flat;
}

function inputArgument(input: MediaInput): string {
  return input.kind === 'file' ? `file:${input.path}` : input.url;
}

/**
 * Picks the audio stream: with probed streams, the first one in the preferred language, else
 * the default-flagged one, else the first; without them, the first audio stream if any.
 */
export function audioMapSpecifier(audio: AudioOutput, media: MediaInfo | undefined): string | undefined {
  if (media === undefined) return '0:a:0?';
  const streams = media.streams.filter((s) => s.type === 'audio');
  if (streams.length === 0) return undefined;
  const chosen = pickAudioStream(streams, audio.language);
  return `0:${chosen.index}`;
}

/** The first stream in `language` (any case), else the default-flagged one, else the first; `streams` must not be empty. */
export function pickAudioStream(streams: readonly MediaStreamInfo[], language: string | undefined): MediaStreamInfo {
  const first = streams[0];
  if (first === undefined) throw new Error('pickAudioStream needs at least one stream');
  if (language !== undefined) {
    const wanted = language.toLowerCase();
    const match = streams.find((s) => s.language?.toLowerCase() === wanted);
    if (match) return match;
  }
  return streams.find((s) => s.isDefault === true) ?? first;
}

function videoArgs(video: VideoOutput): string[] {
  const args: string[] = [];
  if (video.codec !== 'copy') {
    const filters = videoFilters(video);
    if (filters.length > 0) args.push('-vf', filters.join(','));
  }
  args.push('-c:v', video.codec);
  if (video.pixelFormat !== undefined) args.push('-pix_fmt', video.pixelFormat);
  if (video.bitrateKbps !== undefined) args.push('-b:v', kbps(video.bitrateKbps));
  if (video.maxBitrateKbps !== undefined) args.push('-maxrate', kbps(video.maxBitrateKbps));
  if (video.bufferKbits !== undefined) args.push('-bufsize', kbps(video.bufferKbits));
  if (video.gop !== undefined) args.push('-g', String(video.gop));
  if (video.aspect !== undefined) args.push('-aspect', video.aspect);
  if (video.bitstreamFilter !== undefined) args.push('-bsf:v', video.bitstreamFilter);
  return args;
}

function videoFilters(video: VideoOutput): string[] {
  const filters: string[] = [];
  // fps first: frames are dropped before they are scaled.
  if (video.fps !== undefined) filters.push(`fps=${frameRate(video.fps)}`);
  const { width, height } = video;
  if (width !== undefined && height !== undefined) {
    const [an, ad] = aspectOf(video.aspect, width, height);
    const target = `(${an}/${ad})`;
    // Fit the display aspect `dar` into the target frame as displayed; even sizes for 4:2:0.
    const w = `'if(gt(dar,${target}),${width},trunc(${width}*dar/${target}/2)*2)'`;
    const h = `'if(gt(dar,${target}),trunc(${height}*${target}/dar/2)*2,${height})'`;
    filters.push(`scale=w=${w}:h=${h}`);
    const [sn, sd] = reduce(an * height, ad * width);
    filters.push(`setsar=${sn}/${sd}`);
    if (video.pad === true) filters.push(`pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2`);
  } else if (width !== undefined) {
    filters.push(`scale=w=${width}:h=-2`);
  } else if (height !== undefined) {
    filters.push(`scale=w=-2:h=${height}`);
  }
  return filters;
}

function audioArgs(audio: AudioOutput): string[] {
  const args = ['-c:a', audio.codec];
  if (audio.bitrateKbps !== undefined) args.push('-b:a', kbps(audio.bitrateKbps));
  if (audio.sampleRate !== undefined) args.push('-ar', String(audio.sampleRate));
  if (audio.channels !== undefined) args.push('-ac', String(audio.channels));
  return args;
}

function validateProfile(profile: TranscodeProfile): void {
  if (!/^[a-z0-9_]+$/i.test(profile.format)) throw profileError(profile, `invalid format ${JSON.stringify(profile.format)}`);
  if (profile.video === 'none' && profile.audio === 'none') throw profileError(profile, 'a profile needs video or audio');
  const video = profile.video;
  if (video !== 'none') {
    if (video.codec === 'copy' && (video.width !== undefined || video.height !== undefined || video.fps !== undefined || video.pad === true)) {
      throw profileError(profile, 'video copy cannot scale, pad or change the frame rate');
    }
    if (video.pad === true && (video.width === undefined || video.height === undefined)) {
      throw profileError(profile, 'pad needs both width and height');
    }
    for (const [name, value] of [
      ['width', video.width],
      ['height', video.height],
    ] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value <= 0 || value % 2 !== 0)) {
        throw profileError(profile, `${name} must be a positive even integer, got ${value}`);
      }
    }
    if (video.fps !== undefined && !(video.fps > 0)) throw profileError(profile, `fps must be positive, got ${video.fps}`);
    if (video.aspect !== undefined && parseAspect(video.aspect) === undefined) {
      throw profileError(profile, `aspect must look like 16:9, got ${JSON.stringify(video.aspect)}`);
    }
  }
}

function profileError(profile: TranscodeProfile, message: string): SidecarError {
  return new SidecarError('ERR_TRANSCODE_PROFILE', 'invalid-argument', `transcode profile ${profile.id}: ${message}`);
}

/** Seconds as ffmpeg takes them, rounded to the millisecond (never exponent notation). */
export function formatSeconds(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const whole = Math.floor(ms / 1000);
  const frac = ms % 1000;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
}

function kbps(value: number): string {
  return `${Math.round(value)}k`;
}

/**
 * Frame rates as exact rationals: MPEG-2 accepts only the standard NTSC rates, and 29.97 is
 * really 30000/1001 (ffmpeg refuses 2997/100 for mpeg2video).
 */
export function frameRate(fps: number): string {
  for (const base of [24, 30, 60, 120]) {
    const ntsc = (base * 1000) / 1001;
    if (Math.abs(fps - ntsc) < 0.01 && Math.abs(fps - base) > 0.01) return `${base * 1000}/1001`;
  }
  if (Number.isInteger(fps)) return String(fps);
  return String(Math.round(fps * 1000) / 1000);
}

function parseAspect(aspect: string): readonly [number, number] | undefined {
  const m = /^(\d+)[:/](\d+)$/.exec(aspect);
  if (!m) return undefined;
  const n = Number(m[1]);
  const d = Number(m[2]);
  return n > 0 && d > 0 ? reduce(n, d) : undefined;
}

function aspectOf(aspect: string | undefined, width: number, height: number): readonly [number, number] {
  return (aspect === undefined ? undefined : parseAspect(aspect)) ?? reduce(width, height);
}

function reduce(n: number, d: number): readonly [number, number] {
  let a = n;
  let b = d;
  while (b !== 0) [a, b] = [b, a % b];
  return [n / a, d / a];
}
