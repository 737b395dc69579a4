import { deepStrictEqual } from 'node:assert/strict';
import { planRetention, type RetainedSegment } from '../../../../adapters/camera/retention-plan.js';

const MB = 1024 * 1024;
const seg = (id: number, camera: string, startMin: number, mb: number): RetainedSegment => ({ id, camera, startMs: startMin * 60_000, endMs: (startMin + 1) * 60_000, bytes: mb * MB });

describe('planRetention', () => {
  const segments = [seg(1, 'a', 0, 10), seg(2, 'a', 1, 10), seg(3, 'a', 2, 10), seg(4, 'b', 0, 10), seg(5, 'b', 1, 10)];

  it('deletes the oldest segments of a camera over its byte budget', () => {
    const budgets = new Map([['a', { maxBytes: 20 * MB, maxAgeMs: 1e12 }]]);
    deepStrictEqual(planRetention({ segments, budgets, nowMs: 10 * 60_000, freeDeficitBytes: 0 }), [1]);
  });

  it('deletes segments older than the maximum age', () => {
    const budgets = new Map([['b', { maxBytes: 1e12, maxAgeMs: 8.5 * 60_000 }]]);
    deepStrictEqual(planRetention({ segments, budgets, nowMs: 10 * 60_000, freeDeficitBytes: 0 }), [4]);
  });

  it('frees disk space from the oldest of all cameras', () => {
    deepStrictEqual(planRetention({ segments, budgets: new Map(), nowMs: 0, freeDeficitBytes: 15 * MB }), [1, 4]);
  });

  it('deletes nothing within budget and with enough space', () => {
    const budgets = new Map([['a', { maxBytes: 30 * MB, maxAgeMs: 1e12 }]]);
    deepStrictEqual(planRetention({ segments, budgets, nowMs: 0, freeDeficitBytes: 0 }), []);
  });
});
