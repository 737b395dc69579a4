/**
 * pyTivo metadata text files (`<file.ext>.txt`, `.meta/<file.ext>.txt`, `default.txt`;
 * protocols/tivo.md §9, pyTivo `metadata.py`): `key : value` lines, `#` comment lines, an
 * optional UTF-8 BOM, keys starting with `v` accumulate into lists. Pure.
 */
import type { Person } from '../model.js';
import type { ItemMetadata } from './item-metadata.js';
import { normaliseDate, parseCount, parseYear } from './item-metadata.js';

/** Parsed `key : value` lines: list keys (`v…`) keep every value, others the last one. */
export type PyTivoRecord = Readonly<Record<string, string | readonly string[]>>;

/** Reads the key/value lines of a pyTivo metadata file. Later files are merged by the caller. */
export function parsePyTivoText(text: string): PyTivoRecord {
  const out: Record<string, string | string[]> = {};
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (const rawLine of body.split(/\r?\n|\r/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) || value === '') continue;
    if (isListKey(key)) {
      const list = out[key];
      if (Array.isArray(list)) list.push(value);
      else out[key] = [value];
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** pyTivo: keys starting with a lower-case `v` followed by an upper-case letter are lists. */
function isListKey(key: string): boolean {
  return /^v[A-Z]/.test(key);
}

/** Merges records in lookup order (later files override; lists are replaced). */
export function mergePyTivoRecords(...records: readonly PyTivoRecord[]): PyTivoRecord {
  return Object.assign({}, ...records) as PyTivoRecord;
}

function one(record: PyTivoRecord, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

function many(record: PyTivoRecord, key: string): readonly string[] {
  const value = record[key];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

/** pyTivo writes people as "Last|First"; the model wants "First Last". */
export function personName(text: string): string {
  const [last, first] = text.split('|').map((p) => p.trim());
  return first ? `${first} ${last ?? ''}`.trim() : (last ?? '').trim();
}

const PEOPLE_KEYS: readonly (readonly [string, string])[] = [
  ['vActor', 'Actor'],
  ['vGuestStar', 'GuestStar'],
  ['vDirector', 'Director'],
  ['vWriter', 'Writer'],
  ['vProducer', 'Producer'],
  ['vExecProducer', 'Producer'],
  ['vHost', 'Host'],
  ['vChoreographer', 'Choreographer'],
];

/** TiVo rating codes ("x4") or names ("TV-PG", "PG-13") to the rating name. */
const TV_RATINGS: Readonly<Record<string, string>> = { '1': 'TV-Y7', '2': 'TV-Y', '3': 'TV-G', '4': 'TV-PG', '5': 'TV-14', '6': 'TV-MA', '7': 'NR' };
const MPAA_RATINGS: Readonly<Record<string, string>> = { '1': 'G', '2': 'PG', '3': 'PG-13', '4': 'R', '5': 'X', '6': 'NC-17', '8': 'NR' };

function rating(text: string | undefined, table: Readonly<Record<string, string>>, tv: boolean): string | undefined {
  if (text === undefined) return undefined;
  // Codes: tvRating `x1`…`x7`; mpaaRating `G1`, `P2`, `P3`, `R4`, `X5`, `N6`, `N8`; or a bare digit.
  const code = (tv ? /^[xX]?(\d)$/ : /^[GPRXNgprxn]?(\d)$/).exec(text.trim());
  if (code?.[1]) return table[code[1]];
  const name = text.trim().toUpperCase().replace(/_/g, '-');
  if (tv && /^(?:Y7|Y|G|PG|14|MA)$/.test(name)) return `TV-${name}`;
  return name;
}

/** Maps a merged pyTivo record to item metadata. */
export function pyTivoToMetadata(record: PyTivoRecord): ItemMetadata {
  const seriesTitle = one(record, 'seriesTitle');
  const episodeTitle = one(record, 'episodeTitle');
  const title = one(record, 'title');
  const isEpisode = one(record, 'isEpisode')?.toLowerCase();
  const episodic = isEpisode === 'false' ? false : seriesTitle !== undefined || episodeTitle !== undefined || isEpisode === 'true';
  // episodeNumber is season×100+episode ("102" = S1E2); below 100 it is the episode alone.
  const number = parseCount(one(record, 'episodeNumber'));
  const seasonNumber = number !== undefined && number >= 100 ? Math.floor(number / 100) : undefined;
  const episodeNumber = number !== undefined ? (number >= 100 ? number % 100 : number) : undefined;
  const premiereDate = normaliseDate(one(record, 'originalAirDate'));
  const year = parseYear(one(record, 'movieYear'));
  const officialRating = rating(one(record, 'tvRating'), TV_RATINGS, true) ?? rating(one(record, 'mpaaRating'), MPAA_RATINGS, false);
  const genres = [...new Set([...many(record, 'vProgramGenre'), ...many(record, 'vSeriesGenre')])];
  const people: Person[] = [];
  for (const [key, kind] of PEOPLE_KEYS) {
    for (const raw of many(record, key)) {
      const name = personName(raw);
      if (name !== '') people.push({ name, kind });
    }
  }
  const providerIds: Record<string, string> = {};
  const programId = one(record, 'programId');
  if (programId) providerIds['Zap2It'] = programId;
  const displayTitle = episodic ? (episodeTitle ?? (seriesTitle ? undefined : title)) : (title ?? seriesTitle);
  const description = one(record, 'description');
  return {
    kind: episodic ? 'episode' : year !== undefined ? 'movie' : 'video',
    ...(displayTitle ? { title: displayTitle } : {}),
    ...(episodic && seriesTitle ? { seriesName: seriesTitle } : {}),
    ...(episodic && seasonNumber !== undefined ? { seasonNumber } : {}),
    ...(episodic && episodeNumber !== undefined ? { episodeNumber } : {}),
    ...(description ? { overview: description } : {}),
    ...(premiereDate ? { premiereDate } : {}),
    ...(year !== undefined ? { productionYear: year } : premiereDate ? { productionYear: Number(premiereDate.slice(0, 4)) } : {}),
    ...(officialRating ? { officialRating } : {}),
    ...(genres.length > 0 ? { genres } : {}),
    ...(people.length > 0 ? { people } : {}),
    ...(Object.keys(providerIds).length > 0 ? { providerIds } : {}),
  };
}
