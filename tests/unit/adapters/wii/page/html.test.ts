import { strict as assert } from 'node:assert';
import { escapeHtml } from '../../../../../plugin/util/html.js';
import { flashVars, formatClock, formatRuntime, isWiiUserAgent, itemPage, playerEmbed, startOffsets } from '../../../../../adapters/wii/page/html.js';
import type { MediaItem } from '../../../../../plugin/index.js';

const item: MediaItem = {
  kind: 'item',
  id: 'abc',
  parentId: 'lib',
  title: 'Tom & Jerry <1>',
  sortTitle: 'Tom',
  dateCreated: '2026-01-01T00:00:00Z',
  type: 'movie',
  overview: 'A cat and a mouse.',
  productionYear: 1950,
  genres: [],
  people: [],
  studios: [],
  durationSeconds: 5400,
  playable: true,
  providerIds: {},
};

describe('Wii pages', () => {
  describe('isWiiUserAgent', () => {
    it('recognises the Internet Channel and nothing else', () => {
      assert.equal(isWiiUserAgent('Opera/9.30 (Nintendo Wii; U; ; 3642; en)'), true);
      assert.equal(isWiiUserAgent('Opera/9.10 (Nintendo Wii; U; ; 1621; en)'), true);
      assert.equal(isWiiUserAgent('Mozilla/5.0 (X11; Linux x86_64)'), false);
      assert.equal(isWiiUserAgent(undefined), false);
    });
  });

  describe('formatting', () => {
    it('formats runtimes and clock times', () => {
      assert.equal(formatRuntime(5400), '1 h 30 min');
      assert.equal(formatRuntime(95), '2 min');
      assert.equal(formatRuntime(undefined), '');
      assert.equal(formatClock(3725), '1:02:05');
      assert.equal(formatClock(65), '1:05');
    });

    it('offers start points every 10 minutes for long items only', () => {
      assert.deepEqual(startOffsets(600), []);
      assert.deepEqual(startOffsets(2000), [600, 1200, 1800]);
    });

    it('escapes HTML', () => {
      assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    });
  });

  describe('itemPage', () => {
    it('shows the escaped title, runtime, overview and a Play link', () => {
      const html = itemPage(item, { base: '/wii/', wii: true });
      assert.match(html, /Tom &amp; Jerry &lt;1&gt;/);
      assert.match(html, /1950 · 1 h 30 min/);
      assert.match(html, /A cat and a mouse\./);
      assert.match(html, /<a class="play" href="\/wii\/play\/abc">Play<\/a>/);
      assert.match(html, /href="\/wii\/play\/abc\?start=600"/);
      assert.match(html, /width:768px/);
    });
  });

  describe('playerEmbed', () => {
    it('passes URL-encoded FlashVars to both <object> and <embed>', () => {
      const params = { swfUrl: '/wii/player.swf', rtmpUrl: 'rtmp://10.0.0.2:1935/wii', stream: 'a b', startSeconds: 60, durationSeconds: 5400, bufferSeconds: 3, width: 640, height: 400 };
      assert.equal(flashVars(params), 'rtmp=rtmp%3A%2F%2F10.0.0.2%3A1935%2Fwii&stream=a%20b&start=60&dur=5400&buf=3');
      const html = playerEmbed(params);
      assert.match(html, /<param name="flashvars" value="rtmp=rtmp%3A%2F%2F10\.0\.0\.2%3A1935%2Fwii&amp;stream=a%20b/);
      assert.match(html, /<embed type="application\/x-shockwave-flash" src="\/wii\/player\.swf"/);
    });
  });
});
