import { strict as assert } from 'node:assert';
import { FlvTagReader, flvHeader, flvTag, isKeyframe, type FlvTag } from '../../../../../adapters/wii/flv/flv-reader.js';
import { SidecarError } from '../../../../../plugin/index.js';

describe('FlvTagReader', () => {
  describe('#push', () => {
    const tags: FlvTag[] = [
      { type: 18, timestamp: 0, data: Buffer.from('meta') },
      { type: 9, timestamp: 60_000, data: Buffer.from([0x12, 1, 2, 3]) },
      { type: 8, timestamp: 60_026, data: Buffer.from([0x2f, 9]) },
      { type: 9, timestamp: 0x1_000_000 + 5, data: Buffer.from([0x22, 4]) },
    ];
    const file = Buffer.concat([flvHeader(true, true), ...tags.map(flvTag)]);

    it('parses tags split at every byte boundary, 32-bit timestamps included', () => {
      for (const step of [1, 7, 13, file.length]) {
        const reader = new FlvTagReader();
        const got: FlvTag[] = [];
        for (let i = 0; i < file.length; i += step) got.push(...reader.push(file.subarray(i, i + step)));
        assert.deepEqual(got, tags);
        assert.equal(reader.buffered, 0);
      }
    });

    it('flags keyframes by frame type 1', () => {
      assert.deepEqual(tags.map(isKeyframe), [false, true, false, false]);
    });

    it('refuses input without the FLV signature', () => {
      assert.throws(() => new FlvTagReader().push(Buffer.from('GIF89a-not-an-flv')), (e: unknown) => e instanceof SidecarError && e.code === 'ERR_WII_FLV_INVALID');
    });
  });
});
