/**
 * Library item → the metadata TiVo shows (protocols/tivo.md §9, "Suggested Jellyfin mapping").
 * Deterministic: no "now" (pyTivo's default `time`), so the synthetic header and therefore the
 * passthrough length never change between the listing and the transfer. Pure.
 */
import type { MediaItem, Person } from '../../plugin/index.js';
import { mapRating, type TivoRating } from './ratings.js';

export interface TivoMetadata {
  /** What the TiVo shows as the program title (series name for episodes). */
  readonly title: string;
  readonly seriesTitle?: string;
  readonly episodeTitle?: string;
  /** season × 100 + episode (pyTivo convention; the classic UI shows it). */
  readonly episodeNumber?: number;
  readonly description: string;
  readonly isEpisode: boolean;
  /** ISO date-time (Z) of the original air date, for episodes. */
  readonly originalAirDate?: string;
  readonly movieYear?: number;
  readonly tvRating?: TivoRating;
  readonly mpaaRating?: TivoRating;
  /** TiVo program id (EP…/SH…/MV…) when the source has a Zap2It id. */
  readonly programId?: string;
  readonly seriesId?: string;
  readonly programGenres: readonly string[];
  readonly actors: readonly string[];
  readonly guestStars: readonly string[];
  readonly directors: readonly string[];
  readonly writers: readonly string[];
  readonly producers: readonly string[];
  readonly execProducers: readonly string[];
  readonly hosts: readonly string[];
  readonly choreographers: readonly string[];
  /** Unix seconds shown as the capture (recording) date: air date, else date added. */
  readonly captureTime: number;
  readonly durationMs: number;
  readonly callsign: string;
}

/** "Jane Doe" → "Doe|Jane", the TvBus person format. */
export function tivoPersonName(name: string): string {
  const trimmed = name.trim();
  const at = trimmed.lastIndexOf(' ');
  return at <= 0 ? trimmed : `${trimmed.slice(at + 1)}|${trimmed.slice(0, at)}`;
}

function people(list: readonly Person[], ...kinds: readonly string[]): string[] {
  const wanted = new Set(kinds.map((k) => k.toLowerCase()));
  return list.filter((p) => wanted.has(p.kind.toLowerCase())).map((p) => tivoPersonName(p.name));
}

function seconds(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** Duration in ms from the item (metadata runtime, else the probed media). */
export function durationMsOf(item: MediaItem): number {
  const s = item.durationSeconds ?? item.media?.durationSeconds ?? 0;
  return Math.max(0, Math.round(s * 1000));
}

export function tivoMetadata(item: MediaItem): TivoMetadata {
  const isEpisode = item.type === 'episode' || (item.type === 'recording' && item.seriesName !== undefined);
  const rating = mapRating(item.officialRating);
  const zap = item.providerIds['Zap2It'] ?? item.providerIds['zap2it'];
  const programId = zap && /^(EP|SH|MV)\d+$/.test(zap) ? zap : undefined;
  const seriesId = programId?.startsWith('EP') ? `SH${programId.slice(2, 10)}` : undefined;
  const air = seconds(item.premiereDate);
  const added = seconds(item.dateCreated) ?? 0;
  const season = item.seasonNumber;
  const episode = item.episodeNumber;
  return {
    title: isEpisode && item.seriesName ? item.seriesName : item.title,
    ...(isEpisode && item.seriesName ? { seriesTitle: item.seriesName } : {}),
    ...(isEpisode ? { episodeTitle: item.title } : {}),
    ...(isEpisode && episode !== undefined ? { episodeNumber: (season ?? 0) * 100 + episode } : {}),
    description: item.overview ?? '',
    isEpisode,
    ...(isEpisode && item.premiereDate && air !== undefined ? { originalAirDate: new Date(air * 1000).toISOString().replace('.000Z', 'Z') } : {}),
    ...(!isEpisode && item.productionYear !== undefined ? { movieYear: item.productionYear } : {}),
    ...(rating.tv ? { tvRating: rating.tv } : {}),
    ...(rating.mpaa ? { mpaaRating: rating.mpaa } : {}),
    ...(programId ? { programId } : {}),
    ...(seriesId ? { seriesId } : {}),
    programGenres: item.genres,
    actors: people(item.people, 'Actor'),
    guestStars: people(item.people, 'GuestStar'),
    directors: people(item.people, 'Director'),
    writers: people(item.people, 'Writer'),
    producers: people(item.people, 'Producer'),
    execProducers: people(item.people, 'ExecutiveProducer'),
    hosts: people(item.people, 'Host'),
    choreographers: people(item.people, 'Choreographer'),
    captureTime: isEpisode && air !== undefined ? air : added,
    durationMs: durationMsOf(item),
    callsign: item.studios[0] ?? '',
  };
}
