/**
 * Kodi/Jellyfin `.nfo` files (https://kodi.wiki/view/NFO_files): `<movie>`, `<episodedetails>`,
 * `<tvshow>` and `<musicvideo>` roots with title, plot, premiered/aired, year, mpaa, genre,
 * actor (name, role), director, credits, studio, season, episode, showtitle, runtime (minutes)
 * and uniqueid/imdbid/tmdbid. Kodi allows a URL line after the XML and several
 * `<episodedetails>` in one file (multi-episode files); we read the first root only. Pure.
 */
import type { Person } from '../model.js';
import type { ItemMetadata, MetadataKind } from './item-metadata.js';
import { normaliseDate, parseCount, parseYear } from './item-metadata.js';
import { childElements, childText, childTexts, parseXml } from './xml-lite.js';

const ROOTS: Readonly<Record<string, MetadataKind>> = { movie: 'movie', episodedetails: 'episode', tvshow: 'series', musicvideo: 'music-video' };

const PROVIDER_NAMES: Readonly<Record<string, string>> = { imdb: 'Imdb', tmdb: 'Tmdb', tvdb: 'Tvdb', zap2it: 'Zap2It', tvmaze: 'TvMaze' };

/**
 * Parses an `.nfo` file's text. Returns undefined when it holds no supported XML root (Kodi's
 * URL-only nfo files) or the XML is broken: a bad sidecar must never fail a scan.
 */
export function parseNfo(text: string): ItemMetadata | undefined {
  const open = /<(movie|episodedetails|tvshow|musicvideo)[\s>/]/.exec(text);
  if (!open?.[1]) return undefined;
  const rootName = open[1];
  const closeTag = `</${rootName}>`;
  const close = text.indexOf(closeTag, open.index);
  const xml = close < 0 ? text.slice(open.index) : text.slice(open.index, close + closeTag.length);
  let root;
  try {
    root = parseXml(xml);
  } catch {
    return undefined;
  }
  const kind = ROOTS[rootName];
  const title = childText(root, 'title');
  const sortTitle = childText(root, 'sorttitle');
  const seriesName = kind === 'series' ? title : childText(root, 'showtitle');
  const overview = childText(root, 'plot') ?? childText(root, 'outline');
  const premiere = normaliseDate(childText(root, 'premiered') ?? childText(root, 'aired') ?? childText(root, 'releasedate'));
  const year = parseYear(childText(root, 'year')) ?? (premiere ? Number(premiere.slice(0, 4)) : undefined);
  const rating = childText(root, 'mpaa');
  const season = parseCount(childText(root, 'season'));
  const episode = parseCount(childText(root, 'episode'));
  const runtimeMinutes = parseCount(childText(root, 'runtime'));
  const genres = splitList(childTexts(root, 'genre'));
  const studios = splitList(childTexts(root, 'studio'));
  const people: Person[] = [];
  for (const actor of childElements(root, 'actor')) {
    const name = childText(actor, 'name');
    const role = childText(actor, 'role');
    if (name) people.push({ name, kind: 'Actor', ...(role ? { role } : {}) });
  }
  for (const name of childTexts(root, 'director')) people.push({ name, kind: 'Director' });
  for (const name of childTexts(root, 'credits')) people.push({ name, kind: 'Writer' });
  const providerIds: Record<string, string> = {};
  for (const id of childElements(root, 'uniqueid')) {
    const type = (id.attributes['type'] ?? '').toLowerCase();
    const value = id.text.trim();
    if (value !== '' && type !== '') providerIds[PROVIDER_NAMES[type] ?? type] = value;
  }
  const imdb = childText(root, 'imdbid') ?? childText(root, 'imdb_id');
  if (imdb) providerIds['Imdb'] = imdb;
  const tmdb = childText(root, 'tmdbid');
  if (tmdb) providerIds['Tmdb'] = tmdb;
  const legacyId = childText(root, 'id');
  if (legacyId && /^tt\d+$/.test(legacyId) && !providerIds['Imdb']) providerIds['Imdb'] = legacyId;
  return {
    ...(kind ? { kind } : {}),
    ...(title && kind !== 'series' ? { title } : {}),
    ...(sortTitle ? { sortTitle } : {}),
    ...(seriesName ? { seriesName } : {}),
    ...(season !== undefined ? { seasonNumber: season } : {}),
    ...(episode !== undefined ? { episodeNumber: episode } : {}),
    ...(overview ? { overview } : {}),
    ...(premiere ? { premiereDate: premiere } : {}),
    ...(year !== undefined ? { productionYear: year } : {}),
    ...(rating ? { officialRating: normaliseRating(rating) } : {}),
    ...(genres.length > 0 ? { genres } : {}),
    ...(people.length > 0 ? { people } : {}),
    ...(studios.length > 0 ? { studios } : {}),
    ...(Object.keys(providerIds).length > 0 ? { providerIds } : {}),
    ...(runtimeMinutes !== undefined && runtimeMinutes > 0 ? { runtimeSeconds: runtimeMinutes * 60 } : {}),
  };
}

/** Kodi writes genres either as repeated elements or as one "Drama / Comedy" element. */
function splitList(values: readonly string[]): readonly string[] {
  const out: string[] = [];
  for (const value of values) {
    for (const part of value.split(/\s*[/|]\s*/)) {
      const trimmed = part.trim();
      if (trimmed !== '' && !out.includes(trimmed)) out.push(trimmed);
    }
  }
  return out;
}

/** Kodi writes "Rated PG-13" or "US:PG-13"; keep the rating itself. */
export function normaliseRating(text: string): string {
  return text
    .trim()
    .replace(/^rated\s+/i, '')
    .replace(/^[A-Z]{2}:/, '')
    .trim();
}
