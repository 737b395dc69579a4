/**
 * Which closed segments to delete (pure): per camera, the oldest first while the camera is over
 * its byte budget or a segment is older than the maximum age; then, while the filesystem has
 * less free space than wanted, the oldest of all cameras. Recording never stops for a full
 * disk: making room is retention's job (protocols/camera.md §7).
 */

export interface RetainedSegment {
  readonly id: number;
  readonly camera: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly bytes: number;
}

export interface CameraBudget {
  readonly maxBytes: number;
  readonly maxAgeMs: number;
}

export interface RetentionInput {
  readonly segments: readonly RetainedSegment[];
  /** Budget per camera key; cameras without one keep only the free-space rule. */
  readonly budgets: ReadonlyMap<string, CameraBudget>;
  readonly nowMs: number;
  /** Bytes to free beyond the per-camera rules (wanted free − free now); ≤ 0 = none. */
  readonly freeDeficitBytes: number;
}

/** Ids to delete, oldest first. */
export function planRetention(input: RetentionInput): number[] {
  const doomed = new Set<number>();
  const byCamera = new Map<string, RetainedSegment[]>();
  for (const s of input.segments) {
    const list = byCamera.get(s.camera) ?? [];
    list.push(s);
    byCamera.set(s.camera, list);
  }
  for (const [camera, list] of byCamera) {
    const budget = input.budgets.get(camera);
    if (budget === undefined) continue;
    list.sort(oldestFirst);
    let total = list.reduce((sum, s) => sum + s.bytes, 0);
    for (const s of list) {
      const tooOld = s.endMs < input.nowMs - budget.maxAgeMs;
      if (!tooOld && total <= budget.maxBytes) break;
      doomed.add(s.id);
      total -= s.bytes;
    }
  }
  let deficit = input.freeDeficitBytes;
  for (const s of input.segments.filter((x) => !doomed.has(x.id)).sort(oldestFirst)) {
    if (deficit <= 0) break;
    doomed.add(s.id);
    deficit -= s.bytes;
  }
  return input.segments.filter((s) => doomed.has(s.id)).sort(oldestFirst).map((s) => s.id);
}

function oldestFirst(a: RetainedSegment, b: RetainedSegment): number {
  return a.startMs - b.startMs || a.id - b.id;
}
