/**
 * The facades adapters use to reach the library, live TV and playback state. Two
 * implementations: Jellyfin (plugin/jellyfin/) and the embedded local folder
 * (plugin/library/local-folder.ts). Where the local folder has no such thing (live TV from
 * Jellyfin, playback sessions), it throws SidecarError kind `unavailable`.
 *
 * `userId` is the library user a device browses as (a Jellyfin user id). Every call that lists
 * or reads items takes it, so a device sees only what that user may see. The local folder has
 * a single implicit user and ignores it.
 */
import type {
  Channel,
  Folder,
  ImageData,
  ImageRequest,
  LibraryEntry,
  LibraryUser,
  ListOptions,
  MediaInput,
  Page,
  PlaybackEvent,
  PlaybackSession,
  Program,
  ProgramQuery,
  Timer,
} from './model.js';

export type SourceState = 'starting' | 'ready' | 'degraded' | 'failed' | 'stopped';

export interface SourceHealth {
  readonly kind: 'jellyfin' | 'local';
  readonly state: SourceState;
  readonly detail: string;
  readonly since: string;
  readonly lastError?: { readonly code: string; readonly message: string; readonly at: string };
  readonly counters: Readonly<Record<string, number>>;
}

export interface LibraryFacade {
  readonly kind: 'jellyfin' | 'local';
  /** The libraries (top-level folders) this user sees. */
  listRoots(userId?: string): Promise<readonly Folder[]>;
  /** Children of a folder, paged and sorted; `parentId` undefined = the roots. */
  listChildren(userId: string | undefined, parentId: string | undefined, options?: ListOptions): Promise<Page<LibraryEntry>>;
  /** One entry, or undefined when it does not exist or the user may not see it. */
  getItem(userId: string | undefined, id: string): Promise<LibraryEntry | undefined>;
  /** Primary image (poster/thumbnail) of an entry, or undefined when it has none. */
  getImage(id: string, request?: ImageRequest): Promise<ImageData | undefined>;
  /**
   * Where to read the original bytes of a media item: a local path when the sidecar can read
   * the file (path mapping applied), else the source's static stream URL.
   */
  getMediaInput(userId: string | undefined, id: string): Promise<MediaInput>;
  /** Users a device may browse as (one implicit user for the local folder). */
  listUsers(): Promise<readonly LibraryUser[]>;
  /** Tell the source that files changed under these paths (as the source sees them). */
  notifyMediaUpdated(paths: readonly string[], updateType?: 'Created' | 'Modified' | 'Deleted'): Promise<void>;
  /** Full rescan (local folder) or library refresh (Jellyfin). */
  rescan(): Promise<void>;
  /**
   * Optional (Jellyfin only): a progressive transcode done by the source itself ("transcode in
   * Jellyfin"). The result is a URL that is not seekable: no byte ranges, a seek is a new call
   * with another `startSeconds`, and the CPU cost lands on the Jellyfin host
   * (plugin/jellyfin/README.md).
   */
  getServerTranscodeInput?(userId: string | undefined, id: string, request: ServerTranscodeRequest): Promise<MediaInput>;
  /**
   * Optional (Jellyfin only): makes sure a library shows the folder `path` (as the sidecar sees
   * it; the source maps it to its own view, for Jellyfin the reverse of `jellyfin.pathMappings`).
   * When no library holds that folder, one named `name` of `collectionType` is created and
   * scanned; an existing one is left as it is.
   */
  ensureLibrary?(name: string, collectionType: LibraryCollectionType, path: string): Promise<EnsureLibraryResult>;
}

/** Jellyfin library kinds the sidecar may create (a subset of Jellyfin's CollectionTypeOptions). */
export type LibraryCollectionType = 'homevideos' | 'movies' | 'tvshows' | 'musicvideos' | 'mixed';

/** What `LibraryFacade.ensureLibrary` found or did. */
export interface EnsureLibraryResult {
  /** True when the library was created now; false when one already held the folder. */
  readonly created: boolean;
  /** The library's name (an existing library keeps its own). */
  readonly name: string;
  /** The folder as the source sees it. */
  readonly path: string;
}

/** What to ask the source's own transcoder for (container and ffmpeg encoder names). */
export interface ServerTranscodeRequest {
  /** ts, mpeg, mp4, mkv, flv, … */
  readonly container: string;
  /** ffmpeg encoder name Jellyfin passes through (mpeg2video, h264, flv, …). */
  readonly videoCodec: string;
  /** aac, ac3, mp2, mp3, … */
  readonly audioCodec: string;
  readonly videoBitrateKbps?: number;
  readonly audioBitrateKbps?: number;
  readonly maxWidth?: number;
  readonly maxHeight?: number;
  /** Start offset in seconds (sent as startTimeTicks). */
  readonly startSeconds?: number;
}

export interface LiveTvFacade {
  /** Whether live TV is available at all (false for the local folder without an XMLTV guide). */
  isAvailable(): Promise<boolean>;
  listChannels(userId?: string): Promise<readonly Channel[]>;
  listPrograms(query: ProgramQuery, userId?: string): Promise<readonly Program[]>;
  listTimers(): Promise<readonly Timer[]>;
  /** Creates a timer for a program; resolves with the created timer (found after creation). */
  createTimer(programId: string): Promise<Timer>;
  cancelTimer(timerId: string): Promise<void>;
  /** Number of tuners available for recording (for conflict checks). */
  tunerCount(): Promise<number>;
  /** Default pre/post padding for new timers, in seconds. */
  defaultPadding(): Promise<{ readonly prePaddingSeconds: number; readonly postPaddingSeconds: number }>;
}

export interface PlaybackFacade {
  /** Current sessions (from the last push or poll). */
  sessions(): readonly PlaybackSession[];
  /** Subscribe to session updates; returns an unsubscribe function. */
  subscribe(listener: (event: PlaybackEvent) => void): () => void;
}

/** A library source: the three facades plus lifecycle and health. */
export interface LibrarySource {
  readonly library: LibraryFacade;
  readonly liveTv: LiveTvFacade;
  readonly playback: PlaybackFacade;
  start(signal: AbortSignal): Promise<void>;
  stop(): Promise<void>;
  health(): SourceHealth;
}
