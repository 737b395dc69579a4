import { strict as assert } from 'node:assert';
import { Pacer } from '../../../../../adapters/wii/rtmp/pacer.js';

describe('Pacer', () => {
  describe('#delayFor', () => {
    it('lets media go up to buffer + slack ahead of the playhead, starting with the first tag', () => {
      const p = new Pacer({ slackMs: 1000, maxLeadMs: 30_000 });
      p.bufferMs = 1000;
      p.restart(60_000);
      assert.equal(p.delayFor(60_000, 5000), 0);
      assert.equal(p.delayFor(62_000, 5000), 0);
      assert.equal(p.delayFor(62_500, 5000), 500);
      assert.equal(p.delayFor(62_500, 5500), 0);
    });

    it('caps the lead for clients asking for a huge buffer (rtmpdump: 10 h)', () => {
      const p = new Pacer({ slackMs: 1000, maxLeadMs: 30_000 });
      p.bufferMs = 36_000_000;
      p.restart(0);
      assert.equal(p.delayFor(40_000, 0), 9000);
    });

    it('holds everything while paused and resumes at the frozen position', () => {
      const p = new Pacer({ slackMs: 0, maxLeadMs: 30_000 });
      p.bufferMs = 1000;
      p.restart(0);
      p.delayFor(0, 1000);
      p.pause(4000);
      assert.equal(p.delayFor(3000, 100_000), Number.POSITIVE_INFINITY);
      p.resume(100_000);
      assert.equal(p.position(100_000), 3000);
      assert.equal(p.delayFor(4000, 100_000), 0);
      assert.equal(p.delayFor(4500, 100_000), 500);
    });
  });
});
