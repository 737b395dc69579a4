/**
 * Pure mapping of Jellyfin `SessionInfoDto` to PlaybackSession. The PlaybackState is anchored
 * at the moment the report arrived at the sidecar (not Jellyfin's LastPlaybackCheckIn, which
 * its own 1 s ticker does not update), so consumers extrapolate from `receivedMonotonicNs`.
 */
import type { PlaybackSession, PlaybackState } from '../library/model.js';
import type { SessionInfoDto } from './client.js';
import { isoDate, mapItem } from './map-item.js';
import { ticksToSeconds } from './ticks.js';

export interface ArrivalAnchor {
  readonly receivedAt: number;
  readonly receivedMonotonicNs: bigint;
}

/** Identity of the sidecar's own sessions, filtered out of every list. */
export interface OwnIdentity {
  readonly deviceId: string;
  readonly client: string;
}

export function isOwnSession(dto: SessionInfoDto, own: OwnIdentity): boolean {
  return dto.DeviceId === own.deviceId && (dto.Client ?? own.client) === own.client;
}

export function mapSession(dto: SessionInfoDto, anchor: ArrivalAnchor): PlaybackSession {
  const out: { -readonly [K in keyof PlaybackSession]: PlaybackSession[K] } = {
    id: dto.Id ?? '',
    client: dto.Client ?? '',
    deviceId: dto.DeviceId ?? '',
    deviceName: dto.DeviceName ?? '',
    lastActivity: isoDate(dto.LastActivityDate) ?? new Date(anchor.receivedAt).toISOString(),
  };
  // User-less (API key) sessions carry the empty GUID.
  if (dto.UserId && !/^[0-]+$/.test(dto.UserId)) out.userId = dto.UserId;
  if (dto.UserName) out.userName = dto.UserName;
  if (dto.RemoteEndPoint) out.remoteAddress = dto.RemoteEndPoint;
  const nowPlaying = dto.NowPlayingItem ? mapItem(dto.NowPlayingItem, true) : undefined;
  if (nowPlaying?.kind === 'item') {
    out.nowPlaying = { item: nowPlaying, state: mapState(dto, anchor) };
  }
  return out;
}

function mapState(dto: SessionInfoDto, anchor: ArrivalAnchor): PlaybackState {
  const play = dto.PlayState;
  const isPaused = play?.IsPaused ?? false;
  const state: { -readonly [K in keyof PlaybackState]: PlaybackState[K] } = {
    positionSeconds: ticksToSeconds(play?.PositionTicks ?? 0),
    isPaused,
    receivedAt: anchor.receivedAt,
    receivedMonotonicNs: anchor.receivedMonotonicNs,
    playbackRate: isPaused ? 0 : 1,
  };
  if (play?.MediaSourceId) state.mediaSourceId = play.MediaSourceId;
  return state;
}

/** Maps a session list, dropping the sidecar's own session(s). */
export function mapSessions(dtos: readonly SessionInfoDto[], anchor: ArrivalAnchor, own: OwnIdentity): PlaybackSession[] {
  return dtos.filter((d) => !isOwnSession(d, own)).map((d) => mapSession(d, anchor));
}
