/**
 * Parses an RSSTV feed (protocols/rsstv.md §5.1), tolerantly and safely. Pure: bytes in, raw
 * item fields out; no I/O, no clock.
 *
 * Safety: the body must be valid UTF-8 (or the declared single-byte encoding), at most
 * `maxBytes`; any DOCTYPE or ENTITY declaration rejects the whole document (no XXE, no entity
 * expansion: fast-xml-parser's entity processing stays off and only the five predefined and
 * numeric references are decoded here, in one pass); the item list is capped.
 *
 * Tolerance: extension elements are matched by local name in any namespace (the original
 * RSSTV namespace URI is unknown) with the aliases of §5.1; unknown elements are ignored.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SidecarError } from '../../../plugin/index.js';

/** One item's fields as found in the feed (trimmed text, not yet validated). */
export interface RawFeedItem {
  readonly guid?: string;
  readonly title?: string;
  readonly description?: string;
  readonly author?: string;
  readonly channel?: string;
  readonly callSign?: string;
  readonly channelNumber?: string;
  readonly start?: string;
  readonly stop?: string;
  /** Minutes, when the feed gives a duration instead of a stop time. */
  readonly duration?: string;
  readonly programId?: string;
}

export interface ParsedFeed {
  readonly title?: string;
  readonly items: readonly RawFeedItem[];
  /** Items in the document before the cap. */
  readonly totalItems: number;
}

export interface ParseLimits {
  readonly maxBytes: number;
  readonly maxItems: number;
}

const ALIASES: Readonly<Record<Exclude<keyof RawFeedItem, 'guid' | 'title' | 'description' | 'author'>, readonly string[]>> = {
  channel: ['tvchannel', 'channel'],
  callSign: ['callsign', 'call-sign', 'callSign'],
  channelNumber: ['channelnumber', 'channel-number', 'channelNumber'],
  start: ['tvstart', 'start', 'starttime'],
  stop: ['tvstop', 'tvend', 'stop', 'end', 'endtime'],
  duration: ['duration', 'tvduration'],
  programId: ['programid', 'programId', 'program-id'],
};

const MAX_FIELD = 4000;

function invalid(message: string): SidecarError {
  return new SidecarError('ERR_RSSTV_FEED_INVALID', 'invalid-argument', message);
}

/** Decodes the five predefined entities and numeric character references, in one pass. */
export function decodeXmlEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[name] ?? whole;
    const code = dec !== undefined ? Number(dec) : parseInt(hex ?? '', 16);
    if (!Number.isFinite(code) || code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '';
    return String.fromCodePoint(code);
  });
}

/** Decodes the body: UTF-8 (BOM allowed) unless the XML declaration names a single-byte charset. */
function decode(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const declared = /^(?:\uFEFF|\xEF\xBB\xBF)?<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  const label = declared === undefined || declared === 'utf8' ? 'utf-8' : declared;
  if (!['utf-8', 'iso-8859-1', 'latin1', 'windows-1252', 'us-ascii', 'ascii'].includes(label)) throw invalid(`unsupported feed encoding ${declared ?? ''}`);
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (cause) {
    throw new SidecarError('ERR_RSSTV_FEED_INVALID', 'invalid-argument', `feed is not valid ${label}`, { cause });
  }
}

function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return textOf((value as unknown[])[0]);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    const text = decodeXmlEntities(String(value)).trim();
    return text === '' ? undefined : text.slice(0, MAX_FIELD);
  }
  if (typeof value === 'object') {
    // Mixed content (markup inside a description): keep the element's own text only.
    return textOf((value as Record<string, unknown>)['#text']);
  }
  return undefined;
}

function field(item: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const text = textOf(item[name]);
    if (text !== undefined) return text;
  }
  return undefined;
}

function toItem(node: unknown): RawFeedItem | undefined {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
  const item = node as Record<string, unknown>;
  const out: { -readonly [K in keyof RawFeedItem]: RawFeedItem[K] } = {};
  const guid = field(item, ['guid', 'id']);
  if (guid !== undefined) out.guid = guid;
  const title = field(item, ['title']);
  if (title !== undefined) out.title = title;
  const description = field(item, ['description', 'summary']);
  if (description !== undefined) out.description = description;
  const author = field(item, ['creator', 'author']);
  if (author !== undefined) out.author = author;
  for (const [key, names] of Object.entries(ALIASES) as [keyof typeof ALIASES, readonly string[]][]) {
    const value = field(item, names);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 64,
});

/**
 * Parses a feed body. Throws `ERR_RSSTV_FEED_TOO_LARGE` over `maxBytes` and
 * `ERR_RSSTV_FEED_INVALID` for bad encoding, DTDs/entities, malformed XML or a document that is
 * not RSS 2.0.
 */
export function parseFeed(bytes: Uint8Array, limits: ParseLimits): ParsedFeed {
  if (bytes.byteLength > limits.maxBytes) {
    throw new SidecarError('ERR_RSSTV_FEED_TOO_LARGE', 'resource-exhausted', `feed is ${bytes.byteLength} bytes, over the ${limits.maxBytes}-byte cap`);
  }
  const text = decode(bytes).replace(/^\uFEFF/, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw invalid('feed declares a DOCTYPE or entities (refused: no DTDs, no entity expansion)');
  // fast-xml-parser 5.12 marks XMLValidator deprecated in favour of its own dependency
  // fast-xml-validator (same code); DESIGN.md §5 allows fast-xml-parser here, so we keep it.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (valid !== true) throw invalid(`feed is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch (cause) {
    throw new SidecarError('ERR_RSSTV_FEED_INVALID', 'invalid-argument', 'feed cannot be parsed', { cause });
  }
  const rss = (doc as Record<string, unknown> | undefined)?.['rss'];
  if (typeof rss !== 'object' || rss === null) throw invalid('feed is not RSS (no <rss> root)');
  const channel = (rss as Record<string, unknown>)['channel'];
  const channelNode = Array.isArray(channel) ? (channel as unknown[])[0] : channel;
  if (typeof channelNode !== 'object' || channelNode === null) throw invalid('feed has no <channel>');
  const rawItems = (channelNode as Record<string, unknown>)['item'];
  const list: unknown[] = rawItems === undefined ? [] : Array.isArray(rawItems) ? (rawItems as unknown[]) : [rawItems];
  const items: RawFeedItem[] = [];
  for (const node of list.slice(0, Math.max(0, limits.maxItems))) {
    const item = toItem(node);
    if (item !== undefined) items.push(item);
  }
  const title = textOf((channelNode as Record<string, unknown>)['title']);
  return { ...(title === undefined ? {} : { title }), items, totalItems: list.length };
}
