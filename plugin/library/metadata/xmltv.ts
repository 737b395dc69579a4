/**
 * XMLTV guides (xmltv.dtd; protocols/rsstv.md §2): `<channel id>` with `display-name`s and
 * `<programme start stop channel>` with title, sub-title, desc, category and episode-num.
 * Times are read by xmltv-time.ts. Pure.
 */
import { childElements, childText, childTexts, parseXml } from './xml-lite.js';
import { parseXmltvTime } from './xmltv-time.js';

export interface XmltvChannel {
  /** The guide's channel id (opaque, e.g. `I10436.labs.zap2it.com`). */
  readonly xmltvId: string;
  readonly number?: string;
  readonly callSign?: string;
  readonly name: string;
  readonly displayNames: readonly string[];
}

export interface XmltvProgramme {
  readonly channel: string;
  /** Epoch ms (UTC). */
  readonly start: number;
  /** Epoch ms; undefined when the guide gives no stop and no later programme on the channel. */
  readonly stop?: number;
  readonly title: string;
  readonly subTitle?: string;
  readonly description?: string;
  readonly categories: readonly string[];
  /** 1-based, from `xmltv_ns` (zero-based in the file) or `onscreen` `S01E02`. */
  readonly seasonNumber?: number;
  readonly episodeNumber?: number;
  readonly hasEpisodeNum: boolean;
}

export interface XmltvGuide {
  readonly channels: readonly XmltvChannel[];
  readonly programmes: readonly XmltvProgramme[];
}

const NUMBER = /^\d+(?:[.-]\d+)?$/;
const NUMBER_AND_CALLSIGN = /^(\d+(?:[.-]\d+)?)\s+([A-Za-z][A-Za-z0-9-]*)$/;
const CALLSIGN = /^[A-Z][A-Z0-9]{1,7}(?:-(?:HD|DT|TV|LD|CD|[A-Z]{1,3}))?$/;

/**
 * Channel number, call sign and name from display-names. Real guides mix `13 KERA`, `13`,
 * `KERA`, `KERA fcc`, `PBS Affiliate`: the first pure number is the number, the first
 * all-capitals token (or the word after a number) the call sign, the first other name the name.
 */
export function channelFromDisplayNames(xmltvId: string, displayNames: readonly string[]): XmltvChannel {
  let number: string | undefined;
  let callSign: string | undefined;
  let name: string | undefined;
  for (const display of displayNames) {
    const both = NUMBER_AND_CALLSIGN.exec(display);
    if (both) {
      number ??= both[1];
      callSign ??= both[2]?.toUpperCase();
    } else if (NUMBER.test(display)) {
      number ??= display;
    } else if (CALLSIGN.test(display)) {
      callSign ??= display;
    } else {
      name ??= display;
    }
  }
  return {
    xmltvId,
    ...(number !== undefined ? { number } : {}),
    ...(callSign !== undefined ? { callSign } : {}),
    name: name ?? callSign ?? displayNames[0] ?? xmltvId,
    displayNames,
  };
}

/** `xmltv_ns` "season.episode.part/total", zero-based, parts optional ("0.4." = S1E5). */
export function parseXmltvNs(text: string): { readonly seasonNumber?: number; readonly episodeNumber?: number } {
  const [season = '', episode = ''] = text.replace(/\s+/g, '').split('.');
  const s = /^(\d+)(?:\/\d+)?$/.exec(season);
  const e = /^(\d+)(?:\/\d+)?$/.exec(episode);
  return {
    ...(s?.[1] !== undefined ? { seasonNumber: Number(s[1]) + 1 } : {}),
    ...(e?.[1] !== undefined ? { episodeNumber: Number(e[1]) + 1 } : {}),
  };
}

/** Parses an XMLTV document. Programmes with a bad start time or unknown channel are dropped. */
export function parseXmltv(xml: string): XmltvGuide {
  const root = parseXml(xml);
  const channels: XmltvChannel[] = [];
  for (const element of childElements(root, 'channel')) {
    const id = element.attributes['id'];
    if (id === undefined || id === '') continue;
    channels.push(channelFromDisplayNames(id, childTexts(element, 'display-name')));
  }
  const known = new Set(channels.map((c) => c.xmltvId));
  const programmes: XmltvProgramme[] = [];
  for (const element of childElements(root, 'programme')) {
    const channel = element.attributes['channel'] ?? '';
    const start = parseXmltvTime(element.attributes['start'] ?? '');
    if (start === undefined || !known.has(channel)) continue;
    const stopText = element.attributes['stop'];
    const stop = stopText === undefined ? undefined : parseXmltvTime(stopText);
    if (stop !== undefined && stop <= start) continue;
    let numbers: { readonly seasonNumber?: number; readonly episodeNumber?: number } = {};
    let hasEpisodeNum = false;
    for (const num of childElements(element, 'episode-num')) {
      hasEpisodeNum = true;
      const system = num.attributes['system'] ?? 'onscreen';
      if (system === 'xmltv_ns') numbers = { ...parseXmltvNs(num.text), ...numbers };
      else if (system === 'onscreen') {
        const m = /S(\d+)\s*E(\d+)/i.exec(num.text);
        if (m) numbers = { ...numbers, seasonNumber: Number(m[1]), episodeNumber: Number(m[2]) };
      }
    }
    const subTitle = childText(element, 'sub-title');
    const description = childText(element, 'desc');
    programmes.push({
      channel,
      start,
      ...(stop !== undefined ? { stop } : {}),
      title: childText(element, 'title') ?? '',
      ...(subTitle !== undefined ? { subTitle } : {}),
      ...(description !== undefined ? { description } : {}),
      categories: childTexts(element, 'category'),
      ...numbers,
      hasEpisodeNum,
    });
  }
  return { channels, programmes: fillMissingStops(programmes) };
}

/** A programme without `stop` ends when the next one on its channel starts (XMLTV convention). */
function fillMissingStops(programmes: readonly XmltvProgramme[]): readonly XmltvProgramme[] {
  const sorted = [...programmes].sort((a, b) => (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : a.start - b.start));
  return sorted.map((p, i) => {
    if (p.stop !== undefined) return p;
    const next = sorted[i + 1];
    return next?.channel === p.channel && next.start > p.start ? { ...p, stop: next.start } : p;
  });
}
