/**
 * Finds the guide programme for a feed airing (protocols/rsstv.md §5.3): the programme on the
 * resolved channel with the largest overlap with [start, stop), accepted only when its start is
 * within 10 minutes of the feed's and the overlap covers at least half of the airing. A
 * programme-id hint wins only if it passes the same test. Pure.
 */
import type { Program } from '../../../plugin/index.js';

export interface MatchRules {
  readonly maxStartSkewMs: number;
  /** Minimum overlap as a fraction of the feed airing's length. */
  readonly minOverlap: number;
}

export const DEFAULT_MATCH_RULES: MatchRules = { maxStartSkewMs: 10 * 60_000, minOverlap: 0.5 };

function overlapMs(aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  return Math.max(0, Math.min(aEnd, bEnd) - Math.max(aStart, bStart));
}

export function matchProgram(
  programs: readonly Program[],
  airing: { readonly channelId: string; readonly start: number; readonly stop: number; readonly programIdHint?: string },
  rules: MatchRules = DEFAULT_MATCH_RULES,
): Program | undefined {
  const length = airing.stop - airing.start;
  const scored = programs
    .filter((p) => p.channelId === airing.channelId)
    .map((p) => {
      const start = Date.parse(p.start);
      const end = Date.parse(p.end);
      return { p, start, overlap: Number.isNaN(start) || Number.isNaN(end) ? 0 : overlapMs(airing.start, airing.stop, start, end) };
    })
    .filter((s) => s.overlap > 0 && Math.abs(s.start - airing.start) <= rules.maxStartSkewMs && s.overlap >= rules.minOverlap * length);
  if (scored.length === 0) return undefined;
  const hinted = airing.programIdHint === undefined ? undefined : scored.find((s) => s.p.id === airing.programIdHint);
  if (hinted) return hinted.p;
  scored.sort((a, b) => b.overlap - a.overlap || Math.abs(a.start - airing.start) - Math.abs(b.start - airing.start));
  return scored[0]?.p;
}
