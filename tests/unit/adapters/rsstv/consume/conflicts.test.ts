import { strict as assert } from 'node:assert';
import { checkConflict, paddedInterval, peakConcurrency } from '../../../../../adapters/rsstv/consume/conflicts.js';
import type { Timer } from '../../../../../plugin/index.js';

const T = Date.parse('2026-11-21T19:00:00Z');
const MIN = 60_000;

function timer(id: string, startMin: number, endMin: number, pre = 0, post = 0, status: Timer['status'] = 'new'): Timer {
  return {
    id,
    channelId: 'c',
    name: id,
    start: new Date(T + startMin * MIN).toISOString(),
    end: new Date(T + endMin * MIN).toISOString(),
    prePaddingSeconds: pre,
    postPaddingSeconds: post,
    status,
  };
}

describe('tuner conflicts', () => {
  describe('#checkConflict', () => {
    it('finds no conflict in a free slot', () => assert.equal(checkConflict(paddedInterval(T, T + 30 * MIN, 60, 300), [timer('x', 60, 90)], 1).conflict, false));

    it('conflicts with an overlapping timer on one tuner', () => {
      const check = checkConflict(paddedInterval(T, T + 30 * MIN, 0, 0), [timer('x', 15, 45)], 1);
      assert.equal(check.conflict, true);
      assert.deepEqual(
        check.overlapping.map((t) => t.id),
        ['x'],
      );
    });

    it('counts padding: back-to-back programmes conflict through padding, not without it', () => {
      // Existing timer 18:30–19:00 with 5 min post-padding; candidate 19:00–19:30.
      assert.equal(checkConflict(paddedInterval(T, T + 30 * MIN, 0, 0), [timer('x', -30, 0, 0, 300)], 1).conflict, true);
      assert.equal(checkConflict(paddedInterval(T, T + 30 * MIN, 60, 0), [timer('x', -30, 0)], 1).conflict, true);
      assert.equal(checkConflict(paddedInterval(T, T + 30 * MIN, 0, 0), [timer('x', -30, 0)], 1).conflict, false);
    });

    it('uses every tuner before conflicting', () => {
      const timers = [timer('a', 0, 30), timer('b', 0, 30)];
      assert.equal(checkConflict(paddedInterval(T, T + 30 * MIN, 0, 0), timers, 3).conflict, false);
      assert.equal(checkConflict(paddedInterval(T, T + 30 * MIN, 0, 0), timers, 2).conflict, true);
    });

    it('looks at simultaneous use, not at the number of overlapping timers', () => {
      // a covers the first half and b the second: never two at once.
      const timers = [timer('a', 0, 15), timer('b', 15, 30)];
      const check = checkConflict(paddedInterval(T, T + 30 * MIN, 0, 0), timers, 2);
      assert.equal(check.overlapping.length, 2);
      assert.equal(check.peak, 1);
      assert.equal(check.conflict, false);
    });

    it('ignores cancelled, completed and failed timers', () => {
      const timers = [timer('a', 0, 30, 0, 0, 'cancelled'), timer('b', 0, 30, 0, 0, 'completed'), timer('c', 0, 30, 0, 0, 'error')];
      assert.equal(checkConflict(paddedInterval(T, T + 30 * MIN, 0, 0), timers, 1).conflict, false);
    });

    it('treats a capacity below one as one tuner', () => assert.equal(checkConflict(paddedInterval(T, T + 30 * MIN, 0, 0), [], 0).conflict, false));
  });

  describe('#peakConcurrency', () => {
    it('counts only inside the window', () => {
      const intervals = [
        { start: 0, end: 10 },
        { start: 5, end: 15 },
        { start: 20, end: 30 },
      ];
      assert.equal(peakConcurrency(intervals, { start: 0, end: 30 }), 2);
      assert.equal(peakConcurrency(intervals, { start: 10, end: 30 }), 1);
      assert.equal(peakConcurrency(intervals, { start: 30, end: 40 }), 0);
    });
  });
});
