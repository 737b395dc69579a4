import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testJellyfinConnection } from '../../../plugin/jellyfin/index.js';
import type { LibraryEntry, MediaItem } from '../../../plugin/library/model.js';
import { FakeJellyfin } from '../../support/fake-jellyfin.js';
import { ffprobeJson, hasBinary, makeClip } from '../../support/media.js';
import { specErrors, startSource, type Started } from './helpers.js';

const run = promisify(execFile);

describe('Jellyfin source: library (against the stand-in)', function () {
  this.timeout(60_000);
  let fake: FakeJellyfin;
  let clip: string;
  let started: Started | undefined;

  before(async function () {
    if (!(await hasBinary('ffmpeg')) || !(await hasBinary('ffprobe'))) this.skip();
    clip = await makeClip({ duration: 2 });
    fake = await FakeJellyfin.start({ clip, bigFolderSize: 2500 });
  });

  afterEach(async () => {
    await started?.source.stop();
    started = undefined;
  });

  after(async () => {
    if (fake === undefined) return;
    const errors = specErrors(fake);
    await fake.close();
    assert.deepEqual(errors, [], 'every stand-in answer is valid per the OpenAPI specs');
  });

  it('scopes libraries to the device user: bob does not see Movies', async () => {
    started = await startSource(fake);
    const { library } = started.source;
    const bobRoots = await library.listRoots(fake.users.bob);
    assert.deepEqual(bobRoots.map((r) => r.title), ['TV Shows']);
    const aliceRoots = await library.listRoots(fake.users.alice);
    assert.deepEqual(aliceRoots.map((r) => r.title), ['Movies', 'TV Shows', 'Home Videos'], 'the live TV view is not a browsable root');
    const movie = fake.item('Big Buck Test');
    assert.equal(await library.getItem(fake.users.bob, movie.id), undefined);
    assert.equal((await library.getItem(fake.users.alice, movie.id))?.title, 'Big Buck Test');
    await assert.rejects(library.listChildren(fake.users.bob, fake.library.moviesId), { code: 'ERR_JELLYFIN_NOT_FOUND' });
    await assert.rejects(library.getMediaInput(fake.users.bob, movie.id), { code: 'ERR_JELLYFIN_NOT_FOUND' });
    for (const r of fake.requests.filter((q) => q.path === '/Items' || q.path === '/UserViews')) assert.match(r.query, /userId=/i);
  });

  it('uses the first administrator when no user is assigned, and the default user when configured', async () => {
    started = await startSource(fake);
    assert.equal((await started.source.library.listRoots()).length, 3);
    await started.source.stop();
    started = await startSource(fake, { defaultUserId: fake.users.bob });
    assert.deepEqual((await started.source.library.listRoots()).map((r) => r.title), ['TV Shows']);
  });

  it('walks series → seasons → episodes with episode sorting', async () => {
    started = await startSource(fake);
    const { library } = started.source;
    const shows = await library.listChildren(fake.users.bob, fake.library.showsId);
    assert.deepEqual(shows.items.map((e) => [e.kind, e.title]), [['folder', 'Test Show']]);
    const seasons = await library.listChildren(fake.users.bob, shows.items[0]!.id, { sort: [{ by: 'title' }] });
    assert.deepEqual(seasons.items.map((s) => (s.kind === 'folder' ? [s.folderType, s.seasonNumber] : [])), [['season', 1], ['season', 2]]);
    const episodes = await library.listChildren(fake.users.bob, shows.items[0]!.id, { recursive: true, sort: [{ by: 'episode', descending: true }] });
    const numbers = episodes.items.map((e) => (e.kind === 'item' ? `${e.seasonNumber}x${e.episodeNumber}` : e.title));
    assert.deepEqual(numbers, ['2x2', '2x1', '1x3', '1x2', '1x1']);
    const missing = episodes.items[0] as MediaItem;
    assert.equal(missing.playable, false);
  });

  it('pages a 2 500-item folder without gaps or overlaps', async () => {
    started = await startSource(fake);
    const { library } = started.source;
    const seen = new Set<string>();
    let offset = 0;
    const totals = new Set<number>();
    for (;;) {
      const page = await library.listChildren(fake.users.alice, fake.library.homeVideosId, { offset, limit: 400, sort: [{ by: 'title' }] });
      totals.add(page.total);
      const total = page.total;
      assert.equal(page.offset, offset);
      for (const e of page.items) {
        assert.equal(seen.has(e.id), false, `duplicate ${e.title}`);
        seen.add(e.id);
      }
      offset += page.items.length;
      if (page.items.length === 0 || offset >= total) break;
    }
    assert.deepEqual([...totals], [2500]);
    assert.equal(seen.size, 2500);
    const last = await library.listChildren(fake.users.alice, fake.library.homeVideosId, { offset: 2499, limit: 10, sort: [{ by: 'title', descending: true }] });
    assert.equal(last.items[0]?.title, 'Clip 00000');
  });

  it('searches titles across the user’s libraries', async () => {
    started = await startSource(fake);
    const found = await started.source.library.listChildren(fake.users.bob, undefined, { search: 'pattern 1x' });
    assert.deepEqual(found.items.map((e: LibraryEntry) => e.title).sort(), ['Pattern 1x1', 'Pattern 1x2', 'Pattern 1x3']);
  });

  it('fetches primary images as JPEG within the requested bounds, and undefined without one', async () => {
    started = await startSource(fake);
    const { library } = started.source;
    const image = await library.getImage(fake.item('Big Buck Test').id, { maxWidth: 100, maxHeight: 100 });
    assert.equal(image?.contentType, 'image/jpeg');
    assert.deepEqual([...image.body.subarray(0, 3)], [0xff, 0xd8, 0xff]);
    const dir = mkdtempSync(join(tmpdir(), 'jb-img-'));
    try {
      const file = join(dir, 'poster.jpg');
      writeFileSync(file, image.body);
      const probe = await ffprobeJson(file);
      assert.ok((probe.streams[0]?.width ?? 999) <= 100 && (probe.streams[0]?.height ?? 999) <= 100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(await library.getImage(fake.item('An Ocean Sample').id), undefined);
    const png = await library.getImage(fake.item('Big Buck Test').id, { format: 'png' });
    assert.equal(png?.contentType, 'image/png');
  });

  it('gives the mapped local file when readable, else the seekable static URL serving the same bytes', async () => {
    started = await startSource(fake, { pathMappings: [{ from: '/media', to: fake.mediaRoot }] });
    const movie = fake.item('Big Buck Test');
    const local = await started.source.library.getMediaInput(fake.users.alice, movie.id);
    assert.equal(local.kind, 'file');
    assert.deepEqual(readFileSync(local.kind === 'file' ? local.path : ''), readFileSync(clip));
    await started.source.stop();

    started = await startSource(fake, { pathMappings: [{ from: '/media', to: '/nonexistent-mount' }] });
    const remote = await started.source.library.getMediaInput(fake.users.alice, movie.id);
    assert.equal(remote.kind, 'url');
    if (remote.kind !== 'url') return;
    assert.equal(remote.seekable, true);
    const whole = Buffer.from(await (await fetch(remote.url)).arrayBuffer());
    assert.deepEqual(whole, readFileSync(clip));
    const ranged = await fetch(remote.url, { headers: { Range: 'bytes=100-199' } });
    assert.equal(ranged.status, 206);
    assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), readFileSync(clip).subarray(100, 200));
  });

  it('gives a non-seekable Jellyfin transcode URL that yields the requested codecs', async function () {
    started = await startSource(fake);
    const library = started.source.library;
    assert.ok(library.getServerTranscodeInput !== undefined);
    const input = await library.getServerTranscodeInput(fake.users.alice, fake.item('Pattern 1x1').id, {
      container: 'ts',
      videoCodec: 'mpeg2video',
      audioCodec: 'mp2',
      videoBitrateKbps: 1500,
      maxWidth: 160,
      startSeconds: 0.5,
    });
    assert.equal(input.kind, 'url');
    if (input.kind !== 'url') return;
    assert.equal(input.seekable, false);
    const url = new URL(input.url);
    assert.equal(url.pathname.endsWith('/stream.ts'), true);
    assert.equal(url.searchParams.get('startTimeTicks'), '5000000');
    const response = await fetch(input.url);
    assert.equal(response.headers.get('accept-ranges'), 'none');
    const dir = mkdtempSync(join(tmpdir(), 'jb-tc-'));
    try {
      const file = join(dir, 'out.ts');
      writeFileSync(file, Buffer.from(await response.arrayBuffer()));
      const probe = await ffprobeJson(file);
      assert.match(probe.format.format_name, /mpegts/);
      const video = probe.streams.find((s) => s.codec_type === 'video');
      assert.equal(video?.codec_name, 'mpeg2video');
      assert.ok((video?.width ?? 999) <= 160);
      assert.equal(probe.streams.find((s) => s.codec_type === 'audio')?.codec_name, 'mp2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists users, reports media updates and asks for a library refresh', async () => {
    started = await startSource(fake);
    const { library } = started.source;
    assert.deepEqual(await library.listUsers(), [
      { id: fake.users.alice, name: 'alice', isAdministrator: true },
      { id: fake.users.bob, name: 'bob', isAdministrator: false },
    ]);
    const before = fake.refreshCount;
    await library.notifyMediaUpdated(['/media/cams/front/2026-11-21/10-00.mp4'], 'Created');
    await library.rescan();
    assert.deepEqual(fake.mediaUpdates.at(-1), [{ Path: '/media/cams/front/2026-11-21/10-00.mp4', UpdateType: 'Created' }]);
    assert.equal(fake.refreshCount, before + 1);
  });

  it('authenticates only with the MediaBrowser header; the stand-in refuses legacy forms', async () => {
    started = await startSource(fake);
    await started.source.library.listRoots();
    const authed = fake.requests.filter((r) => r.path === '/Users' || r.path === '/UserViews');
    assert.ok(authed.length > 0);
    for (const r of authed) {
      assert.equal(r.via, 'header');
      assert.equal(r.authorization, `MediaBrowser Client="Jellybridge", Device="Jellybridge%20sidecar", DeviceId="jellybridge-test-device", Version="0.1.0", Token="${fake.apiKey}"`);
    }
    assert.equal(fake.requests.some((r) => r.legacyHeader), false);
    assert.equal((await fetch(`${fake.url}/Users`, { headers: { 'X-Emby-Token': fake.apiKey } })).status, 401);
    assert.equal((await fetch(`${fake.url}/Users?api_key=${fake.apiKey}`)).status, 401);
    assert.equal((await fetch(`${fake.url}/Users`, { headers: { Authorization: `Emby Token="${fake.apiKey}"` } })).status, 401);
    assert.equal((await fetch(`${fake.url}/Users?ApiKey=${fake.apiKey}`)).status, 200);
  });

  it('turns a wrong answer into ERR_JELLYFIN_BAD_RESPONSE naming the endpoint', async () => {
    started = await startSource(fake);
    try {
      fake.breakEndpoint('GET /Items', 'html');
      await assert.rejects(started.source.library.listChildren(fake.users.alice, fake.library.moviesId), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'ERR_JELLYFIN_BAD_RESPONSE');
        assert.match(e.message, /GET \/Items/);
        return true;
      });
      fake.breakEndpoint('GET /Items', 'no-items');
      await assert.rejects(started.source.library.listChildren(fake.users.alice, fake.library.moviesId), { code: 'ERR_JELLYFIN_BAD_RESPONSE', message: 'GET /Items: unexpected answer from Jellyfin (no Items array)' });
    } finally {
      fake.repairEndpoint('GET /Items');
    }
  });

  it('hands out no secret anywhere except the internal stream URL', async () => {
    started = await startSource(fake);
    const { library } = started.source;
    const outputs = [
      await library.listRoots(),
      await library.listChildren(undefined, fake.library.moviesId),
      await library.getItem(undefined, fake.item('Big Buck Test').id),
      await library.listUsers(),
      started.source.health(),
    ];
    assert.equal(JSON.stringify(outputs).includes(fake.apiKey), false);
    const input = await library.getMediaInput(undefined, fake.item('Big Buck Test').id);
    assert.equal(input.kind === 'url' && input.url.includes(`ApiKey=${fake.apiKey}`), true);
  });

  it('tests a connection: ok with the right key, a readable error otherwise', async () => {
    const ok = await testJellyfinConnection(fake.url, fake.apiKey);
    assert.deepEqual(ok.ok ? { ok: ok.ok, serverName: ok.serverName, version: ok.version } : ok, { ok: true, serverName: 'Fake Jellyfin', version: '10.11.11' });
    const wrong = await testJellyfinConnection(fake.url, 'wrong-key');
    assert.equal(wrong.ok, false);
    assert.match(wrong.ok ? '' : wrong.error, /API key/);
    assert.equal(wrong.ok ? '' : wrong.error.includes('wrong-key'), false);
    const down = await testJellyfinConnection('http://127.0.0.1:1', fake.apiKey);
    assert.match(down.ok ? '' : down.error, /unreachable/);
    assert.deepEqual(await testJellyfinConnection('ftp://x', 'k'), { ok: false, error: 'the URL must start with http:// or https://' });
  });

  it('ffprobe sees the static stream as the original clip', async () => {
    started = await startSource(fake);
    const input = await started.source.library.getMediaInput(undefined, fake.item('The Night Clip').id);
    assert.equal(input.kind, 'url');
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', input.kind === 'url' ? input.url : '']);
    assert.deepEqual(stdout.trim().split('\n'), ['h264', 'aac']);
  });
});
