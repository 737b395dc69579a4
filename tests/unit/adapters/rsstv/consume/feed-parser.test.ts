import { strict as assert } from 'node:assert';
import { parseFeed } from '../../../../../adapters/rsstv/consume/feed-parser.js';
import { isSidecarError } from '../../../../../plugin/index.js';
import { fixtureBytes } from '../helpers.js';

const LIMITS = { maxBytes: 1024 * 1024, maxItems: 1000 };

function refused(bytes: Uint8Array, code: string, limits = LIMITS): void {
  assert.throws(
    () => parseFeed(bytes, limits),
    (e: unknown) => isSidecarError(e) && e.code === code,
  );
}

function itemXml(i: number): string {
  return `<item><title>S${i}</title><guid>g${i}</guid><rsstv:tvchannel>C61FOOD</rsstv:tvchannel><rsstv:tvstart>20261121200000</rsstv:tvstart><rsstv:tvstop>20261121203000</rsstv:tvstop></item>`;
}

function feedOf(items: string): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:rsstv="urn:jellybridge:rsstv:1"><channel><title>T</title>${items}</channel></rss>`, 'utf8');
}

describe('RSSTV feed parser', () => {
  describe('#parseFeed', () => {
    it('reads our own golden feed', () => {
      const feed = parseFeed(fixtureBytes('feed-golden.xml'), LIMITS);
      assert.equal(feed.title, 'Program My DVR');
      assert.equal(feed.items.length, 2);
      assert.deepEqual(feed.items[0], {
        guid: 'rsstv-a1',
        title: 'Good Eats – Pantry Raid',
        description: 'Suggested by Ann: "you will like this one"',
        author: 'Ann',
        channel: 'C61FOOD',
        callSign: 'FOOD',
        channelNumber: '61',
        start: '20261121200000 +0100',
        stop: '20261121203000 +0100',
        programId: 'prog-1',
      });
      assert.equal(feed.items[1]?.title, 'Late <script>alert(1)</script> & Co – Part ]]> two');
    });

    it('matches extension elements by local name in any namespace, with aliases', () => {
      const feed = parseFeed(fixtureBytes('variant-names.xml'), LIMITS);
      assert.deepEqual(
        feed.items.map((i) => [i.guid, i.channel, i.start, i.stop, i.duration, i.callSign]),
        [
          ['variant-1', 'C61FOOD', '20261121200000 +0100', '20261121203000 +0100', undefined, undefined],
          ['variant-2', 'C61FOOD.zap2it.com', '202611211900 +0000', undefined, '30', undefined],
          ['variant-3', '61 food', '20261121140000 -0500', '20261121143000 -0500', undefined, 'FOOD'],
        ],
      );
    });

    it('decodes character references once (no double decoding)', () => {
      const feed = parseFeed(feedOf('<item><title>A &amp;#65; &#66; &#x43; &lt;x&gt;</title><guid>e</guid></item>'), LIMITS);
      assert.equal(feed.items[0]?.title, 'A &#65; B C <x>');
    });

    it('refuses a DOCTYPE with an external entity (XXE)', () => refused(fixtureBytes('hostile-xxe.xml'), 'ERR_RSSTV_FEED_INVALID'));
    it('refuses entity expansion (billion laughs)', () => refused(fixtureBytes('hostile-billion-laughs.xml'), 'ERR_RSSTV_FEED_INVALID'));
    it('refuses malformed XML', () => refused(fixtureBytes('malformed.xml'), 'ERR_RSSTV_FEED_INVALID'));
    it('refuses a document that is not RSS', () => refused(fixtureBytes('not-rss.xml'), 'ERR_RSSTV_FEED_INVALID'));
    it('refuses invalid UTF-8', () => refused(Buffer.concat([feedOf('<item><title>x</title></item>').subarray(0, 60), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('</rss>')]), 'ERR_RSSTV_FEED_INVALID'));
    it('refuses a body over the size cap without parsing it', () => refused(Buffer.alloc(5 * 1024 * 1024, 0x20), 'ERR_RSSTV_FEED_TOO_LARGE'));

    it('caps 10 000 items to the item limit', () => {
      const feed = parseFeed(feedOf(Array.from({ length: 10_000 }, (_, i) => itemXml(i)).join('')), { maxBytes: 4 * 1024 * 1024, maxItems: 100 });
      assert.equal(feed.totalItems, 10_000);
      assert.equal(feed.items.length, 100);
      assert.equal(feed.items[99]?.guid, 'g99');
    });

    it('reads a declared ISO-8859-1 feed', () => {
      const latin = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Caf\xe9</title></channel></rss>', 'latin1');
      assert.equal(parseFeed(latin, LIMITS).title, 'Café');
    });

    it('keeps only the text of markup inside a description', () => {
      const feed = parseFeed(feedOf('<item><title>t</title><description>plain<b>bold</b></description></item>'), LIMITS);
      assert.equal(feed.items[0]?.description, 'plain');
    });
  });
});
