/**
 * RSSTV speed targets (issue #8, protocols/rsstv.md §7), on loopback:
 *  - feed of 500 items generated (store → builder → ETag) in ≤ 100 ms (p95 of 30 renders,
 *    each by a fresh service so the unchanged-feed cache is not what is measured);
 *    ratio = 100 ms / p95;
 *  - 100 new feed items scheduled against the Jellyfin stand-in holding 500 channels and
 *    20 000 programmes in ≤ 5 s (one poll: fetch, parse, resolve, match, conflict check,
 *    POST, find); ratio = 5000 ms / measured. A steady-state re-poll (304) is in the notes;
 *  - suggestion page p95 ≤ 200 ms with 20 concurrent clients for 10 s (page, guide search,
 *    own suggestions, a suggestion now and then); ratio = 200 ms / p95.
 *
 * Run alone through the bench runner (`npm run bench -- --only rsstv`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { rsstvConfigSchema } from '../../adapters/rsstv/config.js';
import { rsstvAdapter } from '../../adapters/rsstv/index.js';
import { FeedService } from '../../adapters/rsstv/publish/feed-service.js';
import { rsstvMigrations } from '../../adapters/rsstv/store/migrations.js';
import { RsstvStore } from '../../adapters/rsstv/store/rsstv-store.js';
import { openDatabase } from '../../plugin/state/db.js';
import { startAdapterHarness } from '../support/adapter-harness.js';
import { FakeJellyfin } from '../support/fake-jellyfin.js';
import { FeedServer, FriendClient, OwnerClient, feedXml, xmltvGuide } from '../integration/rsstv/support.js';
import { quantile, round, vsTarget } from './stats.js';
import type { BenchResult } from './types.js';

const SLOT = 30 * 60_000;

function feedGeneration(): BenchResult {
  const parsed = rsstvConfigSchema.safeParse({ maxFeedItems: 500, timeZone: 'Europe/Berlin' });
  if (!parsed.success) throw new Error('config');
  const db = openDatabase(':memory:');
  try {
    db.migrate('rsstv', rsstvMigrations);
    const store = new RsstvStore(db);
    const now = Date.now();
    const invite = store.createInvite('Ann', now, undefined).invite;
    for (let i = 0; i < 500; i++) {
      store.insertSuggestion({
        invite_id: invite.id,
        program_id: `p${i}`,
        channel_id: `c${i % 50}`,
        channel_name: `CH${i % 50}`,
        channel_number: String(i % 50),
        call_sign: `CH${i % 50}`,
        title: `Show number ${i} & friends`,
        episode_title: `Episode ${i}`,
        overview: 'A synopsis of moderate length that describes what happens in this episode of the show.',
        start_at: now + 3_600_000 + i * 60_000,
        end_at: now + 5_400_000 + i * 60_000,
        note: 'you will like this one',
        created_at: now - i,
        review: 'auto',
      });
    }
    const samples: number[] = [];
    let size = 0;
    for (let i = 0; i < 30; i++) {
      // A fresh service each time: the full generation, not the unchanged-feed cache.
      const feeds = new FeedService(store, parsed.data);
      const started = performance.now();
      const feed = feeds.render({ now: now + i, link: 'http://127.0.0.1/rsstv/', maxItems: 500 });
      samples.push(performance.now() - started);
      size = Buffer.byteLength(feed.xml);
    }
    const p95 = quantile(samples, 0.95);
    return {
      name: 'feed of 500 items generated (p95)',
      value: round(p95),
      unit: 'ms',
      ...vsTarget(p95, 100),
      target: 'p95 ≤ 100 ms',
      pass: p95 <= 100,
      notes: `${Math.round(size / 500)} bytes per item (target ≤ 1024)`,
    };
  } finally {
    db.close();
  }
}

async function scheduling(): Promise<readonly BenchResult[]> {
  const fake = await FakeJellyfin.start({ tunerCounts: [4, 4] });
  const feeds = await FeedServer.start();
  const first = Math.min(...fake.liveTv.programs.map((p) => p.start));
  // 500 channels × 40 programmes = 20 000 (the stand-in's own 3 channels are replaced).
  fake.liveTv.channels.length = 0;
  fake.liveTv.programs.length = 0;
  for (let c = 0; c < 500; c++) {
    const id = `be0c${String(c).padStart(28, '0')}`;
    fake.liveTv.channels.push({ id, number: String(100 + c), name: `K${String(c).padStart(3, '0')}` });
    for (let i = 0; i < 40; i++) {
      fake.liveTv.programs.push({ id: `be0f${String(c * 40 + i).padStart(28, '0')}`, channelId: id, name: `Show ${c}/${i}`, overview: '', start: first + i * SLOT, end: first + (i + 1) * SLOT, isSeries: true, isMovie: false, genres: [] });
    }
  }
  const items = Array.from({ length: 100 }, (_, n) => {
    const c = n * 5;
    const slot = 2 + (n % 30);
    return { guid: `bench-${n}`, channel: `C${100 + c}K${String(c).padStart(3, '0')}`, start: first + slot * SLOT, stop: first + (slot + 1) * SLOT };
  });
  feeds.set('/bench.xml', feedXml(items));
  const harness = await startAdapterHarness({
    descriptor: rsstvAdapter,
    source: { jellyfin: fake },
    logLevel: 'warn',
    config: { consumeOwnFeed: false, feeds: [{ name: 'Bench', url: feeds.url('/bench.xml') }], pollIntervalSeconds: 86_400, maxConcurrentRecordings: 'tuners' },
  });
  try {
    const owner = new OwnerClient(harness);
    const started = performance.now();
    await owner.poll();
    const ms = performance.now() - started;
    const statuses = new Map<string, number>();
    for (const i of await owner.items()) statuses.set(i.status, (statuses.get(i.status) ?? 0) + 1);
    const cpuBefore = process.cpuUsage();
    const steadyStarted = performance.now();
    await owner.poll();
    const steadyMs = performance.now() - steadyStarted;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    return [
      {
        name: '100 new items scheduled (500 channels, 20 000 programmes)',
        value: Math.round(ms),
        unit: 'ms',
        ...vsTarget(ms, 5000),
        target: '≤ 5000 ms',
        pass: ms <= 5000 && (statuses.get('OK') ?? 0) > 0,
        notes: `statuses ${JSON.stringify(Object.fromEntries(statuses))}; ${fake.liveTv.timers.size} timers created`,
      },
      {
        name: 'steady-state re-poll (304), CPU of the whole process incl. the stand-in',
        value: round(cpuMs),
        unit: 'ms CPU',
        ...vsTarget(cpuMs, 50),
        target: '≤ 50 ms CPU',
        pass: cpuMs <= 50,
        notes: `${round(steadyMs)} ms wall`,
      },
    ];
  } finally {
    await harness.stop();
    await feeds.close();
    await fake.close();
  }
}

async function suggestionPage(): Promise<BenchResult> {
  const mediaRoot = mkdtempSync(join(tmpdir(), 'rsstv-bench-'));
  writeFileSync(join(mediaRoot, 'guide.xml'), xmltvGuide(Date.now(), 48));
  const harness = await startAdapterHarness({
    descriptor: rsstvAdapter,
    mediaRoot,
    logLevel: 'warn',
    config: { pollIntervalSeconds: 86_400, limits: { perMinute: 1000, perDay: 10_000, maxPending: 10_000 } },
  });
  try {
    const owner = new OwnerClient(harness);
    const clients: FriendClient[] = [];
    for (let i = 0; i < 20; i++) clients.push(new FriendClient(harness.deviceBaseUrl, (await owner.invite(`Friend ${i}`)).token));
    const programs = (await clients[0]!.programs()).filter((p) => Date.parse(p.start) > Date.now());
    const samples: number[] = [];
    const errors: number[] = [];
    const until = performance.now() + 10_000;
    const timed = async (fn: () => Promise<number>): Promise<void> => {
      const started = performance.now();
      const status = await fn();
      samples.push(performance.now() - started);
      if (status >= 400 && status !== 429) errors.push(status);
    };
    await Promise.all(
      clients.map(async (client, n) => {
        const csrf = await client.csrf();
        let round = 0;
        while (performance.now() < until) {
          await timed(async () => (await client.page()).status);
          await timed(async () => (await client.api('GET', `guide?q=${['good', 'front', 'eats', ''][round % 4] ?? ''}`)).status);
          await timed(async () => (await client.api('GET', 'suggestions')).status);
          if (round % 5 === 0) {
            const p = programs[(n * 7 + round) % programs.length];
            if (p) await timed(async () => (await client.suggest(p.id, 'bench', csrf)).status);
          }
          round++;
        }
      }),
    );
    const p95 = quantile(samples, 0.95);
    return {
      name: 'suggestion page p95, 20 concurrent clients for 10 s',
      value: round(p95),
      unit: 'ms',
      ...vsTarget(p95, 200),
      target: 'p95 ≤ 200 ms',
      pass: p95 <= 200 && errors.length === 0,
      notes: `${samples.length} requests, p50 ${round(quantile(samples, 0.5))} ms, ${errors.length} errors`,
    };
  } finally {
    await harness.stop();
    rmSync(mediaRoot, { recursive: true, force: true });
  }
}

export async function run(): Promise<readonly BenchResult[]> {
  return [feedGeneration(), ...(await scheduling()), await suggestionPage()];
}
