import { strict as assert } from 'node:assert';
import { rsstvConfigSchema, type RsstvConfig } from '../../../../../adapters/rsstv/config.js';
import { GuideSnapshot } from '../../../../../adapters/rsstv/guide/guide-snapshot.js';
import { FeedService } from '../../../../../adapters/rsstv/publish/feed-service.js';
import { rsstvMigrations } from '../../../../../adapters/rsstv/store/migrations.js';
import { RsstvStore, type InviteRow } from '../../../../../adapters/rsstv/store/rsstv-store.js';
import { SuggestionService, cleanNote, friendStatus } from '../../../../../adapters/rsstv/suggest/suggestions.js';
import type { Channel, Clock, Program } from '../../../../../plugin/index.js';
import { openDatabase, type StateDatabase } from '../../../../../plugin/state/db.js';

const T0 = Date.parse('2026-11-21T18:00:00Z');
const SLOT = 30 * 60_000;

class StepClock implements Clock {
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
  monotonicNs(): bigint {
    return BigInt(this.ms) * 1_000_000n;
  }
  setTimeout(): { cancel(): void } {
    return { cancel: () => undefined };
  }
  setInterval(): { cancel(): void } {
    return { cancel: () => undefined };
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
}

const CHANNELS: Channel[] = [{ id: 'food', number: '61', name: 'FOOD', callSign: 'FOOD' }];
const PROGRAMS: Program[] = Array.from({ length: 40 }, (_, i) => ({
  id: `p${i}`,
  channelId: 'food',
  title: `Show ${i}`,
  start: new Date(T0 + i * SLOT).toISOString(),
  end: new Date(T0 + (i + 1) * SLOT).toISOString(),
  isSeries: true,
  isMovie: false,
  genres: [],
}));

function config(overrides: Record<string, unknown> = {}): RsstvConfig {
  const parsed = rsstvConfigSchema.safeParse(overrides);
  if (!parsed.success) throw new Error('bad config');
  return parsed.data;
}

describe('RSSTV suggestions', () => {
  let db: StateDatabase;
  let store: RsstvStore;
  let clock: StepClock;
  let invite: InviteRow;

  function service(cfg: RsstvConfig): SuggestionService {
    const guide = new GuideSnapshot({ listChannels: () => Promise.resolve(CHANNELS), listPrograms: () => Promise.resolve(PROGRAMS) }, clock, { days: 7, ttlMs: 60_000 });
    return new SuggestionService(store, guide, cfg);
  }

  beforeEach(() => {
    db = openDatabase(':memory:');
    db.migrate('rsstv', rsstvMigrations);
    store = new RsstvStore(db);
    clock = new StepClock(T0 + 60_000);
    invite = store.createInvite('Ann', clock.now(), undefined).invite;
  });

  afterEach(() => db.close());

  describe('SuggestionService#suggest', () => {
    it('stores a suggestion with the guide channel and a stable guid, and deduplicates', async () => {
      const s = service(config());
      const first = await s.suggest(invite, 'p3', 'note', () => clock.now());
      assert.equal(first.kind, 'created');
      const again = await s.suggest(invite, 'p3', 'other', () => clock.now());
      assert.equal(again.kind, 'duplicate');
      if (first.kind === 'created' && again.kind === 'duplicate') {
        assert.equal(again.suggestion.guid, first.suggestion.guid);
        assert.match(first.suggestion.guid, /^rsstv-/);
        assert.deepEqual([first.suggestion.call_sign, first.suggestion.channel_number, first.suggestion.review], ['FOOD', '61', 'auto']);
      }
    });

    it('limits per minute with an exact Retry-After, then lets the next one through', async () => {
      const s = service(config({ limits: { perMinute: 3, perDay: 10 } }));
      for (const id of ['p2', 'p3', 'p4']) {
        assert.equal((await s.suggest(invite, id, '', () => clock.now())).kind, 'created');
        clock.ms += 1000;
      }
      const limited = await s.suggest(invite, 'p5', '', () => clock.now());
      assert.ok(limited.kind === 'rate-limited');
      assert.equal(limited.retryAfterMs, 57_000);
      clock.ms += 57_001;
      assert.equal((await s.suggest(invite, 'p5', '', () => clock.now())).kind, 'created');
    });

    it('limits per day', async () => {
      const s = service(config({ limits: { perMinute: 100, perDay: 2 } }));
      await s.suggest(invite, 'p2', '', () => clock.now());
      await s.suggest(invite, 'p3', '', () => clock.now());
      const limited = await s.suggest(invite, 'p4', '', () => clock.now());
      assert.ok(limited.kind === 'rate-limited' && limited.retryAfterMs === 86_400_000);
    });

    it('caps pending suggestions over all friends', async () => {
      const bob = store.createInvite('Bob', clock.now(), undefined).invite;
      const s = service(config({ limits: { maxPending: 2 } }));
      await s.suggest(invite, 'p2', '', () => clock.now());
      await s.suggest(bob, 'p3', '', () => clock.now());
      assert.equal((await s.suggest(bob, 'p4', '', () => clock.now())).kind, 'rate-limited');
    });

    it('refuses unknown, ended and malformed programmes and bad notes', async () => {
      const s = service(config());
      await assert.rejects(s.suggest(invite, 'nope', '', () => clock.now()), { code: 'ERR_RSSTV_NOT_IN_GUIDE' });
      clock.ms = T0 + 3 * SLOT;
      await assert.rejects(s.suggest(invite, 'p1', '', () => clock.now()), { code: 'ERR_RSSTV_ALREADY_AIRED' });
      await assert.rejects(s.suggest(invite, '../../etc', '', () => clock.now()), { code: 'ERR_RSSTV_BAD_REQUEST' });
      await assert.rejects(s.suggest(invite, 'p9', 'x'.repeat(281), () => clock.now()), { code: 'ERR_RSSTV_BAD_REQUEST' });
    });

    it('queues suggestions for approval when the owner wants to review them', async () => {
      const s = service(config({ requireApproval: true }));
      const r = await s.suggest(invite, 'p2', '', () => clock.now());
      assert.ok(r.kind === 'created' && r.suggestion.review === 'pending');
      assert.equal(s.viewFor(invite.id, clock.now())[0]?.status, 'Awaiting approval');
    });
  });

  describe('#friendStatus', () => {
    it('shows generic statuses, never timer ids', async () => {
      const s = service(config());
      const r = await s.suggest(invite, 'p2', '', () => clock.now());
      assert.ok(r.kind === 'created');
      store.saveItem({ subscription_id: 'self', guid: r.suggestion.guid, title: '', channel: '', start_at: null, end_at: null, status: 'OK', detail: 'scheduled', timer_id: 'timer-42', attempts: 0, next_attempt_at: null, updated_at: clock.now() });
      const view = s.viewFor(invite.id, clock.now());
      assert.deepEqual([view[0]?.status, view[0]?.statusText], ['OK', 'Scheduled to record']);
      assert.ok(!JSON.stringify(view).includes('timer-42'));
      assert.equal(friendStatus({ ...r.suggestion, review: 'declined' }, undefined, clock.now()).status, 'Declined');
      assert.equal(friendStatus(r.suggestion, undefined, r.suggestion.end_at).status, 'Expired', 'aired before any reader took it');
    });
  });

  describe('#cleanNote', () => {
    it('keeps newlines, refuses control characters', () => {
      assert.equal(cleanNote(' a\r\nb ', 10), 'a\nb');
      assert.throws(() => cleanNote('bell\u0007', 10), { code: 'ERR_RSSTV_BAD_REQUEST' });
      assert.throws(() => cleanNote('line\u2028sep', 20), { code: 'ERR_RSSTV_BAD_REQUEST' });
    });
  });

  describe('FeedService#render', () => {
    it('keeps Last-Modified while the content is unchanged and moves it when an approval changes the feed', async () => {
      const cfg = config({ requireApproval: true });
      const feeds = new FeedService(store, cfg);
      const s = service(cfg);
      const r = await s.suggest(invite, 'p4', '', () => clock.now());
      const render = (): ReturnType<FeedService['render']> => feeds.render({ now: clock.now(), link: 'http://x/rsstv/', maxItems: 10 });
      const first = render();
      assert.equal(first.itemCount, 0);
      clock.ms += 5000;
      assert.deepEqual(render(), first);
      assert.ok(r.kind === 'created');
      store.setReview(r.suggestion.id, 'approved');
      clock.ms += 5000;
      const second = render();
      assert.equal(second.itemCount, 1);
      assert.notEqual(second.etag, first.etag);
      assert.ok(second.lastModified > first.lastModified);
    });
  });
});
