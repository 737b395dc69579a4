/**
 * The stand-in's in-memory library: users with different library access, a movies library, a
 * tvshows library (series → seasons → episodes), an optional large home-videos library, and
 * DTO builders that honour `fields=` the way Jellyfin does (list calls include only the
 * requested optional fields; single-item reads include all).
 */
import { guid, jellyfinDate, tag } from './ids.js';

export const SERVER_ID = guid('fake-jellyfin-server');
const TICKS = 10_000_000;

export type Kind = 'CollectionFolder' | 'UserView' | 'Series' | 'Season' | 'Episode' | 'Movie' | 'Video' | 'Folder';

export interface MediaFile {
  /** Path as Jellyfin reports it (under `/media/...`). */
  readonly jellyfinPath: string;
  /** Real file the stand-in serves; undefined in unit tests without media. */
  readonly localPath?: string;
  readonly size: number;
  readonly durationSeconds: number;
  /** What the media source reports instead of the default H.264/AAC MP4 (see ClipDescription). */
  readonly description?: ClipDescription;
}

/**
 * How the stand-in describes the clip in MediaSources/MediaStreams, for clips that are not the
 * default 320x240 H.264 + AAC MP4: `container` replaces the container string, each `streams`
 * entry is merged over the default stream DTO at the same position (video, audio).
 */
export interface ClipDescription {
  readonly container?: string;
  readonly streams?: readonly Readonly<Record<string, unknown>>[];
}

export interface FakeItem {
  readonly id: string;
  readonly kind: Kind;
  readonly name: string;
  readonly sortName: string;
  readonly parentId?: string;
  /** Library (CollectionFolder) the item belongs to; the item itself for a library. */
  readonly libraryId: string;
  readonly collectionType?: string;
  readonly dateCreated: number;
  readonly premiereDate?: number;
  readonly productionYear?: number;
  readonly indexNumber?: number;
  readonly parentIndexNumber?: number;
  readonly seriesId?: string;
  readonly seriesName?: string;
  readonly seasonId?: string;
  readonly seasonName?: string;
  readonly overview?: string;
  readonly genres?: readonly string[];
  readonly studios?: readonly string[];
  readonly people?: readonly { name: string; type: string; role?: string }[];
  readonly officialRating?: string;
  readonly providerIds?: Readonly<Record<string, string>>;
  readonly hasImage: boolean;
  readonly media?: MediaFile;
  readonly virtual?: boolean;
}

export interface FakeUser {
  readonly id: string;
  readonly name: string;
  readonly isAdministrator: boolean;
  /** Library ids this user may see. */
  readonly libraries: readonly string[];
}

export interface LibraryOptions {
  /** Real clip served for every media item (generated with tests/support/media.ts). */
  readonly clip?: { readonly path: string; readonly size: number; readonly durationSeconds: number; readonly description?: ClipDescription };
  /** Number of generated items in the "Home Videos" library (paging tests). */
  readonly bigFolderSize?: number;
  /** Fixed "now" for dates (ms). */
  readonly now: number;
}

export class FakeLibrary {
  readonly items = new Map<string, FakeItem>();
  readonly users: FakeUser[] = [];
  readonly moviesId = guid('lib:movies');
  readonly showsId = guid('lib:tvshows');
  readonly homeVideosId = guid('lib:homevideos');
  readonly liveTvViewId = guid('view:livetv');
  readonly order: string[] = [];

  constructor(private readonly options: LibraryOptions) {
    this.build();
  }

  private add(item: FakeItem): FakeItem {
    this.items.set(item.id, item);
    this.order.push(item.id);
    return item;
  }

  private media(path: string): MediaFile {
    const clip = this.options.clip;
    return clip === undefined
      ? { jellyfinPath: path, size: 123_456, durationSeconds: 2 }
      : { jellyfinPath: path, localPath: clip.path, size: clip.size, durationSeconds: clip.durationSeconds, ...(clip.description === undefined ? {} : { description: clip.description }) };
  }

  private build(): void {
    const day = 86_400_000;
    const t0 = this.options.now - 30 * day;
    this.add({ id: this.moviesId, kind: 'CollectionFolder', name: 'Movies', sortName: 'movies', libraryId: this.moviesId, collectionType: 'movies', dateCreated: t0, hasImage: true });
    this.add({ id: this.showsId, kind: 'CollectionFolder', name: 'TV Shows', sortName: 'tv shows', libraryId: this.showsId, collectionType: 'tvshows', dateCreated: t0, hasImage: false });
    const movies: [string, string, number][] = [
      ['Big Buck Test', 'big buck test', 2008],
      ['The Night Clip', 'night clip', 2019],
      ['An Ocean Sample', 'ocean sample', 2021],
    ];
    movies.forEach(([name, sortName, year], i) =>
      this.add({
        id: guid(`movie:${name}`),
        kind: 'Movie',
        name,
        sortName,
        parentId: this.moviesId,
        libraryId: this.moviesId,
        dateCreated: t0 + (i + 1) * day,
        premiereDate: Date.UTC(year, 3, 10),
        productionYear: year,
        overview: `${name}: a short generated clip.`,
        genres: ['Animation', 'Comedy'],
        studios: ['Blender Foundation'],
        people: [
          { name: 'Sacha Director', type: 'Director' },
          { name: 'Alex Actor', type: 'Actor', role: 'The Rabbit' },
        ],
        officialRating: 'PG',
        providerIds: { Imdb: `tt${1000000 + i}`, Tmdb: String(10_000 + i) },
        hasImage: i !== 2,
        media: this.media(`/media/movies/${name}/${name}.mp4`),
      }),
    );
    const seriesId = guid('series:Test Show');
    this.add({ id: seriesId, kind: 'Series', name: 'Test Show', sortName: 'test show', parentId: this.showsId, libraryId: this.showsId, dateCreated: t0, premiereDate: Date.UTC(2020, 0, 1), productionYear: 2020, overview: 'A show of test patterns.', genres: ['Documentary'], officialRating: 'TV-PG', providerIds: { Tvdb: '424242' }, hasImage: true });
    for (const [season, episodes] of [[1, 3], [2, 1]] as const) {
      const seasonId = guid(`season:${season}`);
      this.add({ id: seasonId, kind: 'Season', name: `Season ${season}`, sortName: `season ${String(season).padStart(3, '0')}`, parentId: seriesId, libraryId: this.showsId, indexNumber: season, seriesId, seriesName: 'Test Show', dateCreated: t0, hasImage: false });
      for (let e = 1; e <= episodes; e++) {
        const name = `Pattern ${season}x${e}`;
        this.add({
          id: guid(`episode:${season}:${e}`),
          kind: 'Episode',
          name,
          sortName: name.toLowerCase(),
          parentId: seasonId,
          libraryId: this.showsId,
          indexNumber: e,
          parentIndexNumber: season,
          seriesId,
          seriesName: 'Test Show',
          seasonId,
          seasonName: `Season ${season}`,
          dateCreated: t0 + (season * 10 + e) * day,
          premiereDate: Date.UTC(2020, season, e),
          productionYear: 2020,
          overview: `Episode ${e} of season ${season}.`,
          genres: ['Documentary'],
          people: [{ name: 'Guest Star', type: 'GuestStar' }],
          officialRating: 'TV-PG',
          providerIds: { Tvdb: String(5000 + season * 100 + e) },
          hasImage: true,
          media: this.media(`/media/tv/Test Show/Season ${season}/S0${season}E0${e}.mp4`),
        });
      }
    }
    // A missing (virtual) episode: listed by Jellyfin, not playable.
    this.add({ id: guid('episode:2:2'), kind: 'Episode', name: 'Pattern 2x2', sortName: 'pattern 2x2', parentId: guid('season:2'), libraryId: this.showsId, indexNumber: 2, parentIndexNumber: 2, seriesId, seriesName: 'Test Show', seasonId: guid('season:2'), seasonName: 'Season 2', dateCreated: t0, hasImage: false, virtual: true });

    const big = this.options.bigFolderSize ?? 0;
    if (big > 0) {
      this.add({ id: this.homeVideosId, kind: 'CollectionFolder', name: 'Home Videos', sortName: 'home videos', libraryId: this.homeVideosId, collectionType: 'homevideos', dateCreated: t0, hasImage: false });
      for (let i = 0; i < big; i++) {
        const name = `Clip ${String(i).padStart(5, '0')}`;
        this.add({ id: guid(`home:${i}`), kind: 'Video', name, sortName: name.toLowerCase(), parentId: this.homeVideosId, libraryId: this.homeVideosId, dateCreated: t0 + i * 1000, hasImage: false, media: this.media(`/media/home/${name}.mp4`) });
      }
    }
    const libs = [this.moviesId, this.showsId, ...(big > 0 ? [this.homeVideosId] : [])];
    this.users.push({ id: guid('user:alice'), name: 'alice', isAdministrator: true, libraries: libs });
    this.users.push({ id: guid('user:bob'), name: 'bob', isAdministrator: false, libraries: [this.showsId] });
  }

  /** Adds a library created through POST /Library/VirtualFolders (visible to administrators). */
  addLibrary(name: string, collectionType: string | undefined): FakeItem {
    const id = guid(`lib:${name}`);
    const item = this.add({ id, kind: 'CollectionFolder', name, sortName: name.toLowerCase(), libraryId: id, dateCreated: this.options.now, hasImage: false, ...(collectionType === undefined ? {} : { collectionType }) });
    for (const [i, u] of this.users.entries()) if (u.isAdministrator) this.users[i] = { ...u, libraries: [...u.libraries, id] };
    return item;
  }

  user(id: string | undefined): FakeUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  visible(item: FakeItem, user: FakeUser | undefined): boolean {
    return user === undefined || user.libraries.includes(item.libraryId);
  }

  libraries(): FakeItem[] {
    return this.order.map((id) => this.items.get(id)!).filter((i) => i.kind === 'CollectionFolder');
  }

  children(parentId: string): FakeItem[] {
    return this.order.map((id) => this.items.get(id)!).filter((i) => i.parentId === parentId);
  }

  descendants(parentId: string | undefined): FakeItem[] {
    const all = this.order.map((id) => this.items.get(id)!).filter((i) => i.kind !== 'CollectionFolder');
    if (parentId === undefined) return all;
    return all.filter((i) => this.isUnder(i, parentId));
  }

  private isUnder(item: FakeItem, ancestor: string): boolean {
    let current: FakeItem | undefined = item;
    while (current?.parentId !== undefined) {
      if (current.parentId === ancestor) return true;
      current = this.items.get(current.parentId);
    }
    return false;
  }

  childCount(id: string): number {
    return this.children(id).length;
  }
}

const IS_FOLDER: ReadonlySet<Kind> = new Set(['CollectionFolder', 'UserView', 'Series', 'Season', 'Folder']);

export function isFolder(item: FakeItem): boolean {
  return IS_FOLDER.has(item.kind);
}

function mediaSource(item: FakeItem, media: MediaFile): Record<string, unknown> {
  const ticks = Math.round(media.durationSeconds * TICKS);
  return {
    Protocol: 'File',
    Id: item.id,
    Path: media.jellyfinPath,
    Type: 'Default',
    Container: media.description?.container ?? DEFAULT_CONTAINER,
    Size: media.size,
    Name: item.name,
    IsRemote: false,
    ETag: tag(item.id),
    RunTimeTicks: ticks,
    ReadAtNativeFramerate: false,
    IgnoreDts: false,
    IgnoreIndex: false,
    GenPtsInput: false,
    SupportsTranscoding: true,
    SupportsDirectStream: true,
    SupportsDirectPlay: true,
    IsInfiniteStream: false,
    UseMostCompatibleTranscodingProfile: false,
    RequiresOpening: false,
    RequiresClosing: false,
    RequiresLooping: false,
    SupportsProbing: true,
    VideoType: 'VideoFile',
    MediaStreams: mediaStreams(media.description),
    MediaAttachments: [],
    Formats: [],
    Bitrate: Math.round((media.size * 8) / Math.max(media.durationSeconds, 0.001)),
    RequiredHttpHeaders: {},
    TranscodingSubProtocol: 'http',
    DefaultAudioStreamIndex: 1,
    HasSegments: false,
  };
}

const DEFAULT_CONTAINER = 'mov,mp4,m4a,3gp,3g2,mj2';

function mediaStreams(description?: ClipDescription): Record<string, unknown>[] {
  const overrides = description?.streams ?? [];
  return defaultStreams().map((stream, i) => ({ ...stream, ...overrides[i] }));
}

function defaultStreams(): Record<string, unknown>[] {
  return [
    {
      Codec: 'h264',
      TimeBase: '1/12800',
      VideoRange: 'SDR',
      VideoRangeType: 'SDR',
      DisplayTitle: '240p H264 SDR',
      IsInterlaced: false,
      IsAVC: true,
      BitRate: 300_000,
      BitDepth: 8,
      RefFrames: 1,
      IsDefault: true,
      IsForced: false,
      IsHearingImpaired: false,
      Height: 240,
      Width: 320,
      AverageFrameRate: 25,
      RealFrameRate: 25,
      ReferenceFrameRate: 25,
      Profile: 'High',
      Type: 'Video',
      AspectRatio: '4:3',
      Index: 0,
      IsExternal: false,
      IsTextSubtitleStream: false,
      SupportsExternalStream: false,
      PixelFormat: 'yuv420p',
      Level: 13,
      IsAnamorphic: false,
    },
    {
      Codec: 'aac',
      Language: 'eng',
      TimeBase: '1/48000',
      DisplayTitle: 'English - AAC - Mono - Default',
      IsInterlaced: false,
      ChannelLayout: 'mono',
      BitRate: 69_000,
      Channels: 1,
      SampleRate: 48_000,
      IsDefault: true,
      IsForced: false,
      IsHearingImpaired: false,
      Profile: 'LC',
      Type: 'Audio',
      Index: 1,
      IsExternal: false,
      IsTextSubtitleStream: false,
      SupportsExternalStream: false,
      Level: 0,
    },
  ];
}

/** Optional fields a list call must request (ItemFields) before the stand-in includes them. */
export type Field = 'Path' | 'Overview' | 'MediaSources' | 'MediaStreams' | 'DateCreated' | 'Genres' | 'People' | 'Studios' | 'ProviderIds' | 'ParentId' | 'SortName' | 'ChildCount';
export const ALL_FIELDS: ReadonlySet<string> = new Set<Field>(['Path', 'Overview', 'MediaSources', 'MediaStreams', 'DateCreated', 'Genres', 'People', 'Studios', 'ProviderIds', 'ParentId', 'SortName', 'ChildCount']);

export function itemDto(lib: FakeLibrary, item: FakeItem, fields: ReadonlySet<string>): Record<string, unknown> {
  const folder = isFolder(item);
  const dto: Record<string, unknown> = {
    Name: item.name,
    ServerId: SERVER_ID,
    Id: item.id,
    Type: item.kind,
    IsFolder: folder,
    LocationType: item.virtual === true ? 'Virtual' : 'FileSystem',
    ImageTags: item.hasImage ? { Primary: tag(item.id) } : {},
    BackdropImageTags: [],
    ImageBlurHashes: {},
  };
  if (!folder) dto['MediaType'] = item.virtual === true ? 'Unknown' : 'Video';
  if (item.collectionType !== undefined) dto['CollectionType'] = item.collectionType;
  if (item.premiereDate !== undefined) dto['PremiereDate'] = jellyfinDate(item.premiereDate);
  if (item.productionYear !== undefined) dto['ProductionYear'] = item.productionYear;
  if (item.indexNumber !== undefined) dto['IndexNumber'] = item.indexNumber;
  if (item.parentIndexNumber !== undefined) dto['ParentIndexNumber'] = item.parentIndexNumber;
  if (item.seriesId !== undefined) dto['SeriesId'] = item.seriesId;
  if (item.seriesName !== undefined) dto['SeriesName'] = item.seriesName;
  if (item.seasonId !== undefined) dto['SeasonId'] = item.seasonId;
  if (item.seasonName !== undefined) dto['SeasonName'] = item.seasonName;
  if (item.officialRating !== undefined) dto['OfficialRating'] = item.officialRating;
  if (item.media !== undefined) {
    dto['RunTimeTicks'] = Math.round(item.media.durationSeconds * TICKS);
    dto['Container'] = item.media.description?.container ?? DEFAULT_CONTAINER;
    dto['VideoType'] = 'VideoFile';
  }
  const want = (f: Field): boolean => fields.has(f);
  if (want('SortName')) dto['SortName'] = item.sortName;
  if (want('DateCreated')) dto['DateCreated'] = jellyfinDate(item.dateCreated);
  if (want('ParentId') && item.parentId !== undefined) dto['ParentId'] = item.parentId;
  if (want('Overview') && item.overview !== undefined) dto['Overview'] = item.overview;
  if (want('Genres')) dto['Genres'] = [...(item.genres ?? [])];
  if (want('Studios')) dto['Studios'] = (item.studios ?? []).map((s) => ({ Name: s, Id: guid(`studio:${s}`) }));
  if (want('People')) {
    dto['People'] = (item.people ?? []).map((p) => ({ Name: p.name, Id: guid(`person:${p.name}`), Type: p.type, ...(p.role === undefined ? {} : { Role: p.role }) }));
  }
  if (want('ProviderIds')) dto['ProviderIds'] = { ...(item.providerIds ?? {}) };
  if (want('ChildCount') && folder) dto['ChildCount'] = lib.childCount(item.id);
  if (want('Path')) {
    if (item.media !== undefined) dto['Path'] = item.media.jellyfinPath;
    else if (item.kind === 'CollectionFolder') dto['Path'] = `/config/root/default/${item.name}`;
  }
  if (item.media !== undefined && item.virtual !== true) {
    if (want('MediaSources')) dto['MediaSources'] = [mediaSource(item, item.media)];
    if (want('MediaStreams')) dto['MediaStreams'] = mediaStreams(item.media.description);
  }
  return dto;
}
