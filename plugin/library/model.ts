/**
 * The library model every adapter sees. Sources (Jellyfin, local folder) map their own data into
 * these readonly types; adapters never see SDK DTOs (DESIGN.md §3).
 *
 * Ids are opaque strings, stable across restarts (Jellyfin item ids, or a hash of the relative
 * path for the local folder), safe to put in URLs.
 */

export type StreamType = 'video' | 'audio' | 'subtitle' | 'data';

export interface MediaStreamInfo {
  readonly type: StreamType;
  /** Index of the stream in the container (ffmpeg's `-map 0:<index>`). */
  readonly index: number;
  /** ffmpeg codec name: h264, mpeg2video, aac, ac3, mp2, … */
  readonly codec: string;
  readonly profile?: string;
  /** Codec level as ffprobe reports it (h264: 41 for 4.1). */
  readonly level?: number;
  readonly width?: number;
  readonly height?: number;
  /** Display aspect ratio as "16:9", when known. */
  readonly aspectRatio?: string;
  readonly frameRate?: number;
  readonly bitRate?: number;
  readonly channels?: number;
  readonly sampleRate?: number;
  readonly language?: string;
  readonly isInterlaced?: boolean;
  readonly isDefault?: boolean;
  readonly pixelFormat?: string;
}

export interface MediaInfo {
  /** ffprobe format name(s), e.g. "mov,mp4,m4a,3gp,3g2,mj2" or Jellyfin's "mp4". */
  readonly container: string;
  readonly sizeBytes: number;
  readonly durationSeconds: number;
  /** Overall bit rate in bit/s. */
  readonly bitRate?: number;
  readonly streams: readonly MediaStreamInfo[];
}

export type MediaItemType = 'movie' | 'episode' | 'video' | 'music-video' | 'recording' | 'audio';

export interface Person {
  readonly name: string;
  /** Actor, Director, Writer, Producer, GuestStar, … (Jellyfin PersonKind). */
  readonly kind: string;
  readonly role?: string;
}

export interface ImageRef {
  /** Cache tag: changes when the image changes. */
  readonly tag: string;
}

interface EntryBase {
  readonly id: string;
  /** Parent folder id; undefined for library roots. */
  readonly parentId?: string;
  readonly title: string;
  /** Title used for sorting (Jellyfin SortName; articles stripped). */
  readonly sortTitle: string;
  /** When the item entered the library (ISO 8601). */
  readonly dateCreated: string;
  readonly image?: ImageRef;
}

export type FolderType = 'library' | 'folder' | 'series' | 'season' | 'collection';

export interface Folder extends EntryBase {
  readonly kind: 'folder';
  readonly folderType: FolderType;
  /** Jellyfin CollectionType of a library root (movies, tvshows, homevideos, …). */
  readonly collectionType?: string;
  readonly childCount?: number;
  readonly seasonNumber?: number;
}

export interface MediaItem extends EntryBase {
  readonly kind: 'item';
  readonly type: MediaItemType;
  readonly overview?: string;
  readonly seriesId?: string;
  readonly seriesName?: string;
  readonly seasonNumber?: number;
  readonly episodeNumber?: number;
  /** Original air date / premiere (ISO 8601). */
  readonly premiereDate?: string;
  readonly productionYear?: number;
  /** MPAA/TV rating string as the source has it ("TV-PG", "PG-13", "12"). */
  readonly officialRating?: string;
  readonly genres: readonly string[];
  readonly people: readonly Person[];
  readonly studios: readonly string[];
  /** Runtime in seconds (from the source's metadata or probe). */
  readonly durationSeconds?: number;
  /** Media details; undefined when unknown (not yet probed). */
  readonly media?: MediaInfo;
  /** False when the file cannot be read or decoded; `unplayableReason` says why. */
  readonly playable: boolean;
  readonly unplayableReason?: string;
  /** Provider ids (Imdb, Tmdb, Tvdb, Zap2It, …). */
  readonly providerIds: Readonly<Record<string, string>>;
}

export type LibraryEntry = Folder | MediaItem;

export interface Page<T> {
  readonly items: readonly T[];
  /** Total entries matching, before paging. */
  readonly total: number;
  readonly offset: number;
}

export type SortField = 'title' | 'dateCreated' | 'premiereDate' | 'type' | 'episode' | 'random';

export interface SortSpec {
  readonly by: SortField;
  readonly descending?: boolean;
}

export interface ListOptions {
  readonly offset?: number;
  /** Page size; undefined = all. */
  readonly limit?: number;
  /** Applied in order; folders-first is not implied. */
  readonly sort?: readonly SortSpec[];
  /** Descend into sub-folders and return only media items. */
  readonly recursive?: boolean;
  /** Restrict to folders or to media items. */
  readonly only?: 'folders' | 'items';
  readonly mediaTypes?: readonly MediaItemType[];
  /** Case-insensitive substring match on the title. */
  readonly search?: string;
}

/** Where the sidecar can read the original media bytes from. */
export type MediaInput =
  | { readonly kind: 'file'; readonly path: string }
  | {
      readonly kind: 'url';
      /** URL with credentials; never log it raw, never hand it to a device. */
      readonly url: string;
      /** Whether byte ranges work (static streams do, transcodes do not). */
      readonly seekable: boolean;
    };

export interface ImageData {
  readonly contentType: string;
  readonly body: Buffer;
}

export interface ImageRequest {
  readonly maxWidth?: number;
  readonly maxHeight?: number;
  readonly format?: 'jpg' | 'png';
}

export interface LibraryUser {
  readonly id: string;
  readonly name: string;
  readonly isAdministrator: boolean;
}

// ---- Playback sessions (what is playing where) ----

export interface PlaybackState {
  readonly positionSeconds: number;
  readonly isPaused: boolean;
  /** Wall-clock ms (Clock.now()) when the position report arrived at the sidecar. */
  readonly receivedAt: number;
  /** Monotonic ns (Clock.monotonicNs()) when the report arrived: anchor for extrapolation. */
  readonly receivedMonotonicNs: bigint;
  readonly mediaSourceId?: string;
  /** Playback speed (1 when playing, 0 when paused). */
  readonly playbackRate: number;
}

export interface PlaybackSession {
  readonly id: string;
  readonly userId?: string;
  readonly userName?: string;
  readonly client: string;
  readonly deviceId: string;
  readonly deviceName: string;
  readonly remoteAddress?: string;
  readonly lastActivity: string;
  /** What is playing, if anything. */
  readonly nowPlaying?: {
    readonly item: MediaItem;
    readonly state: PlaybackState;
  };
}

export type PlaybackEvent =
  | { readonly type: 'sessions'; readonly sessions: readonly PlaybackSession[] }
  | { readonly type: 'connection'; readonly state: 'connected' | 'polling' | 'disconnected' };

// ---- Live TV ----

export interface Channel {
  readonly id: string;
  readonly number: string;
  readonly name: string;
  /** Call sign as broadcast (e.g. "FOOD"), when known. */
  readonly callSign?: string;
}

export interface Program {
  readonly id: string;
  readonly channelId: string;
  readonly title: string;
  readonly episodeTitle?: string;
  readonly overview?: string;
  /** ISO 8601 UTC. */
  readonly start: string;
  readonly end: string;
  readonly isSeries: boolean;
  readonly isMovie: boolean;
  readonly seasonNumber?: number;
  readonly episodeNumber?: number;
  readonly genres: readonly string[];
  /** Timer scheduled for this program, if any. */
  readonly timerId?: string;
}

export type TimerStatus = 'new' | 'in-progress' | 'completed' | 'cancelled' | 'conflicted' | 'error';

export interface Timer {
  readonly id: string;
  readonly channelId: string;
  readonly programId?: string;
  readonly name: string;
  readonly start: string;
  readonly end: string;
  readonly prePaddingSeconds: number;
  readonly postPaddingSeconds: number;
  readonly status: TimerStatus;
  readonly seriesTimerId?: string;
}

export interface ProgramQuery {
  readonly channelIds?: readonly string[];
  /** ISO 8601: programs ending after this. */
  readonly from?: string;
  /** ISO 8601: programs starting before this. */
  readonly to?: string;
  readonly search?: string;
  readonly limit?: number;
}
