import assert from 'node:assert/strict';
import { backoffDelay } from '../../../../plugin/jellyfin/backoff.js';

const policy = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0 };

describe('backoffDelay', () => {
  it('doubles from the initial delay', () => {
    assert.deepEqual([0, 1, 2, 3, 4].map((a) => backoffDelay(a, policy)), [500, 1000, 2000, 4000, 8000]);
  });
  it('caps at the maximum, even for huge attempt numbers', () => {
    assert.equal(backoffDelay(10, policy), 30_000);
    assert.equal(backoffDelay(10_000, policy), 30_000);
  });
  it('spreads the delay by the jitter fraction around the nominal value', () => {
    const jittered = { ...policy, jitter: 0.2 };
    assert.equal(backoffDelay(1, jittered, () => 0), 900);
    assert.equal(backoffDelay(1, jittered, () => 0.5), 1000);
    assert.equal(backoffDelay(1, jittered, () => 1), 1100);
  });
  it('treats negative attempts as the first', () => {
    assert.equal(backoffDelay(-3, policy), 500);
  });
});
