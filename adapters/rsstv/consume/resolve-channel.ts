/**
 * Call-sign-first channel resolution (protocols/rsstv.md §5.2). Numbers differ between a
 * friend's lineup and ours; call signs don't. Pure. Never guesses: several equally good
 * candidates that the number cannot separate are `ambiguous`.
 */
import type { Channel } from '../../../plugin/index.js';
import type { FeedChannel } from '../channel-id.js';

export type ChannelResolution =
  | { readonly kind: 'resolved'; readonly channel: Channel; readonly by: 'call-sign' | 'alias' | 'number' }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly Channel[] }
  | { readonly kind: 'unresolved' };

export interface ResolveOptions {
  /** Owner-maintained map: call sign → our channel id. */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Fall back to the channel number alone (only when both sides share a lineup). */
  readonly numberFallback?: boolean;
}

/** Suffixes stations add to their call sign on digital or HD services. */
const SUFFIXES = ['HD', 'DT', 'TV'];

function tokens(text: string): string[] {
  return text.toUpperCase().split(/[^A-Z0-9]+/).filter((t) => t !== '');
}

function normaliseNumber(number: string): string {
  return number.trim().replace(/-/g, '.').replace(/^0+(?=\d)/, '');
}

/** 2 = the channel is exactly this call sign; 1 = a name token is it (or it plus a suffix); 0 = no. */
function matchTier(channel: Channel, callSign: string): number {
  const cs = callSign.toUpperCase();
  const explicit = channel.callSign?.toUpperCase();
  const name = channel.name.toUpperCase().trim();
  if (explicit === cs || name === cs || name.replace(/[^A-Z0-9]/g, '') === cs) return 2;
  const candidates = new Set([cs, ...SUFFIXES.map((s) => `${cs}${s}`)]);
  const words = [...tokens(channel.name), ...(explicit === undefined ? [] : tokens(explicit))];
  return words.some((w) => candidates.has(w)) ? 1 : 0;
}

function byNumber(channels: readonly Channel[], number: string | undefined): Channel[] {
  if (number === undefined) return [];
  const wanted = normaliseNumber(number);
  return channels.filter((c) => normaliseNumber(c.number) === wanted);
}

export function resolveChannel(feed: FeedChannel, channels: readonly Channel[], options: ResolveOptions = {}): ChannelResolution {
  const cs = feed.callSign.toUpperCase();
  const exact = channels.filter((c) => matchTier(c, cs) === 2);
  const loose = channels.filter((c) => matchTier(c, cs) === 1);
  for (const tier of [exact, loose]) {
    if (tier.length === 1 && tier[0] !== undefined) return { kind: 'resolved', channel: tier[0], by: 'call-sign' };
    if (tier.length > 1) {
      const numbered = byNumber(tier, feed.number);
      if (numbered.length === 1 && numbered[0] !== undefined) return { kind: 'resolved', channel: numbered[0], by: 'call-sign' };
      return { kind: 'ambiguous', candidates: tier };
    }
  }
  const aliased = options.aliases?.[cs];
  if (aliased !== undefined) {
    const channel = channels.find((c) => c.id === aliased);
    if (channel !== undefined) return { kind: 'resolved', channel, by: 'alias' };
  }
  if (options.numberFallback === true) {
    const numbered = byNumber(channels, feed.number);
    if (numbered.length === 1 && numbered[0] !== undefined) return { kind: 'resolved', channel: numbered[0], by: 'number' };
  }
  return { kind: 'unresolved' };
}
