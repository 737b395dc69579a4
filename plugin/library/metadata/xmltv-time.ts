/**
 * XMLTV times (xmltv.dtd; protocols/rsstv.md §2): `YYYYMMDDhhmmss` or a leading substring of it
 * (down to `YYYYMMDD`), optionally followed by a zone (`+0100`, `-0600`, or a legacy name such
 * as `BST`). No zone means UTC. One implementation for the local guide (xmltv.ts) and the
 * adapters, with the RSS dates that feeds carry next to XMLTV times. Pure: no clock, no I/O.
 */

/** Legacy zone names seen in real listings, as minutes east of UTC. */
const ZONE_NAMES: Readonly<Record<string, number>> = {
  UTC: 0,
  UT: 0,
  GMT: 0,
  Z: 0,
  BST: 60,
  IST: 60,
  WET: 0,
  WEST: 60,
  CET: 60,
  CEST: 120,
  MET: 60,
  MEST: 120,
  EET: 120,
  EEST: 180,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AKST: -540,
  AKDT: -480,
  HST: -600,
};

const TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?(?:\s*(?:([+-])(\d{2}):?(\d{2})|([A-Za-z]{1,5})))?$/;

/**
 * Parses an XMLTV time to epoch milliseconds; undefined when malformed (bad shape, month 13,
 * 31 February, unknown zone name). Strict: no leniency beyond what the DTD allows.
 */
export function parseXmltvTime(text: string): number | undefined {
  const match = TIME.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, sign, zh, zm, name] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? '0');
  const minute = Number(mi ?? '0');
  const second = Number(s ?? '0');
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (sign !== undefined) {
    const oh = Number(zh);
    const om = Number(zm);
    if (oh > 14 || om > 59) return undefined;
    offsetMinutes = (sign === '-' ? -1 : 1) * (oh * 60 + om);
  } else if (name !== undefined) {
    const known = ZONE_NAMES[name.toUpperCase()];
    if (known === undefined) return undefined;
    offsetMinutes = known;
  }
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(local);
  // Date.UTC rolls 31 February over to March: refuse instead.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return local - offsetMinutes * 60_000;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Formats an offset in minutes as `+hhmm` / `-hhmm`. */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/** Formats epoch ms as a full XMLTV time in the given offset: `20261121200000 +0100`. */
export function formatXmltvTime(ms: number, offsetMinutes = 0): string {
  const t = new Date(ms + offsetMinutes * 60_000);
  return (
    `${pad(t.getUTCFullYear(), 4)}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}` +
    `${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}${pad(t.getUTCSeconds())} ${formatOffset(offsetMinutes)}`
  );
}

// Building an Intl.DateTimeFormat costs far more than using one: keep one per zone.
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = FORMATTERS.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    FORMATTERS.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The UTC offset (minutes east) of an IANA time zone at an instant, from the runtime's time-zone
 * data (Intl; no I/O). Throws RangeError for an unknown zone, so config validation can use it.
 */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? '0');
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** RFC 822 date (RSS 2.0 `pubDate`, `lastBuildDate`, HTTP dates): `Sat, 21 Nov 2026 09:12:00 GMT`. */
export function formatRfc822(ms: number): string {
  return new Date(ms).toUTCString();
}
