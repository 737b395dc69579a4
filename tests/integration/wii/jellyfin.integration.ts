/**
 * The Wii adapter against the Jellyfin stand-in (tests/support/fake-jellyfin.ts): pages list
 * the user's Jellyfin libraries, and RTMP plays an item whose bytes ffmpeg reads from the
 * stand-in's static stream URL, with onMetaData's duration from RunTimeTicks.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Harness } from '../../support/adapter-harness.js';
import { FakeJellyfin } from '../../support/fake-jellyfin.js';
import { ffprobeJson, hasBinary, makeClip } from '../../support/media.js';
import { run } from './support/run.js';
import { noTranscodesLeft } from '../../support/adapter-harness.js';
import { TEST_CLIPS, rtmpPort, startWiiHarness } from './support/wii-harness.js';

const WII_UA = 'Opera/9.30 (Nintendo Wii; U; ; 3642; en)';

describe('Wii adapter against the Jellyfin stand-in (integration)', function () {
  this.timeout(120_000);
  let fake: FakeJellyfin | undefined;
  let harness: Harness | undefined;
  let out: string;
  let clipSeconds: number;

  before(async function () {
    for (const bin of ['ffmpeg', 'ffprobe', 'rtmpdump']) {
      if (!(await hasBinary(bin))) this.skip(); // a peer binary is missing
    }
    const clip = await makeClip(TEST_CLIPS.short);
    clipSeconds = Number((await ffprobeJson(clip)).format.duration);
    fake = await FakeJellyfin.start({ clip, clipDurationSeconds: clipSeconds });
    harness = await startWiiHarness({
      source: { jellyfin: fake },
      devices: [{ id: 'wii', name: 'Wii', match: { cidr: ['127.0.0.0/8', '::1/128'] }, userId: fake.users.alice, adapters: { wii: { enabled: true } } }],
    });
    out = mkdtempSync(join(tmpdir(), 'wii-jf-'));
  });

  after(async () => {
    if (harness) await noTranscodesLeft(harness).finally(() => harness?.stop());
    await fake?.close();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('lists the user’s Jellyfin libraries and a movie with its runtime, and embeds the player for it', async () => {
    const get = async (path: string): Promise<string> => {
      const res = await fetch(`${harness!.deviceBaseUrl}/wii/${path}`, { headers: { 'user-agent': WII_UA } });
      assert.equal(res.status, 200, path);
      return res.text();
    };
    const home = await get('');
    assert.match(home, />Movies</);
    assert.match(home, />TV Shows</);
    const movie = fake!.item('Big Buck Test');
    const movies = await get(`browse/${movie.parentId ?? ''}`);
    assert.match(movies, new RegExp(`href="/wii/item/${movie.id}"`));
    assert.match(movies, /Big Buck Test/);
    const play = await get(`play/${movie.id}`);
    assert.match(play, new RegExp(`stream=${movie.id}&amp;start=0&amp;dur=${Math.round(clipSeconds * 1000) / 1000}&amp;`));
    assert.doesNotMatch(play, new RegExp(fake!.apiKey), 'the API key never reaches the device');
  });

  it('plays a Jellyfin item over RTMP: rtmpdump gets the whole clip and ffprobe sees RunTimeTicks as the duration', async () => {
    const movie = fake!.item('Big Buck Test');
    const url = `rtmp://127.0.0.1:${rtmpPort(harness!)}/wii/${movie.id}`;
    const probe = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', url]);
    assert.equal(probe.code, 0, probe.stderr);
    const json = JSON.parse(probe.stdout) as { format: { duration?: string }; streams: { codec_name: string }[] };
    assert.deepEqual(json.streams.map((s) => s.codec_name).sort(), ['flv1', 'mp3']);
    assert.ok(Math.abs(Number(json.format.duration) - clipSeconds) < 0.01, `onMetaData duration ${json.format.duration}`);

    const file = join(out, 'jellyfin.flv');
    const dump = await run('rtmpdump', ['-r', url, '-o', file, '-m', '20']);
    assert.equal(dump.code, 0, dump.stderr);
    assert.match(dump.stderr, /Download complete/);
    const got = await ffprobeJson(file);
    assert.ok(Math.abs(Number(got.format.duration) - clipSeconds) < 0.3, `downloaded ${got.format.duration} s of ${clipSeconds} s`);
    assert.ok(fake!.requests.some((r) => r.path.toLowerCase() === `/videos/${movie.id}/stream`.toLowerCase()), 'ffmpeg read the item from Jellyfin');
  });
});
