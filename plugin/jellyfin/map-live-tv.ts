/**
 * Pure mapping of Jellyfin Live TV DTOs (channels, programs, timers) to the library model.
 */
import type { Channel, Program, Timer, TimerStatus } from '../library/model.js';
import type { BaseItemDto, TimerInfoDto } from './client.js';
import { isoDate } from './map-item.js';

/**
 * A call sign as broadcast: one upper-case token of letters and digits, optionally with a
 * dash suffix ("FOOD", "KERA-HD", "WGBH2"). Jellyfin has no call-sign field; guide providers
 * (HDHomeRun, Schedules Direct, zap2it-style XMLTV) name channels by call sign, so a channel
 * name of that shape is taken as the call sign. "BBC One" is a name, not a call sign.
 * Suffix handling (`-HD`, `DT`) is left to the matcher (protocols/rsstv.md §5.2).
 */
const CALL_SIGN = /^[A-Z][A-Z0-9]{1,7}(?:-[A-Z0-9]{1,4})?$/;

export function callSignOf(name: string | null | undefined): string | undefined {
  const trimmed = (name ?? '').trim();
  return CALL_SIGN.test(trimmed) ? trimmed : undefined;
}

export function mapChannel(dto: BaseItemDto): Channel {
  const callSign = callSignOf(dto.Name);
  const channel: Channel = {
    id: dto.Id ?? '',
    number: dto.ChannelNumber ?? dto.Number ?? '',
    name: dto.Name ?? '',
  };
  return callSign === undefined ? channel : { ...channel, callSign };
}

export function mapProgram(dto: BaseItemDto): Program {
  const out: {
    -readonly [K in keyof Program]: Program[K];
  } = {
    id: dto.Id ?? '',
    channelId: dto.ChannelId ?? '',
    title: dto.Name ?? '',
    start: isoDate(dto.StartDate) ?? '',
    end: isoDate(dto.EndDate) ?? '',
    isSeries: dto.IsSeries ?? false,
    isMovie: dto.IsMovie ?? false,
    genres: (dto.Genres ?? []).filter((g): g is string => typeof g === 'string'),
  };
  if (dto.EpisodeTitle) out.episodeTitle = dto.EpisodeTitle;
  if (dto.Overview) out.overview = dto.Overview;
  if (typeof dto.ParentIndexNumber === 'number') out.seasonNumber = dto.ParentIndexNumber;
  if (typeof dto.IndexNumber === 'number') out.episodeNumber = dto.IndexNumber;
  if (dto.TimerId) out.timerId = dto.TimerId;
  return out;
}

const TIMER_STATUS: Readonly<Record<string, TimerStatus>> = {
  New: 'new',
  InProgress: 'in-progress',
  Completed: 'completed',
  Cancelled: 'cancelled',
  ConflictedOk: 'conflicted',
  ConflictedNotOk: 'conflicted',
  Error: 'error',
};

export function mapTimer(dto: TimerInfoDto): Timer {
  const out: { -readonly [K in keyof Timer]: Timer[K] } = {
    id: dto.Id ?? '',
    channelId: dto.ChannelId ?? '',
    name: dto.Name ?? '',
    start: isoDate(dto.StartDate) ?? '',
    end: isoDate(dto.EndDate) ?? '',
    prePaddingSeconds: dto.PrePaddingSeconds ?? 0,
    postPaddingSeconds: dto.PostPaddingSeconds ?? 0,
    status: TIMER_STATUS[dto.Status ?? 'New'] ?? 'new',
  };
  if (dto.ProgramId) out.programId = dto.ProgramId;
  if (dto.SeriesTimerId) out.seriesTimerId = dto.SeriesTimerId;
  return out;
}

/**
 * Recording tuners from the live TV configuration's tuner hosts. A host reporting
 * `TunerCount` 0 (M3U "unlimited", or not yet detected) counts as one tuner, so conflict
 * checks stay conservative rather than unbounded.
 */
export function tunerCountOf(config: unknown): number {
  if (typeof config !== 'object' || config === null) return 0;
  const hosts = (config as { TunerHosts?: unknown }).TunerHosts;
  if (!Array.isArray(hosts)) return 0;
  let total = 0;
  for (const host of hosts as unknown[]) {
    const n = typeof host === 'object' && host !== null ? (host as { TunerCount?: unknown }).TunerCount : undefined;
    total += typeof n === 'number' && n > 0 ? n : 1;
  }
  return total;
}
