import { strict as assert } from 'node:assert';
import { hasBinary, makeClip } from '../../support/media.js';
import { startWiiTestContext, type WiiTestContext } from './support/wii-test-context.js';
import { run } from './support/run.js';

const WII_UA = 'Opera/9.30 (Nintendo Wii; U; ; 3642; en)';

describe('Wii pages (integration)', function () {
  this.timeout(60_000);
  let ctx: WiiTestContext;

  before(async function () {
    if (!(await hasBinary('ffmpeg'))) this.skip();
    const clip = await makeClip({ duration: 4, width: 320, height: 240 });
    ctx = await startWiiTestContext([{ id: 'clip1', title: 'Clip one', path: clip }]);
  });

  afterEach(() => {
    ctx.verdict = 'allowed';
  });

  after(async () => {
    await ctx?.stop();
  });

  const get = (path: string, headers: Record<string, string> = { 'user-agent': WII_UA }): Promise<Response> => fetch(ctx.httpBase + path, { headers });

  it('lists the libraries, the folder and the item for a Wii user agent', async () => {
    const home = await get('');
    assert.equal(home.status, 200);
    assert.match(home.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await home.text(), /href="\/wii\/browse\/lib"/);
    const folder = await (await get('browse/lib')).text();
    assert.match(folder, /href="\/wii\/item\/clip1"/);
    assert.match(folder, /Clip one/);
    const item = await (await get('item/clip1')).text();
    assert.match(item, /href="\/wii\/play\/clip1"/);
  });

  it('embeds the player with the RTMP URL, stream, start and duration as FlashVars', async () => {
    const html = await (await get('play/clip1?start=2')).text();
    assert.match(html, new RegExp(`rtmp=rtmp%3A%2F%2F127\\.0\\.0\\.1%3A${ctx.rtmpPort()}%2Fwii&amp;stream=clip1&amp;start=2&amp;dur=4`));
    assert.match(html, /src="\/wii\/player\.swf"/);
  });

  it('serves the SWF as application/x-shockwave-flash with an ETag and answers 304 to it', async () => {
    const res = await get('player.swf');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/x-shockwave-flash');
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.toString('latin1', 0, 3), 'FWS');
    const etag = res.headers.get('etag')!;
    const again = await get('player.swf', { 'if-none-match': etag });
    assert.equal(again.status, 304);
  });

  it('answers 403 to a held device and 404 to an unknown item', async () => {
    ctx.verdict = 'held';
    assert.equal((await get('')).status, 403);
    ctx.verdict = 'allowed';
    assert.equal((await get('item/nope')).status, 404);
  });

  it('streams progressive FLV on the debug path (flv1 + mp3) for the Ruffle test', async () => {
    const r = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', `${ctx.httpBase}flv/clip1`]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), ['flv1', 'mp3']);
  });
});
