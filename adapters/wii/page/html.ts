/**
 * HTML for the Wii Internet Channel (Opera 9): pages laid out for its 800 px wide virtual
 * screen, big link targets for the Wii Remote pointer, plain HTML 4 with inline CSS and no
 * script. Pure: data in, strings out.
 */
import { escapeHtml, type Folder, type LibraryEntry, type MediaItem } from '../../../plugin/index.js';

/** Wii Internet Channel user agents contain "Nintendo Wii" (Opera/9.30 (Nintendo Wii; U; ; 3642; en)). */
export function isWiiUserAgent(userAgent: string | undefined): boolean {
  return userAgent !== undefined && /Nintendo Wii/i.test(userAgent);
}

/** 5400 s → "1 h 30 min"; 95 s → "2 min". */
export function formatRuntime(seconds: number | undefined): string {
  if (seconds === undefined || !(seconds > 0)) return '';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${Math.max(1, minutes)} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** 3725 → "1:02:05", 65 → "1:05". */
export function formatClock(seconds: number): string {
  const t = Math.max(0, Math.floor(seconds));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = t % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const STYLE = `body{margin:0;padding:8px 16px;background:#101820;color:#eee;font-family:sans-serif;font-size:22px;width:768px}
a{color:#fff;text-decoration:none}
h1{font-size:30px;margin:8px 0 12px}
.crumbs a,.pager a,.btn{display:inline-block;background:#2a4a6a;padding:14px 22px;margin:4px 8px 4px 0;font-size:22px}
.entry{display:block;background:#1c2c3c;margin:0 0 8px;padding:8px;min-height:72px;overflow:hidden}
.entry img{float:left;width:96px;margin-right:12px}
.entry .t{font-size:24px;font-weight:bold}
.entry .m{font-size:18px;color:#aac}
.entry .o{font-size:17px;color:#ccd}
.poster{float:left;width:200px;margin:0 16px 8px 0}
.note{font-size:16px;color:#99a}
.play{display:inline-block;background:#3a7a3a;padding:18px 34px;font-size:28px;margin:8px 8px 8px 0}
.starts a{display:inline-block;background:#2a4a6a;padding:10px 14px;margin:4px 6px 4px 0;font-size:20px}`;

export interface PageOptions {
  /** `/wii/` (mount point, with trailing slash). */
  readonly base: string;
  readonly wii: boolean;
}

export function layout(title: string, body: string, options: PageOptions): string {
  const note = options.wii ? '' : '<p class="note">These pages are made for the Wii Internet Channel.</p>';
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>${escapeHtml(title)}</title>
<style type="text/css">${STYLE}</style></head>
<body><div class="crumbs"><a href="${options.base}">Libraries</a></div>
${note}${body}
</body></html>`;
}

function entryMeta(entry: LibraryEntry): string {
  if (entry.kind === 'folder') {
    const what = entry.folderType === 'series' ? 'Series' : entry.folderType === 'season' ? 'Season' : 'Folder';
    return entry.childCount !== undefined ? `${what} · ${entry.childCount} entries` : what;
  }
  const parts: string[] = [];
  if (entry.seriesName !== undefined && entry.episodeNumber !== undefined) parts.push(`S${entry.seasonNumber ?? 0}E${entry.episodeNumber}`);
  if (entry.productionYear !== undefined) parts.push(String(entry.productionYear));
  const runtime = formatRuntime(entry.durationSeconds ?? entry.media?.durationSeconds);
  if (runtime) parts.push(runtime);
  return parts.join(' · ');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}\u2026`;
}

export function entryLink(entry: LibraryEntry, base: string): string {
  const href = entry.kind === 'folder' ? `${base}browse/${encodeURIComponent(entry.id)}` : `${base}item/${encodeURIComponent(entry.id)}`;
  const img = entry.image ? `<img src="${base}image/${encodeURIComponent(entry.id)}?tag=${encodeURIComponent(entry.image.tag)}" alt="">` : '';
  const overview = entry.kind === 'item' && entry.overview ? `<br><span class="o">${escapeHtml(truncate(entry.overview, 140))}</span>` : '';
  return `<a class="entry" href="${href}">${img}<span class="t">${escapeHtml(entry.title)}</span><br><span class="m">${escapeHtml(entryMeta(entry))}</span>${overview}</a>`;
}

export function librariesPage(roots: readonly Folder[], options: PageOptions): string {
  const list = roots.length === 0 ? '<p>No libraries.</p>' : roots.map((r) => entryLink(r, options.base)).join('\n');
  return layout('Jellybridge', `<h1>Libraries</h1>\n${list}`, options);
}

export interface FolderPageData {
  readonly folder: Folder;
  readonly entries: readonly LibraryEntry[];
  readonly page: number;
  readonly pageCount: number;
  readonly total: number;
}

export function folderPage(data: FolderPageData, options: PageOptions): string {
  const { folder, page, pageCount } = data;
  const href = (p: number): string => `${options.base}browse/${encodeURIComponent(folder.id)}?page=${p}`;
  const parent = folder.parentId !== undefined ? `<a href="${options.base}browse/${encodeURIComponent(folder.parentId)}">Up</a>` : '';
  const pager =
    pageCount > 1
      ? `<div class="pager">${page > 1 ? `<a href="${href(page - 1)}">&lt; Previous</a>` : ''}<span> Page ${page} of ${pageCount} </span>${page < pageCount ? `<a href="${href(page + 1)}">Next &gt;</a>` : ''}</div>`
      : '';
  const list = data.entries.length === 0 ? '<p>This folder is empty.</p>' : data.entries.map((e) => entryLink(e, options.base)).join('\n');
  return layout(folder.title, `<div class="crumbs">${parent}</div><h1>${escapeHtml(folder.title)}</h1>\n${pager}\n${list}\n${pager}`, options);
}

/** Start offsets offered on the item page (every 10 min for long items). */
export function startOffsets(durationSeconds: number): number[] {
  if (!(durationSeconds > 15 * 60)) return [];
  const out: number[] = [];
  for (let t = 600; t < durationSeconds - 60; t += 600) out.push(t);
  return out;
}

export function itemPage(item: MediaItem, options: PageOptions): string {
  const base = options.base;
  const poster = item.image ? `<img class="poster" src="${base}image/${encodeURIComponent(item.id)}?tag=${encodeURIComponent(item.image.tag)}" alt="">` : '';
  const play = `${base}play/${encodeURIComponent(item.id)}`;
  const duration = item.durationSeconds ?? item.media?.durationSeconds ?? 0;
  const offsets = startOffsets(duration);
  const starts = offsets.length ? `<div class="starts">Start at: ${offsets.map((t) => `<a href="${play}?start=${t}">${formatClock(t)}</a>`).join('')}</div>` : '';
  const playButton = item.playable ? `<a class="play" href="${play}">Play</a>` : `<p>Cannot play: ${escapeHtml(item.unplayableReason ?? 'unsupported file')}</p>`;
  const back = item.parentId !== undefined ? `<a href="${base}browse/${encodeURIComponent(item.parentId)}">Back</a>` : '';
  const overview = item.overview ? `<p>${escapeHtml(item.overview)}</p>` : '';
  return layout(
    item.title,
    `<div class="crumbs">${back}</div><h1>${escapeHtml(item.title)}</h1>${poster}<p class="m">${escapeHtml(entryMeta(item))}</p>${playButton}${starts}${overview}`,
    options,
  );
}

export interface PlayerParams {
  readonly swfUrl: string;
  readonly rtmpUrl: string;
  readonly stream: string;
  readonly startSeconds: number;
  readonly durationSeconds: number;
  readonly bufferSeconds: number;
  /** Progressive FLV instead of RTMP (debug/test path). */
  readonly flvUrl?: string;
  readonly width: number;
  readonly height: number;
}

export function flashVars(p: PlayerParams): string {
  const vars: [string, string][] = [
    ['rtmp', p.rtmpUrl],
    ['stream', p.stream],
    ['start', String(p.startSeconds)],
    ['dur', String(Math.round(p.durationSeconds * 1000) / 1000)],
    ['buf', String(p.bufferSeconds)],
  ];
  if (p.flvUrl !== undefined) vars.push(['flv', p.flvUrl]);
  return vars.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

/** `<object>` for Internet Explorer-style plugins and `<embed>` for Opera, both with FlashVars. */
export function playerEmbed(p: PlayerParams): string {
  const fv = escapeHtml(flashVars(p));
  const swf = escapeHtml(p.swfUrl);
  return `<object type="application/x-shockwave-flash" data="${swf}" width="${p.width}" height="${p.height}" id="player">
<param name="movie" value="${swf}"><param name="flashvars" value="${fv}"><param name="allowScriptAccess" value="never"><param name="quality" value="low"><param name="bgcolor" value="#000000">
<embed type="application/x-shockwave-flash" src="${swf}" width="${p.width}" height="${p.height}" flashvars="${fv}" quality="low" bgcolor="#000000">
</object>`;
}

export function playPage(item: MediaItem, params: PlayerParams, options: PageOptions): string {
  const back = `<a href="${options.base}item/${encodeURIComponent(item.id)}">Back</a>`;
  return layout(item.title, `<div class="crumbs">${back}</div>\n${playerEmbed(params)}\n<p class="m">${escapeHtml(item.title)}</p>`, options);
}

export function refusedPage(reason: string, options: PageOptions): string {
  return layout('Not allowed', `<h1>This device is not allowed</h1><p>${escapeHtml(reason)}</p><p>Approve it in the Jellybridge admin page, then reload.</p>`, options);
}
