/**
 * Decides how an item reaches a TiVo (protocols/tivo.md §6, §7.3): sent as it is (copy),
 * re-muxed (video copied, audio maybe re-encoded), or transcoded to MPEG-2; and with which
 * TranscodeProfile. The size estimate is computed from the same decision. Pure.
 */
import type { MediaInfo, MediaStreamInfo, TranscodeProfile } from '../../plugin/index.js';
import { pickAudioStream } from '../../plugin/index.js';
import type { TivoDeviceSettings } from './config.js';
import type { TivoCapabilities } from './models.js';
import type { AudioEstimate, EstimateInput, VideoEstimate } from './size-estimate.js';

export const MIME_PS = 'video/x-tivo-mpeg';
export const MIME_TS = 'video/x-tivo-mpeg-ts';
export type TivoMime = typeof MIME_PS | typeof MIME_TS;

export type TransferPath = 'copy' | 'remux' | 'transcode';

/** Bumped whenever the output bytes for the same input could change (spool keys, ETags). */
export const FORMAT_VERSION = 1;

export interface TransferPlan {
  readonly mime: TivoMime;
  readonly path: TransferPath;
  /** One line for logs: why this path. */
  readonly reason: string;
  /** For remux and transcode. */
  readonly profile?: TranscodeProfile;
  /** The estimate inputs, header bytes left to the caller. */
  readonly estimate: DistributiveOmit<EstimateInput, 'headerBytes'>;
  /** The synthetic .TiVo header goes in front (PS only). */
  readonly header: boolean;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const SD_WIDTHS = [720, 704, 544, 528, 480, 352] as const;
const MAX_AUDIO_KBPS = 448;
const STANDARD_HD_RATES = [23.976, 24, 25, 29.97, 30, 50, 59.94, 60];

/**
 * MPEG-2 intra/inter matrices scaled ×3 from the defaults: they let rate control reach a
 * coarse enough quantiser to hold the constant rate on noise-like content, which keeps the
 * size estimate an upper bound (README "Size estimate"); `-qmin 1` keeps easy content sharp.
 */
const INTRA_X3 = [8, 16, 19, 22, 26, 27, 29, 34, 16, 16, 22, 24, 27, 29, 34, 37, 19, 22, 26, 27, 29, 34, 34, 38, 22, 22, 26, 27, 29, 34, 37, 40, 22, 26, 27, 29, 32, 35, 40, 48, 26, 27, 29, 32, 35, 40, 48, 58, 26, 27, 29, 34, 38, 46, 56, 69, 27, 29, 35, 38, 46, 56, 69, 83]
  .map((v) => v * 3)
  .join(',');
const INTER_X3 = new Array<number>(64).fill(48).join(',');

function videoStream(media: MediaInfo): MediaStreamInfo | undefined {
  return media.streams.find((s) => s.type === 'video');
}

/** The audio stream ffmpeg will map: the transcode service's own pick among the audio streams. */
export function chosenAudio(media: MediaInfo, language: string | undefined): MediaStreamInfo | undefined {
  const audio = media.streams.filter((s) => s.type === 'audio');
  return audio.length === 0 ? undefined : pickAudioStream(audio, language);
}

function near(a: number | undefined, b: number, tolerance = 0.02): boolean {
  return a !== undefined && Math.abs(a - b) <= tolerance;
}

function isPsContainer(container: string): boolean {
  return /(^|,)(mpeg|vob|mpg|mpeg2ps)(,|$)/i.test(container);
}

function isTsContainer(container: string): boolean {
  return /(^|,)(mpegts|ts|m2ts|mts)(,|$)/i.test(container);
}

function fitsFrame(v: MediaStreamInfo, caps: TivoCapabilities, settings: TivoDeviceSettings): boolean {
  const maxW = Math.min(caps.maxWidth, settings.maxWidth ?? caps.maxWidth);
  const maxH = Math.min(caps.maxHeight, settings.maxHeight ?? caps.maxHeight);
  return (v.width ?? Infinity) <= maxW && (v.height ?? Infinity) <= maxH;
}

/** MPEG-2 video a TiVo plays in PS/TS without re-encoding. */
function mpeg2Compatible(v: MediaStreamInfo, caps: TivoCapabilities, settings: TivoDeviceSettings): boolean {
  if (v.codec !== 'mpeg2video' || !fitsFrame(v, caps, settings)) return false;
  if (!caps.hd) {
    return SD_WIDTHS.includes((v.width ?? 0) as (typeof SD_WIDTHS)[number]) && v.height === 480 && (near(v.frameRate, 29.97) || near(v.frameRate, 59.94));
  }
  return v.frameRate === undefined || STANDARD_HD_RATES.some((r) => near(v.frameRate, r));
}

/** H.264 a TS TiVo plays: level ≤ 4.1, ≤ 1080 lines (no 4K on Bolt), 8-bit 4:2:0. */
function h264Compatible(v: MediaStreamInfo, caps: TivoCapabilities, settings: TivoDeviceSettings): boolean {
  if (v.codec !== 'h264' || !caps.ts || !fitsFrame(v, caps, settings)) return false;
  if (v.level !== undefined && v.level > 41) return false;
  if (v.pixelFormat !== undefined && v.pixelFormat !== 'yuv420p' && v.pixelFormat !== 'yuvj420p') return false;
  return true;
}

function audioCopyable(a: MediaStreamInfo | undefined, mime: TivoMime): boolean {
  if (!a) return true;
  const okCodec = a.codec === 'ac3' || a.codec === 'mp2' || (mime === MIME_TS && a.codec === 'aac_latm');
  if (!okCodec) return false;
  if (a.bitRate !== undefined && a.bitRate > MAX_AUDIO_KBPS * 1000) return false;
  if (a.codec === 'mp2' && (a.channels ?? 2) > 2) return false;
  return true;
}

/** The MIME an item is listed with for this TiVo. */
export function listingMime(media: MediaInfo | undefined, caps: TivoCapabilities, settings: TivoDeviceSettings): TivoMime {
  if (!media || !caps.ts || !settings.allowTs) return MIME_PS;
  const v = videoStream(media);
  return v && h264Compatible(v, caps, settings) ? MIME_TS : MIME_PS;
}

/** The MIME a transfer uses: the requested `Format` when this TiVo may have it, else PS. */
export function transferMime(requested: string | undefined, caps: TivoCapabilities, settings: TivoDeviceSettings): TivoMime {
  return requested?.toLowerCase() === MIME_TS && caps.ts && settings.allowTs ? MIME_TS : MIME_PS;
}

function videoBitrateKbps(caps: TivoCapabilities, settings: TivoDeviceSettings): number {
  return settings.videoBitrateKbps ?? (caps.hd ? settings.hdVideoBitrateKbps : settings.sdVideoBitrateKbps);
}

/** VBV buffer: a quarter second at the video rate, at least 256 kbit (keeps the estimate tight). */
export function vbvKbits(bitrateKbps: number): number {
  return Math.max(256, Math.round(bitrateKbps / 8));
}

function sdWidth(settings: TivoDeviceSettings): number {
  const limit = settings.maxWidth ?? 544;
  return SD_WIDTHS.find((w) => w <= limit) ?? 352;
}

/** Output frame for an MPEG-2 transcode: size, display aspect and whether to pad. */
export function outputFrame(
  v: MediaStreamInfo | undefined,
  caps: TivoCapabilities,
  settings: TivoDeviceSettings,
): { readonly width: number; readonly height: number; readonly aspect: string; readonly fps: number } {
  if (!caps.hd) {
    // 16:9 only on units that show it themselves (649); the others get letterboxing in 4:3.
    const dar = displayAspect(v);
    const aspect = caps.sdPads169 && dar > 1.5 ? '16:9' : '4:3';
    return { width: sdWidth(settings), height: 480, aspect, fps: 30000 / 1001 };
  }
  const maxW = Math.min(1920, settings.maxWidth ?? 1920);
  const maxH = Math.min(1080, settings.maxHeight ?? 1080);
  const srcW = v?.width ?? 1280;
  const srcH = v?.height ?? 720;
  const scale = Math.min(1, maxW / srcW, maxH / srcH);
  const width = Math.max(2, Math.floor((srcW * scale) / 2) * 2);
  const height = Math.max(2, Math.floor((srcH * scale) / 2) * 2);
  const dar = displayAspect(v);
  const fps = v?.frameRate !== undefined && STANDARD_HD_RATES.some((r) => near(v.frameRate, r)) ? v.frameRate : 30000 / 1001;
  return { width, height, aspect: aspectString(dar, width, height), fps };
}

function displayAspect(v: MediaStreamInfo | undefined): number {
  const m = v?.aspectRatio ? /^(\d+(?:\.\d+)?)[:/](\d+(?:\.\d+)?)$/.exec(v.aspectRatio) : null;
  if (m) {
    const r = Number(m[1]) / Number(m[2]);
    if (r > 0 && Number.isFinite(r)) return r;
  }
  if (v?.width && v.height) return v.width / v.height;
  return 16 / 9;
}

function aspectString(dar: number, width: number, height: number): string {
  if (Math.abs(dar - 16 / 9) < 0.02) return '16:9';
  if (Math.abs(dar - 4 / 3) < 0.02) return '4:3';
  // Other shapes: the display aspect as an integer ratio over the output height.
  const w = Math.round(dar * height);
  return w > 0 ? `${w}:${height}` : `${width}:${height}`;
}

function audioPlan(a: MediaStreamInfo | undefined, mime: TivoMime, settings: TivoDeviceSettings): { readonly profile: TranscodeProfile['audio']; readonly estimate: AudioEstimate } {
  if (!a) return { profile: 'none', estimate: { kind: 'none' } };
  const language = settings.audioLanguage !== undefined ? { language: settings.audioLanguage } : {};
  if (audioCopyable(a, mime)) {
    return { profile: { codec: 'copy', ...language }, estimate: { kind: 'copy', bitsPerSecond: a.bitRate ?? MAX_AUDIO_KBPS * 1000 } };
  }
  const kbps = Math.min(MAX_AUDIO_KBPS, Math.floor(settings.audioBitrateKbps / 64) * 64 || 64);
  const sampleRate = a.sampleRate === 44100 ? 44100 : 48000;
  const channels = (a.channels ?? 2) > 6 ? { channels: 6 } : {};
  return { profile: { codec: 'ac3', bitrateKbps: kbps, sampleRate, ...channels, ...language }, estimate: { kind: 'ac3', bitrateKbps: kbps, sampleRate } };
}

export interface PlanInput {
  readonly media: MediaInfo;
  readonly caps: TivoCapabilities;
  readonly settings: TivoDeviceSettings;
  readonly mime: TivoMime;
}

export function planTransfer({ media, caps, settings, mime }: PlanInput): TransferPlan {
  const v = videoStream(media);
  const a = chosenAudio(media, settings.audioLanguage);
  const header = mime === MIME_PS;
  const seconds = media.durationSeconds;
  const audioOk = audioCopyable(a, mime);
  const format = mime === MIME_PS ? 'vob' : 'mpegts';

  if (v && mime === MIME_PS && mpeg2Compatible(v, caps, settings) && isPsContainer(media.container) && audioOk) {
    return { mime, path: 'copy', reason: 'MPEG-2 PS the TiVo plays as it is', header, estimate: { path: 'copy', fileBytes: media.sizeBytes } };
  }
  if (v && mime === MIME_TS && (h264Compatible(v, caps, settings) || mpeg2Compatible(v, caps, settings)) && isTsContainer(media.container) && audioOk) {
    return { mime, path: 'copy', reason: 'MPEG-TS the TiVo plays as it is', header, estimate: { path: 'copy', fileBytes: media.sizeBytes } };
  }

  const audio = audioPlan(a, mime, settings);
  const copyable = v && (mime === MIME_PS ? mpeg2Compatible(v, caps, settings) : h264Compatible(v, caps, settings) || mpeg2Compatible(v, caps, settings));
  if (v && copyable) {
    const bsf = v.codec === 'h264' && !isTsContainer(media.container) ? { bitstreamFilter: 'h264_mp4toannexb' } : {};
    const profile: TranscodeProfile = {
      id: mime === MIME_PS ? 'tivo-ps-remux' : 'tivo-ts-remux',
      format,
      video: { codec: 'copy', ...bsf },
      audio: audio.profile,
      // -muxdelay 0 keeps remuxed timestamps from starting late (pyTivo a941247).
      extraOutputArgs: ['-muxdelay', '0'],
    };
    const videoBps = v.bitRate ?? estimateVideoBitrate(media, v);
    const estimate: VideoEstimate = { kind: 'copy', bitsPerSecond: videoBps, frameRate: v.frameRate ?? 30 };
    return {
      mime,
      path: 'remux',
      reason: `${v.codec} copied; ${isPsContainer(media.container) || isTsContainer(media.container) ? 'audio' : 'container'} changes`,
      header,
      profile,
      estimate: { path: 'remux', container: mime === MIME_PS ? 'ps' : 'ts', durationSeconds: seconds, video: estimate, audio: audio.estimate },
    };
  }

  const bitrate = videoBitrateKbps(caps, settings);
  const buffer = vbvKbits(bitrate);
  const frame = outputFrame(v, caps, settings);
  const profile: TranscodeProfile = {
    id: mime === MIME_PS ? `tivo-mpeg2-ps-${caps.hd ? 'hd' : 'sd'}` : 'tivo-mpeg2-ts',
    format,
    video: v
      ? {
          codec: 'mpeg2video',
          pixelFormat: 'yuv420p',
          bitrateKbps: bitrate,
          maxBitrateKbps: bitrate,
          bufferKbits: buffer,
          width: frame.width,
          height: frame.height,
          aspect: frame.aspect,
          pad: true,
          fps: frame.fps,
          gop: 15,
        }
      : 'none',
    audio: audio.profile,
    extraOutputArgs: ['-minrate', `${bitrate}k`, '-qmin', '1', '-intra_matrix', INTRA_X3, '-inter_matrix', INTER_X3],
  };
  return {
    mime,
    path: 'transcode',
    reason: v ? `${v.codec} ${v.width ?? '?'}x${v.height ?? '?'} re-encoded to MPEG-2 ${frame.width}x${frame.height}` : 'no video stream',
    header,
    profile,
    estimate: {
      path: 'transcode',
      container: mime === MIME_PS ? 'ps' : 'ts',
      durationSeconds: seconds,
      video: v ? { kind: 'encode', bitrateKbps: bitrate, bufferKbits: buffer } : { kind: 'none' },
      audio: audio.estimate,
      outputFrameRate: frame.fps,
    },
  };
}

/** Video bit rate when the source does not say: overall size minus the other streams. */
function estimateVideoBitrate(media: MediaInfo, v: MediaStreamInfo): number {
  const total = media.bitRate ?? (media.durationSeconds > 0 ? (media.sizeBytes * 8) / media.durationSeconds : 0);
  const others = media.streams.filter((s) => s !== v && s.type === 'audio').reduce((sum, s) => sum + (s.bitRate ?? 0), 0);
  return Math.max(0, total - others);
}
