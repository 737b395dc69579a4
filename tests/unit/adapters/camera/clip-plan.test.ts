import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { parseTime, planClip } from '../../../../adapters/camera/clip-plan.js';

const segs = [
  { id: 1, path: '/a.mp4', startMs: 0, endMs: 60_000, bytes: 10 },
  { id: 2, path: '/b.mp4', startMs: 60_000, endMs: 120_000, bytes: 20 },
  { id: 3, path: '/c.mp4', startMs: 180_000, endMs: 240_000, bytes: 30 },
];

describe('planClip', () => {
  it('spans segments from an offset into the first', () => {
    const plan = planClip('cam', segs, 30_000, 90_000);
    deepStrictEqual(plan && { inputs: plan.inputs, startSeconds: plan.startSeconds, durationSeconds: plan.durationSeconds }, { inputs: ['/a.mp4', '/b.mp4'], startSeconds: 30, durationSeconds: 60 });
  });

  it('leaves out the gap between segments', () => {
    strictEqual(planClip('cam', segs, 90_000, 200_000)?.durationSeconds, 50);
  });

  it('is undefined when nothing overlaps', () => {
    strictEqual(planClip('cam', segs, 125_000, 170_000), undefined);
  });

  it('keys by range and segment sizes', () => {
    strictEqual(planClip('cam', segs, 0, 60_000)?.key, 'cam|0|60000|1:10');
  });
});

describe('parseTime', () => {
  it('reads epoch milliseconds and ISO times', () => {
    strictEqual(parseTime('1700000000000'), 1_700_000_000_000);
    strictEqual(parseTime('2026-11-03T14:00:00Z'), Date.UTC(2026, 10, 3, 14));
    strictEqual(parseTime('tomorrow'), undefined);
    strictEqual(parseTime(null), undefined);
  });
});
