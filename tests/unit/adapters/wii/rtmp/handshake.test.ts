import { strict as assert } from 'node:assert';
import { HANDSHAKE_SIZE, buildClientC1, buildServerHandshake, checkC0, digestOffset, findClientDigest, verifyServerHandshake } from '../../../../../adapters/wii/rtmp/handshake.js';

const random = (seed: number, n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 0xff));

describe('RTMP handshake', () => {
  describe('checkC0', () => {
    it('accepts 3, flags RTMPE 6/8 and refuses anything else (an HTTP "G")', () => {
      assert.deepEqual([3, 6, 8, 0x47, 0xff].map(checkC0), ['ok', 'encrypted', 'encrypted', 'invalid', 'invalid']);
    });
  });

  describe('digestOffset', () => {
    it('sums the four bytes at the scheme base, modulo 728, plus base + 4', () => {
      const p = Buffer.alloc(HANDSHAKE_SIZE);
      p.set([200, 200, 200, 200], 8);
      assert.equal(digestOffset(p, 8), (800 % 728) + 12);
      p.set([1, 2, 3, 4], 772);
      assert.equal(digestOffset(p, 772), 10 + 776);
    });
  });

  describe('buildServerHandshake', () => {
    it('echoes C1 as S2 for a librtmp (zero version) C1', () => {
      const c1 = buildClientC1(random(1, HANDSHAKE_SIZE), 'simple');
      const hs = buildServerHandshake(c1, random(2, 2 * HANDSHAKE_SIZE), 1234);
      assert.equal(hs.kind, 'simple');
      assert.equal(hs.response.length, 1 + 2 * HANDSHAKE_SIZE);
      assert.equal(hs.response[0], 3);
      assert.equal(hs.response.readUInt32BE(1), 1234);
      assert.equal(hs.response.readUInt32BE(5), 0);
      assert.deepEqual(hs.response.subarray(1 + HANDSHAKE_SIZE), c1);
    });

    it('answers an ffmpeg-style digest C1 with S1/S2 digests the client accepts', () => {
      const c1 = buildClientC1(random(3, HANDSHAKE_SIZE), 'digest');
      assert.equal(findClientDigest(c1)?.base, 8);
      const hs = buildServerHandshake(c1, random(4, 2 * HANDSHAKE_SIZE));
      assert.equal(hs.kind, 'digest');
      const s1 = hs.response.subarray(1, 1 + HANDSHAKE_SIZE);
      const s2 = hs.response.subarray(1 + HANDSHAKE_SIZE);
      assert.ok(s1[4]! >= 3, 'ffmpeg validates only when the version byte is >= 3');
      assert.ok(verifyServerHandshake(c1, s1, s2));
      const tampered = Buffer.from(s2);
      tampered[10]! ^= 1;
      assert.equal(verifyServerHandshake(c1, s1, tampered), false);
    });

    it('falls back to the simple answer when a non-zero version C1 has no valid digest', () => {
      const c1 = random(5, HANDSHAKE_SIZE);
      c1.writeUInt32BE(0x09007c02, 4);
      assert.equal(buildServerHandshake(c1, random(6, 2 * HANDSHAKE_SIZE)).kind, 'simple');
    });
  });
});
