import { strict as assert } from 'node:assert';
import { decideStreamRange, deliveredLength, paddingAfter, paddingBytes, paddingLayout, requestedStart } from '../../../../adapters/tivo/range-policy.js';

describe('decideStreamRange', () => {
  const layout = { headerLength: 8192, declaredLength: 11_587_200, pad: false };
  it('streams from 0 without a Range or with bytes=0-', () => {
    assert.deepEqual(decideStreamRange(undefined, layout), { kind: 'stream', start: 0 });
    assert.deepEqual(decideStreamRange('bytes=0-', layout), { kind: 'stream', start: 0 });
  });
  it('resumes inside what will be delivered', () => {
    assert.deepEqual(decideStreamRange('bytes=1700000-', layout), { kind: 'stream', start: 1_700_000 });
  });
  it('answers the end at or past the delivered length once ffmpeg finished (transcript 21)', () => {
    // pyTivo delivered 11 436 032 bytes (header included) = 8192 + 11 427 840 output bytes.
    assert.deepEqual(decideStreamRange('bytes=11436032-', layout, 11_427_840), { kind: 'end' });
    assert.deepEqual(decideStreamRange('bytes=11436031-', layout, 11_427_840), { kind: 'stream', start: 11_436_031 });
  });
  it('answers the end at or past SourceSize while ffmpeg runs', () => {
    assert.deepEqual(decideStreamRange('bytes=11587200-', layout), { kind: 'end' });
    assert.deepEqual(decideStreamRange('bytes=99999999999-', layout), { kind: 'end' });
    assert.deepEqual(decideStreamRange('bytes=11587199-', layout), { kind: 'stream', start: 11_587_199 });
  });
  it('counts padding as delivered when padding is on', () => {
    const padded = { ...layout, pad: true };
    assert.deepEqual(decideStreamRange('bytes=11500000-', padded, 11_427_840), { kind: 'stream', start: 11_500_000 });
    assert.equal(deliveredLength(padded, 11_427_840), 11_587_200);
  });
  it('starts garbage and multi-range headers at 0', () => {
    assert.deepEqual(decideStreamRange('bytes=a-b', layout), { kind: 'stream', start: 0 });
    assert.deepEqual(decideStreamRange('bytes=10-20,30-40', layout), { kind: 'stream', start: 0 });
    assert.equal(requestedStart('bytes=-100', 1000), 900);
  });
});

describe('paddingLayout', () => {
  it('uses 2048-byte packets and a tail', () => {
    assert.deepEqual(paddingLayout(5000), [2048, 2048, 904]);
  });
  it('folds a tail under 6 bytes into the last packets', () => {
    const sizes = paddingLayout(4099);
    assert.equal(sizes.reduce((a, b) => a + b, 0), 4099);
    assert.ok(sizes.every((s) => s >= 6));
  });
  it('uses raw stuffing below one packet header', () => {
    assert.deepEqual(paddingLayout(3), [3]);
    assert.deepEqual(paddingLayout(0), []);
  });
});

describe('paddingBytes', () => {
  it('writes MPEG-PS padding packets that add up exactly', () => {
    const all = paddingBytes(5000, 0, 5000);
    assert.equal(all.length, 5000);
    assert.deepEqual([...all.subarray(0, 6)], [0, 0, 1, 0xbe, 0x07, 0xfa]);
    assert.deepEqual([...all.subarray(4096, 4102)], [0, 0, 1, 0xbe, (904 - 6) >> 8, (904 - 6) & 0xff]);
    assert.equal(all[6], 0xff);
  });
  it('gives the same bytes for any slice (resume is byte-exact)', () => {
    const all = paddingBytes(10_001, 0, 10_001);
    for (const [a, b] of [
      [0, 3],
      [2045, 2055],
      [4000, 10_001],
    ] as const) {
      assert.deepEqual(paddingBytes(10_001, a, b), all.subarray(a, b));
    }
  });
  it('tells how much padding follows the output', () => {
    const layout = { headerLength: 8192, declaredLength: 100_000, pad: true };
    assert.deepEqual(paddingAfter(layout, 80_000, 0), { total: 11_808, from: 0 });
    assert.deepEqual(paddingAfter(layout, 80_000, 95_000), { total: 11_808, from: 6808 });
    assert.equal(paddingAfter(layout, 95_000, 0), undefined);
    assert.equal(paddingAfter({ ...layout, pad: false }, 80_000, 0), undefined);
  });
});
