/**
 * The friends' side and the published feed over real HTTP, on the embedded default (a local
 * folder whose XMLTV guide provides live TV and keeps timers in SQLite): invite links, the
 * suggestion API with CSRF and rate limits, the feed with its RSSTV elements and conditional
 * GET, device gating, and the sidecar reading its own feed back into timers.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { rsstvAdapter } from '../../../adapters/rsstv/index.js';
import { startAdapterHarness, type Harness, type HarnessOptions } from '../../support/adapter-harness.js';
import { wellFormed } from '../../unit/adapters/rsstv/helpers.js';
import { FriendClient, OwnerClient, xmltvGuide } from './support.js';

describe('RSSTV suggestions and feed on the embedded default', function () {
  this.timeout(60_000);
  let mediaRoot: string;
  let harness: Harness | undefined;
  let owner: OwnerClient;

  async function start(config: Record<string, unknown> = {}, extra: Partial<HarnessOptions> = {}): Promise<Harness> {
    harness = await startAdapterHarness({ descriptor: rsstvAdapter, mediaRoot, logLevel: 'info', config: { pollIntervalSeconds: 3600, ...config }, ...extra });
    owner = new OwnerClient(harness);
    return harness;
  }

  async function friend(name: string): Promise<FriendClient> {
    const invite = await owner.invite(name);
    return new FriendClient(harness!.deviceBaseUrl, invite.token);
  }

  async function feedUrl(): Promise<string> {
    return (await owner.call<{ feedUrl: string }>('GET', 'overview')).body.feedUrl;
  }

  /** A future programme of a channel (by call sign in the listed channel name). */
  async function futureProgram(client: FriendClient, channel: string, index = 1): Promise<{ id: string; title: string; start: string }> {
    const list = (await client.programs()).filter((p) => p.channel.includes(channel) && Date.parse(p.start) > Date.now());
    const found = list[index];
    if (!found) throw new Error(`no programme ${index} on ${channel}`);
    return found;
  }

  beforeEach(() => {
    mediaRoot = mkdtempSync(join(tmpdir(), 'rsstv-guide-'));
    writeFileSync(join(mediaRoot, 'guide.xml'), xmltvGuide(Date.now()));
  });

  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
    rmSync(mediaRoot, { recursive: true, force: true });
  });

  it('protects the owner API with the owner token', async () => {
    await start();
    const base = `${harness!.deviceBaseUrl}/rsstv/owner/api/overview`;
    assert.equal((await fetch(base)).status, 401);
    assert.equal((await fetch(base, { headers: { Authorization: 'Bearer wrong-token-0123456789abcdef' } })).status, 401);
    assert.equal((await owner.call('GET', 'overview')).status, 200);
    const page = await fetch(`${harness!.deviceBaseUrl}/rsstv/owner/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  });

  it('answers 401 without a token, 403 for revoked and expired invites', async () => {
    await start();
    const base = harness!.deviceBaseUrl;
    assert.equal((await fetch(`${base}/rsstv/s/`)).status, 401);
    assert.equal((await fetch(`${base}/rsstv/s/not-a-real-token-0123456789`)).status, 401);
    const revoked = await owner.invite('Revoked');
    assert.equal((await owner.call('POST', `invites/${revoked.id}/revoke`)).status, 200);
    assert.equal((await fetch(`${base}/rsstv/s/${revoked.token}`)).status, 403);
    const expired = await owner.invite('Expired', 1);
    harness!.composed.db.run('UPDATE rsstv_invites SET expires_at = ? WHERE id = ?', [new Date(Date.now() - 1000).toISOString(), expired.id]);
    assert.equal((await fetch(`${base}/rsstv/s/${expired.token}/api/suggestions`)).status, 403);
  });

  it('limits failed token attempts per address (429 with Retry-After)', async () => {
    await start({ limits: { failedTokenAttempts: 3 } });
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${harness!.deviceBaseUrl}/rsstv/s/guess-${i}-0123456789abcdef`)).status, 401);
    const res = await fetch(`${harness!.deviceBaseUrl}/rsstv/s/guess-x-0123456789abcdef`);
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
  });

  it('publishes a suggestion at once with every RSS 2.0 and RSSTV element', async () => {
    await start();
    const ann = await friend('Ann');
    const program = await futureProgram(ann, 'FOOD');
    const created = await ann.suggest(program.id, 'you will like this one', await ann.csrf());
    assert.equal(created.status, 201);
    const res = await fetch(await feedUrl());
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/rss\+xml/);
    const xml = await res.text();
    assert.ok(wellFormed(xml));
    assert.match(xml, /xmlns:rsstv="urn:jellybridge:rsstv:1"/);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml) as { rss: { channel: { title: string; link: string; description: string; item: Record<string, unknown> } } };
    const item = doc.rss.channel.item;
    assert.ok(doc.rss.channel.title && doc.rss.channel.link && doc.rss.channel.description);
    assert.match(String(item['title']), /^Good Eats – Pantry Raid \d+$/);
    assert.match(String(item['description']), /^Suggested by Ann: "you will like this one"/);
    assert.match(String((item['guid'] as Record<string, string>)['#text']), /^rsstv-/);
    assert.match(String(item['pubDate']), /GMT$/);
    assert.equal(item['dc:creator'], 'Ann');
    assert.equal(item['rsstv:tvchannel'], 'C61FOOD');
    assert.equal(item['rsstv:callsign'], 'FOOD');
    assert.match(String(item['rsstv:tvstart']), /^\d{14} [+-]\d{4}$/);
    assert.match(String(item['rsstv:tvstop']), /^\d{14} [+-]\d{4}$/);
  });

  it('answers conditional GETs with 304 and HEAD without a body', async () => {
    await start();
    const ann = await friend('Ann');
    await ann.suggest((await futureProgram(ann, 'FOOD')).id, '', await ann.csrf());
    const url = await feedUrl();
    const first = await fetch(url);
    await first.text();
    const etag = first.headers.get('etag') ?? '';
    const modified = first.headers.get('last-modified') ?? '';
    assert.ok(etag && modified);
    assert.equal((await fetch(url, { headers: { 'If-None-Match': etag } })).status, 304);
    assert.equal((await fetch(url, { headers: { 'If-Modified-Since': modified } })).status, 304);
    const head = await fetch(url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    await ann.suggest((await futureProgram(ann, 'KERA')).id, '', await ann.csrf());
    assert.equal((await fetch(url, { headers: { 'If-None-Match': etag } })).status, 200, 'a new suggestion changes the ETag');
  });

  it('hides the feed behind its secret token (404) and behind the device registry (403 when held)', async () => {
    await start({}, { devices: [], policy: 'hold' });
    const base = harness!.deviceBaseUrl;
    const held = await fetch(`${base}/rsstv/feed/whatever.xml`);
    assert.equal(held.status, 403);
    assert.equal((await fetch(`${base}/rsstv/owner/api/overview`, { headers: { Authorization: `Bearer ${owner.token}` } })).status, 403);
    await harness!.stop();
    await start();
    assert.equal((await fetch(`${harness!.deviceBaseUrl}/rsstv/feed/wrong-token.xml`)).status, 404);
    assert.equal((await fetch(`${harness!.deviceBaseUrl}/rsstv/feed/`)).status, 404);
  });

  it('refuses a POST without the CSRF token or from another origin, and other methods', async () => {
    await start();
    const ann = await friend('Ann');
    const program = await futureProgram(ann, 'FOOD');
    assert.equal((await ann.api('POST', 'suggestions', { programId: program.id })).status, 403);
    assert.equal((await ann.suggest(program.id, '', 'wrong')).status, 403);
    const form = await fetch(`${ann.pageUrl}/api/suggestions`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `programId=${program.id}` });
    assert.equal(form.status, 403);
    const csrf = await ann.csrf();
    assert.equal((await ann.api('POST', 'suggestions', { programId: program.id }, { 'X-CSRF-Token': csrf, Origin: 'http://evil.example' })).status, 403);
    for (const method of ['DELETE', 'PUT', 'PATCH']) assert.equal((await ann.api(method, 'suggestions')).status, 405, method);
    assert.equal((await ann.api('GET', 'timers')).status, 404);
    assert.equal((await ann.api('GET', 'recordings')).status, 404);
    assert.equal((await ann.suggest('no-such-programme', '', csrf)).status, 404);
    assert.equal((await ann.suggest(program.id, 'bell\u0007', csrf)).status, 400);
  });

  it('rate-limits per token: the 4th in a minute and the 11th in a day get 429 with Retry-After', async () => {
    await start({ limits: { perMinute: 3, perDay: 100 } });
    const ann = await friend('Ann');
    const csrf = await ann.csrf();
    const programs = (await ann.programs()).filter((p) => Date.parse(p.start) > Date.now());
    const statuses = await Promise.all(programs.slice(0, 5).map((p) => ann.suggest(p.id, '', csrf)));
    assert.deepEqual(statuses.map((s) => s.status).sort(), [201, 201, 201, 429, 429], 'exact under concurrency');
    const limited = statuses.find((s) => s.status === 429);
    assert.ok(Number(limited?.headers.get('retry-after')) > 0);
    await harness!.stop();

    await start({ limits: { perMinute: 100, perDay: 10 } });
    const bob = await friend('Bob');
    const bobCsrf = await bob.csrf();
    const more = (await bob.programs()).filter((p) => Date.parse(p.start) > Date.now());
    const results: number[] = [];
    for (const p of more.slice(0, 11)) results.push((await bob.suggest(p.id, '', bobCsrf)).status);
    assert.deepEqual(results, [...Array<number>(10).fill(201), 429]);
  });

  it('shows each friend only their own suggestions, deduplicates, and escapes hostile text', async () => {
    await start();
    const ann = await friend('Ann <script>alert(3)</script>');
    const bob = await friend('Bob');
    const evil = await futureProgram(ann, 'EVIL');
    const annCsrf = await ann.csrf();
    assert.equal((await ann.suggest(evil.id, 'Tom & Jerry ]]> <b>bold</b>', annCsrf)).status, 201);
    assert.equal((await ann.suggest(evil.id, 'again', annCsrf)).status, 200, 'a duplicate is not a new suggestion');
    assert.equal((await bob.suggest((await futureProgram(bob, 'KERA')).id, '', await bob.csrf())).status, 201);
    const annList = (await ann.api('GET', 'suggestions')).body['suggestions'] as { title: string; note: string }[];
    const bobList = (await bob.api('GET', 'suggestions')).body['suggestions'] as { title: string }[];
    assert.equal(annList.length, 1);
    assert.equal(bobList.length, 1);
    assert.equal(bobList[0]?.title, 'Frontline');
    assert.equal(annList[0]?.note, 'Tom & Jerry ]]> <b>bold</b>');
    const page = (await ann.page()).html;
    assert.ok(!page.includes('<script>alert(3)'), 'friend name escaped in the page');
    assert.ok(page.includes('Ann &lt;script&gt;alert(3)&lt;/script&gt;'));
    const xml = await (await fetch(await feedUrl())).text();
    assert.ok(wellFormed(xml));
    assert.ok(!xml.includes('<script>') && !xml.includes('<b>') && !xml.includes(']]>') && !xml.includes('<img'));
    assert.ok(xml.includes('Tom &amp; Jerry ]]&gt; &lt;b&gt;bold&lt;/b&gt;'));
  });

  it('reads its own feed back into timers and shows the status to the friend and the owner', async () => {
    await start();
    const ann = await friend('Ann');
    const bob = await friend('Bob');
    const food = await futureProgram(ann, 'FOOD', 2);
    await ann.suggest(food.id, 'record this', await ann.csrf());
    await owner.poll();
    // Same slot on another channel: the embedded guide has one tuner.
    const kera = (await bob.programs()).find((p) => p.channel.includes('KERA') && p.start === food.start)!;
    await bob.suggest(kera.id, '', await bob.csrf());
    await owner.poll();
    const annView = (await ann.api('GET', 'suggestions')).body['suggestions'] as { status: string; statusText: string }[];
    const bobView = (await bob.api('GET', 'suggestions')).body['suggestions'] as { status: string; statusText: string }[];
    assert.deepEqual([annView[0]?.status, annView[0]?.statusText], ['OK', 'Scheduled to record']);
    assert.deepEqual([bobView[0]?.status, bobView[0]?.statusText], ['Conflict', 'Conflict: the DVR is busy then']);
    assert.ok(!JSON.stringify(bobView).includes('Good Eats'), 'the friend does not learn what it conflicts with');
    const overview = (await owner.call<{ suggestions: { friend: string; statusLine: string; detail: string }[] }>('GET', 'overview')).body;
    const annRow = overview.suggestions.find((s) => s.friend === 'Ann');
    const timers = harness!.composed.db.all<{ id: string }>('SELECT id FROM library_timers WHERE cancelled = 0');
    assert.equal(timers.length, 1);
    assert.equal(annRow?.statusLine, `OK ${timers[0]?.id}`);
    assert.match(overview.suggestions.find((s) => s.friend === 'Bob')?.detail ?? '', /Good Eats/, 'the owner does');
  });

  it('publishes one feed per friend with only their items, and holds suggestions for approval when asked', async () => {
    await start({ requireApproval: true });
    const ann = await friend('Ann');
    const bob = await friend('Bob');
    const annSuggestion = await ann.suggest((await futureProgram(ann, 'FOOD')).id, '', await ann.csrf());
    await bob.suggest((await futureProgram(bob, 'KERA')).id, '', await bob.csrf());
    assert.ok(!(await (await fetch(await feedUrl())).text()).includes('<item>'), 'nothing before approval');
    const id = (annSuggestion.body['suggestion'] as { id: string }).id;
    assert.equal(((await ann.api('GET', 'suggestions')).body['suggestions'] as { status: string }[])[0]?.status, 'Awaiting approval');
    assert.equal((await owner.call('POST', `suggestions/${id}/approve`)).status, 200);
    const overview = (await owner.call<{ invites: { name: string; friendFeedUrl?: string }[] }>('GET', 'overview')).body;
    const annFeed = await (await fetch(overview.invites.find((i) => i.name === 'Ann')?.friendFeedUrl ?? '')).text();
    const bobFeed = await (await fetch(overview.invites.find((i) => i.name === 'Bob')?.friendFeedUrl ?? '')).text();
    assert.equal((annFeed.match(/<item>/g) ?? []).length, 1);
    assert.equal((bobFeed.match(/<item>/g) ?? []).length, 0, 'Bob is still waiting for approval');
    assert.equal(((await (await fetch(await feedUrl())).text()).match(/<item>/g) ?? []).length, 1);
  });
});
