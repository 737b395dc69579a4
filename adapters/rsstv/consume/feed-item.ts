/**
 * Turns a raw feed item into an airing to schedule, or into a final status (protocols/rsstv.md
 * §5.1): strict XMLTV times, stop after start, at most 6 h long, at most 14 days ahead
 * (`Rejected`), not already over (`Expired`). Pure: `now` is an argument.
 */
import { createHash } from 'node:crypto';
import { parseXmltvTime } from '../../../plugin/index.js';
import { parseTvChannel, type FeedChannel } from '../channel-id.js';
import type { RawFeedItem } from './feed-parser.js';

export interface Airing {
  readonly guid: string;
  readonly title: string;
  readonly channel: FeedChannel;
  /** Epoch ms. */
  readonly start: number;
  readonly stop: number;
  readonly programIdHint?: string;
}

export interface ItemLimits {
  readonly maxDurationMs: number;
  readonly maxLeadMs: number;
}

export const DEFAULT_ITEM_LIMITS: ItemLimits = { maxDurationMs: 6 * 3_600_000, maxLeadMs: 14 * 86_400_000 };

export type ItemOutcome =
  | { readonly kind: 'airing'; readonly airing: Airing }
  | { readonly kind: 'rejected'; readonly guid: string; readonly title: string; readonly reason: string }
  | { readonly kind: 'expired'; readonly guid: string; readonly title: string; readonly start?: number; readonly stop?: number };

/**
 * The item's idempotency key: its guid, or (for feeds without guids) a hash of what identifies
 * the airing, so the same item is recognised on every poll.
 */
export function itemKey(item: RawFeedItem): string {
  if (item.guid !== undefined) return item.guid.slice(0, 512);
  const basis = [item.channel ?? '', item.callSign ?? '', item.start ?? '', item.stop ?? '', item.title ?? ''].join('\u0000');
  return `sha256:${createHash('sha256').update(basis).digest('hex').slice(0, 32)}`;
}

export function classifyItem(item: RawFeedItem, now: number, limits: ItemLimits = DEFAULT_ITEM_LIMITS): ItemOutcome {
  const guid = itemKey(item);
  const title = (item.title ?? '').slice(0, 300);
  const reject = (reason: string): ItemOutcome => ({ kind: 'rejected', guid, title, reason });
  const channel = parseTvChannel(item.channel, item.callSign, item.channelNumber);
  if (channel === undefined) return reject('no usable channel (tvchannel/callsign)');
  if (item.start === undefined) return reject('no start time');
  const start = parseXmltvTime(item.start);
  if (start === undefined) return reject(`bad start time "${item.start.slice(0, 40)}"`);
  let stop: number | undefined;
  if (item.stop !== undefined) {
    stop = parseXmltvTime(item.stop);
    if (stop === undefined) return reject(`bad stop time "${item.stop.slice(0, 40)}"`);
  } else if (item.duration !== undefined) {
    const minutes = /^\d{1,5}$/.test(item.duration.trim()) ? Number(item.duration.trim()) : NaN;
    if (!Number.isFinite(minutes) || minutes <= 0) return reject(`bad duration "${item.duration.slice(0, 40)}"`);
    stop = start + minutes * 60_000;
  } else {
    return reject('no stop time or duration');
  }
  if (stop <= start) return reject('stop is not after start');
  if (stop - start > limits.maxDurationMs) return reject('airing is longer than the maximum duration');
  if (stop <= now) return { kind: 'expired', guid, title, start, stop };
  if (start - now > limits.maxLeadMs) return reject('airing starts too far ahead');
  return {
    kind: 'airing',
    airing: { guid, title, channel, start, stop, ...(item.programId === undefined ? {} : { programIdHint: item.programId.slice(0, 200) }) },
  };
}
