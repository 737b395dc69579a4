import { strict as assert } from 'node:assert';
import { classifyItem, itemKey } from '../../../../../adapters/rsstv/consume/feed-item.js';
import { parseFeed } from '../../../../../adapters/rsstv/consume/feed-parser.js';
import { fixtureBytes } from '../helpers.js';

const NOW = Date.parse('2026-11-21T09:30:00Z');
const LIMITS = { maxBytes: 1 << 20, maxItems: 100 };

describe('RSSTV feed items', () => {
  describe('#classifyItem', () => {
    it('turns every variant of the same airing into the same UTC interval and channel', () => {
      const [a, b, c] = parseFeed(fixtureBytes('variant-names.xml'), LIMITS).items.map((i) => classifyItem(i, NOW));
      for (const outcome of [a, b, c]) {
        assert.equal(outcome?.kind, 'airing');
        if (outcome?.kind !== 'airing') continue;
        assert.equal(outcome.airing.start, Date.parse('2026-11-21T19:00:00Z'));
        assert.equal(outcome.airing.stop, Date.parse('2026-11-21T19:30:00Z'));
        assert.equal(outcome.airing.channel.callSign, 'FOOD');
      }
    });

    it('rejects bad times and channels, and expires ended airings', () => {
      const outcomes = parseFeed(fixtureBytes('bad-items.xml'), LIMITS).items.map((i) => classifyItem(i, NOW));
      assert.deepEqual(
        outcomes.map((o) => [o.kind, o.kind === 'rejected' ? o.reason : '']),
        [
          ['rejected', 'stop is not after start'],
          ['rejected', 'airing is longer than the maximum duration'],
          ['rejected', 'bad start time "next tuesday"'],
          ['rejected', 'no usable channel (tvchannel/callsign)'],
          ['expired', ''],
          ['rejected', 'airing starts too far ahead'],
        ],
      );
    });

    it('uses the programme id only as a hint', () => {
      const item = parseFeed(fixtureBytes('feed-golden.xml'), LIMITS).items[0]!;
      const outcome = classifyItem(item, NOW);
      assert.ok(outcome.kind === 'airing' && outcome.airing.programIdHint === 'prog-1');
    });
  });

  describe('#itemKey', () => {
    it('is the guid when there is one', () => assert.equal(itemKey({ guid: 'g-1' }), 'g-1'));
    it('is a stable hash of the airing without a guid', () => {
      const item = { channel: 'C61FOOD', start: '20261121200000', stop: '20261121203000', title: 'x' };
      assert.equal(itemKey(item), itemKey({ ...item }));
      assert.notEqual(itemKey(item), itemKey({ ...item, start: '20261121203000' }));
      assert.match(itemKey(item), /^sha256:[0-9a-f]{32}$/);
    });
  });
});
