/**
 * Folder and file names of camera recordings (pure). Jellyfin skips paths matching its ignore
 * globs (protocols/camera.md §6): dot-names, anything with "sample" (10.6) or "minta" (12.0),
 * and folder names such as `metadata`, `subs`, `@eaDir`. Camera names are cleaned of characters
 * no filesystem likes and rejected when they would hit one of those rules.
 */

/** Hidden staging folder inside the library: Jellyfin never resolves dot-named folders. */
export const STAGING_FOLDER = '.jellybridge-staging';

/** strftime pattern ffmpeg names staging segments with (local time at segment open). */
export const STAGING_PATTERN = '%Y%m%d-%H%M%S.mp4';

const STAGING_NAME = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.mp4$/;

const IGNORED_EXACT = new Set([
  'metadata',
  'subs',
  'extrafanart',
  'extrathumbs',
  'lost+found',
  'temprec',
  'tempsbe',
  'eadir',
  '@eadir',
  '#recycle',
  '@recycle',
  '$recycle.bin',
  'system volume information',
  'thumbs.db',
  'sample',
]);
const IGNORED_SUFFIXES = ['.trickplay', '.bts', '.sync'];
const IGNORED_WORDS = ['sample', 'minta'];

/** Local date and time a segment started, as written in names. */
export interface SegmentStamp {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export type NameCheck = { readonly ok: true; readonly name: string } | { readonly ok: false; readonly reason: string };

/**
 * The folder/file name for a camera: path separators, control and reserved characters become
 * spaces, runs of spaces collapse, leading dots go. Names Jellyfin would ignore are refused.
 */
export function cameraFolderName(displayName: string): NameCheck {
  const cleaned = displayName
    // Control characters (U+0000–U+001F, U+007F) and characters filesystems reserve.
    .replace(/[\p{Cc}/\\:*?"<>|]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '')
    .slice(0, 80)
    .trim();
  if (cleaned === '') return { ok: false, reason: `camera name ${JSON.stringify(displayName)} has no usable characters` };
  const lower = cleaned.toLowerCase();
  const word = IGNORED_WORDS.find((w) => lower.includes(w));
  if (word !== undefined) return { ok: false, reason: `camera name ${JSON.stringify(displayName)} contains "${word}", which Jellyfin ignores` };
  if (IGNORED_EXACT.has(lower) || IGNORED_SUFFIXES.some((s) => lower.endsWith(s))) {
    return { ok: false, reason: `camera name ${JSON.stringify(displayName)} is a folder name Jellyfin ignores` };
  }
  return { ok: true, name: cleaned };
}

/** Parses a staging segment name (`20261103-140000.mp4`); undefined for anything else. */
export function parseStagingName(fileName: string): SegmentStamp | undefined {
  const m = STAGING_NAME.exec(fileName);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  return { year, month, day, hour, minute, second };
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `YYYY-MM-DD`. */
export function dateText(s: SegmentStamp): string {
  return `${s.year}-${two(s.month)}-${two(s.day)}`;
}

/** `YYYY-MM-DD HH-MM-SS` (no colons: they are not allowed on every filesystem). */
export function stampText(s: SegmentStamp): string {
  return `${dateText(s)} ${two(s.hour)}-${two(s.minute)}-${two(s.second)}`;
}

/** Library-relative folder and file name of a segment: `<Camera>/<date>/<Camera> <stamp>.mp4`. */
export function segmentRelativePath(camera: string, stamp: SegmentStamp, duplicate = 0): { readonly dir: string; readonly file: string } {
  const suffix = duplicate > 0 ? ` (${duplicate + 1})` : '';
  return { dir: `${camera}/${dateText(stamp)}`, file: `${camera} ${stampText(stamp)}${suffix}.mp4` };
}

/** The segment title written into the file. */
export function segmentTitle(camera: string, stamp: SegmentStamp): string {
  return `${camera} ${stampText(stamp)}`;
}

/** Epoch ms of a local-time stamp (the zone ffmpeg's strftime used: the process's). */
export function stampToMs(s: SegmentStamp): number {
  return new Date(s.year, s.month - 1, s.day, s.hour, s.minute, s.second).getTime();
}

/** The stamp of an epoch time in local time. */
export function msToStamp(ms: number): SegmentStamp {
  const d = new Date(ms);
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds() };
}
