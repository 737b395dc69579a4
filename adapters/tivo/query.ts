/**
 * `/TiVoConnect?…` parameters (HMO spec §4.4.4 plus what TiVos send), read case-insensitively
 * (MiniDLNA does; pyTivo is case-sensitive) and clamped, so absurd values never reach the
 * library. Pure.
 */
import type { SortSpec } from '../../plugin/index.js';

/** Largest |ItemCount| honoured; TiVos ask for 8–50. */
export const MAX_ITEM_COUNT = 10_000;

export interface ContainerQuery {
  /** Container path as sent (`/` or empty = the root). */
  readonly container: string;
  readonly itemCount?: number;
  readonly anchorItem?: string;
  readonly anchorOffset: number;
  readonly sort: readonly SortSpec[];
  /** Containers (folders) before items (`Type` in SortOrder). */
  readonly foldersFirst: boolean;
  readonly recurse: boolean;
  readonly filter: readonly FilterRule[];
  readonly randomSeed?: number;
}

export interface FilterRule {
  readonly negate: boolean;
  readonly type: string;
  readonly subtype: string;
}

/** Case-insensitive parameter lookup (first value). */
export function param(query: URLSearchParams, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of query) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

/** An integer parameter clamped to ±limit; garbage → undefined. */
export function intParam(value: string | undefined, limit: number): number | undefined {
  if (value === undefined || !/^\s*[+-]?\d{1,15}\s*$/.test(value)) return undefined;
  const n = Number(value.trim());
  return Math.max(-limit, Math.min(limit, n));
}

export function parseSortOrder(value: string | undefined): { readonly sort: SortSpec[]; readonly foldersFirst: boolean } {
  const sort: SortSpec[] = [];
  let foldersFirst = false;
  for (const raw of (value ?? '').split(',')) {
    const token = raw.trim();
    if (token === '') continue;
    const descending = token.startsWith('!');
    const key = (descending ? token.slice(1) : token).toLowerCase();
    switch (key) {
      case 'type':
        foldersFirst = !descending;
        break;
      case 'title':
        sort.push({ by: 'title', descending });
        break;
      case 'capturedate':
      case 'creationdate':
      case 'lastchangedate':
        sort.push({ by: 'dateCreated', descending });
        break;
      case 'random':
        sort.push({ by: 'random' });
        break;
      default:
        break; // unknown keys are ignored, as pyTivo does
    }
  }
  if (sort.length === 0) sort.push({ by: 'title' });
  return { sort, foldersFirst };
}

export function parseFilter(value: string | undefined): FilterRule[] {
  const rules: FilterRule[] = [];
  for (const raw of (value ?? '').split(',')) {
    let token = raw.trim().toLowerCase();
    if (token === '') continue;
    const negate = token.startsWith('!');
    if (negate) token = token.slice(1);
    const [type = '*', subtype = '*'] = token.split('/');
    rules.push({ negate, type, subtype });
  }
  return rules;
}

function ruleMatches(rule: FilterRule, mime: string): boolean {
  const [type = '', subtype = ''] = mime.toLowerCase().split('/');
  return (rule.type === '*' || rule.type === type) && (rule.subtype === '*' || rule.subtype === subtype);
}

/** Whether a MIME passes a Filter (no positive rule = everything not negated). */
export function filterAccepts(rules: readonly FilterRule[], mime: string): boolean {
  if (rules.some((r) => r.negate && ruleMatches(r, mime))) return false;
  const positive = rules.filter((r) => !r.negate);
  return positive.length === 0 || positive.some((r) => ruleMatches(r, mime));
}

export function parseContainerQuery(query: URLSearchParams): ContainerQuery {
  const { sort, foldersFirst } = parseSortOrder(param(query, 'SortOrder'));
  const itemCount = intParam(param(query, 'ItemCount'), MAX_ITEM_COUNT);
  const anchorItem = param(query, 'AnchorItem');
  const seed = intParam(param(query, 'RandomSeed'), Number.MAX_SAFE_INTEGER);
  return {
    container: param(query, 'Container') ?? '',
    ...(itemCount !== undefined ? { itemCount } : {}),
    ...(anchorItem ? { anchorItem } : {}),
    anchorOffset: intParam(param(query, 'AnchorOffset'), MAX_ITEM_COUNT) ?? 0,
    sort,
    foldersFirst,
    recurse: (param(query, 'Recurse') ?? '').toLowerCase() === 'yes',
    filter: parseFilter(param(query, 'Filter')),
    ...(seed !== undefined ? { randomSeed: seed } : {}),
  };
}

/**
 * Splits a Container value into path segments; undefined when it tries to climb (`..`, `.`)
 * or holds empty names. `''` and `/` give `[]` (the root).
 */
export function containerPath(container: string): readonly string[] | undefined {
  const parts = container.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '..' || p === '.' || p.includes('\0') || p.includes('\\'))) return undefined;
  return parts;
}

/**
 * The entry id an AnchorItem points at: a content URL `/<id>/<name>` or a container URL
 * `/TiVoConnect?Command=QueryContainer&Container=<path>` (possibly percent-encoded again).
 */
export function anchorId(anchor: string): string | undefined {
  let value = anchor.trim();
  for (let i = 0; i < 2 && /%[0-9a-f]{2}/i.test(value) && !value.includes('?'); i++) {
    try {
      value = decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  const q = value.indexOf('?');
  if (q >= 0) {
    const container = param(new URLSearchParams(value.slice(q + 1)), 'Container');
    const path = container === undefined ? undefined : containerPath(container);
    return path?.[path.length - 1];
  }
  const first = value.split('/').filter((p) => p !== '')[0];
  if (!first) return undefined;
  try {
    return decodeURIComponent(first);
  } catch {
    return undefined;
  }
}

/**
 * The window of a listing to return (pyTivo `item_count`, transcripts 07–08b):
 * with an anchor at index k, a positive count starts at k + 1, then AnchorOffset is added
 * (so `AnchorOffset=-1` re-reads the anchor); a negative count returns the |count| items
 * before that point, wrapping around as pyTivo does (a TiVo list scrolls round). An unknown
 * anchor starts at 0 (pyTivo starts at 1, which skips an item). No ItemCount = everything.
 */
export function pageWindow(total: number, itemCount: number | undefined, anchorIndex: number | undefined, anchorOffset: number): { readonly start: number; readonly count: number } {
  if (total === 0) return { start: 0, count: 0 };
  if (itemCount === undefined) return { start: 0, count: total };
  let index = 0;
  if (anchorIndex !== undefined && anchorIndex >= 0) {
    index = anchorIndex + (itemCount > 0 ? 1 : 0) + anchorOffset;
  } else if (anchorIndex !== undefined) {
    index = 0; // anchor given but not found
  }
  let count = itemCount;
  if (count < 0) {
    index = (((index + count) % total) + total) % total;
    count = -count;
  }
  index = Math.max(0, Math.min(total, index));
  return { start: index, count: Math.max(0, Math.min(count, total - index)) };
}
