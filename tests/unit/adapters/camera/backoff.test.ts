import { deepStrictEqual } from 'node:assert/strict';
import { Backoff } from '../../../../adapters/camera/backoff.js';

describe('Backoff', () => {
  describe('#next', () => {
    it('doubles from the minimum up to the maximum', () => {
      const b = new Backoff(1000, 30_000);
      deepStrictEqual([1, 2, 3, 4, 5, 6, 7].map(() => b.next()), [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    });

    it('starts again from the minimum after a reset', () => {
      const b = new Backoff(500, 4000);
      b.next();
      b.next();
      b.reset();
      deepStrictEqual(b.next(), 500);
    });
  });
});
