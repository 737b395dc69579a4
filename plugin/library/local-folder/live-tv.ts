/**
 * Live TV for the local folder, from an XMLTV guide file: channels (number and call sign from
 * the display-names), programmes, and timers kept in SQLite (`library_timers`) so the RSSTV
 * adapter can schedule recordings without Jellyfin. There is no tuner behind it: timers are
 * bookkeeping (status follows the clock: new → in-progress → completed), one virtual tuner
 * decides conflicts, padding defaults to 0/0. Without a guide file every call except
 * `isAvailable()` throws `ERR_LIVETV_UNAVAILABLE` (kind `unavailable`).
 *
 * The guide is re-read when the file's size or mtime changes (a stat per call, so a refreshed
 * guide is seen at once); a guide that fails to parse counts as no guide. Programmes without a
 * `stop` and no later programme on their channel are given 30 minutes.
 */
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { Channel, Program, ProgramQuery, Timer, TimerStatus } from '../model.js';
import type { LiveTvFacade } from '../source.js';
import type { SqlStore } from '../../state/types.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../log/logger.js';
import { SidecarError, errorMessage } from '../../util/errors.js';
import { parseXmltv } from '../metadata/xmltv.js';
import { channelIdOf, programIdOf } from './ids.js';

const DEFAULT_PROGRAMME_MS = 30 * 60_000;
const TUNER_COUNT = 1;

interface Guide {
  readonly channels: readonly Channel[];
  /** Sorted by start, then channel. */
  readonly programs: readonly Program[];
  readonly programsById: ReadonlyMap<string, Program>;
}

interface TimerRow {
  readonly [key: string]: string | number | null;
  readonly id: string;
  readonly program_id: string | null;
  readonly channel_id: string;
  readonly name: string;
  readonly start_at: string;
  readonly end_at: string;
  readonly pre_padding_seconds: number;
  readonly post_padding_seconds: number;
  readonly cancelled: number;
}

export interface LocalLiveTvOptions {
  readonly xmltvPath?: string;
  readonly db: SqlStore;
  readonly clock: Clock;
  readonly log: Logger;
}

/** Builds the model's channels and programmes from a parsed guide. Pure. */
export function guideFromXmltv(xml: string): Guide {
  const parsed = parseXmltv(xml);
  const channels: Channel[] = parsed.channels.map((c) => ({
    id: channelIdOf(c.xmltvId),
    number: c.number ?? c.xmltvId,
    name: c.name,
    ...(c.callSign !== undefined ? { callSign: c.callSign } : {}),
  }));
  const programs: Program[] = parsed.programmes.map((p) => {
    const categories = p.categories.map((c) => c.toLowerCase());
    const isMovie = categories.includes('movie') || categories.includes('movies') || categories.includes('film');
    return {
      id: programIdOf(p.channel, p.start),
      channelId: channelIdOf(p.channel),
      title: p.title,
      ...(p.subTitle !== undefined ? { episodeTitle: p.subTitle } : {}),
      ...(p.description !== undefined ? { overview: p.description } : {}),
      start: new Date(p.start).toISOString(),
      end: new Date(p.stop ?? p.start + DEFAULT_PROGRAMME_MS).toISOString(),
      isSeries: !isMovie && (p.hasEpisodeNum || p.subTitle !== undefined || categories.includes('series')),
      isMovie,
      ...(p.seasonNumber !== undefined ? { seasonNumber: p.seasonNumber } : {}),
      ...(p.episodeNumber !== undefined ? { episodeNumber: p.episodeNumber } : {}),
      genres: p.categories,
    };
  });
  programs.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.channelId < b.channelId ? -1 : 1));
  return { channels, programs, programsById: new Map(programs.map((p) => [p.id, p])) };
}

function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** A query bound as ISO UTC (so it compares with the programmes' strings), or undefined. */
function isoOf(text: string | undefined, name: string): string | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new SidecarError('ERR_LIVETV_INVALID_QUERY', 'invalid-argument', `programme query '${name}' is not a date: ${text}`);
  return new Date(ms).toISOString();
}

function unavailable(message: string, cause?: unknown): SidecarError {
  return new SidecarError('ERR_LIVETV_UNAVAILABLE', 'unavailable', message, cause === undefined ? {} : { cause });
}

export class LocalLiveTv implements LiveTvFacade {
  private guide: Guide | undefined;
  private guideStamp = '';

  constructor(private readonly options: LocalLiveTvOptions) {}

  async isAvailable(): Promise<boolean> {
    try {
      await this.load();
      return true;
    } catch {
      return false;
    }
  }

  async listChannels(): Promise<readonly Channel[]> {
    return (await this.load()).channels;
  }

  async listPrograms(query: ProgramQuery): Promise<readonly Program[]> {
    const guide = await this.load();
    const channels = query.channelIds && query.channelIds.length > 0 ? new Set(query.channelIds) : undefined;
    const from = isoOf(query.from, 'from');
    const to = isoOf(query.to, 'to');
    const needle = query.search?.trim().toLowerCase();
    const timers = this.activeTimersByProgram();
    const out: Program[] = [];
    for (const program of guide.programs) {
      if (to !== undefined && program.start >= to) break;
      if (channels && !channels.has(program.channelId)) continue;
      if (from !== undefined && program.end <= from) continue;
      if (needle && !program.title.toLowerCase().includes(needle) && !(program.episodeTitle ?? '').toLowerCase().includes(needle)) continue;
      const timerId = timers.get(program.id);
      out.push(timerId === undefined ? program : { ...program, timerId });
      if (query.limit !== undefined && out.length >= query.limit) break;
    }
    return out;
  }

  listTimers(): Promise<readonly Timer[]> {
    return settle(() => {
      this.ensureConfigured();
      return this.timers().filter((t) => t.status !== 'cancelled');
    });
  }

  /**
   * Creates a timer for a guide programme. Like Jellyfin, a programme whose timer was cancelled
   * gets that timer back (status new); one with an active timer is refused
   * (`ERR_LIVETV_TIMER_EXISTS`, failed-precondition).
   */
  async createTimer(programId: string): Promise<Timer> {
    const guide = await this.load();
    const program = guide.programsById.get(programId);
    if (!program) throw new SidecarError('ERR_LIVETV_PROGRAM_NOT_FOUND', 'not-found', `no programme ${programId} in the guide`);
    const { db, clock } = this.options;
    const existing = db.get<TimerRow>('SELECT * FROM library_timers WHERE program_id = ?', [programId]);
    let id: string;
    if (existing && existing.cancelled === 0) {
      throw new SidecarError('ERR_LIVETV_TIMER_EXISTS', 'failed-precondition', `a timer already exists for programme ${programId}`, { detail: { timerId: existing.id } });
    } else if (existing) {
      id = existing.id;
      db.run('UPDATE library_timers SET cancelled = 0, start_at = ?, end_at = ?, name = ?, channel_id = ? WHERE id = ?', [program.start, program.end, program.title, program.channelId, id]);
    } else {
      id = randomUUID();
      db.run(
        'INSERT INTO library_timers (id, program_id, channel_id, name, start_at, end_at, pre_padding_seconds, post_padding_seconds, cancelled, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, ?)',
        [id, programId, program.channelId, program.title, program.start, program.end, new Date(clock.now()).toISOString()],
      );
    }
    const timer = this.timers().find((t) => t.id === id);
    if (!timer) throw new SidecarError('ERR_INTERNAL', 'internal', `timer ${id} vanished after creation`);
    return timer;
  }

  cancelTimer(timerId: string): Promise<void> {
    return settle(() => {
      this.ensureConfigured();
      const result = this.options.db.run('UPDATE library_timers SET cancelled = 1 WHERE id = ?', [timerId]);
      if (result.changes === 0) throw new SidecarError('ERR_LIVETV_TIMER_NOT_FOUND', 'not-found', `no timer ${timerId}`);
    });
  }

  tunerCount(): Promise<number> {
    return settle(() => {
      this.ensureConfigured();
      return TUNER_COUNT;
    });
  }

  defaultPadding(): Promise<{ readonly prePaddingSeconds: number; readonly postPaddingSeconds: number }> {
    return settle(() => {
      this.ensureConfigured();
      return { prePaddingSeconds: 0, postPaddingSeconds: 0 };
    });
  }

  private ensureConfigured(): void {
    if (this.options.xmltvPath === undefined) throw unavailable('live TV needs Jellyfin or an XMLTV guide file (xmltvPath)');
  }

  private async load(): Promise<Guide> {
    this.ensureConfigured();
    const path = this.options.xmltvPath ?? '';
    let stamp: string;
    try {
      const s = await stat(path);
      stamp = `${s.size}:${s.mtimeMs}`;
    } catch (cause) {
      throw unavailable(`XMLTV guide ${path} is missing`, cause);
    }
    if (this.guide && stamp === this.guideStamp) return this.guide;
    try {
      this.guide = guideFromXmltv(await readFile(path, 'utf8'));
      this.guideStamp = stamp;
      this.options.log.info('XMLTV guide loaded', { channels: this.guide.channels.length, programs: this.guide.programs.length });
      return this.guide;
    } catch (cause) {
      this.guide = undefined;
      throw unavailable(`XMLTV guide ${path} cannot be read: ${errorMessage(cause)}`, cause);
    }
  }

  private activeTimersByProgram(): Map<string, string> {
    const out = new Map<string, string>();
    for (const row of this.options.db.all<TimerRow>('SELECT id, program_id FROM library_timers WHERE cancelled = 0 AND program_id IS NOT NULL')) {
      if (row.program_id !== null) out.set(row.program_id, row.id);
    }
    return out;
  }

  /** All timers with their status derived from the clock; overlaps beyond the tuner count conflict. */
  private timers(): Timer[] {
    const now = new Date(this.options.clock.now()).toISOString();
    const rows = this.options.db.all<TimerRow>('SELECT * FROM library_timers ORDER BY start_at, created_at');
    const active: TimerRow[] = [];
    return rows.map((row) => {
      let status: TimerStatus;
      if (row.cancelled !== 0) status = 'cancelled';
      else if (row.end_at <= now) status = 'completed';
      else {
        const overlapping = active.filter((other) => other.end_at > row.start_at);
        if (overlapping.length >= TUNER_COUNT) status = 'conflicted';
        else {
          active.push(row);
          status = row.start_at <= now ? 'in-progress' : 'new';
        }
      }
      return {
        id: row.id,
        channelId: row.channel_id,
        ...(row.program_id !== null ? { programId: row.program_id } : {}),
        name: row.name,
        start: row.start_at,
        end: row.end_at,
        prePaddingSeconds: row.pre_padding_seconds,
        postPaddingSeconds: row.post_padding_seconds,
        status,
      };
    });
  }
}
