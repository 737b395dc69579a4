/**
 * What the metadata sources of one file (its name, a Kodi `.nfo`, pyTivo `.txt` files) say about
 * it, before the folder context (series, season, library type) is applied. Each parser returns
 * this shape so they can be merged field by field; `mergeMetadata` lets later sources win.
 */
import type { Person } from '../model.js';

export type MetadataKind = 'movie' | 'episode' | 'series' | 'video' | 'music-video';

export interface ItemMetadata {
  /** What the source says the file is (an `.nfo` root element, `isEpisode`, an SxxEyy name). */
  readonly kind?: MetadataKind;
  /** Episode title for episodes, otherwise the title. */
  readonly title?: string;
  readonly sortTitle?: string;
  readonly seriesName?: string;
  readonly seasonNumber?: number;
  readonly episodeNumber?: number;
  readonly overview?: string;
  /** ISO 8601 (UTC midnight for plain dates). */
  readonly premiereDate?: string;
  readonly productionYear?: number;
  readonly officialRating?: string;
  readonly genres?: readonly string[];
  readonly people?: readonly Person[];
  readonly studios?: readonly string[];
  readonly providerIds?: Readonly<Record<string, string>>;
  /** Runtime the metadata states (minutes in .nfo), in seconds. */
  readonly runtimeSeconds?: number;
}

/** Later sources override earlier ones field by field; lists are replaced, not appended. */
export function mergeMetadata(...sources: readonly (ItemMetadata | undefined)[]): ItemMetadata {
  const out: Record<string, unknown> = {};
  for (const source of sources) {
    if (!source) continue;
    for (const [key, value] of Object.entries(source)) {
      if (value === undefined) continue;
      if (Array.isArray(value) && value.length === 0) continue;
      if (key === 'providerIds') {
        out[key] = { ...(out[key] as Record<string, string> | undefined), ...value };
      } else {
        out[key] = value;
      }
    }
  }
  return out;
}

/**
 * Normalises a date as metadata files write it ("2024-01-05", "2024-01-05 20:00:00",
 * "2024-01-05T20:00:00Z") to ISO 8601 UTC; plain dates become UTC midnight. Undefined when the
 * text is not a real calendar date.
 */
export function normaliseDate(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  let offset = 'Z';
  if (zone !== undefined && zone !== 'Z') offset = zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  if (Number.isNaN(ms)) return undefined;
  const date = new Date(ms);
  // Date.parse rolls 2023-02-30 over to March; reject it instead.
  if (zone === undefined && (date.getUTCDate() !== Number(d) || date.getUTCMonth() + 1 !== Number(mo))) return undefined;
  return date.toISOString();
}

/** A positive (or zero) integer from metadata text, else undefined. */
export function parseCount(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*\d{1,6}\s*$/.test(text)) return undefined;
  return Number(text);
}

/** A plausible production year (1880–2200). */
export function parseYear(text: string | undefined): number | undefined {
  const n = parseCount(text);
  return n !== undefined && n >= 1880 && n <= 2200 ? n : undefined;
}
