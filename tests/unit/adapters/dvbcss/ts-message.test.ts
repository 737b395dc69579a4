import { strict as assert } from 'node:assert';
import { parseControlTimestamp, parseTsClientMessage, serialiseControlTimestamp, serialiseSetupData } from '../../../../adapters/dvbcss/ts-message.js';
import { readFixture } from './fixtures.js';

interface Vectors {
  controlTimestamps: { name: string; json: string; contentTime: string | null; wallClockTime: string; speed: number | null }[];
  setupData: { valid: string[]; invalid: string[] };
  aptEptLpt: { valid: string[]; invalid: string[] };
}
const vectors = readFixture('ts-vectors.json') as Vectors;

describe('ts-message', () => {
  describe('#serialiseControlTimestamp', () => {
    for (const v of vectors.controlTimestamps) {
      it(`formats ${v.name} exactly`, () => {
        const ct = { contentTime: v.contentTime === null ? null : BigInt(v.contentTime), wallClockTime: BigInt(v.wallClockTime), timelineSpeedMultiplier: v.speed };
        assert.equal(serialiseControlTimestamp(ct), v.json);
      });
    }

    it('keeps values past 2^53 exact', () => {
      const big = 2n ** 53n + 1n;
      assert.equal(serialiseControlTimestamp({ contentTime: big, wallClockTime: big * 3n, timelineSpeedMultiplier: 1 }), `{"contentTime":"9007199254740993","wallClockTime":"27021597764222979","timelineSpeedMultiplier":1}`);
    });
  });

  describe('#parseControlTimestamp', () => {
    for (const v of vectors.controlTimestamps) {
      it(`parses ${v.name} without losing digits`, () => {
        const ct = parseControlTimestamp(v.json);
        assert.equal(ct.contentTime, v.contentTime === null ? null : BigInt(v.contentTime));
        assert.equal(ct.wallClockTime, BigInt(v.wallClockTime));
        assert.equal(ct.timelineSpeedMultiplier, v.speed);
      });
    }

    it('rejects a contentTime sent as a number', () => {
      assert.throws(() => parseControlTimestamp('{"contentTime":5,"wallClockTime":"1","timelineSpeedMultiplier":1}'), TypeError);
    });
  });

  describe('#parseTsClientMessage', () => {
    for (const text of vectors.setupData.valid) {
      it(`accepts SetupData ${text}`, () => {
        const m = parseTsClientMessage(text, true);
        assert.equal(m.kind, 'setup');
        if (m.kind === 'setup') assert.equal(serialiseSetupData(m.setup), text);
      });
    }

    it('keeps a stem with ?&!=%20 verbatim', () => {
      const m = parseTsClientMessage(vectors.setupData.valid[1]!, true);
      assert.equal(m.kind === 'setup' ? m.setup.contentIdStem : undefined, 'http://x/?a=b&c!=%20');
    });

    for (const text of vectors.setupData.invalid) {
      it(`ignores the invalid first message ${text}`, () => assert.equal(parseTsClientMessage(text, true).kind, 'invalid'));
    }

    for (const text of vectors.aptEptLpt.valid) {
      it(`accepts AptEptLpt ${text.slice(0, 60)}…`, () => assert.equal(parseTsClientMessage(text, false).kind, 'apt-ept-lpt'));
    }

    it('reads the infinities of AptEptLpt', () => {
      const m = parseTsClientMessage(vectors.aptEptLpt.valid[0]!, false);
      assert.ok(m.kind === 'apt-ept-lpt');
      assert.equal(m.timestamps.earliest.wallClockTime, 'minusinfinity');
      assert.equal(m.timestamps.latest.wallClockTime, 'plusinfinity');
      assert.equal(m.timestamps.actual, undefined);
    });

    for (const text of vectors.aptEptLpt.invalid) {
      it(`rejects the AptEptLpt ${text.slice(0, 60)}…`, () => assert.equal(parseTsClientMessage(text, false).kind, 'invalid'));
    }

    it('does not take a second SetupData after setup', () => {
      assert.equal(parseTsClientMessage(vectors.setupData.valid[0]!, false).kind, 'invalid');
    });
  });
});
