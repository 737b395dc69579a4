import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rsstvConfigSchema } from '../../../../../adapters/rsstv/config.js';
import type { Consumer } from '../../../../../adapters/rsstv/consume/consumer.js';
import { Poller, SELF_SUBSCRIPTION } from '../../../../../adapters/rsstv/consume/poller.js';
import { rsstvMigrations } from '../../../../../adapters/rsstv/store/migrations.js';
import { RsstvStore } from '../../../../../adapters/rsstv/store/rsstv-store.js';
import { silentLogger } from '../../../../../plugin/log/logger.js';
import { openDatabase, type StateDatabase } from '../../../../../plugin/state/db.js';
import { systemClock } from '../../../../../plugin/util/clock.js';

const EMPTY_FEED = '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Empty</title><link>http://example.invalid/</link><description>none</description></channel></rss>';

async function waitFor(what: string, predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(predicate(), `timed out waiting for ${what}`);
}

describe('RSSTV Poller#kick', () => {
  let db: StateDatabase;
  let store: RsstvStore;
  let server: Server;
  let fetched: string[];
  let poller: Poller;

  const polled = (id: string): boolean => store.subscription(id)?.last_polled_at !== null;

  beforeEach(async () => {
    db = openDatabase(':memory:');
    db.migrate('rsstv', rsstvMigrations);
    store = new RsstvStore(db);
    fetched = [];
    server = createServer((req, res) => {
      fetched.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(EMPTY_FEED);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    store.upsertSubscription({ id: SELF_SUBSCRIPTION, name: 'Own', url: null, source: 'self' }, 1);
    store.upsertSubscription({ id: 'cfg', name: 'Config feed', url: `${base}/cfg`, source: 'config' }, 2);
    store.upsertSubscription({ id: 'own-new', name: 'Added', url: `${base}/new`, source: 'owner' }, 3);
    const parsed = rsstvConfigSchema.safeParse({});
    if (!parsed.success) throw new Error('bad config');
    const consumer = { consume: () => Promise.resolve({ processed: 0, skipped: 0, deferred: 0, byStatus: {} }) } as unknown as Consumer;
    poller = new Poller({ store, consumer, config: parsed.data, clock: systemClock, log: silentLogger(), ownFeed: () => Buffer.from(EMPTY_FEED), userAgent: 'test', counters: {} });
    poller.start(3_600_000);
  });

  afterEach(async () => {
    await poller.stop();
    server.close();
    db.close();
  });

  it('polls only the own feed by default: no remote feed is fetched', async () => {
    poller.kick();
    await waitFor('the own feed', () => polled(SELF_SUBSCRIPTION));
    assert.deepEqual(fetched, []);
    assert.equal(polled('cfg'), false);
    assert.equal(polled('own-new'), false);
  });

  it('polls the kicked subscriptions of one debounce window in one pass, and skips deleted ones', async () => {
    poller.kick('own-new');
    poller.kick();
    poller.kick('own-new');
    poller.kick('gone');
    await waitFor('both kicked feeds', () => polled(SELF_SUBSCRIPTION) && polled('own-new'));
    assert.deepEqual(fetched, ['/new']);
    assert.equal(polled('cfg'), false);
  });

  it('does nothing when the own feed is not subscribed', async () => {
    store.upsertSubscription({ id: 'probe', name: 'Probe', url: null, source: 'self' }, 4);
    db.run('DELETE FROM rsstv_subscriptions WHERE id = ?', [SELF_SUBSCRIPTION]);
    poller.kick();
    poller.kick('probe');
    await waitFor('the later kick', () => polled('probe'));
    assert.deepEqual(fetched, []);
    assert.equal(polled('cfg'), false);
  });
});
