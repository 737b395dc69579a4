/**
 * Pure translation of the model's ListOptions into Jellyfin `/Items` parameters.
 */
import type { ListOptions, MediaItemType, SortField, SortSpec } from '../library/model.js';
import type { ItemsQuery } from './client.js';
import { MEDIA_ITEM_KINDS } from './map-item.js';

/**
 * Fields list calls must ask for (single-item reads get all fields anyway; protocols/jellyfin.md
 * §4.2): media details, metadata the adapters show, and ParentId so the model can link parents.
 */
export const ITEM_FIELDS: readonly string[] = [
  'MediaSources',
  'MediaStreams',
  'Overview',
  'Genres',
  'People',
  'Studios',
  'ProviderIds',
  'DateCreated',
  'Path',
  'ParentId',
  'SortName',
  'ChildCount',
];

/** Folder kinds the model shows (see map-item.ts). */
export const FOLDER_KINDS: readonly string[] = ['Folder', 'CollectionFolder', 'Series', 'Season', 'BoxSet'];

const ALL_MEDIA_TYPES = Object.keys(MEDIA_ITEM_KINDS) as MediaItemType[];

/**
 * Sort fields → Jellyfin ItemSortBy. `type` sorts folders before items (IsFolder, inverted),
 * then by title, which is what a file browser does.
 */
const SORT: Readonly<Record<SortField, readonly string[]>> = {
  title: ['SortName'],
  dateCreated: ['DateCreated'],
  premiereDate: ['PremiereDate'],
  episode: ['ParentIndexNumber', 'IndexNumber'],
  type: ['IsFolder'],
  random: ['Random'],
};

export function sortParams(sort: readonly SortSpec[] | undefined): { sortBy: string[]; sortOrder: ('Ascending' | 'Descending')[] } {
  const specs = sort === undefined || sort.length === 0 ? [{ by: 'title' as const }] : sort;
  const sortBy: string[] = [];
  const sortOrder: ('Ascending' | 'Descending')[] = [];
  for (const spec of specs) {
    // IsFolder ascending puts items (false) first; "type ascending" means folders first.
    const descending = spec.by === 'type' ? spec.descending !== true : spec.descending === true;
    for (const key of SORT[spec.by]) {
      if (sortBy.includes(key)) continue;
      sortBy.push(key);
      sortOrder.push(descending ? 'Descending' : 'Ascending');
    }
  }
  // A stable tie-break so pages never overlap or skip.
  if (!sortBy.includes('SortName') && !sortBy.includes('Random')) {
    sortBy.push('SortName');
    sortOrder.push('Ascending');
  }
  return { sortBy, sortOrder };
}

/** Item kinds to ask for, so the server's totals count only entries the model can show. */
export function includeItemTypes(options: ListOptions): string[] {
  const media = (options.mediaTypes ?? ALL_MEDIA_TYPES).map((t) => MEDIA_ITEM_KINDS[t]);
  const onlyItems = options.recursive === true || options.only === 'items';
  if (onlyItems) return media;
  if (options.only === 'folders') return [...FOLDER_KINDS];
  return [...FOLDER_KINDS, ...media];
}

/** `/Items` parameters for the children of `parentId` (undefined = the whole library of the user). */
export function buildItemsQuery(userId: string, parentId: string | undefined, options: ListOptions = {}): ItemsQuery {
  const { sortBy, sortOrder } = sortParams(options.sort);
  const recursive = options.recursive === true || (parentId === undefined && options.search !== undefined);
  const onlyItems = recursive || options.only === 'items';
  const filters = onlyItems ? ['IsNotFolder'] : options.only === 'folders' ? ['IsFolder'] : undefined;
  const search = options.search?.trim();
  return {
    userId,
    ...(parentId === undefined ? {} : { parentId }),
    recursive,
    ...(options.offset === undefined || options.offset <= 0 ? {} : { startIndex: Math.floor(options.offset) }),
    ...(options.limit === undefined ? {} : { limit: Math.max(0, Math.floor(options.limit)) }),
    sortBy,
    sortOrder,
    ...(search === undefined || search === '' ? {} : { searchTerm: search }),
    includeItemTypes: includeItemTypes({ ...options, recursive }),
    ...(filters === undefined ? {} : { filters }),
    fields: ITEM_FIELDS,
  };
}

/** Query for specific items by id (visibility is checked by the server for `userId`). */
export function buildIdsQuery(userId: string, ids: readonly string[]): ItemsQuery {
  return { userId, ids, fields: ITEM_FIELDS };
}
