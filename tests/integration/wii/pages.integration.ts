/**
 * The Wii pages served by the real sidecar over the generated demo library (local folder:
 * movies, a series with a season, posters), and the player SWF and progressive-FLV debug path.
 */
import { strict as assert } from 'node:assert';
import { noTranscodesLeft, type Harness } from '../../support/adapter-harness.js';
import { hasBinary } from '../../support/media.js';
import { run } from './support/run.js';
import { rtmpPort, startWiiHarness } from './support/wii-harness.js';

const WII_UA = 'Opera/9.30 (Nintendo Wii; U; ; 3642; en)';

/** Every `href="/wii/…"` of a page, in order. */
const links = (html: string): string[] => [...html.matchAll(/href="(\/wii\/[^"]*)"/g)].map((m) => m[1] ?? '');

/** The path (without `/wii/`) an entry titled `title` links to. */
function entry(html: string, title: string): string {
  for (const m of html.matchAll(/<a class="entry" href="\/wii\/([^"]+)">(.*?)<\/a>/gs)) {
    if ((m[2] ?? '').includes(`<span class="t">${title}</span>`)) return m[1] ?? '';
  }
  throw new Error(`no entry "${title}" in the page`);
}

describe('Wii pages (integration: the real sidecar over the demo library)', function () {
  this.timeout(120_000);
  let harness: Harness;

  before(async function () {
    if (!(await hasBinary('ffmpeg')) || !(await hasBinary('ffprobe'))) this.skip(); // the demo library and transcodes need ffmpeg
    harness = await startWiiHarness({ source: 'demo' });
  });

  after(async () => {
    await harness?.stop();
  });

  const get = (path: string, headers: Record<string, string> = { 'user-agent': WII_UA }): Promise<Response> => fetch(`${harness.deviceBaseUrl}/wii/${path}`, { headers });
  const page = async (path: string): Promise<string> => {
    const res = await get(path);
    assert.equal(res.status, 200, path);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    return res.text();
  };

  it('browses libraries → series → season → episode → play page, laid out 800 px wide for the Wii', async () => {
    const home = await page('');
    assert.match(home, /width:768px/, 'fits the 800 px virtual screen with its padding');
    assert.doesNotMatch(home, /made for the Wii Internet Channel/, 'no desktop note for a Wii');
    assert.match(home, />Movies</);
    assert.match(home, />TV</);
    const library = await page(entry(home, 'TV'));
    assert.match(library, /Series/);
    const show = await page(entry(library, 'Demo Show'));
    const season = await page(entry(show, 'Season 1'));
    assert.match(season, /Pilot[\s\S]*Second Signal/, 'episodes in order');
    assert.match(season, /S1E1/);
    const episode = entry(season, 'Pilot');
    assert.match(episode, /^item\//);
    const item = await page(episode);
    assert.match(item, /<img class="poster" src="\/wii\/image\//, 'the episode poster');
    const poster = /<img class="poster" src="\/wii\/([^"]+)"/.exec(item)?.[1] ?? '';
    const image = await get(poster.replace(/&amp;/g, '&'));
    assert.equal(image.status, 200);
    assert.match(image.headers.get('content-type') ?? '', /^image\//);
    assert.ok((await image.arrayBuffer()).byteLength > 500);
    const play = links(item).find((l) => l.startsWith('/wii/play/'));
    assert.ok(play);
    const playPage = await page(play.slice('/wii/'.length));
    const id = play.slice('/wii/play/'.length);
    assert.match(playPage, new RegExp(`rtmp=rtmp%3A%2F%2F127\\.0\\.0\\.1%3A${rtmpPort(harness)}%2Fwii&amp;stream=${id}&amp;start=0&amp;dur=10(?:\\.\\d+)?`));
    assert.match(playPage, /<embed type="application\/x-shockwave-flash" src="\/wii\/player\.swf"/);
  });

  it('passes a start offset to the player, and to the FLV URL in progressive mode', async () => {
    const list = await page(entry(await page(''), 'Movies'));
    const id = entry(list, 'Colour Bars').slice('item/'.length);
    const html = await page(`play/${id}?start=12&mode=flv`);
    assert.match(html, /&amp;start=12&amp;dur=15(?:\.\d+)?&amp;buf=3&amp;flv=%2Fwii%2Fflv%2F[^&"]+%3Fstart%3D12/);
    const r = await run('ffprobe', ['-v', 'error', '-show_entries', 'packet=pts_time', '-read_intervals', '%+#1', '-of', 'csv=p=0', `${harness.deviceBaseUrl}/wii/flv/${id}?start=12`]);
    assert.equal(r.code, 0, r.stderr);
    const first = Number(r.stdout.trim().split('\n')[0]);
    assert.ok(Math.abs(first - 12) < 0.2, `the FLV starts at 12 s with absolute timestamps (${first})`);
  });

  it('serves the SWF as application/x-shockwave-flash with an ETag and answers 304 to it', async () => {
    const res = await get('player.swf');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/x-shockwave-flash');
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.toString('latin1', 0, 3), 'FWS');
    assert.equal(bytes[3], 8);
    const etag = res.headers.get('etag') ?? '';
    const again = await get('player.swf', { 'if-none-match': etag });
    assert.equal(again.status, 304);
  });

  it('answers 404 to an unknown item and adds a note for browsers that are not a Wii', async () => {
    assert.equal((await get('item/nope')).status, 404);
    const desktop = await (await get('', { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' })).text();
    assert.match(desktop, /made for the Wii Internet Channel/);
  });

  it('streams progressive FLV (flv1 + mp3) on the debug path and stops its ffmpeg when the download ends', async () => {
    const list = await page(entry(await page(''), 'Movies'));
    const id = entry(list, 'Colour Bars').slice('item/'.length);
    const r = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', `${harness.deviceBaseUrl}/wii/flv/${id}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), ['flv1', 'mp3']);
    await noTranscodesLeft(harness);
  });
});
