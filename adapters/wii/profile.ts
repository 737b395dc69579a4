/**
 * The `wii-flv` transcode profile and the onMetaData we announce for it. Pure.
 *
 * Sorenson Spark (ffmpeg encoder `flv`) + MP3 at 44.1 kHz is what Flash Lite 3.1 decodes and
 * ffmpeg encodes (VP6 has no ffmpeg encoder; H.264/AAC are not Flash Lite codecs). The FLV rate
 * field only knows 5.5/11/22/44 kHz, so audio is always resampled to 44100.
 */
import type { MediaInput, MediaItem, TranscodeProfile, TranscodeRequest } from '../../plugin/index.js';
import { AmfEcmaArray } from './rtmp/amf0.js';
import type { WiiDeviceSettings } from './config.js';

export const WII_PROFILE_ID = 'wii-flv';
export const WII_AUDIO_SAMPLE_RATE = 44_100;

/** Whether the item has audio / video streams (unknown media = assume both). */
export function itemStreams(item: MediaItem): { readonly hasVideo: boolean; readonly hasAudio: boolean } {
  const streams = item.media?.streams;
  if (!streams) return { hasVideo: item.type !== 'audio', hasAudio: true };
  return { hasVideo: streams.some((s) => s.type === 'video'), hasAudio: streams.some((s) => s.type === 'audio') };
}

export function wiiProfile(settings: WiiDeviceSettings, streams: { readonly hasVideo: boolean; readonly hasAudio: boolean }): TranscodeProfile {
  return {
    id: WII_PROFILE_ID,
    format: 'flv',
    video: streams.hasVideo
      ? {
          codec: 'flv',
          bitrateKbps: settings.videoBitrateKbps,
          width: settings.width,
          height: settings.height,
          pad: true,
          fps: settings.fps,
          // A keyframe every 2 s: restarts land exactly anyway, this bounds pause/seek recovery.
          gop: settings.fps * 2,
          pixelFormat: 'yuv420p',
        }
      : 'none',
    audio: streams.hasAudio
      ? { codec: 'libmp3lame', bitrateKbps: settings.audioBitrateKbps, sampleRate: WII_AUDIO_SAMPLE_RATE, channels: settings.audioChannels }
      : 'none',
    // No duration/filesize patching: the output is a pipe.
    extraOutputArgs: ['-flvflags', 'no_duration_filesize'],
  };
}

/**
 * The `wii-flv` transcode of an item from `startSeconds`, for the RTMP player and the HTTP-FLV
 * debug path alike. Timestamps stay absolute, so a seek's new run continues the same timeline.
 */
export function wiiTranscodeRequest(o: {
  readonly adapterId: string;
  readonly deviceId: string;
  readonly item: MediaItem;
  readonly input: MediaInput;
  readonly settings: WiiDeviceSettings;
  readonly startSeconds: number;
  readonly signal: AbortSignal;
}): TranscodeRequest {
  const { item } = o;
  return {
    input: o.input,
    profile: wiiProfile(o.settings, itemStreams(item)),
    ...(o.startSeconds > 0 ? { startSeconds: o.startSeconds } : {}),
    keepTimestamps: true,
    signal: o.signal,
    ...(item.media ? { media: item.media } : {}),
    label: { adapter: o.adapterId, device: o.deviceId, item: item.id, title: item.title },
  };
}

/** Duration of an item in seconds as we announce it (0 when unknown). */
export function itemDuration(item: MediaItem): number {
  return item.durationSeconds ?? item.media?.durationSeconds ?? 0;
}

/**
 * onMetaData built from the item (ffmpeg writes duration 0 on a pipe): real duration, target
 * size and codecs (videocodecid 2 = Sorenson H.263, audiocodecid 2 = MP3).
 */
export function buildMetaData(item: MediaItem, settings: WiiDeviceSettings, streams: { readonly hasVideo: boolean; readonly hasAudio: boolean }): AmfEcmaArray {
  const entries: Record<string, number | boolean | string> = { duration: Math.round(itemDuration(item) * 1000) / 1000 };
  if (streams.hasVideo) {
    Object.assign(entries, {
      width: settings.width,
      height: settings.height,
      framerate: settings.fps,
      videocodecid: 2,
      videodatarate: settings.videoBitrateKbps,
    });
  }
  if (streams.hasAudio) {
    Object.assign(entries, {
      audiocodecid: 2,
      audiodatarate: settings.audioBitrateKbps,
      audiosamplerate: WII_AUDIO_SAMPLE_RATE,
      audiosamplesize: 16,
      stereo: settings.audioChannels === 2,
    });
  }
  entries['canSeekToEnd'] = true;
  entries['title'] = item.title;
  return new AmfEcmaArray(entries);
}

/** Clamps a start/seek position (seconds) into [0, duration - 0.5] (Jellyfin #12847). */
export function clampPosition(seconds: number, durationSeconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  if (durationSeconds <= 0) return seconds;
  return Math.max(0, Math.min(seconds, durationSeconds - 0.5));
}
