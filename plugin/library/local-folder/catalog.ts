/**
 * The in-memory index listings are served from: library-model entries built from the stored
 * rows, with children per folder and sorted lists cached per (folder, order). Building is pure
 * and takes a few ms per 10 000 rows; the source rebuilds it after each scan batch and swaps it
 * in whole, so a listing never sees half an update.
 *
 * Folder roles: top-level folders are libraries; a folder with a `tvshow.nfo` or with season
 * sub-folders is a series; a folder named like a season (`Season 2`) below a library is a season.
 * Items inside a series are episodes; `.nfo`/pyTivo/file-name hints decide elsewhere.
 */
import type { Folder, FolderType, LibraryEntry, ListOptions, MediaItem, MediaItemType, Page } from '../model.js';
import { orderKey, pageOf, sortEntries } from '../paging.js';
import { baseNameOf, cleanName, parseSeasonFolder, sortTitleOf } from '../metadata/file-name.js';
import type { EntryRow } from './entry-store.js';

interface Context {
  readonly libraryCollection?: string;
  readonly series?: { readonly id: string; readonly name: string };
  readonly seasonNumber?: number;
}

function nameOf(relPath: string): string {
  const slash = relPath.lastIndexOf('/');
  return slash < 0 ? relPath : relPath.slice(slash + 1);
}

const TV_NAME = /\b(?:tv|shows?|series|television)\b/i;
const MOVIE_NAME = /\b(?:movies?|films?|cinema)\b/i;
const CAMERA_NAME = /\b(?:cameras?|cams?|recordings?|home ?videos?)\b/i;

export class Catalog {
  private readonly byId = new Map<string, LibraryEntry>();
  private readonly rowsById = new Map<string, EntryRow>();
  private readonly childrenOf = new Map<string, LibraryEntry[]>();
  private readonly sortedCache = new Map<string, readonly LibraryEntry[]>();
  /** Context each item was built in, so an unchanged item can be reused by the next build. */
  private readonly contextKeys = new Map<string, string>();
  readonly roots: readonly Folder[];
  readonly itemCount: number;
  readonly folderCount: number;
  readonly unplayableCount: number;

  /**
   * Builds the catalog from stored rows (any order). With `previous`, entries whose row object
   * and context are unchanged are reused as the same objects, and cached sorted lists of folders
   * whose children did not change are carried over: a file added elsewhere does not make a
   * big folder sort again.
   */
  constructor(rows: Iterable<EntryRow>, previous?: Catalog) {
    const byPath = new Map<string, EntryRow>();
    const childPaths = new Map<string, EntryRow[]>();
    for (const row of rows) {
      byPath.set(row.relPath, row);
      const key = row.parentPath ?? '';
      let list = childPaths.get(key);
      if (!list) childPaths.set(key, (list = []));
      list.push(row);
    }
    const isSeason = (row: EntryRow): boolean => row.kind === 'folder' && row.parentPath !== undefined && parseSeasonFolder(nameOf(row.relPath)) !== undefined;
    const folderTypeOf = (row: EntryRow): FolderType => {
      if (row.parentPath === undefined) return 'library';
      if (row.metadata.kind === 'series') return 'series';
      const children = childPaths.get(row.relPath) ?? [];
      if (children.some(isSeason)) return 'series';
      if (isSeason(row)) return 'season';
      return 'folder';
    };
    let items = 0;
    let folders = 0;
    let unplayable = 0;
    const roots: Folder[] = [];
    const visit = (row: EntryRow, context: Context): void => {
      const children = childPaths.get(row.relPath) ?? [];
      let entry: LibraryEntry;
      let childContext = context;
      if (row.kind === 'folder') {
        folders++;
        const folderType = folderTypeOf(row);
        const title = row.metadata.title ?? nameOf(row.relPath);
        let collectionType: string | undefined;
        if (folderType === 'library') {
          collectionType = collectionTypeOf(row, childPaths, folderTypeOf);
          childContext = collectionType ? { libraryCollection: collectionType } : {};
        } else if (folderType === 'series') {
          childContext = { ...context, series: { id: row.id, name: title } };
        } else if (folderType === 'season') {
          const seasonNumber = row.metadata.seasonNumber ?? parseSeasonFolder(nameOf(row.relPath));
          childContext = { ...context, ...(seasonNumber !== undefined ? { seasonNumber } : {}) };
        }
        const seasonNumber = folderType === 'season' ? row.metadata.seasonNumber : undefined;
        entry = {
          kind: 'folder',
          id: row.id,
          ...(row.parentPath !== undefined ? { parentId: byPath.get(row.parentPath)?.id ?? '' } : {}),
          title,
          sortTitle: row.metadata.sortTitle ?? sortTitleOf(title),
          dateCreated: row.dateCreated,
          ...(row.imageTag !== undefined ? { image: { tag: row.imageTag } } : {}),
          folderType,
          ...(collectionType !== undefined ? { collectionType } : {}),
          childCount: children.length,
          ...(seasonNumber !== undefined ? { seasonNumber } : {}),
        };
        if (folderType === 'library') roots.push(entry);
        const old = previous?.byId.get(entry.id);
        if (old && previous?.rowsById.get(entry.id) === row && JSON.stringify(old) === JSON.stringify(entry)) entry = old;
      } else {
        items++;
        const contextKey = `${context.libraryCollection ?? ''}|${context.series?.id ?? ''}|${context.series?.name ?? ''}|${context.seasonNumber ?? ''}`;
        const old = previous?.byId.get(row.id);
        entry = old && previous?.rowsById.get(row.id) === row && previous.contextKeys.get(row.id) === contextKey ? old : buildItem(row, context, byPath);
        this.contextKeys.set(row.id, contextKey);
        if (entry.kind === 'item' && !entry.playable) unplayable++;
      }
      this.byId.set(entry.id, entry);
      this.rowsById.set(entry.id, row);
      if (row.parentPath !== undefined) {
        const parentId = byPath.get(row.parentPath)?.id;
        if (parentId !== undefined) {
          let list = this.childrenOf.get(parentId);
          if (!list) this.childrenOf.set(parentId, (list = []));
          list.push(entry);
        }
      }
      if (row.kind === 'folder') for (const child of children) visit(child, childContext);
    };
    for (const row of childPaths.get('') ?? []) if (row.parentPath === undefined && row.kind === 'folder') visit(row, {});
    this.roots = roots;
    if (previous) this.carryOverSorted(previous);
    this.itemCount = items;
    this.folderCount = folders;
    this.unplayableCount = unplayable;
  }

  private carryOverSorted(previous: Catalog): void {
    for (const [key, sorted] of previous.sortedCache) {
      const parentId = key.slice(0, key.indexOf('\u0000'));
      if (key.endsWith(',true]')) continue; // recursive lists span many folders: rebuild them
      const before = parentId === '' ? previous.roots : previous.childrenOf.get(parentId);
      const now = parentId === '' ? this.roots : this.childrenOf.get(parentId);
      if (!before || !now || before.length !== now.length) continue;
      const same = new Set<LibraryEntry>(before);
      if (now.every((e) => same.has(e))) this.sortedCache.set(key, sorted);
    }
  }

  get(id: string): LibraryEntry | undefined {
    return this.byId.get(id);
  }

  row(id: string): EntryRow | undefined {
    return this.rowsById.get(id);
  }

  /** Direct children, or undefined for an unknown or non-folder id. */
  children(parentId: string): readonly LibraryEntry[] | undefined {
    const entry = this.byId.get(parentId);
    if (entry?.kind !== 'folder') return undefined;
    return this.childrenOf.get(parentId) ?? [];
  }

  /** All media items below a folder (depth first). */
  descendantItems(parentId: string | undefined): readonly MediaItem[] {
    const out: MediaItem[] = [];
    const stack: LibraryEntry[] = parentId === undefined ? [...this.roots] : [...(this.children(parentId) ?? [])];
    while (stack.length > 0) {
      const entry = stack.pop();
      if (!entry) break;
      if (entry.kind === 'item') out.push(entry);
      else stack.push(...(this.childrenOf.get(entry.id) ?? []));
    }
    return out;
  }

  /**
   * A page of a folder's children (or of the roots when `parentId` is undefined). Sorted lists
   * are cached per folder and order, so paging through a big folder sorts it once.
   */
  list(parentId: string | undefined, options: ListOptions = {}): Page<LibraryEntry> | undefined {
    const random = options.sort?.[0]?.by === 'random';
    const cacheKey = `${parentId ?? ''}\u0000${orderKey(options)}`;
    let sorted = random ? undefined : this.sortedCache.get(cacheKey);
    if (!sorted) {
      let source: readonly LibraryEntry[] | undefined;
      if (options.recursive === true) {
        if (parentId !== undefined && this.byId.get(parentId)?.kind !== 'folder') return undefined;
        source = this.descendantItems(parentId);
      } else {
        source = parentId === undefined ? this.roots : this.children(parentId);
      }
      if (!source) return undefined;
      sorted = sortEntries(source, options);
      if (!random) {
        // Bound the cache: searches create many keys.
        if (this.sortedCache.size > 256) this.sortedCache.clear();
        this.sortedCache.set(cacheKey, sorted);
      }
    }
    return pageOf(sorted, options);
  }
}

function collectionTypeOf(
  row: EntryRow,
  childPaths: ReadonlyMap<string, readonly EntryRow[]>,
  folderTypeOf: (row: EntryRow) => FolderType,
): string | undefined {
  const name = nameOf(row.relPath);
  const children = childPaths.get(row.relPath) ?? [];
  if (children.some((c) => c.kind === 'folder' && folderTypeOf(c) === 'series') || TV_NAME.test(name)) return 'tvshows';
  if (MOVIE_NAME.test(name)) return 'movies';
  if (CAMERA_NAME.test(name)) return 'homevideos';
  return undefined;
}

function itemTypeOf(row: EntryRow, context: Context): MediaItemType {
  const kind = row.metadata.kind;
  if (kind === 'movie') return 'movie';
  if (kind === 'music-video') return 'music-video';
  if (kind === 'episode' || context.series !== undefined) return 'episode';
  if (context.libraryCollection === 'movies') return 'movie';
  return 'video';
}

function buildItem(row: EntryRow, context: Context, byPath: ReadonlyMap<string, EntryRow>): MediaItem {
  const meta = row.metadata;
  const type = itemTypeOf(row, context);
  const fallbackTitle = cleanName(baseNameOf(nameOf(row.relPath)));
  const title = meta.title ?? fallbackTitle;
  const seriesName = type === 'episode' ? (meta.seriesName ?? context.series?.name) : undefined;
  const seasonNumber = type === 'episode' ? (meta.seasonNumber ?? context.seasonNumber) : undefined;
  const episodeNumber = type === 'episode' ? meta.episodeNumber : undefined;
  const durationSeconds = row.media && row.media.durationSeconds > 0 ? row.media.durationSeconds : meta.runtimeSeconds;
  const playable = row.probeStatus === 'ok' && row.media !== undefined;
  return {
    kind: 'item',
    id: row.id,
    ...(row.parentPath !== undefined ? { parentId: byPath.get(row.parentPath)?.id ?? '' } : {}),
    title,
    sortTitle: meta.sortTitle ?? sortTitleOf(title),
    dateCreated: row.dateCreated,
    ...(row.imageTag !== undefined ? { image: { tag: row.imageTag } } : {}),
    type,
    ...(meta.overview !== undefined ? { overview: meta.overview } : {}),
    ...(type === 'episode' && context.series ? { seriesId: context.series.id } : {}),
    ...(seriesName !== undefined ? { seriesName } : {}),
    ...(seasonNumber !== undefined ? { seasonNumber } : {}),
    ...(episodeNumber !== undefined ? { episodeNumber } : {}),
    ...(meta.premiereDate !== undefined ? { premiereDate: meta.premiereDate } : {}),
    ...(meta.productionYear !== undefined ? { productionYear: meta.productionYear } : {}),
    ...(meta.officialRating !== undefined ? { officialRating: meta.officialRating } : {}),
    genres: meta.genres ?? [],
    people: meta.people ?? [],
    studios: meta.studios ?? [],
    ...(durationSeconds !== undefined ? { durationSeconds } : {}),
    ...(row.media ? { media: row.media } : {}),
    playable,
    ...(!playable ? { unplayableReason: row.unplayableReason ?? 'not probed yet' } : {}),
    providerIds: meta.providerIds ?? {},
  };
}
