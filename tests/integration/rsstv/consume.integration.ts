/**
 * The RSSTV reader end to end: a real sidecar (compose() wiring) with the rsstv adapter,
 * backed by the Jellyfin stand-in (channels, 30-minute programmes, timers with the 204-no-id
 * quirk, tuners), reading fixture feeds from a real loopback HTTP server.
 */
import { strict as assert } from 'node:assert';
import { rsstvAdapter } from '../../../adapters/rsstv/index.js';
import { startAdapterHarness, type Harness } from '../../support/adapter-harness.js';
import { FakeJellyfin } from '../../support/fake-jellyfin.js';
import type { FakeProgram } from '../../support/fake-jellyfin/live-tv.js';
import { fixtureBytes } from '../../unit/adapters/rsstv/helpers.js';
import { specErrors } from '../jellyfin/helpers.js';
import { FeedServer, OwnerClient, feedXml, xmltv, type TestItem } from './support.js';

const SLOT = 30 * 60_000;
const FEED = '/friend.xml';

describe('RSSTV reader against the Jellyfin stand-in', function () {
  this.timeout(60_000);
  let fake: FakeJellyfin;
  let feeds: FeedServer;
  let harness: Harness | undefined;
  let owner: OwnerClient;

  async function start(config: Record<string, unknown> = {}): Promise<void> {
    harness = await startAdapterHarness({
      descriptor: rsstvAdapter,
      source: { jellyfin: fake },
      logLevel: 'info',
      config: {
        consumeOwnFeed: false,
        feeds: [{ name: 'Friend', url: feeds.url(FEED) }],
        pollIntervalSeconds: 3600,
        maxConcurrentRecordings: 1,
        retry: { baseSeconds: 1, maxSeconds: 2 },
        ...config,
      },
    });
    owner = new OwnerClient(harness);
  }

  function program(callSign: string, slot: number): FakeProgram {
    const channel = fake.liveTv.channels.find((c) => c.name === callSign)!;
    const first = Math.min(...fake.liveTv.programs.map((p) => p.start));
    return fake.liveTv.programs.find((p) => p.channelId === channel.id && p.start === first + slot * SLOT)!;
  }

  function item(guid: string, channel: string, p: FakeProgram, extra: Partial<TestItem> = {}): TestItem {
    return { guid, channel, start: p.start, stop: p.end, title: p.name, ...extra };
  }

  const timerPosts = (): number => fake.requests.filter((r) => r.method === 'POST' && /^\/LiveTv\/Timers$/i.test(r.path)).length;
  const timerWrites = (): number => fake.requests.filter((r) => r.method !== 'GET' && /^\/LiveTv\/Timers/i.test(r.path)).length;

  beforeEach(async () => {
    fake = await FakeJellyfin.start({ tunerCounts: [2, 0] });
    feeds = await FeedServer.start();
  });

  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
    await feeds.close();
    const errors = specErrors(fake);
    await fake.close();
    assert.deepEqual(errors, [], 'every stand-in answer matches the OpenAPI spec');
  });

  it('schedules a free slot with exactly one POST and reports OK with the created timer id', async () => {
    const p = program('FOOD', 2);
    feeds.set(FEED, feedXml([item('g-free', 'C61FOOD', p)]));
    await start();
    await owner.poll();
    const status = await owner.item('g-free');
    const timers = [...fake.liveTv.timers.values()];
    assert.equal(timers.length, 1);
    assert.equal(timers[0]?.programId, p.id);
    assert.deepEqual([timers[0]?.prePaddingSeconds, timers[0]?.postPaddingSeconds], [60, 300], 'the defaults body was posted');
    assert.equal(status?.statusLine, `OK ${timers[0]?.id}`);
    assert.equal(timerPosts(), 1);
  });

  it('re-polls with a conditional GET (304) and makes no further Jellyfin writes, also after more polls', async () => {
    feeds.set(FEED, feedXml([item('g-repoll', 'C61FOOD', program('FOOD', 2))]));
    await start();
    await owner.poll();
    const before = fake.requests.length;
    await owner.poll();
    await owner.poll();
    assert.equal(timerPosts(), 1);
    const conditional = feeds.requests.filter((r) => r.ifNoneMatch !== undefined);
    assert.ok(conditional.length >= 2 && conditional.every((r) => r.status === 304), 'later polls were conditional and answered 304');
    assert.equal(fake.requests.slice(before).filter((r) => r.method !== 'GET').length, 0);
    assert.equal((await owner.item('g-repoll'))?.status, 'OK');
  });

  it('reports OK with the existing timer when the programme is already scheduled (no POST)', async () => {
    const p = program('FOOD', 3);
    fake.liveTv.create({ ProgramId: p.id });
    const existing = fake.liveTv.activeTimerFor(p.id)!;
    feeds.set(FEED, feedXml([item('g-existing', 'C61FOOD', p)]));
    await start();
    await owner.poll();
    assert.equal((await owner.item('g-existing'))?.statusLine, `OK ${existing.id}`);
    assert.equal(timerPosts(), 0);
  });

  it('reports Conflict with zero writes when another timer overlaps and one recording is allowed', async () => {
    const busy = program('KERA-HD', 2);
    fake.liveTv.create({ ProgramId: busy.id });
    const snapshot = JSON.stringify([...fake.liveTv.timers.values()]);
    feeds.set(FEED, feedXml([item('g-conflict', 'C61FOOD', program('FOOD', 2))]));
    await start();
    await owner.poll();
    const status = await owner.item('g-conflict');
    assert.equal(status?.status, 'Conflict');
    assert.match(status?.detail ?? '', /KERA-HD Movie 2/, 'the owner sees what it conflicts with');
    assert.equal(timerWrites(), 0);
    assert.equal(JSON.stringify([...fake.liveTv.timers.values()]), snapshot, 'existing timers untouched');
  });

  it('uses the tuner count when configured so (three tuners: no conflict)', async () => {
    fake.liveTv.create({ ProgramId: program('KERA-HD', 2).id });
    feeds.set(FEED, feedXml([item('g-tuners', 'C61FOOD', program('FOOD', 2))]));
    await start({ maxConcurrentRecordings: 'tuners' });
    await owner.poll();
    assert.equal((await owner.item('g-tuners'))?.status, 'OK');
  });

  it('counts padding: back-to-back programmes conflict through padding and fit without it', async () => {
    fake.liveTv.create({ ProgramId: program('KERA-HD', 2).id, PrePaddingSeconds: 0, PostPaddingSeconds: 300 });
    feeds.set(FEED, feedXml([item('g-pad', 'C61FOOD', program('FOOD', 3))]));
    await start();
    await owner.poll();
    assert.equal((await owner.item('g-pad'))?.status, 'Conflict');
    await harness?.stop();
    harness = undefined;

    // Same slots, no padding anywhere: the new recording starts when the other ends.
    const liveTv = fake.liveTv as unknown as { prePaddingSeconds: number; postPaddingSeconds: number };
    liveTv.prePaddingSeconds = 0;
    liveTv.postPaddingSeconds = 0;
    fake.liveTv.timers.clear();
    fake.liveTv.create({ ProgramId: program('KERA-HD', 2).id });
    await start();
    await owner.poll();
    assert.equal((await owner.item('g-pad'))?.status, 'OK');
  });

  it('resolves channels by call sign, not number, and never guesses', async () => {
    fake.liveTv.channels.push({ id: 'f00d0000000000000000000000000002', number: '62', name: 'FOOD' });
    feeds.set(
      FEED,
      feedXml([
        item('g-kera', 'C13KERA', program('KERA-HD', 2)),
        item('g-ambiguous', 'C231FOOD', program('FOOD', 3)),
        item('g-by-number', 'C61FOOD', program('FOOD', 4)),
        item('g-unknown', 'C99NOPE', program('FOOD', 5)),
      ]),
    );
    await start({ maxConcurrentRecordings: 4 });
    await owner.poll();
    const items = new Map((await owner.items()).map((i) => [i.guid, i]));
    assert.equal(items.get('g-kera')?.status, 'OK');
    assert.equal(items.get('g-ambiguous')?.status, 'Unresolved');
    assert.match(items.get('g-ambiguous')?.detail ?? '', /ambiguous/);
    assert.equal(items.get('g-by-number')?.status, 'OK', 'the number separates the two FOODs');
    assert.equal(items.get('g-unknown')?.status, 'Unresolved');
    assert.equal(timerPosts(), 2);
  });

  it('reads C231FOOD as the channel FOOD on 61 (numbers differ between lineups)', async () => {
    feeds.set(FEED, feedXml([item('g-231', 'C231FOOD', program('FOOD', 2))]));
    await start();
    await owner.poll();
    const status = await owner.item('g-231');
    assert.equal(status?.status, 'OK');
    assert.equal(fake.liveTv.timers.size, 1);
  });

  it('reports Not in guide when no programme starts within 10 minutes', async () => {
    const p = program('FOOD', 2);
    feeds.set(FEED, feedXml([item('g-off', 'C61FOOD', p, { start: p.start + 15 * 60_000, stop: p.end + 15 * 60_000 })]));
    await start();
    await owner.poll();
    assert.equal((await owner.item('g-off'))?.status, 'Not in guide');
    assert.equal(timerPosts(), 0);
  });

  it('reads zones (+0100, -0500, none, YYYYMMDDhhmm) and variant feeds to the same programme', async () => {
    const p = program('FOOD', 2);
    const plain = (ms: number): string => xmltv(ms).slice(0, 14);
    const variant = `<?xml version="1.0"?><rss version="2.0" xmlns:tv="http://example.org/other-rsstv"><channel><title>v</title>
      <item><guid>v-names</guid><tv:channel>C61FOOD</tv:channel><tv:start>${xmltv(p.start, 60)}</tv:start><tv:stop>${xmltv(p.end, 60)}</tv:stop></item>
      <item><guid>v-duration</guid><tv:tvchannel>C61FOOD.zap2it.com</tv:tvchannel><tv:starttime>${xmltv(p.start, -300)}</tv:starttime><tv:duration>30</tv:duration></item>
      <item><guid>v-nozone</guid><tvchannel>FOOD</tvchannel><tvstart>${plain(p.start)}</tvstart><tvstop>${plain(p.end)}</tvstop></item>
      <item><guid>v-minutes</guid><tvchannel>61 FOOD</tvchannel><tvstart>${plain(p.start).slice(0, 12)}</tvstart><tvend>${plain(p.end).slice(0, 12)}</tvend></item>
    </channel></rss>`;
    feeds.set(FEED, variant);
    await start();
    await owner.poll();
    const items = await owner.items();
    assert.equal(items.length, 4);
    const timer = [...fake.liveTv.timers.values()][0];
    assert.equal(fake.liveTv.timers.size, 1);
    for (const i of items) assert.equal(i.statusLine, `OK ${timer?.id}`, i.guid);
    assert.equal(timerPosts(), 1);
  });

  it('rejects bad times and too-far airings, expires ended ones, with no writes', async () => {
    const now = Date.now();
    feeds.set(
      FEED,
      feedXml([
        { guid: 'r-order', channel: 'C61FOOD', start: now + 7_200_000, stop: now + 3_600_000 },
        { guid: 'r-long', channel: 'C61FOOD', start: now + 3_600_000, stop: now + 3_600_000 + 7 * 3_600_000 },
        { guid: 'r-far', channel: 'C61FOOD', start: now + 15 * 86_400_000, stop: now + 15 * 86_400_000 + SLOT },
        { guid: 'r-ended', channel: 'C61FOOD', start: now - 2 * SLOT, stop: now - SLOT },
      ]),
    );
    await start();
    await owner.poll();
    const items = new Map((await owner.items()).map((i) => [i.guid, i.status]));
    assert.deepEqual(Object.fromEntries(items), { 'r-order': 'Rejected', 'r-long': 'Rejected', 'r-far': 'Rejected', 'r-ended': 'Expired' });
    assert.equal(timerWrites(), 0);
  });

  it('serializes two items for the same slot: the first is OK, the second a Conflict', async () => {
    feeds.set(FEED, feedXml([item('s-first', 'C61FOOD', program('FOOD', 2)), item('s-second', 'C13KERA-HD', program('KERA-HD', 2))]));
    await start();
    await owner.poll();
    const items = new Map((await owner.items()).map((i) => [i.guid, i.status]));
    assert.equal(items.get('s-first'), 'OK');
    assert.equal(items.get('s-second'), 'Conflict');
    assert.equal(timerPosts(), 1);
  });

  it('turns a Jellyfin failure into Error, retries with backoff, and never reports a false OK', async () => {
    fake.breakEndpoint('GET /LiveTv/Timers', 'status-500');
    feeds.set(FEED, feedXml([item('e-1', 'C61FOOD', program('FOOD', 2))]));
    await start();
    await owner.poll();
    let status = await owner.item('e-1');
    assert.equal(status?.status, 'Error');
    assert.equal(status?.attempts, 1);
    assert.equal(timerPosts(), 0);
    await owner.poll();
    assert.equal((await owner.item('e-1'))?.attempts, 1, 'not retried before the backoff');
    fake.repairEndpoint('GET /LiveTv/Timers');
    await new Promise((r) => setTimeout(r, 1200));
    await owner.poll();
    status = await owner.item('e-1');
    assert.equal(status?.status, 'OK');
    assert.equal(timerPosts(), 1);
  });

  it('survives hostile feeds (XXE, entity bomb, 5 MB, 10 000 items, invalid UTF-8) and keeps working', async () => {
    await start();
    const hostile: [string, Buffer][] = [
      ['xxe', fixtureBytes('hostile-xxe.xml')],
      ['bomb', fixtureBytes('hostile-billion-laughs.xml')],
      ['huge', Buffer.concat([Buffer.from('<?xml version="1.0"?><rss version="2.0"><channel><title>'), Buffer.alloc(5 * 1024 * 1024, 0x61), Buffer.from('</title></channel></rss>')])],
      ['many', Buffer.from(feedXml(Array.from({ length: 10_000 }, (_, i) => ({ guid: `m${i}`, channel: 'C61FOOD', start: Date.now() - 2 * SLOT, stop: Date.now() - SLOT }))))],
      ['utf8', Buffer.concat([Buffer.from('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), Buffer.from('</title></channel></rss>')])],
    ];
    for (const [name, body] of hostile) {
      feeds.set(FEED, body);
      await owner.poll();
      const subs = (await owner.call<{ subscriptions: { source: string; lastResult: string }[] }>('GET', 'subscriptions')).body.subscriptions;
      assert.match(subs.find((s) => s.source === 'config')?.lastResult ?? '', /^failed: /, name);
      assert.equal(harness?.adapter.health().state, 'ready', name);
    }
    assert.equal((await owner.items()).length, 0);
    assert.equal(timerWrites(), 0);
    feeds.set(FEED, feedXml([item('after-hostile', 'C61FOOD', program('FOOD', 2))]));
    await owner.poll();
    assert.equal((await owner.item('after-hostile'))?.status, 'OK');
  });

  it('is idempotent across a restart on the same data folder', async () => {
    feeds.set(FEED, feedXml([item('restart-1', 'C61FOOD', program('FOOD', 2)), item('restart-2', 'C13KERA-HD', program('KERA-HD', 2))]));
    await start();
    await owner.poll();
    const first = await owner.items();
    const dataDir = harness!.dataDir;
    await harness!.app.stop();
    const second = await startAdapterHarness({
      descriptor: rsstvAdapter,
      source: { jellyfin: fake },
      logLevel: 'info',
      core: { dataDir },
      config: { consumeOwnFeed: false, feeds: [{ name: 'Friend', url: feeds.url(FEED) }], pollIntervalSeconds: 3600, maxConcurrentRecordings: 1 },
    });
    try {
      const again = new OwnerClient(second, dataDir);
      await again.poll();
      assert.deepEqual(
        (await again.items()).map((i) => [i.guid, i.statusLine]).sort(),
        first.map((i) => [i.guid, i.statusLine]).sort(),
      );
      assert.equal(timerPosts(), 1);
    } finally {
      await second.stop();
    }
  });
});
