/**
 * Which segments and offsets make a clip (pure). Segments are played back to back (concat), so
 * the start offset is measured from the first overlapping segment's start; gaps between
 * segments (a camera that was away) shorten the clip rather than being filled.
 */

export interface ClipSegment {
  readonly id: number;
  readonly path: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly bytes: number;
}

export interface ClipPlan {
  readonly inputs: readonly string[];
  readonly startSeconds: number;
  readonly durationSeconds: number;
  /** Identifies the result: same segments and range → same bytes. */
  readonly key: string;
}

/** Undefined when no segment overlaps [fromMs, toMs). */
export function planClip(camera: string, segments: readonly ClipSegment[], fromMs: number, toMs: number): ClipPlan | undefined {
  const used = segments.filter((s) => s.endMs > fromMs && s.startMs < toMs).sort((a, b) => a.startMs - b.startMs);
  const first = used[0];
  const last = used.at(-1);
  if (first === undefined || last === undefined) return undefined;
  const start = Math.max(fromMs, first.startMs);
  const end = Math.min(toMs, last.endMs);
  // Media time before `start` in the concatenation = time from the first segment's start.
  const startSeconds = (start - first.startMs) / 1000;
  let durationMs = 0;
  for (const s of used) durationMs += Math.min(s.endMs, end) - Math.max(s.startMs, start);
  return {
    inputs: used.map((s) => s.path),
    startSeconds,
    durationSeconds: Math.max(0.001, durationMs / 1000),
    key: [camera, start, end, ...used.map((s) => `${s.id}:${s.bytes}`)].join('|'),
  };
}

/** Parses `2026-11-03T14:00:00Z` or epoch milliseconds. */
export function parseTime(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
