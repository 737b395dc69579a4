import { strict as assert } from 'node:assert';
import { estimateSize } from '../../../../adapters/tivo/size-estimate.js';

/**
 * Delivered sizes measured with Debian ffmpeg 5.1 using the adapter's own arguments (README
 * "Size estimate"): 10 s 640x360 clips, easy = testsrc2, hard = per-pixel noise; 6 s 320x240 noise.
 */
const AC3 = { kind: 'ac3', bitrateKbps: 448, sampleRate: 48000 } as const;
const cases = [
  { name: 'SD PS transcode, easy', seconds: 10, video: { kind: 'encode', bitrateKbps: 4096, bufferKbits: 512 }, container: 'ps', delivered: 5_746_688 },
  { name: 'SD PS transcode, hard', seconds: 10, video: { kind: 'encode', bitrateKbps: 4096, bufferKbits: 512 }, container: 'ps', delivered: 5_758_976 },
  { name: 'SD PS transcode, hard 6 s', seconds: 6, video: { kind: 'encode', bitrateKbps: 4096, bufferKbits: 512 }, container: 'ps', delivered: 3_457_024 },
  { name: 'HD PS transcode, easy', seconds: 10, video: { kind: 'encode', bitrateKbps: 12000, bufferKbits: 1500 }, container: 'ps', delivered: 15_708_160 },
  { name: 'HD PS transcode, hard', seconds: 10, video: { kind: 'encode', bitrateKbps: 12000, bufferKbits: 1500 }, container: 'ps', delivered: 15_847_424 },
  { name: 'TS remux (H.264 copied), easy', seconds: 10, video: { kind: 'copy', bitsPerSecond: 723_890, frameRate: 30 }, container: 'ts', delivered: 1_591_984 },
  { name: 'TS remux (H.264 copied), hard', seconds: 10, video: { kind: 'copy', bitsPerSecond: 21_891_032, frameRate: 30 }, container: 'ts', delivered: 28_626_948 },
] as const;

describe('estimateSize', () => {
  for (const c of cases) {
    it(`is at most 3 % over and never under the delivered size: ${c.name}`, () => {
      const e = estimateSize({ path: 'transcode', container: c.container, durationSeconds: c.seconds, headerBytes: 0, video: c.video, audio: AC3, outputFrameRate: 29.97 });
      assert.ok(e.total >= c.delivered, `${e.total} < ${c.delivered}`);
      assert.ok(e.total <= c.delivered * 1.03, `${e.total} > 1.03 × ${c.delivered} (${((e.total / c.delivered - 1) * 100).toFixed(2)} %)`);
    });
  }
  it('uses the exact file size plus the header for passthrough', () => {
    assert.equal(estimateSize({ path: 'copy', fileBytes: 5_363_712, headerBytes: 7168 }).total, 5_370_880);
  });
  it('is far below pyTivo for HD (pyTivo listed 42 921 600 for a 20 s clip it sent as 10.6 MB)', () => {
    const e = estimateSize({ path: 'transcode', container: 'ps', durationSeconds: 20, headerBytes: 8192, video: { kind: 'encode', bitrateKbps: 12000, bufferKbits: 1500 }, audio: AC3 });
    assert.ok(e.total < 42_921_600 * 0.8);
  });
  it('never returns NaN for a missing duration', () => {
    const e = estimateSize({ path: 'transcode', container: 'ps', durationSeconds: Number.NaN, headerBytes: 8192, video: { kind: 'none' }, audio: { kind: 'none' } });
    assert.ok(Number.isInteger(e.total) && e.total > 8192);
  });
});
