import { deepStrictEqual, strictEqual, throws } from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Fmp4Stream, MAX_BOX_BYTES, codecsOf, nextBox } from '../../../../adapters/camera/fmp4-stream.js';
import { fixturePath } from '../../../support/paths.js';

/** A box: 32-bit size, type, payload. */
function box(type: string, payload: string | Buffer = ''): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

/** The init segment ffmpeg 5.1 writes for 160x120 H.264 Constrained Baseline level 3.0 (`ftyp` + `moov`). */
const INIT = readFileSync(fixturePath('camera', 'h264-baseline-init.mp4'));

describe('Fmp4Stream', () => {
  describe('#push', () => {
    it('yields the init segment at the first moof, then each moof+mdat as one fragment', () => {
      const s = new Fmp4Stream();
      const moof1 = box('moof', 'a');
      const mdat1 = box('mdat', 'frames-1');
      const events = s.push(Buffer.concat([INIT, moof1, mdat1]));
      deepStrictEqual(events, [
        { kind: 'init', bytes: INIT, codecs: 'avc1.42C01E' },
        { kind: 'fragment', bytes: Buffer.concat([moof1, mdat1]) },
      ]);
    });

    it('waits for whole boxes across arbitrary chunk boundaries', () => {
      const stream = Buffer.concat([box('ftyp', 'iso5'), box('moov', 'm'), box('moof', '1'), box('mdat', 'x'.repeat(100)), box('moof', '2'), box('mdat', 'y')]);
      const s = new Fmp4Stream();
      const kinds: string[] = [];
      const fragments: Buffer[] = [];
      for (let at = 0; at < stream.length; at += 7) {
        for (const e of s.push(stream.subarray(at, at + 7))) {
          kinds.push(e.kind);
          if (e.kind === 'fragment') fragments.push(e.bytes);
        }
      }
      deepStrictEqual(kinds, ['init', 'fragment', 'fragment']);
      deepStrictEqual(fragments[1], Buffer.concat([box('moof', '2'), box('mdat', 'y')]));
    });

    it('drops the trailing mfra index and boxes outside a fragment', () => {
      const s = new Fmp4Stream();
      s.push(Buffer.concat([box('ftyp'), box('moov'), box('moof'), box('mdat')]));
      deepStrictEqual(s.push(box('mfra', 'index')), []);
    });

    it('reads 64-bit box sizes', () => {
      const large = Buffer.alloc(20);
      large.writeUInt32BE(1, 0);
      large.write('mdat', 4, 'latin1');
      large.writeBigUInt64BE(20n, 8);
      const s = new Fmp4Stream();
      const events = s.push(Buffer.concat([box('ftyp'), box('moov'), box('moof'), large]));
      strictEqual(events[1]?.kind, 'fragment');
      strictEqual(events[1]?.bytes.length, 28);
    });
  });
});

describe('nextBox', () => {
  it('needs 8 bytes and the whole box', () => {
    strictEqual(nextBox(Buffer.from([0, 0, 0])), undefined);
    strictEqual(nextBox(box('mdat', 'abc').subarray(0, 10)), undefined);
    deepStrictEqual(nextBox(box('mdat', 'abc'))?.size, 11);
  });

  it('rejects sizes that cannot be a fragmented stream', () => {
    const zero = box('mdat');
    zero.writeUInt32BE(0, 0);
    throws(() => nextBox(zero), /end of the stream/);
    const tiny = box('moov');
    tiny.writeUInt32BE(4, 0);
    throws(() => nextBox(tiny), /declares 4 bytes/);
    const huge = box('mdat');
    huge.writeUInt32BE(MAX_BOX_BYTES + 1, 0);
    throws(() => nextBox(huge), /too large/);
  });
});

describe('codecsOf', () => {
  it('reads profile, constraints and level from the avcC record', () => {
    strictEqual(codecsOf(INIT), 'avc1.42C01E');
  });

  it('answers undefined without an avcC record (HEVC, MJPEG)', () => {
    strictEqual(codecsOf(Buffer.concat([box('ftyp'), box('moov', box('hvcC', Buffer.alloc(30)))])), undefined);
  });
});
