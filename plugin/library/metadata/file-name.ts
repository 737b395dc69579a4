/**
 * Metadata from file and folder names, following the conventions Jellyfin and Kodi document:
 * `Show Name - S02E05 - Episode Title.mkv`, `Show.Name.S02E05.Episode.Title.mkv`, `2x05`,
 * `Movie (1999).mp4`, `Movie.1999.1080p.mkv`, season folders `Season 2` / `Season 02` / `S2` /
 * `Specials` (season 0). Pure.
 */
import type { ItemMetadata } from './item-metadata.js';

/** Video file extensions the local folder lists (lower case, without the dot). */
export const VIDEO_EXTENSIONS: ReadonlySet<string> = new Set([
  'mp4', 'm4v', 'mkv', 'avi', 'mpg', 'mpeg', 'mpe', 'm2v', 'ts', 'mts', 'm2ts', 'mov', 'wmv', 'asf', 'flv',
  'webm', 'vob', 'tivo', 'divx', 'xvid', 'ogv', '3gp', 'wtv', 'dvr-ms',
]);

/** Extension without dot, lower case ("" when none). */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

/** File name without its extension. */
export function baseNameOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? fileName : fileName.slice(0, dot);
}

export function isVideoFile(fileName: string): boolean {
  return VIDEO_EXTENSIONS.has(extensionOf(fileName));
}

/** Release-name words that end a title (`Movie.1999.1080p.BluRay.x264`). */
const RELEASE_TAGS = /^(?:2160p|1080p|1080i|720p|576p|480p|4k|uhd|hdr|bluray|blu-ray|brrip|bdrip|dvdrip|webrip|web-dl|webdl|hdtv|x264|x265|h264|h265|hevc|xvid|divx|aac|ac3|dts|remux|proper|repack)$/i;

/** Turns `Show.Name_here` into `Show Name here` when the name uses no spaces. */
export function cleanName(raw: string): string {
  let text = raw.trim();
  if (!text.includes(' ') && /[._]/.test(text)) text = text.replace(/[._]+/g, ' ');
  else text = text.replace(/_+/g, ' ');
  return text.replace(/\s+/g, ' ').replace(/^[\s\-–]+|[\s\-–]+$/g, '').trim();
}

function stripReleaseTags(words: readonly string[]): string {
  const out: string[] = [];
  for (const word of words) {
    if (RELEASE_TAGS.test(word)) break;
    out.push(word);
  }
  return out.join(' ');
}

const EPISODE_PATTERNS: readonly RegExp[] = [
  // S02E05, s2e5, S02E05E06, S02E05-E06
  /^(.*?)[\s._\-[(]*(?<![A-Za-z0-9])S(\d{1,3})[\s._-]*E(\d{1,4})(?:[-E]+\d{1,4})*(?![0-9A-Za-z])[\s._\-\])]*(.*)$/i,
  // 2x05
  /^(.*?)[\s._\-[(]*(?<![A-Za-z0-9])(\d{1,2})x(\d{1,3})(?![0-9A-Za-z])[\s._\-\])]*(.*)$/i,
];

/** Metadata a video file's name carries. */
export function parseFileName(fileName: string): ItemMetadata {
  const base = baseNameOf(fileName);
  for (const pattern of EPISODE_PATTERNS) {
    const m = pattern.exec(base);
    if (!m) continue;
    const [, series = '', season = '', episode = '', rest = ''] = m;
    const seriesName = cleanName(series);
    const episodeTitle = cleanName(stripReleaseTags(cleanName(rest).split(' ')));
    return {
      kind: 'episode',
      ...(seriesName !== '' ? { seriesName } : {}),
      seasonNumber: Number(season),
      episodeNumber: Number(episode),
      ...(episodeTitle !== '' ? { title: episodeTitle } : {}),
    };
  }
  // Show - 2024-01-05 - Title (daily shows)
  const daily = /^(.*?)[\s._-]+((?:19|20)\d{2})[.-](\d{2})[.-](\d{2})(?:[\s._-]+(.*))?$/.exec(base);
  if (daily) {
    const [, series = '', y = '', mo = '', d = '', rest = ''] = daily;
    const seriesName = cleanName(series);
    const title = cleanName(rest);
    const date = `${y}-${mo}-${d}`;
    if (seriesName !== '' && !Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      return { seriesName, premiereDate: `${date}T00:00:00.000Z`, title: title !== '' ? title : date };
    }
  }
  // Movie (1999) / Movie [1999] / Movie.1999.1080p
  const cleaned = cleanName(base);
  const year = /^(.+?)\s*[([]((?:18|19|20)\d{2})[)\]]\s*(.*)$/.exec(cleaned) ?? /^(.+?)\s+((?:19|20)\d{2})(?:\s+(.*))?$/.exec(cleaned);
  if (year) {
    const [, title = '', y = ''] = year;
    const t = title.trim();
    if (t !== '') return { title: t, productionYear: Number(y) };
  }
  const title = stripReleaseTags(cleaned.split(' '));
  return { title: title !== '' ? title : base };
}

/** Season number a folder name denotes (`Season 2`, `Season 02`, `S2`, `Staffel 3`, `Specials` = 0). */
export function parseSeasonFolder(folderName: string): number | undefined {
  const name = folderName.trim();
  if (/^(?:specials?|extras?)$/i.test(name)) return /^special/i.test(name) ? 0 : undefined;
  const m = /^(?:season|series|staffel|saison|temporada|stagione)[\s._-]*(\d{1,4})$/i.exec(name) ?? /^s(\d{1,3})$/i.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** A folder's title and year from its name (`Big Test Pattern (2024)`). */
export function parseFolderName(folderName: string): { readonly title: string; readonly productionYear?: number } {
  const cleaned = folderName.replace(/\s+/g, ' ').trim();
  const m = /^(.+?)\s*[([]((?:18|19|20)\d{2})[)\]]$/.exec(cleaned);
  if (m?.[1]) return { title: m[1].trim(), productionYear: Number(m[2]) };
  return { title: cleaned };
}

const ARTICLES = /^(?:the|a|an)\s+(?=\S)/i;

/** Jellyfin-style sort title: leading English article removed. */
export function sortTitleOf(title: string): string {
  return title.trim().replace(ARTICLES, '');
}
