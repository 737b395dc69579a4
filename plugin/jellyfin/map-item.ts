/**
 * Pure mapping of Jellyfin `BaseItemDto` values to the library model (plugin/library/model.ts).
 * Adapters never see DTOs; everything they need is lifted out here.
 */
import type { Folder, FolderType, LibraryEntry, MediaInfo, MediaItem, MediaItemType, MediaStreamInfo, Person, StreamType } from '../library/model.js';
import type { BaseItemDto, MediaSourceInfo, MediaStream } from './client.js';
import { ticksToSeconds } from './ticks.js';

const FOLDER_TYPES: Readonly<Record<string, FolderType>> = {
  CollectionFolder: 'library',
  UserView: 'library',
  Series: 'series',
  Season: 'season',
  BoxSet: 'collection',
  Folder: 'folder',
};

/** Jellyfin item kinds the model can show as media items, for `includeItemTypes`. */
export const MEDIA_ITEM_KINDS: Readonly<Record<MediaItemType, string>> = {
  movie: 'Movie',
  episode: 'Episode',
  video: 'Video',
  'music-video': 'MusicVideo',
  recording: 'Recording',
  audio: 'Audio',
};

/** Jellyfin item type → model type: the inverse of MEDIA_ITEM_KINDS. */
const ITEM_TYPES: Readonly<Record<string, MediaItemType>> = Object.fromEntries(
  Object.entries(MEDIA_ITEM_KINDS).map(([model, kind]) => [kind, model as MediaItemType]),
);

const STREAM_TYPES: Readonly<Record<string, StreamType>> = {
  Video: 'video',
  Audio: 'audio',
  Subtitle: 'subtitle',
  Data: 'data',
};

const EPOCH = new Date(0).toISOString();

/** Normalises Jellyfin's 7-digit-fraction timestamps to ISO 8601 (ms); keeps unparsable text. */
export function isoDate(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

function present<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

/** Copies only the keys whose values are defined (exactOptionalPropertyTypes-friendly). */
function defined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) out[k] = v;
  return out as T;
}

/**
 * Maps one DTO; undefined for kinds the model does not show (photos, books, people, …).
 * `isRoot` marks entries listed as library roots (no parent in the model).
 */
export function mapItem(dto: BaseItemDto, isRoot = false): LibraryEntry | undefined {
  const type = dto.Type ?? '';
  const folderType = FOLDER_TYPES[type];
  if (folderType !== undefined) return mapFolder(dto, folderType, isRoot);
  const itemType = ITEM_TYPES[type];
  if (itemType !== undefined) return mapMediaItem(dto, itemType, isRoot);
  return undefined;
}

function base(dto: BaseItemDto, isRoot: boolean): {
  id: string;
  parentId?: string;
  title: string;
  sortTitle: string;
  dateCreated: string;
  image?: { tag: string };
} {
  const title = dto.Name ?? '';
  const tag = dto.ImageTags?.['Primary'] ?? undefined;
  return defined<ReturnType<typeof base>>({
    id: dto.Id ?? '',
    parentId: isRoot ? undefined : (dto.ParentId ?? undefined),
    title,
    sortTitle: dto.SortName ?? title,
    dateCreated: isoDate(dto.DateCreated) ?? isoDate(dto.PremiereDate) ?? EPOCH,
    image: tag === undefined ? undefined : { tag },
  } as ReturnType<typeof base>);
}

function mapFolder(dto: BaseItemDto, folderType: FolderType, isRoot: boolean): Folder {
  return defined<Folder>({
    ...base(dto, isRoot || folderType === 'library'),
    kind: 'folder',
    folderType,
    collectionType: dto.CollectionType ?? undefined,
    childCount: dto.ChildCount ?? dto.RecursiveItemCount ?? undefined,
    seasonNumber: folderType === 'season' ? (dto.IndexNumber ?? undefined) : undefined,
  } as Folder);
}

function mapMediaItem(dto: BaseItemDto, type: MediaItemType, isRoot: boolean): MediaItem {
  const source = dto.MediaSources?.[0];
  const media = source === undefined ? undefined : mapMediaInfo(source, dto);
  const virtual = dto.LocationType === 'Virtual';
  const playable = !virtual && media !== undefined;
  const unplayableReason = virtual ? 'missing: the item has no file (virtual)' : media === undefined ? 'no media source' : undefined;
  const runTime = dto.RunTimeTicks ?? source?.RunTimeTicks;
  const providerIds: Record<string, string> = {};
  for (const [k, v] of Object.entries(dto.ProviderIds ?? {})) if (typeof v === 'string' && v !== '') providerIds[k] = v;
  const episodic = type === 'episode';
  return defined<MediaItem>({
    ...base(dto, isRoot),
    kind: 'item',
    type,
    overview: dto.Overview ?? undefined,
    seriesId: dto.SeriesId ?? undefined,
    seriesName: dto.SeriesName ?? undefined,
    seasonNumber: episodic ? (dto.ParentIndexNumber ?? undefined) : undefined,
    episodeNumber: episodic ? (dto.IndexNumber ?? undefined) : undefined,
    premiereDate: isoDate(dto.PremiereDate),
    productionYear: dto.ProductionYear ?? undefined,
    officialRating: dto.OfficialRating ?? undefined,
    genres: (dto.Genres ?? []).filter(present),
    people: (dto.People ?? []).filter((p) => present(p.Name)).map(mapPerson),
    studios: (dto.Studios ?? []).map((s) => s.Name).filter(present),
    durationSeconds: present(runTime) ? ticksToSeconds(runTime) : undefined,
    media,
    playable,
    unplayableReason,
    providerIds,
  } as MediaItem);
}

function mapPerson(p: { Name?: string | null; Type?: string; Role?: string | null }): Person {
  return defined<Person>({ name: p.Name ?? '', kind: p.Type ?? 'Unknown', role: p.Role === '' ? undefined : (p.Role ?? undefined) } as Person);
}

/** MediaInfo from the first (default) media source; streams from the source, else the item. */
function mapMediaInfo(source: MediaSourceInfo, dto: BaseItemDto): MediaInfo {
  const streams = (source.MediaStreams ?? dto.MediaStreams ?? []).map(mapStream).filter(present);
  const ticks = source.RunTimeTicks ?? dto.RunTimeTicks;
  return defined<MediaInfo>({
    container: source.Container ?? dto.Container ?? '',
    sizeBytes: source.Size ?? 0,
    durationSeconds: present(ticks) ? ticksToSeconds(ticks) : 0,
    bitRate: source.Bitrate ?? undefined,
    streams,
  } as MediaInfo);
}

/** External subtitles, embedded cover art and lyrics are not streams of the container: dropped. */
function mapStream(s: MediaStream): MediaStreamInfo | undefined {
  const type = STREAM_TYPES[s.Type ?? ''];
  if (type === undefined || s.IsExternal === true || !present(s.Index)) return undefined;
  return defined<MediaStreamInfo>({
    type,
    index: s.Index,
    codec: (s.Codec ?? '').toLowerCase(),
    profile: s.Profile ?? undefined,
    level: type === 'video' && present(s.Level) && s.Level > 0 ? s.Level : undefined,
    width: s.Width ?? undefined,
    height: s.Height ?? undefined,
    aspectRatio: s.AspectRatio ?? undefined,
    frameRate: s.RealFrameRate ?? s.AverageFrameRate ?? undefined,
    bitRate: s.BitRate ?? undefined,
    channels: s.Channels ?? undefined,
    sampleRate: s.SampleRate ?? undefined,
    language: s.Language ?? undefined,
    isInterlaced: type === 'video' ? (s.IsInterlaced ?? undefined) : undefined,
    isDefault: s.IsDefault ?? undefined,
    pixelFormat: s.PixelFormat ?? undefined,
  } as MediaStreamInfo);
}
