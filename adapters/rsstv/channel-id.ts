/**
 * The RSSTV `tvchannel` value: `C<number><CALLSIGN>` (`C61FOOD`; protocols/rsstv.md §1, §5.1),
 * in the style of old zap2it-derived XMLTV channel ids. Pure.
 */

/** A channel as the feed names it: a call sign, and the number on the publisher's lineup. */
export interface FeedChannel {
  readonly callSign: string;
  readonly number?: string;
}

// `C` is a prefix only together with a number: `CNN` is the call sign CNN, not C + `NN`.
const CHANNEL = /^(?:[Cc](\d+(?:[.-]\d+)?))?([A-Za-z][A-Za-z0-9-]*)$/;
const SPACED = /^(\d+(?:[.-]\d+)?)\s+([A-Za-z][A-Za-z0-9-]*)$/;
const DOMAIN_SUFFIX = /(?:\.[A-Za-z][A-Za-z0-9-]*)+$/;

/**
 * A call sign for a channel that has none: the name's letters and digits, upper-cased
 * ("BBC One" → `BBCONE`), so a reader can still match it against the compacted name.
 */
export function callSignFor(channel: { readonly name: string; readonly callSign?: string }): string {
  const explicit = channel.callSign?.trim().toUpperCase();
  if (explicit) return explicit;
  const compact = channel.name.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (compact === '') return 'UNKNOWN';
  // The value must start with a letter after the number, or it would read as more number.
  return /^[A-Z]/.test(compact) ? compact : `X${compact}`;
}

/**
 * Formats `C<number><CALLSIGN>`. Without a numeric channel number the bare call sign is
 * published: `C` + call sign would read back as a call sign starting with C.
 */
export function formatTvChannel(number: string | undefined, callSign: string): string {
  const n = number?.trim();
  return n !== undefined && /^\d+(?:[.-]\d+)?$/.test(n) ? `C${n}${callSign.toUpperCase()}` : callSign.toUpperCase();
}

/**
 * Parses a channel string from a feed: `C61FOOD`, `C61FOOD.zap2it.com` (domain suffix
 * stripped), `61 FOOD`, `FOOD`. An explicit call sign (the `callsign` element) wins over the
 * one in the string. Undefined when nothing usable is there.
 */
export function parseTvChannel(text: string | undefined, explicitCallSign?: string, explicitNumber?: string): FeedChannel | undefined {
  let number: string | undefined;
  let callSign: string | undefined;
  const raw = (text ?? '').trim();
  if (raw !== '') {
    // A domain suffix (`.zap2it.com`) is labels starting with a letter; `.1` of `C13.1KERA` is not.
    const head = raw.replace(DOMAIN_SUFFIX, '');
    const match = SPACED.exec(head) ?? CHANNEL.exec(head);
    if (match) {
      number = match[1];
      callSign = match[2]?.toUpperCase();
    }
  }
  const explicit = explicitCallSign?.trim().toUpperCase();
  if (explicit && /^[A-Z0-9][A-Z0-9-]*$/.test(explicit)) callSign = explicit;
  const explicitNum = explicitNumber?.trim();
  if (number === undefined && explicitNum && /^\d+(?:[.-]\d+)?$/.test(explicitNum)) number = explicitNum;
  if (callSign === undefined) return undefined;
  return number === undefined ? { callSign } : { callSign, number };
}
