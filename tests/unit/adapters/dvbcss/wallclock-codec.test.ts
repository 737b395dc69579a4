import { strict as assert } from 'node:assert';
import {
  buildWcFollowUp,
  buildWcResponse,
  decodeMaxFreqError,
  decodeWcPacket,
  encodeMaxFreqError,
  encodePrecision,
  encodeWcPacket,
  isWcRequest,
  nsToTimevalue,
  timevalueToNs,
  WC_TYPE,
  type WcPacket,
} from '../../../../adapters/dvbcss/wallclock-codec.js';
import { readFixture } from './fixtures.js';

interface Vectors {
  pack: { name: string; packet: WcPacket; hex: string }[];
  unpack: { name: string; hex: string; type: number; precisionLog2: number; maxFreqError: number; maxFreqErrorPpm: number; originateNs: string; receiveNs: string; transmitNs: string }[];
  precision: { seconds: number; encoded: number }[];
  maxFreqError: { ppm: number; encoded: number }[];
  maxFreqErrorDecode: { encoded: number; ppm: number }[];
}

const vectors = readFixture('wc-vectors.json') as Vectors;
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function request(originateSeconds: number, originateNanos: number): Buffer {
  return encodeWcPacket({
    version: 0,
    type: WC_TYPE.request,
    precisionLog2: 0,
    maxFreqError: 0,
    originate: { seconds: originateSeconds, nanoseconds: originateNanos },
    receive: { seconds: 0, nanoseconds: 0 },
    transmit: { seconds: 0, nanoseconds: 0 },
  });
}

describe('wallclock-codec', () => {
  describe('#encodeWcPacket', () => {
    for (const v of vectors.pack) {
      it(`packs ${v.name}`, () => {
        assert.equal(encodeWcPacket(v.packet).toString('hex'), v.hex);
      });
    }
  });

  describe('#decodeWcPacket', () => {
    for (const v of vectors.unpack) {
      it(`unpacks ${v.name}`, () => {
        const p = decodeWcPacket(hex(v.hex));
        assert.ok(p);
        assert.equal(p.type, v.type);
        assert.equal(p.precisionLog2, v.precisionLog2);
        assert.equal(p.maxFreqError, v.maxFreqError);
        assert.equal(decodeMaxFreqError(p.maxFreqError), v.maxFreqErrorPpm);
        assert.equal(timevalueToNs(p.originate), BigInt(v.originateNs));
        assert.equal(timevalueToNs(p.receive), BigInt(v.receiveNs));
        assert.equal(timevalueToNs(p.transmit), BigInt(v.transmitNs));
      });
    }

    it('rejects datagrams that are not exactly 32 bytes', () => {
      assert.equal(decodeWcPacket(Buffer.alloc(16)), undefined);
      assert.equal(decodeWcPacket(Buffer.alloc(33)), undefined);
      assert.equal(decodeWcPacket(Buffer.alloc(0)), undefined);
    });

    it('rejects a version other than 0', () => {
      const b = Buffer.alloc(32);
      b[0] = 1;
      assert.equal(decodeWcPacket(b), undefined);
    });

    it('reads a packet inside a larger buffer at its offset', () => {
      const inner = hex(vectors.pack[0]!.hex);
      const big = Buffer.concat([Buffer.alloc(5, 0xff), inner]);
      const p = decodeWcPacket(big.subarray(5));
      assert.equal(p?.maxFreqError, 7680);
    });
  });

  describe('#isWcRequest', () => {
    it('accepts only 32-byte version-0 type-0 messages', () => {
      assert.equal(isWcRequest(request(1, 2)), true);
      const response = request(1, 2);
      response[1] = 1;
      assert.equal(isWcRequest(response), false);
      const v1 = request(1, 2);
      v1[0] = 1;
      assert.equal(isWcRequest(v1), false);
      assert.equal(isWcRequest(Buffer.alloc(16)), false);
      assert.equal(isWcRequest(Buffer.alloc(64)), false);
    });
  });

  describe('#buildWcResponse', () => {
    it('echoes the originate bytes verbatim, even with nanoseconds ≥ 1e9', () => {
      const req = request(0xaabbccdd, 0xeeff1122);
      const res = buildWcResponse(req, WC_TYPE.response, 5, 12160, 2000n, 3000n);
      assert.equal(res.toString('hex'), vectors.pack[1]!.hex);
    });

    it('splits receive and transmit nanoseconds into seconds and nanoseconds', () => {
      const res = buildWcResponse(request(1, 500_000_000), WC_TYPE.response, -21, 128000, 492_513_583_030n, 492_513_680_556n);
      assert.equal(res.toString('hex'), vectors.unpack[1]!.hex);
    });

    it('writes version 0 and reserved byte 0 whatever the request carried', () => {
      const req = request(1, 2);
      req[3] = 0x55;
      req[2] = 0x7f;
      const res = buildWcResponse(req, WC_TYPE.responseWithFollowUp, -20, 128000, 1n, 2n);
      assert.equal(res[0], 0);
      assert.equal(res[1], 2);
      assert.equal(res.readInt8(2), -20);
      assert.equal(res[3], 0);
    });
  });

  describe('#buildWcFollowUp', () => {
    it('keeps t2 and the originate field and replaces type and t3', () => {
      const res = buildWcResponse(request(7, 8), WC_TYPE.responseWithFollowUp, -20, 128000, 5_000_000_001n, 5_000_000_002n);
      const follow = decodeWcPacket(buildWcFollowUp(res, 6_000_000_003n));
      assert.ok(follow);
      assert.equal(follow.type, WC_TYPE.followUp);
      assert.equal(timevalueToNs(follow.receive), 5_000_000_001n);
      assert.equal(timevalueToNs(follow.transmit), 6_000_000_003n);
      assert.deepEqual(follow.originate, { seconds: 7, nanoseconds: 8 });
      assert.equal(decodeWcPacket(res)?.type, WC_TYPE.responseWithFollowUp);
    });
  });

  describe('#encodePrecision', () => {
    for (const v of vectors.precision) {
      it(`encodes ${v.seconds} s as ${v.encoded}`, () => assert.equal(encodePrecision(v.seconds), v.encoded));
    }
  });

  describe('#encodeMaxFreqError', () => {
    for (const v of vectors.maxFreqError) {
      it(`encodes ${v.ppm} ppm as ${v.encoded}`, () => assert.equal(encodeMaxFreqError(v.ppm), v.encoded));
    }
    for (const v of vectors.maxFreqErrorDecode) {
      it(`decodes ${v.encoded} as ${v.ppm} ppm`, () => assert.equal(decodeMaxFreqError(v.encoded), v.ppm));
    }
  });

  describe('#nsToTimevalue', () => {
    it('round-trips through timevalueToNs', () => {
      for (const ns of [0n, 999_999_999n, 1_000_000_000n, 123_456_789_012_345n]) assert.equal(timevalueToNs(nsToTimevalue(ns)), ns);
    });
  });
});
