/**
 * Sorting, filtering and paging of library entries by ListOptions, for the local-folder source
 * (which pages in memory; Jellyfin sorts and pages on the server).
 * Pure, apart from `random` sorting, which takes an injectable random function.
 *
 * Speed matters (a 10 000-entry folder must page in well under 20 ms), so titles are compared
 * through a precomputed key (`titleSortKey`: lower case, accents removed, numbers zero-padded
 * for natural order) with plain `<`, not `localeCompare`, and the key is cached per entry.
 */
import type { LibraryEntry, ListOptions, Page, SortSpec } from './model.js';

const keyCache = new WeakMap<LibraryEntry, string>();
/** By title text too, so keys survive a rebuilt index (new entry objects, same titles). */
const textKeyCache = new Map<string, string>();
const TEXT_KEY_CACHE_LIMIT = 200_000;

/** Natural, case- and accent-insensitive sort key of a title ("Episode 10" after "Episode 9"). */
export function titleSortKey(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '').padStart(12, '0'))
    .trim();
}

function sortKeyOf(entry: LibraryEntry): string {
  let key = keyCache.get(entry);
  if (key === undefined) {
    const text = entry.sortTitle || entry.title;
    key = textKeyCache.get(text);
    if (key === undefined) {
      key = titleSortKey(text);
      if (textKeyCache.size >= TEXT_KEY_CACHE_LIMIT) textKeyCache.clear();
      textKeyCache.set(text, key);
    }
    keyCache.set(entry, key);
  }
  return key;
}

/** Type order: folders (by folder type) before items (by media type). */
function typeKey(entry: LibraryEntry): string {
  return entry.kind === 'folder' ? `0${entry.folderType}` : `1${entry.type}`;
}

type Value = string | number | undefined;

function valueOf(entry: LibraryEntry, field: SortSpec['by']): Value {
  switch (field) {
    case 'title':
      return sortKeyOf(entry);
    case 'dateCreated':
      return entry.dateCreated;
    case 'premiereDate':
      return entry.kind === 'item' ? entry.premiereDate : undefined;
    case 'type':
      return typeKey(entry);
    case 'episode': {
      const season = entry.kind === 'item' ? entry.seasonNumber : entry.seasonNumber;
      const episode = entry.kind === 'item' ? entry.episodeNumber : undefined;
      if (season === undefined && episode === undefined) return undefined;
      return (season ?? 0) * 1_000_000 + (episode ?? 0);
    }
    case 'random':
      return undefined;
  }
}

function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  // Missing values sort last in both directions, as Jellyfin users expect ("unknown" at the end).
  if (a === undefined) return 2;
  if (b === undefined) return -2;
  return a < b ? -1 : 1;
}

/** Whether an entry passes `only`, `mediaTypes` and `search` (recursion is the caller's). */
export function matchesFilter(entry: LibraryEntry, options: ListOptions): boolean {
  if (options.only === 'folders' && entry.kind !== 'folder') return false;
  if (options.only === 'items' && entry.kind !== 'item') return false;
  if (options.mediaTypes && options.mediaTypes.length > 0) {
    if (entry.kind !== 'item' || !options.mediaTypes.includes(entry.type)) return false;
  }
  if (options.search !== undefined && options.search.trim() !== '') {
    const needle = options.search.trim().toLowerCase();
    if (!entry.title.toLowerCase().includes(needle)) return false;
  }
  return true;
}

/** The default order: by title. */
export const DEFAULT_SORT: readonly SortSpec[] = [{ by: 'title' }];

interface Decorated<T> {
  readonly entry: T;
  readonly values: readonly Value[];
  readonly title: string;
}

/**
 * Filters and sorts (without paging); `random` uses the given random source. The order is the
 * sort specs in turn, then title, then id, so it is total and pages never overlap or skip
 * entries. Sort values are computed once per entry before sorting (not once per comparison):
 * this halves the time of a 10 000-entry sort.
 */
export function sortEntries<T extends LibraryEntry>(entries: readonly T[], options: ListOptions = {}, random: () => number = Math.random): T[] {
  const filtered = entries.filter((e) => matchesFilter(e, options));
  const sort = options.sort && options.sort.length > 0 ? options.sort : DEFAULT_SORT;
  if (sort[0]?.by === 'random') return shuffle(filtered, random);
  const specs = sort.filter((s) => s.by !== 'random');
  const decorated: Decorated<T>[] = filtered.map((entry) => ({ entry, values: specs.map((s) => valueOf(entry, s.by)), title: sortKeyOf(entry) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < specs.length; i++) {
      const c = compareValues(a.values[i], b.values[i]);
      if (c !== 0) return c === 2 || c === -2 ? Math.sign(c) : specs[i]?.descending ? -c : c;
    }
    if (a.title !== b.title) return a.title < b.title ? -1 : 1;
    return a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0;
  });
  return decorated.map((d) => d.entry);
}

/** Clamps offset/limit and slices a page out of already sorted entries. */
export function pageOf<T>(sorted: readonly T[], options: Pick<ListOptions, 'offset' | 'limit'> = {}): Page<T> {
  const offset = Math.max(0, Math.floor(options.offset ?? 0));
  const limit = options.limit === undefined ? undefined : Math.max(0, Math.floor(options.limit));
  const items = limit === undefined ? sorted.slice(offset) : sorted.slice(offset, offset + limit);
  return { items, total: sorted.length, offset };
}

/** A stable key of the options that decide order and membership (for caching sorted lists). */
export function orderKey(options: ListOptions): string {
  return JSON.stringify([options.sort ?? DEFAULT_SORT, options.only ?? '', options.mediaTypes ?? [], options.search?.trim().toLowerCase() ?? '', options.recursive === true]);
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}
