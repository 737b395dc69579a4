/**
 * The published feeds: the owner's (every friend's suggestions) and, optionally, one per
 * friend. Renders suggestions through the pure builder and keeps, per feed, the instant its
 * content last changed (Last-Modified) next to a content hash (ETag).
 */
import { createHash } from 'node:crypto';
import type { RsstvConfig } from '../config.js';
import type { RsstvStore, SuggestionRow } from '../store/rsstv-store.js';
import { zoneOffsetMinutes } from '../xmltv-time.js';
import { buildFeed, type FeedEntry } from './feed-builder.js';

export interface RenderedFeed {
  readonly xml: string;
  readonly etag: string;
  /** Epoch ms, whole seconds (HTTP dates have no finer precision). */
  readonly lastModified: number;
  readonly itemCount: number;
}

export class FeedService {
  private readonly changes = new Map<string, { readonly etag: string; readonly since: number }>();

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
    const built = buildFeed(
      {
        title: options.friendName === undefined ? this.config.feedTitle : `${this.config.feedTitle}: ${options.friendName}`,
        link: options.link,
        description: 'Programmes suggested by friends (RSSTV to-do list)',
      },
      this.entries(now, options.inviteId),
      { now, maxItems: options.maxItems, descriptionMaxLength: this.config.descriptionMaxLength, offsetAt: (ms) => zoneOffsetMinutes(ms, timeZone) },
    );
    const etag = `"${createHash('sha256').update(built.xml).digest('base64url').slice(0, 27)}"`;
    const key = `${options.inviteId ?? 'owner'}|${options.maxItems}|${options.link}`;
    const known = this.changes.get(key);
    let since = Math.floor(Math.max(built.lastModified, 0) / 1000) * 1000;
    if (known !== undefined) since = known.etag === etag ? known.since : Math.max(Math.floor(now / 1000) * 1000, known.since);
    this.changes.set(key, { etag, since });
    if (this.changes.size > 1000) this.changes.clear();
    return { xml: built.xml, etag, lastModified: since, itemCount: built.entries.length };
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
