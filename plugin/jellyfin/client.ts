/**
 * The only module that imports `@jellyfin/sdk` and `axios` at run time (DESIGN.md §5). It wraps
 * the SDK's generated API factories (deep imports, see DESIGN.md §7.1) into a small typed client:
 * one method per endpoint the sidecar uses, each checking the answer's shape and turning any
 * failure into a SidecarError that names the endpoint. Services above it never see axios.
 */
import axios, { isAxiosError, type AxiosInstance, type AxiosResponse, type RawAxiosRequestConfig } from 'axios';
import { Api } from '@jellyfin/sdk/lib/api.js';
import { getImageApi } from '@jellyfin/sdk/lib/utils/api/image-api.js';
import { getLibraryApi } from '@jellyfin/sdk/lib/utils/api/library-api.js';
import { getLibraryStructureApi } from '@jellyfin/sdk/lib/utils/api/library-structure-api.js';
import { getLiveTvApi } from '@jellyfin/sdk/lib/utils/api/live-tv-api.js';
import { getSessionApi } from '@jellyfin/sdk/lib/utils/api/session-api.js';
import { getSystemApi } from '@jellyfin/sdk/lib/utils/api/system-api.js';
import { getUserApi } from '@jellyfin/sdk/lib/utils/api/user-api.js';
import { getUserViewApi } from '@jellyfin/sdk/lib/utils/api/user-view-api.js';
import type {
  BaseItemDto,
  BaseItemDtoQueryResult,
  BaseItemKind,
  CollectionTypeOptions,
  ItemFields,
  ItemFilter,
  ItemSortBy,
  LibraryOptions,
  PublicSystemInfo,
  SessionInfoDto,
  SeriesTimerInfoDto,
  SortOrder,
  TimerInfoDto,
  TimerInfoDtoQueryResult,
  UserDto,
  VirtualFolderInfo,
} from '@jellyfin/sdk/lib/generated-client/models/index.js';
import type { SidecarError } from '../util/errors.js';
import { buildAuthorizationHeader, type ClientIdentity } from './auth-header.js';
import { badResponse, classifyFailure, describeBody, serverMessage } from './errors.js';

export type {
  BaseItemDto,
  BaseItemDtoQueryResult,
  BaseItemPerson,
  MediaSourceInfo,
  MediaStream,
  PublicSystemInfo,
  SessionInfoDto,
  SeriesTimerInfoDto,
  TimerInfoDto,
  TimerInfoDtoQueryResult,
  UserDto,
  VirtualFolderInfo,
} from '@jellyfin/sdk/lib/generated-client/models/index.js';

/** `/Items` parameters the sidecar uses, in the server's names (built by query.ts). */
export interface ItemsQuery {
  readonly userId: string;
  readonly parentId?: string;
  readonly ids?: readonly string[];
  readonly recursive?: boolean;
  readonly startIndex?: number;
  readonly limit?: number;
  readonly sortBy?: readonly string[];
  readonly sortOrder?: readonly ('Ascending' | 'Descending')[];
  readonly searchTerm?: string;
  readonly includeItemTypes?: readonly string[];
  readonly filters?: readonly string[];
  readonly fields: readonly string[];
}

export interface ProgramsQuery {
  readonly userId?: string;
  readonly channelIds?: readonly string[];
  readonly minEndDate?: string;
  readonly maxStartDate?: string;
  readonly limit?: number;
}

export interface JellyfinClientOptions {
  readonly url: string;
  readonly apiKey: string;
  readonly identity: ClientIdentity;
  /** Per-request timeout; default 15 s. */
  readonly timeoutMs?: number;
}

export interface FetchedImage {
  readonly contentType: string;
  readonly body: Buffer;
}

type Call<T> = (options: RawAxiosRequestConfig) => Promise<AxiosResponse<T>>;

function toSidecarError(endpoint: string, error: unknown): SidecarError {
  if (isAxiosError(error)) {
    const message = serverMessage(error.response?.data);
    return classifyFailure(endpoint, {
      ...(error.response?.status === undefined ? {} : { status: error.response.status }),
      ...(error.code === undefined ? {} : { code: error.code }),
      message: error.message,
      ...(message === undefined ? {} : { serverMessage: message }),
    });
  }
  return classifyFailure(endpoint, { message: error instanceof Error ? error.message : String(error), code: 'EUNKNOWN' });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** Typed access to the Jellyfin endpoints the sidecar uses. */
export class JellyfinClient {
  readonly baseUrl: string;
  /** The full `Authorization: MediaBrowser …` value (also sent on the socket upgrade). */
  readonly authorization: string;
  private readonly api: Api;
  private readonly http: AxiosInstance;

  constructor(options: JellyfinClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.authorization = buildAuthorizationHeader(options.identity, options.apiKey);
    // Our own axios instance: no global defaults leak in, a timeout, and the one auth header.
    this.http = axios.create({
      timeout: options.timeoutMs ?? 15_000,
      headers: { Authorization: this.authorization },
      maxRedirects: 3,
    });
    this.api = new Api(
      this.baseUrl,
      { name: options.identity.client, version: options.identity.version },
      { name: options.identity.device, id: options.identity.deviceId },
      options.apiKey,
      this.http,
    );
  }

  private async call<T>(endpoint: string, fn: Call<T>, signal?: AbortSignal): Promise<AxiosResponse<T>> {
    try {
      return await fn(signal === undefined ? {} : { signal });
    } catch (error) {
      throw toSidecarError(endpoint, error);
    }
  }

  private async object<T>(endpoint: string, fn: Call<T>, signal?: AbortSignal): Promise<T> {
    const { data } = await this.call(endpoint, fn, signal);
    if (!isObject(data)) throw badResponse(endpoint, describeBody(data));
    return data;
  }

  private async array<T>(endpoint: string, fn: Call<T[]>, signal?: AbortSignal): Promise<T[]> {
    const { data } = await this.call(endpoint, fn, signal);
    if (!Array.isArray(data)) throw badResponse(endpoint, `${describeBody(data)} instead of a JSON array`);
    return data;
  }

  private async queryResult<R extends { Items?: unknown }>(endpoint: string, fn: Call<R>, signal?: AbortSignal): Promise<R & { Items: NonNullable<R['Items']> }> {
    const data = await this.object(endpoint, fn, signal);
    if (!Array.isArray(data.Items)) throw badResponse(endpoint, 'no Items array');
    return data as R & { Items: NonNullable<R['Items']> };
  }

  /** Anonymous; used as the reachability + version probe. */
  publicInfo(signal?: AbortSignal): Promise<PublicSystemInfo> {
    return this.object('GET /System/Info/Public', (o) => getSystemApi(this.api).getPublicSystemInfo(o), signal);
  }

  users(signal?: AbortSignal): Promise<UserDto[]> {
    return this.array('GET /Users', (o) => getUserApi(this.api).getUsers({ isDisabled: false }, o), signal);
  }

  userViews(userId: string, signal?: AbortSignal): Promise<BaseItemDtoQueryResult & { Items: BaseItemDto[] }> {
    return this.queryResult('GET /UserViews', (o) => getUserViewApi(this.api).getUserViews({ userId }, o), signal);
  }

  items(query: ItemsQuery, signal?: AbortSignal): Promise<BaseItemDtoQueryResult & { Items: BaseItemDto[] }> {
    return this.queryResult(
      'GET /Items',
      (o) =>
        getLibraryApi(this.api).getItems(
          {
            userId: query.userId,
            ...(query.parentId === undefined ? {} : { parentId: query.parentId }),
            ...(query.ids === undefined ? {} : { ids: [...query.ids] }),
            ...(query.recursive === undefined ? {} : { recursive: query.recursive }),
            ...(query.startIndex === undefined ? {} : { startIndex: query.startIndex }),
            ...(query.limit === undefined ? {} : { limit: query.limit }),
            ...(query.sortBy === undefined ? {} : { sortBy: [...query.sortBy] as ItemSortBy[] }),
            ...(query.sortOrder === undefined ? {} : { sortOrder: [...query.sortOrder] as SortOrder[] }),
            ...(query.searchTerm === undefined ? {} : { searchTerm: query.searchTerm }),
            ...(query.includeItemTypes === undefined ? {} : { includeItemTypes: [...query.includeItemTypes] as BaseItemKind[] }),
            ...(query.filters === undefined ? {} : { filters: [...query.filters] as ItemFilter[] }),
            fields: [...query.fields] as ItemFields[],
            enableImageTypes: ['Primary'],
            imageTypeLimit: 1,
            enableTotalRecordCount: true,
            enableUserData: false,
          },
          o,
        ),
      signal,
    );
  }

  /** Primary image as JPEG/PNG bytes; undefined when the item has none (404). */
  async primaryImage(
    itemId: string,
    request: { readonly maxWidth?: number; readonly maxHeight?: number; readonly format: 'Jpg' | 'Png' },
    signal?: AbortSignal,
  ): Promise<FetchedImage | undefined> {
    const endpoint = 'GET /Items/{itemId}/Images/Primary';
    try {
      const response = await this.call<ArrayBuffer>(
        endpoint,
        (o) =>
          getImageApi(this.api).getItemImage(
            {
              itemId,
              imageType: 'Primary',
              format: request.format,
              ...(request.maxWidth === undefined ? {} : { maxWidth: request.maxWidth }),
              ...(request.maxHeight === undefined ? {} : { maxHeight: request.maxHeight }),
            },
            { ...o, responseType: 'arraybuffer' },
          ) as unknown as Promise<AxiosResponse<ArrayBuffer>>,
        signal,
      );
      const type = response.headers['content-type'];
      const contentType = typeof type === 'string' ? type.split(';')[0]?.trim() ?? '' : '';
      if (!contentType.startsWith('image/')) throw badResponse(endpoint, `content type "${contentType}" is not an image`);
      return { contentType, body: Buffer.from(response.data) };
    } catch (error) {
      if ((error as SidecarError).code === 'ERR_JELLYFIN_NOT_FOUND') return undefined;
      throw error;
    }
  }

  async mediaUpdated(updates: readonly { readonly Path: string; readonly UpdateType: string }[], signal?: AbortSignal): Promise<void> {
    await this.call('POST /Library/Media/Updated', (o) => getLibraryApi(this.api).postUpdatedMedia({ mediaUpdateInfoDto: { Updates: [...updates] } }, o), signal);
  }

  async refreshLibrary(signal?: AbortSignal): Promise<void> {
    await this.call('POST /Library/Refresh', (o) => getLibraryApi(this.api).refreshLibrary(o), signal);
  }

  /** The libraries (virtual folders) with their folders as Jellyfin sees them; needs an admin key. */
  virtualFolders(signal?: AbortSignal): Promise<VirtualFolderInfo[]> {
    return this.array('GET /Library/VirtualFolders', (o) => getLibraryStructureApi(this.api).getVirtualFolders(o), signal);
  }

  /** Creates a library over `paths` and (with `refreshLibrary`) scans it. */
  async addVirtualFolder(
    request: { readonly name: string; readonly collectionType: CollectionTypeOptions; readonly paths: readonly string[]; readonly refreshLibrary: boolean; readonly libraryOptions: LibraryOptions },
    signal?: AbortSignal,
  ): Promise<void> {
    await this.call(
      'POST /Library/VirtualFolders',
      (o) =>
        getLibraryStructureApi(this.api).addVirtualFolder(
          { name: request.name, collectionType: request.collectionType, paths: [...request.paths], refreshLibrary: request.refreshLibrary, addVirtualFolderDto: { LibraryOptions: request.libraryOptions } },
          o,
        ),
      signal,
    );
  }

  liveTvInfo(signal?: AbortSignal): Promise<{ IsEnabled?: boolean }> {
    return this.object('GET /LiveTv/Info', (o) => getLiveTvApi(this.api).getLiveTvInfo(o), signal);
  }

  channels(userId: string | undefined, signal?: AbortSignal): Promise<BaseItemDtoQueryResult & { Items: BaseItemDto[] }> {
    return this.queryResult(
      'GET /LiveTv/Channels',
      (o) => getLiveTvApi(this.api).getLiveTvChannels({ ...(userId === undefined ? {} : { userId }), enableImages: false, enableUserData: false }, o),
      signal,
    );
  }

  programs(query: ProgramsQuery, signal?: AbortSignal): Promise<BaseItemDtoQueryResult & { Items: BaseItemDto[] }> {
    return this.queryResult(
      'GET /LiveTv/Programs',
      (o) =>
        getLiveTvApi(this.api).getLiveTvPrograms(
          {
            ...(query.userId === undefined ? {} : { userId: query.userId }),
            ...(query.channelIds === undefined ? {} : { channelIds: [...query.channelIds] }),
            ...(query.minEndDate === undefined ? {} : { minEndDate: query.minEndDate }),
            ...(query.maxStartDate === undefined ? {} : { maxStartDate: query.maxStartDate }),
            ...(query.limit === undefined ? {} : { limit: query.limit }),
            sortBy: ['StartDate'],
            fields: ['Overview', 'Genres'],
            enableImages: false,
            enableUserData: false,
          },
          o,
        ),
      signal,
    );
  }

  timers(signal?: AbortSignal): Promise<TimerInfoDtoQueryResult & { Items: TimerInfoDto[] }> {
    return this.queryResult('GET /LiveTv/Timers', (o) => getLiveTvApi(this.api).getTimers({}, o), signal);
  }

  timerDefaults(programId: string, signal?: AbortSignal): Promise<SeriesTimerInfoDto> {
    return this.object('GET /LiveTv/Timers/Defaults', (o) => getLiveTvApi(this.api).getDefaultTimer({ programId }, o), signal);
  }

  /** Jellyfin answers 204 with no body: the caller finds the timer in `timers()`. */
  async createTimer(timer: TimerInfoDto, signal?: AbortSignal): Promise<void> {
    await this.call('POST /LiveTv/Timers', (o) => getLiveTvApi(this.api).createTimer({ timerInfoDto: timer }, o), signal);
  }

  async cancelTimer(timerId: string, signal?: AbortSignal): Promise<void> {
    await this.call('DELETE /LiveTv/Timers/{timerId}', (o) => getLiveTvApi(this.api).cancelTimer({ timerId }, o), signal);
  }

  /** The `livetv` named configuration (LiveTvOptions: TunerHosts, paddings). */
  liveTvConfig(signal?: AbortSignal): Promise<Record<string, unknown>> {
    return this.object(
      'GET /System/Configuration/livetv',
      (o) => getSystemApi(this.api).getNamedConfiguration({ key: 'livetv' }, o) as unknown as Promise<AxiosResponse<Record<string, unknown>>>,
      signal,
    );
  }

  sessions(signal?: AbortSignal): Promise<SessionInfoDto[]> {
    return this.array('GET /Sessions', (o) => getSessionApi(this.api).getSessions({}, o), signal);
  }
}
