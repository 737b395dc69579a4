/**
 * Builds the RSS 2.0 feed of our RSSTV profile (protocols/rsstv.md §4). Pure: the caller passes
 * the items, the instant that counts as "now" and the zone offset function.
 *
 * Plain RSS 2.0 with namespaced extension elements, UTF-8, every text node escaped and no
 * CDATA or HTML, so that the TiVo RssReader module (which shows `title` and `description`) and
 * ordinary feed readers read it; the `rsstv:` elements are for DVR-side readers.
 */
import { formatRfc822, formatXmltvTime } from '../../../plugin/index.js';
import { formatTvChannel } from '../channel-id.js';
import { capText, escapeXml, oneLine } from '../xml-text.js';

/** The namespace of our RSSTV profile (the original proposal's URI is not known; rsstv.md §0). */
export const RSSTV_NAMESPACE = 'urn:jellybridge:rsstv:1';
export const DC_NAMESPACE = 'http://purl.org/dc/elements/1.1/';

/** One suggested airing, as the feed publishes it. */
export interface FeedEntry {
  /** Stable, never reused: the reader's idempotency key. */
  readonly guid: string;
  readonly title: string;
  readonly episodeTitle?: string;
  /** The friend's note (plain text). */
  readonly note?: string;
  /** The guide's synopsis. */
  readonly synopsis?: string;
  /** Friend's display name (no e-mail address). */
  readonly suggestedBy: string;
  /** Epoch ms of the suggestion. */
  readonly suggestedAt: number;
  readonly callSign: string;
  readonly channelNumber?: string;
  /** Source guide channel and programme ids (hints only). */
  readonly guideChannelId?: string;
  readonly programId?: string;
  /** Epoch ms of the airing. */
  readonly start: number;
  readonly stop: number;
}

export interface FeedHeader {
  readonly title: string;
  readonly link: string;
  readonly description: string;
}

export interface FeedOptions {
  /** Instant that counts as now: airings that ended by then are left out. */
  readonly now: number;
  readonly maxItems: number;
  readonly descriptionMaxLength: number;
  /** Zone offset (minutes east of UTC) for XMLTV times at an instant. */
  readonly offsetAt: (ms: number) => number;
  /** `lastBuildDate` (epoch ms); default: the latest suggestion in the feed, or `now`. */
  readonly lastBuildDate?: number;
}

export interface BuiltFeed {
  readonly xml: string;
  /** Entries actually published (future airings, capped), in feed order. */
  readonly entries: readonly FeedEntry[];
  /** The `lastBuildDate` (epoch ms), also sent as Last-Modified. */
  readonly lastModified: number;
}

/** The friend's name without anything that looks like an e-mail address (RSS `author` would want one; we never publish it). */
export function displayName(name: string): string {
  const cleaned = oneLine(name.replace(/<?[^\s<>@]+@[^\s<>@]+>?/g, ''));
  return cleaned === '' ? 'a friend' : cleaned;
}

function entryTitle(entry: FeedEntry): string {
  const title = oneLine(entry.title);
  const episode = entry.episodeTitle === undefined ? '' : oneLine(entry.episodeTitle);
  return episode === '' ? title : `${title} – ${episode}`;
}

function entryDescription(entry: FeedEntry, max: number): string {
  const note = entry.note === undefined ? '' : oneLine(entry.note);
  const by = displayName(entry.suggestedBy);
  const parts = [note === '' ? `Suggested by ${by}` : `Suggested by ${by}: "${note}"`];
  if (entry.synopsis !== undefined && oneLine(entry.synopsis) !== '') parts.push(oneLine(entry.synopsis));
  return capText(parts.join(' — '), max);
}

function element(name: string, text: string, indent = '      '): string {
  return `${indent}<${name}>${escapeXml(text)}</${name}>`;
}

/** Items to publish: future airings only, soonest first (ties by guid), at most `maxItems`. */
export function selectEntries(entries: readonly FeedEntry[], now: number, maxItems: number): readonly FeedEntry[] {
  return entries
    .filter((e) => e.stop > now && e.stop > e.start)
    .sort((a, b) => a.start - b.start || (a.guid < b.guid ? -1 : a.guid > b.guid ? 1 : 0))
    .slice(0, Math.max(0, maxItems));
}

/** Renders the feed. */
export function buildFeed(header: FeedHeader, all: readonly FeedEntry[], options: FeedOptions): BuiltFeed {
  const entries = selectEntries(all, options.now, options.maxItems);
  const lastModified = options.lastBuildDate ?? (entries.length === 0 ? options.now : Math.max(...entries.map((e) => e.suggestedAt)));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<rss version="2.0" xmlns:rsstv="${RSSTV_NAMESPACE}" xmlns:dc="${DC_NAMESPACE}">`,
    '  <channel>',
    element('title', oneLine(header.title), '    '),
    element('link', header.link, '    '),
    element('description', oneLine(header.description), '    '),
    element('lastBuildDate', formatRfc822(lastModified), '    '),
    element('generator', 'Jellybridge rsstv', '    '),
    element('ttl', '15', '    '),
  ];
  for (const entry of entries) {
    lines.push('    <item>');
    lines.push(element('title', entryTitle(entry)));
    lines.push(element('description', entryDescription(entry, options.descriptionMaxLength)));
    lines.push(`      <guid isPermaLink="false">${escapeXml(entry.guid)}</guid>`);
    lines.push(element('pubDate', formatRfc822(entry.suggestedAt)));
    lines.push(element('dc:creator', displayName(entry.suggestedBy)));
    lines.push(element('rsstv:tvchannel', formatTvChannel(entry.channelNumber, entry.callSign)));
    lines.push(element('rsstv:tvstart', formatXmltvTime(entry.start, options.offsetAt(entry.start))));
    lines.push(element('rsstv:tvstop', formatXmltvTime(entry.stop, options.offsetAt(entry.stop))));
    lines.push(element('rsstv:callsign', entry.callSign.toUpperCase()));
    if (entry.channelNumber !== undefined && entry.channelNumber !== '') lines.push(element('rsstv:channelnumber', entry.channelNumber));
    if (entry.guideChannelId !== undefined) lines.push(element('rsstv:xmltvchannel', entry.guideChannelId));
    if (entry.programId !== undefined) lines.push(element('rsstv:programid', entry.programId));
    lines.push('    </item>');
  }
  lines.push('  </channel>', '</rss>', '');
  return { xml: lines.join('\n'), entries, lastModified };
}
