/**
 * The published feeds: the owner's (every friend's suggestions) and, optionally, one per
 * friend. Renders suggestions through the pure builder and keeps, per feed, the instant its
 * content last changed (Last-Modified) next to a content hash (ETag).
 */
import { createHash } from 'node:crypto';
import { zoneOffsetMinutes } from '../../../plugin/index.js';
import type { RsstvConfig } from '../config.js';
import type { RsstvStore, SuggestionRow } from '../store/rsstv-store.js';
import { buildFeed, selectEntries, type FeedEntry } from './feed-builder.js';

export interface RenderedFeed {
  readonly xml: string;
  readonly etag: string;
  /** Epoch ms, whole seconds (HTTP dates have no finer precision). */
  readonly lastModified: number;
  readonly itemCount: number;
}

export class FeedService {
  private readonly changes = new Map<string, { readonly content: string; readonly feed: RenderedFeed }>();

  constructor(
    private readonly store: RsstvStore,
    private readonly config: RsstvConfig,
  ) {}

  /** Entries of the feed: approved (or auto) suggestions whose airing is not over. */
  entries(now: number, inviteId?: string): FeedEntry[] {
    const names = new Map(this.store.invites().map((i) => [i.id, i.name]));
    return this.store.publishable(now, inviteId).map((s) => toEntry(s, names.get(s.invite_id) ?? 'a friend'));
  }

  render(options: { readonly now: number; readonly link: string; readonly maxItems: number; readonly inviteId?: string; readonly friendName?: string }): RenderedFeed {
    const { now } = options;
    const timeZone = this.config.timeZone;
    const header = {
      title: options.friendName === undefined ? this.config.feedTitle : `${this.config.feedTitle}: ${options.friendName}`,
      link: options.link,
      description: 'Programmes suggested by friends (RSSTV to-do list)',
    };
    const entries = selectEntries(this.entries(now, options.inviteId), now, options.maxItems);
    // What is published decides whether the feed changed; its date is the instant it last
    // changed, so an unchanged feed keeps its body, ETag and Last-Modified (and is not rebuilt).
    const content = createHash('sha256').update(JSON.stringify([header, entries])).digest('base64url');
    const key = `${options.inviteId ?? 'owner'}|${options.maxItems}|${options.link}`;
    const known = this.changes.get(key);
    if (known !== undefined && known.content === content) return known.feed;
    const floorS = (ms: number): number => Math.floor(ms / 1000) * 1000;
    const since = known === undefined ? floorS(entries.length === 0 ? now : Math.max(...entries.map((e) => e.suggestedAt))) : Math.max(floorS(now), known.feed.lastModified + 1000);
    const built = buildFeed(header, entries, {
      now,
      maxItems: options.maxItems,
      descriptionMaxLength: this.config.descriptionMaxLength,
      offsetAt: (ms) => zoneOffsetMinutes(ms, timeZone),
      lastBuildDate: since,
    });
    const etag = `"${createHash('sha256').update(built.xml).digest('base64url').slice(0, 27)}"`;
    const feed: RenderedFeed = { xml: built.xml, etag, lastModified: since, itemCount: built.entries.length };
    if (this.changes.size > 1000) this.changes.clear();
    this.changes.set(key, { content, feed });
    return feed;
  }
}

export function toEntry(s: SuggestionRow, friendName: string): FeedEntry {
  return {
    guid: s.guid,
    title: s.title,
    ...(s.episode_title === null ? {} : { episodeTitle: s.episode_title }),
    ...(s.note === '' ? {} : { note: s.note }),
    ...(s.overview === null ? {} : { synopsis: s.overview }),
    suggestedBy: friendName,
    suggestedAt: s.created_at,
    callSign: s.call_sign,
    ...(s.channel_number === '' ? {} : { channelNumber: s.channel_number }),
    guideChannelId: s.channel_id,
    programId: s.program_id,
    start: s.start_at,
    stop: s.end_at,
  };
}
