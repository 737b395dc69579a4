import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import {
  alignmentPositions,
  dataCodewords,
  encodeQr,
  formatBits,
  gfMultiply,
  penaltyScore,
  QrDataTooLongError,
  qrToSvg,
  reedSolomonDivisor,
  reedSolomonRemainder,
  type QrCode,
  type QrErrorCorrection,
} from '../../../../../adapters/dvbcss/page/qr-code.js';

interface GoldenCase {
  readonly text: string;
  readonly level: QrErrorCorrection;
  readonly minVersion: number;
  readonly rows: readonly string[];
}

const golden = JSON.parse(readFileSync(new URL('../../../../fixtures/dvbcss/qr/qrencode-golden.json', import.meta.url), 'utf8')) as { cases: GoldenCase[] };

const scoreOf = (code: QrCode): number => penaltyScore({ size: code.size, get: (x, y) => code.modules[y]?.[x] === true });

const rowsOf = (code: QrCode): string[] => code.modules.map((row) => row.map((d) => (d ? '#' : '.')).join(''));

/** The mask a symbol uses, read back from its first format-information copy. */
function maskOf(rows: readonly string[]): number {
  const at = (x: number, y: number): number => (rows[y]?.[x] === '#' ? 1 : 0);
  const positions: [number, number][] = [];
  for (let i = 0; i <= 5; i++) positions.push([8, i]);
  positions.push([8, 7], [8, 8], [7, 8]);
  for (let i = 9; i < 15; i++) positions.push([14 - i, 8]);
  let bits = 0;
  positions.forEach(([x, y], i) => (bits |= at(x, y) << i));
  return ((bits ^ 0x5412) >>> 10) & 7;
}

describe('qr-code', () => {
  describe('#encodeQr', () => {
    for (const c of golden.cases) {
      it(`matches qrencode module for module: ${c.level}, version ≥ ${c.minVersion}, ${c.text.length} chars`, () => {
        const code = encodeQr(c.text, { errorCorrection: c.level, minVersion: c.minVersion, mask: maskOf(c.rows) });
        assert.equal(code.size, c.rows.length);
        assert.deepEqual(rowsOf(code), c.rows);
      });
    }

    it('picks the mask with the lowest penalty score, and writes it in the format bits', () => {
      // libqrencode weighs the penalty rules a little differently (it agrees on 6 of these 10
      // symbols); every mask decodes, the score only spreads dark and light modules evenly.
      for (const c of golden.cases.slice(0, 5)) {
        const options = { errorCorrection: c.level, minVersion: c.minVersion };
        const code = encodeQr(c.text, options);
        assert.equal(code.mask, maskOf(rowsOf(code)));
        const scores = [0, 1, 2, 3, 4, 5, 6, 7].map((mask) => scoreOf(encodeQr(c.text, { ...options, mask })));
        assert.equal(scores[code.mask], Math.min(...scores));
      }
    });

    it('chooses the smallest version that holds the text', () => {
      assert.equal(encodeQr('x'.repeat(14), { errorCorrection: 'M' }).version, 1);
      assert.equal(encodeQr('x'.repeat(15), { errorCorrection: 'M' }).version, 2);
      assert.equal(encodeQr('http://192.168.1.20:8096/dvbcss/').version, 3);
    });

    it('throws QrDataTooLongError past version 40', () => {
      assert.throws(() => encodeQr('x'.repeat(2954), { errorCorrection: 'L' }), QrDataTooLongError);
      assert.equal(encodeQr('x'.repeat(2953), { errorCorrection: 'L' }).version, 40);
    });
  });

  describe('tables', () => {
    it('gives the standard data capacities', () => {
      assert.equal(dataCodewords(1, 'L'), 19);
      assert.equal(dataCodewords(1, 'H'), 9);
      assert.equal(dataCodewords(10, 'M'), 216);
      assert.equal(dataCodewords(40, 'L'), 2956);
      assert.equal(dataCodewords(40, 'H'), 1276);
    });

    it('gives the standard alignment pattern centres', () => {
      assert.deepEqual(alignmentPositions(1), []);
      assert.deepEqual(alignmentPositions(2), [6, 18]);
      assert.deepEqual(alignmentPositions(7), [6, 22, 38]);
      assert.deepEqual(alignmentPositions(32), [6, 34, 60, 86, 112, 138]);
      assert.deepEqual(alignmentPositions(40), [6, 30, 58, 86, 114, 142, 170]);
    });

    it('computes format bits as in the standard (M, mask 5 → 100000011001110)', () => {
      assert.equal(formatBits('M', 5), 0b100000011001110);
      assert.equal(formatBits('L', 0), 0b111011111000100);
    });
  });

  describe('Reed-Solomon', () => {
    it('multiplies in GF(256) modulo 0x11D', () => {
      assert.equal(gfMultiply(0x02, 0x80), 0x1d);
      assert.equal(gfMultiply(0x53, 0x01), 0x53);
    });

    it('computes the error-correction codewords of the standard\'s 1-M example (01234567)', () => {
      const data = [0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11];
      assert.deepEqual(reedSolomonRemainder(data, reedSolomonDivisor(10)), [0xa5, 0x24, 0xd4, 0xc1, 0xed, 0x36, 0xc7, 0x87, 0x2c, 0x55]);
    });
  });

  describe('#qrToSvg', () => {
    it('draws one unit square per dark module inside a 4-module quiet zone', () => {
      const code = encodeQr('HI', { errorCorrection: 'L' });
      const svg = qrToSvg(code, { moduleSize: 2 });
      const dark = code.modules.flat().filter(Boolean).length;
      assert.equal((svg.match(/h1v1h-1z/g) ?? []).length, dark);
      assert.match(svg, /viewBox="0 0 29 29" width="58" height="58"/);
      assert.match(svg, /<path d="M4,4h1v1h-1z/);
    });
  });
});
