/**
 * Friends' suggestions: validated against the guide snapshot (only an airing that exists and
 * is not over can be suggested — no free-form channel or time), length-capped plain-text
 * notes, deduplicated per friend and programme, and rate-limited per invite (per minute, per
 * day) plus a global cap on pending items. The limit check and the insert run in one
 * synchronous SQLite transaction, so limits are exact under concurrency.
 */
import { SidecarError, type Program } from '../../../plugin/index.js';
import { callSignFor } from '../channel-id.js';
import type { RsstvConfig } from '../config.js';
import type { GuideSnapshot } from '../guide/guide-snapshot.js';
import { CONTROL_CHARS } from '../http-util.js';
import type { InviteRow, ItemRow, RsstvStore, SuggestionRow } from '../store/rsstv-store.js';

export type SuggestResult =
  | { readonly kind: 'created' | 'duplicate'; readonly suggestion: SuggestionRow }
  | { readonly kind: 'rate-limited'; readonly retryAfterMs: number; readonly reason: string };

/** What a friend may see about one of their suggestions: no timer ids, no conflict details. */
export interface FriendView {
  readonly id: string;
  readonly title: string;
  readonly episodeTitle?: string;
  readonly channel: string;
  readonly start: string;
  readonly end: string;
  readonly note: string;
  readonly suggestedAt: string;
  readonly status: string;
  readonly statusText: string;
}

const FRIEND_TEXT: Readonly<Record<string, string>> = {
  Pending: 'Sent, waiting for the DVR',
  'Awaiting approval': 'Waiting for approval',
  Declined: 'Declined',
  OK: 'Scheduled to record',
  Conflict: 'Conflict: the DVR is busy then',
  Unresolved: 'The DVR does not get this channel',
  'Not in guide': 'Not in the DVR guide',
  Expired: 'Aired before it could be scheduled',
  Rejected: 'Could not be scheduled',
  Error: 'Sent, the DVR will retry',
};

export function friendStatus(suggestion: SuggestionRow, item: ItemRow | undefined, now: number): { readonly status: string; readonly statusText: string } {
  let status: string;
  if (suggestion.review === 'declined') status = 'Declined';
  else if (item !== undefined) status = item.status;
  // Aired before anyone scheduled it (reader down, or never approved): say so, not "pending".
  else if (suggestion.end_at <= now) status = 'Expired';
  else status = suggestion.review === 'pending' ? 'Awaiting approval' : 'Pending';
  return { status, statusText: FRIEND_TEXT[status] ?? status };
}

/** Normalises a friend's note: plain text, newlines kept, control characters refused. */
export function cleanNote(note: string | undefined, max: number): string {
  const text = (note ?? '').replace(/\r\n?/g, '\n').trim();
  if (CONTROL_CHARS.test(text)) throw new SidecarError('ERR_RSSTV_BAD_REQUEST', 'invalid-argument', 'the note contains control characters');
  if (Array.from(text).length > max) throw new SidecarError('ERR_RSSTV_BAD_REQUEST', 'invalid-argument', `the note is longer than ${max} characters`);
  return text;
}

export class SuggestionService {
  constructor(
    private readonly store: RsstvStore,
    private readonly guide: GuideSnapshot,
    private readonly config: RsstvConfig,
  ) {}

  async suggest(invite: InviteRow, programId: string, rawNote: string | undefined, now: () => number): Promise<SuggestResult> {
    const note = cleanNote(rawNote, this.config.limits.noteMaxLength);
    if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(programId)) throw new SidecarError('ERR_RSSTV_BAD_REQUEST', 'invalid-argument', 'programId is malformed');
    const guide = await this.guide.get();
    const program: Program | undefined = guide.programsById.get(programId);
    if (program === undefined) throw new SidecarError('ERR_RSSTV_NOT_IN_GUIDE', 'not-found', 'no such programme in the guide');
    const channel = guide.channelsById.get(program.channelId);
    const start = Date.parse(program.start);
    const end = Date.parse(program.end);
    if (end <= now()) throw new SidecarError('ERR_RSSTV_ALREADY_AIRED', 'failed-precondition', 'this programme has already aired');
    const { perMinute, perDay, maxPending } = this.config.limits;
    return this.store.transaction((): SuggestResult => {
      const at = now();
      const existing = this.store.suggestionFor(invite.id, program.id);
      if (existing !== undefined) return { kind: 'duplicate', suggestion: existing };
      const minute = this.store.countSince(invite.id, at - 60_000);
      if (minute.count >= perMinute) return { kind: 'rate-limited', retryAfterMs: (minute.oldest ?? at) + 60_000 - at, reason: `at most ${perMinute} suggestions a minute` };
      const day = this.store.countSince(invite.id, at - 86_400_000);
      if (day.count >= perDay) return { kind: 'rate-limited', retryAfterMs: (day.oldest ?? at) + 86_400_000 - at, reason: `at most ${perDay} suggestions a day` };
      if (this.store.countPending(at) >= maxPending) return { kind: 'rate-limited', retryAfterMs: 15 * 60_000, reason: 'the DVR has too many pending suggestions; try later' };
      const suggestion = this.store.insertSuggestion({
        invite_id: invite.id,
        program_id: program.id,
        channel_id: program.channelId,
        channel_name: channel?.name ?? '',
        channel_number: channel?.number ?? '',
        call_sign: channel === undefined ? 'UNKNOWN' : callSignFor(channel),
        title: program.title.slice(0, 300),
        episode_title: program.episodeTitle?.slice(0, 300) ?? null,
        overview: program.overview?.slice(0, 2000) ?? null,
        start_at: start,
        end_at: end,
        note,
        created_at: at,
        review: this.config.requireApproval ? 'pending' : 'auto',
      });
      return { kind: 'created', suggestion };
    });
  }

  /** The friend's own suggestions (newest first) with generic statuses. */
  viewFor(inviteId: string, now: number): FriendView[] {
    const suggestions = this.store.suggestionsOf(inviteId);
    const latest = this.store.latestForGuids(suggestions.map((s) => s.guid));
    return suggestions.map((s) => friendView(s, latest.get(s.guid), now));
  }
}

/** One suggestion as its friend sees it, given the latest item any reader recorded for it. */
export function friendView(s: SuggestionRow, item: ItemRow | undefined, now: number): FriendView {
  const { status, statusText } = friendStatus(s, item, now);
  return {
    id: s.id,
    title: s.title,
    ...(s.episode_title === null ? {} : { episodeTitle: s.episode_title }),
    channel: `${s.channel_number} ${s.channel_name}`.trim(),
    start: new Date(s.start_at).toISOString(),
    end: new Date(s.end_at).toISOString(),
    note: s.note,
    suggestedAt: new Date(s.created_at).toISOString(),
    status,
    statusText,
  };
}
