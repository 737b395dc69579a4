/**
 * Searching a guide snapshot by title, channel and time for the suggestion page. Pure.
 */
import type { Channel, Program } from '../../../plugin/index.js';

export interface GuideData {
  readonly channels: readonly Channel[];
  readonly channelsById: ReadonlyMap<string, Channel>;
  /** Sorted by start, then channel id. */
  readonly programs: readonly Program[];
  readonly programsById: ReadonlyMap<string, Program>;
  /** Epoch ms of each programme's start/end (same order as `programs`). */
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

export interface GuideQuery {
  readonly text?: string;
  readonly channelId?: string;
  /** Epoch ms: programmes ending after this. */
  readonly from: number;
  /** Epoch ms: programmes starting before this. */
  readonly to?: number;
  readonly limit: number;
}

export function guideData(channels: readonly Channel[], programs: readonly Program[]): GuideData {
  const valid = programs
    .map((p) => ({ p, start: Date.parse(p.start), end: Date.parse(p.end) }))
    .filter((x) => !Number.isNaN(x.start) && !Number.isNaN(x.end) && x.end > x.start)
    .sort((a, b) => a.start - b.start || (a.p.channelId < b.p.channelId ? -1 : a.p.channelId > b.p.channelId ? 1 : 0));
  return {
    channels,
    channelsById: new Map(channels.map((c) => [c.id, c])),
    programs: valid.map((x) => x.p),
    programsById: new Map(valid.map((x) => [x.p.id, x.p])),
    starts: valid.map((x) => x.start),
    ends: valid.map((x) => x.end),
  };
}

function fold(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** Programmes matching every word of `text` (title, episode, channel name or call sign). */
export function searchGuide(guide: GuideData, query: GuideQuery): readonly Program[] {
  const words = fold(query.text ?? '')
    .split(/\s+/)
    .filter((w) => w !== '')
    .slice(0, 8);
  const out: Program[] = [];
  for (let i = 0; i < guide.programs.length && out.length < query.limit; i++) {
    const program = guide.programs[i];
    const start = guide.starts[i] ?? 0;
    const end = guide.ends[i] ?? 0;
    if (program === undefined) continue;
    if (query.to !== undefined && start >= query.to) break;
    if (end <= query.from) continue;
    if (query.channelId !== undefined && program.channelId !== query.channelId) continue;
    if (words.length > 0) {
      const channel = guide.channelsById.get(program.channelId);
      const hay = fold(`${program.title} ${program.episodeTitle ?? ''} ${channel?.name ?? ''} ${channel?.callSign ?? ''}`);
      if (!words.every((w) => hay.includes(w))) continue;
    }
    out.push(program);
  }
  return out;
}
