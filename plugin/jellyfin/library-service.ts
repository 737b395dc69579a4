/**
 * LibraryFacade backed by Jellyfin. Every read is scoped to a Jellyfin user (the device's, else
 * the configured default, else the first administrator) so a device sees only that user's
 * libraries and items.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Folder, ImageData, ImageRequest, LibraryEntry, LibraryUser, ListOptions, MediaInput, Page } from '../library/model.js';
import type { EnsureLibraryResult, LibraryCollectionType, LibraryFacade, ServerTranscodeRequest } from '../library/source.js';
import { SidecarError } from '../util/errors.js';
import type { BaseItemDto, JellyfinClient } from './client.js';
import { observed, type CallObserver } from './call-observer.js';
import { mapItem } from './map-item.js';
import { mapPath, unmapPath, type PathMapping } from './path-mapping.js';
import { buildIdsQuery, buildItemsQuery } from './query.js';
import { serverTranscodeUrl, staticStreamUrl } from './urls.js';

/** Library views the model cannot browse as folders of video items. */
const HIDDEN_COLLECTION_TYPES: ReadonlySet<string> = new Set(['livetv', 'playlists', 'music', 'books', 'photos']);

export interface LibraryServiceOptions {
  readonly client: JellyfinClient;
  readonly observer: CallObserver;
  readonly apiKey: string;
  readonly deviceId: string;
  readonly pathMappings: readonly PathMapping[];
  readonly defaultUserId?: string;
  /** Whether a local file can be read (injectable for tests). */
  readonly canRead?: (path: string) => Promise<boolean>;
}

async function readable(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

export class JellyfinLibraryService implements LibraryFacade {
  readonly kind = 'jellyfin' as const;
  private adminUserId: string | undefined;

  constructor(private readonly options: LibraryServiceOptions) {}

  private run<T>(fn: () => Promise<T>): Promise<T> {
    return observed(this.options.observer, fn);
  }

  /** The device's user, the configured default, or the first administrator. */
  async resolveUser(userId: string | undefined): Promise<string> {
    if (userId !== undefined && userId !== '') return userId;
    if (this.options.defaultUserId !== undefined && this.options.defaultUserId !== '') return this.options.defaultUserId;
    if (this.adminUserId !== undefined) return this.adminUserId;
    const users = await this.run(() => this.options.client.users());
    const admin = users.find((u) => u.Policy?.IsAdministrator === true && typeof u.Id === 'string');
    if (admin?.Id === undefined) {
      throw new SidecarError('ERR_JELLYFIN_NO_USER', 'failed-precondition', 'no Jellyfin user to browse as: assign one to the device or set defaultUserId');
    }
    this.adminUserId = admin.Id;
    return admin.Id;
  }

  async listRoots(userId?: string): Promise<readonly Folder[]> {
    const user = await this.resolveUser(userId);
    const views = await this.run(() => this.options.client.userViews(user));
    const roots: Folder[] = [];
    for (const dto of views.Items) {
      if (HIDDEN_COLLECTION_TYPES.has(dto.CollectionType ?? '')) continue;
      const entry = mapItem(dto, true);
      if (entry?.kind === 'folder') roots.push(entry);
    }
    return roots;
  }

  async listChildren(userId: string | undefined, parentId: string | undefined, options: ListOptions = {}): Promise<Page<LibraryEntry>> {
    if (parentId === undefined && options.recursive !== true && options.search === undefined) {
      const roots = options.only === 'items' ? [] : await this.listRoots(userId);
      const offset = Math.max(0, options.offset ?? 0);
      const end = options.limit === undefined ? undefined : offset + options.limit;
      return { items: roots.slice(offset, end), total: roots.length, offset };
    }
    const user = await this.resolveUser(userId);
    const result = await this.run(() => this.options.client.items(buildItemsQuery(user, parentId, options)));
    const items = result.Items.map((dto) => mapItem(dto)).filter((e): e is LibraryEntry => e !== undefined);
    return { items, total: result.TotalRecordCount ?? items.length, offset: result.StartIndex ?? options.offset ?? 0 };
  }

  private async fetchItem(userId: string | undefined, id: string): Promise<BaseItemDto | undefined> {
    const user = await this.resolveUser(userId);
    // A user-scoped `/Items?ids=` returns nothing for items this user may not see, where
    // `/Items/{id}` would answer 403/404 depending on the version.
    const result = await this.run(() => this.options.client.items(buildIdsQuery(user, [id])));
    return result.Items.find((dto) => dto.Id === id);
  }

  async getItem(userId: string | undefined, id: string): Promise<LibraryEntry | undefined> {
    const dto = await this.fetchItem(userId, id);
    return dto === undefined ? undefined : mapItem(dto, dto.Type === 'CollectionFolder' || dto.Type === 'UserView');
  }

  async getImage(id: string, request: ImageRequest = {}): Promise<ImageData | undefined> {
    return this.run(() =>
      this.options.client.primaryImage(id, {
        format: request.format === 'png' ? 'Png' : 'Jpg',
        ...(request.maxWidth === undefined ? {} : { maxWidth: request.maxWidth }),
        ...(request.maxHeight === undefined ? {} : { maxHeight: request.maxHeight }),
      }),
    );
  }

  private async playableSource(userId: string | undefined, id: string): Promise<{ dto: BaseItemDto; mediaSourceId?: string; path?: string }> {
    const dto = await this.fetchItem(userId, id);
    if (dto === undefined) throw new SidecarError('ERR_JELLYFIN_NOT_FOUND', 'not-found', `item ${id} not found for this user`);
    const source = dto.MediaSources?.[0];
    if (source === undefined || dto.LocationType === 'Virtual') {
      throw new SidecarError('ERR_JELLYFIN_NOT_PLAYABLE', 'failed-precondition', `item ${id} has no media source`);
    }
    const path = source.Path ?? dto.Path ?? undefined;
    return {
      dto,
      ...(source.Id ? { mediaSourceId: source.Id } : {}),
      ...(path && source.Protocol !== 'Http' ? { path } : {}),
    };
  }

  async getMediaInput(userId: string | undefined, id: string): Promise<MediaInput> {
    const { mediaSourceId, path } = await this.playableSource(userId, id);
    if (path !== undefined) {
      const local = mapPath(path, this.options.pathMappings);
      if (local !== undefined && (await (this.options.canRead ?? readable)(local))) return { kind: 'file', path: local };
    }
    return { kind: 'url', url: staticStreamUrl(this.options.client.baseUrl, id, mediaSourceId, this.options.apiKey), seekable: true };
  }

  async getServerTranscodeInput(userId: string | undefined, id: string, request: ServerTranscodeRequest): Promise<MediaInput> {
    const { mediaSourceId } = await this.playableSource(userId, id);
    const url = serverTranscodeUrl(this.options.client.baseUrl, id, request, {
      ...(mediaSourceId === undefined ? {} : { mediaSourceId }),
      deviceId: this.options.deviceId,
      apiKey: this.options.apiKey,
    });
    return { kind: 'url', url, seekable: false };
  }

  async listUsers(): Promise<readonly LibraryUser[]> {
    const users = await this.run(() => this.options.client.users());
    return users
      .filter((u) => typeof u.Id === 'string')
      .map((u) => ({ id: u.Id ?? '', name: u.Name ?? '', isAdministrator: u.Policy?.IsAdministrator === true }));
  }

  async notifyMediaUpdated(paths: readonly string[], updateType: 'Created' | 'Modified' | 'Deleted' = 'Modified'): Promise<void> {
    if (paths.length === 0) return;
    await this.run(() => this.options.client.mediaUpdated(paths.map((p) => ({ Path: p, UpdateType: updateType }))));
  }

  async rescan(): Promise<void> {
    await this.run(() => this.options.client.refreshLibrary());
  }

  async ensureLibrary(name: string, collectionType: LibraryCollectionType, path: string): Promise<EnsureLibraryResult> {
    const jellyfinPath = unmapPath(path, this.options.pathMappings) ?? path.replace(/(.)[/\\]+$/, '$1');
    const folders = await this.run(() => this.options.client.virtualFolders());
    const same = (p: string): boolean => p.replace(/(.)[/\\]+$/, '$1') === jellyfinPath;
    const holding = folders.find((f) => (f.Locations ?? []).some(same));
    if (holding !== undefined) return { created: false, name: holding.Name ?? name, path: jellyfinPath };
    if (folders.some((f) => (f.Name ?? '').toLowerCase() === name.toLowerCase())) {
      throw new SidecarError('ERR_JELLYFIN_LIBRARY_EXISTS', 'failed-precondition', `a Jellyfin library named "${name}" exists but does not hold ${jellyfinPath}; add the folder to it in Jellyfin or choose another name`);
    }
    await this.run(() =>
      this.options.client.addVirtualFolder({ name, collectionType, paths: [jellyfinPath], refreshLibrary: true, libraryOptions: recordingLibraryOptions(jellyfinPath) }),
    );
    return { created: true, name, path: jellyfinPath };
  }
}

/**
 * Options for a library of recordings (camera segments arrive every minute): real-time
 * monitoring on, and no per-file work that would cost CPU on the Jellyfin host for every
 * segment (trickplay and chapter images); embedded titles on (each segment carries its camera and time as `title`).
 */
function recordingLibraryOptions(path: string): NonNullable<Parameters<JellyfinClient['addVirtualFolder']>[0]['libraryOptions']> {
  return {
    Enabled: true,
    EnablePhotos: false,
    EnableRealtimeMonitor: true,
    EnableChapterImageExtraction: false,
    ExtractChapterImagesDuringLibraryScan: false,
    EnableTrickplayImageExtraction: false,
    ExtractTrickplayImagesDuringLibraryScan: false,
    EnableEmbeddedTitles: true,
    SaveLocalMetadata: false,
    PathInfos: [{ Path: path }],
  };
}
