import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { SegmentListParser, parseListLine } from '../../../../adapters/camera/segment-list.js';

describe('SegmentListParser', () => {
  describe('#push', () => {
    it('returns complete lines only and keeps the tail for the next chunk', () => {
      const p = new SegmentListParser();
      deepStrictEqual(p.push('20261103-140000.mp4,0.000000,4.7'), []);
      deepStrictEqual(p.push('20000\n20261103-140005.mp4,4.720000,'), [{ name: '20261103-140000.mp4', startSeconds: 0, endSeconds: 4.72 }]);
      deepStrictEqual(p.push('10.9\r\n'), [{ name: '20261103-140005.mp4', startSeconds: 4.72, endSeconds: 10.9 }]);
    });
  });

  describe('#parseListLine', () => {
    it('unquotes a quoted name and strips folders', () => {
      deepStrictEqual(parseListLine('"/x/a,""b"".mp4",1,2'), { name: 'a,"b".mp4', startSeconds: 1, endSeconds: 2 });
    });

    it('rejects garbage', () => {
      strictEqual(parseListLine('nonsense'), undefined);
      strictEqual(parseListLine('a.mp4,x,2'), undefined);
    });
  });
});
