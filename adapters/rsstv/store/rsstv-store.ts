/**
 * The adapter's state in SQLite (store/migrations.ts): secrets, invites, suggestions,
 * subscriptions and item statuses. Synchronous small statements (DESIGN.md §6).
 */
import type { SqlStore } from '../../../plugin/index.js';
import { hashToken, randomId, randomToken } from './tokens.js';

export type ItemStatus = 'Pending' | 'OK' | 'Conflict' | 'Unresolved' | 'Not in guide' | 'Expired' | 'Rejected' | 'Error';

/** Statuses after which an item is never looked at again. */
export const FINAL_STATUSES: ReadonlySet<ItemStatus> = new Set(['OK', 'Conflict', 'Unresolved', 'Not in guide', 'Expired', 'Rejected']);

export type Review = 'auto' | 'pending' | 'approved' | 'declined';

export type InviteRow = {
  readonly id: string;
  readonly name: string;
  readonly token_hash: string;
  readonly created_at: string;
  readonly expires_at: string | null;
  readonly revoked_at: string | null;
};

export type InviteState = 'active' | 'revoked' | 'expired';

/** Whether an invite still authorises its friend at `now` (ms): revoked wins over expired. */
export function inviteState(invite: Pick<InviteRow, 'revoked_at' | 'expires_at'>, now: number): InviteState {
  if (invite.revoked_at !== null) return 'revoked';
  if (invite.expires_at !== null && Date.parse(invite.expires_at) <= now) return 'expired';
  return 'active';
}

export type SuggestionRow = {
  readonly id: string;
  readonly guid: string;
  readonly invite_id: string;
  readonly program_id: string;
  readonly channel_id: string;
  readonly channel_name: string;
  readonly channel_number: string;
  readonly call_sign: string;
  readonly title: string;
  readonly episode_title: string | null;
  readonly overview: string | null;
  readonly start_at: number;
  readonly end_at: number;
  readonly note: string;
  readonly created_at: number;
  readonly review: Review;
};

export type SubscriptionRow = {
  readonly id: string;
  readonly name: string;
  readonly url: string | null;
  readonly source: 'self' | 'config' | 'owner';
  readonly etag: string | null;
  readonly last_modified: string | null;
  readonly last_polled_at: number | null;
  readonly last_result: string | null;
  readonly created_at: number;
};

export type ItemRow = {
  readonly subscription_id: string;
  readonly guid: string;
  readonly title: string;
  readonly channel: string;
  readonly start_at: number | null;
  readonly end_at: number | null;
  readonly status: ItemStatus;
  readonly detail: string;
  readonly timer_id: string | null;
  readonly attempts: number;
  readonly next_attempt_at: number | null;
  readonly first_seen_at: number;
  readonly updated_at: number;
};

export type NewSuggestion = Omit<SuggestionRow, 'id' | 'guid'>;

export class RsstvStore {
  constructor(private readonly db: SqlStore) {}

  transaction<R>(fn: () => R): R {
    return this.db.transaction(fn);
  }

  // ---- secrets ----

  secret(name: string): string | undefined {
    return this.db.get<{ value: string }>('SELECT value FROM rsstv_secrets WHERE name = ?', [name])?.value;
  }

  setSecret(name: string, value: string): void {
    this.db.run('INSERT INTO rsstv_secrets (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value', [name, value]);
  }

  /** The named secret, created (random) on first use. */
  ensureSecret(name: string): string {
    const existing = this.secret(name);
    if (existing !== undefined) return existing;
    const value = randomToken();
    this.setSecret(name, value);
    return value;
  }

  // ---- invites ----

  /** Creates an invite; the token is returned once and only its hash is stored. */
  createInvite(name: string, now: number, expiresAt: number | undefined): { readonly invite: InviteRow; readonly token: string } {
    const token = randomToken();
    const id = randomId();
    this.db.run('INSERT INTO rsstv_invites (id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
      id,
      name,
      hashToken(token),
      new Date(now).toISOString(),
      expiresAt === undefined ? null : new Date(expiresAt).toISOString(),
    ]);
    const invite = this.invite(id);
    if (invite === undefined) throw new Error('invite vanished');
    return { invite, token };
  }

  invite(id: string): InviteRow | undefined {
    return this.db.get<InviteRow>('SELECT * FROM rsstv_invites WHERE id = ?', [id]);
  }

  inviteByToken(token: string): InviteRow | undefined {
    return this.db.get<InviteRow>('SELECT * FROM rsstv_invites WHERE token_hash = ?', [hashToken(token)]);
  }

  invites(): InviteRow[] {
    return this.db.all<InviteRow>('SELECT * FROM rsstv_invites ORDER BY created_at, id');
  }

  revokeInvite(id: string, now: number): boolean {
    return this.db.run('UPDATE rsstv_invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [new Date(now).toISOString(), id]).changes > 0;
  }

  // ---- suggestions ----

  insertSuggestion(s: NewSuggestion): SuggestionRow {
    const id = randomId();
    const guid = `rsstv-${id}`;
    this.db.run(
      `INSERT INTO rsstv_suggestions (id, guid, invite_id, program_id, channel_id, channel_name, channel_number, call_sign, title, episode_title, overview,
         start_at, end_at, note, created_at, review) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, guid, s.invite_id, s.program_id, s.channel_id, s.channel_name, s.channel_number, s.call_sign, s.title, s.episode_title, s.overview, s.start_at, s.end_at, s.note, s.created_at, s.review],
    );
    const row = this.suggestion(id);
    if (row === undefined) throw new Error('suggestion vanished');
    return row;
  }

  suggestion(id: string): SuggestionRow | undefined {
    return this.db.get<SuggestionRow>('SELECT * FROM rsstv_suggestions WHERE id = ?', [id]);
  }

  suggestionFor(inviteId: string, programId: string): SuggestionRow | undefined {
    return this.db.get<SuggestionRow>('SELECT * FROM rsstv_suggestions WHERE invite_id = ? AND program_id = ?', [inviteId, programId]);
  }

  suggestionsOf(inviteId: string, limit = 200): SuggestionRow[] {
    return this.db.all<SuggestionRow>('SELECT * FROM rsstv_suggestions WHERE invite_id = ? ORDER BY created_at DESC, id LIMIT ?', [inviteId, limit]);
  }

  allSuggestions(limit = 1000): SuggestionRow[] {
    return this.db.all<SuggestionRow>('SELECT * FROM rsstv_suggestions ORDER BY created_at DESC, id LIMIT ?', [limit]);
  }

  /** Suggestions for the feed: airings not over, approved or not needing approval. */
  publishable(now: number, inviteId?: string): SuggestionRow[] {
    return inviteId === undefined
      ? this.db.all<SuggestionRow>("SELECT * FROM rsstv_suggestions WHERE end_at > ? AND review IN ('auto', 'approved') ORDER BY start_at, guid", [now])
      : this.db.all<SuggestionRow>("SELECT * FROM rsstv_suggestions WHERE end_at > ? AND invite_id = ? AND review IN ('auto', 'approved') ORDER BY start_at, guid", [now, inviteId]);
  }

  countSince(inviteId: string, since: number): { readonly count: number; readonly oldest: number | null } {
    const row = this.db.get<{ n: number; oldest: number | null }>('SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM rsstv_suggestions WHERE invite_id = ? AND created_at > ?', [
      inviteId,
      since,
    ]);
    return { count: row?.n ?? 0, oldest: row?.oldest ?? null };
  }

  /** Suggestions whose airing is not over and that no reader has settled yet. */
  countPending(now: number): number {
    return (
      this.db.get<{ n: number }>(
        `SELECT COUNT(*) AS n FROM rsstv_suggestions s WHERE s.end_at > ? AND s.review <> 'declined'
           AND NOT EXISTS (SELECT 1 FROM rsstv_items i WHERE i.guid = s.guid AND i.status NOT IN ('Pending', 'Error'))`,
        [now],
      )?.n ?? 0
    );
  }

  setReview(id: string, review: Review): boolean {
    return this.db.run('UPDATE rsstv_suggestions SET review = ? WHERE id = ?', [review, id]).changes > 0;
  }

  // ---- subscriptions ----

  upsertSubscription(row: Pick<SubscriptionRow, 'id' | 'name' | 'url' | 'source'>, now: number): void {
    this.db.run(
      'INSERT INTO rsstv_subscriptions (id, name, url, source, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, url = excluded.url',
      [row.id, row.name, row.url, row.source, now],
    );
  }

  subscriptions(): SubscriptionRow[] {
    return this.db.all<SubscriptionRow>('SELECT * FROM rsstv_subscriptions ORDER BY created_at, id');
  }

  subscription(id: string): SubscriptionRow | undefined {
    return this.db.get<SubscriptionRow>('SELECT * FROM rsstv_subscriptions WHERE id = ?', [id]);
  }

  deleteSubscription(id: string): boolean {
    return this.db.run("DELETE FROM rsstv_subscriptions WHERE id = ? AND source = 'owner'", [id]).changes > 0;
  }

  /** Removes config subscriptions that are no longer in the config. */
  pruneConfigSubscriptions(keep: readonly string[]): void {
    const rows = this.db.all<{ id: string }>("SELECT id FROM rsstv_subscriptions WHERE source = 'config'");
    for (const row of rows) if (!keep.includes(row.id)) this.db.run('DELETE FROM rsstv_subscriptions WHERE id = ?', [row.id]);
  }

  recordPoll(id: string, now: number, result: string, validators?: { readonly etag: string | null; readonly lastModified: string | null }): void {
    if (validators === undefined) this.db.run('UPDATE rsstv_subscriptions SET last_polled_at = ?, last_result = ? WHERE id = ?', [now, result, id]);
    else
      this.db.run('UPDATE rsstv_subscriptions SET last_polled_at = ?, last_result = ?, etag = ?, last_modified = ? WHERE id = ?', [
        now,
        result,
        validators.etag,
        validators.lastModified,
        id,
      ]);
  }

  // ---- items ----

  item(subscriptionId: string, guid: string): ItemRow | undefined {
    return this.db.get<ItemRow>('SELECT * FROM rsstv_items WHERE subscription_id = ? AND guid = ?', [subscriptionId, guid]);
  }

  items(limit = 1000): ItemRow[] {
    return this.db.all<ItemRow>('SELECT * FROM rsstv_items ORDER BY updated_at DESC, guid LIMIT ?', [limit]);
  }

  /** The latest status any reader recorded for a guid (for the friend's view of a suggestion). */
  latestForGuid(guid: string): ItemRow | undefined {
    return this.db.get<ItemRow>('SELECT * FROM rsstv_items WHERE guid = ? ORDER BY updated_at DESC LIMIT 1', [guid]);
  }

  /** latestForGuid for many guids in one query (for lists of suggestions), by guid. */
  latestForGuids(guids: readonly string[]): Map<string, ItemRow> {
    if (guids.length === 0) return new Map();
    const rows = this.db.all<ItemRow>('SELECT * FROM rsstv_items WHERE guid IN (SELECT value FROM json_each(?)) ORDER BY updated_at', [JSON.stringify(guids)]);
    // Oldest first, so the latest row of each guid is the one the Map keeps.
    return new Map(rows.map((r) => [r.guid, r]));
  }

  saveItem(row: Omit<ItemRow, 'first_seen_at'> & { readonly first_seen_at?: number }): void {
    this.db.run(
      `INSERT INTO rsstv_items (subscription_id, guid, title, channel, start_at, end_at, status, detail, timer_id, attempts, next_attempt_at, first_seen_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(subscription_id, guid) DO UPDATE SET title = excluded.title, channel = excluded.channel, start_at = excluded.start_at,
         end_at = excluded.end_at, status = excluded.status, detail = excluded.detail, timer_id = excluded.timer_id, attempts = excluded.attempts,
         next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at`,
      [
        row.subscription_id,
        row.guid,
        row.title,
        row.channel,
        row.start_at,
        row.end_at,
        row.status,
        row.detail,
        row.timer_id,
        row.attempts,
        row.next_attempt_at,
        row.first_seen_at ?? row.updated_at,
        row.updated_at,
      ],
    );
  }
}
