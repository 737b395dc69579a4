/**
 * Schedules feed airings as live TV timers without overriding anything (protocols/rsstv.md
 * §5.2–5.4). One serialized worker: each airing re-reads the timers right before creating, so
 * two items for the same slot cannot race. Existing timers are never modified or cancelled —
 * this module calls only the list methods and `createTimer`.
 */
import { isSidecarError, type Channel, type Clock, type LiveTvFacade, type Timer } from '../../../plugin/index.js';
import { checkConflict, paddedInterval } from './conflicts.js';
import type { Airing } from './feed-item.js';
import { matchProgram } from './match-program.js';
import { resolveChannel, type ResolveOptions } from './resolve-channel.js';
import type { ItemStatus } from '../store/rsstv-store.js';

/** What the reader needs from live TV: reads plus creating one timer. No cancel, no update. */
export type TimerClient = Pick<LiveTvFacade, 'listChannels' | 'listPrograms' | 'listTimers' | 'createTimer' | 'tunerCount' | 'defaultPadding'>;

export interface ScheduleResult {
  readonly status: Extract<ItemStatus, 'OK' | 'Conflict' | 'Unresolved' | 'Not in guide'>;
  /** Owner-facing detail (what it conflicts with, which channel was ambiguous). */
  readonly detail: string;
  readonly timerId?: string;
  /** The resolved channel, for the owner's view. */
  readonly channel?: string;
}

export interface SchedulerOptions {
  readonly maxConcurrentRecordings: number | 'tuners';
  readonly resolve: ResolveOptions;
  readonly channelCacheMs: number;
}

function channelLabel(channel: Channel): string {
  return `${channel.number} ${channel.name}`.trim();
}

export class Scheduler {
  private queue: Promise<unknown> = Promise.resolve();
  private channels: { readonly at: number; readonly list: readonly Channel[] } | undefined;

  constructor(
    private readonly client: TimerClient,
    private readonly clock: Clock,
    private readonly options: SchedulerOptions,
  ) {}

  /** Schedules one airing; calls run one at a time in arrival order. Throws on source errors. */
  schedule(airing: Airing): Promise<ScheduleResult> {
    const run = this.queue.then(() => this.scheduleNow(airing));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async channelList(): Promise<readonly Channel[]> {
    const now = this.clock.now();
    if (this.channels !== undefined && now - this.channels.at < this.options.channelCacheMs) return this.channels.list;
    const list = await this.client.listChannels();
    this.channels = { at: now, list };
    return list;
  }

  private async scheduleNow(airing: Airing): Promise<ScheduleResult> {
    const resolution = resolveChannel(airing.channel, await this.channelList(), this.options.resolve);
    if (resolution.kind === 'ambiguous') {
      return { status: 'Unresolved', detail: `ambiguous: ${airing.channel.callSign} matches ${resolution.candidates.map(channelLabel).join(', ')}` };
    }
    if (resolution.kind === 'unresolved') return { status: 'Unresolved', detail: `no channel with call sign ${airing.channel.callSign}` };
    const channel = resolution.channel;
    const label = channelLabel(channel);

    const programs = await this.client.listPrograms({
      channelIds: [channel.id],
      from: new Date(airing.start).toISOString(),
      to: new Date(airing.stop).toISOString(),
    });
    const program = matchProgram(programs, { channelId: channel.id, start: airing.start, stop: airing.stop, ...(airing.programIdHint === undefined ? {} : { programIdHint: airing.programIdHint }) });
    if (program === undefined) return { status: 'Not in guide', detail: `nothing on ${label} within 10 minutes of the feed's start`, channel: label };

    const timers = await this.client.listTimers();
    const existing = this.activeFor(timers, program.id);
    if (existing !== undefined) return { status: 'OK', detail: `already scheduled: ${existing.name}`, timerId: existing.id, channel: label };

    const capacity = this.options.maxConcurrentRecordings === 'tuners' ? await this.client.tunerCount() : this.options.maxConcurrentRecordings;
    const padding = await this.client.defaultPadding();
    const candidate = paddedInterval(Date.parse(program.start), Date.parse(program.end), padding.prePaddingSeconds, padding.postPaddingSeconds);
    const check = checkConflict(candidate, timers, capacity);
    if (check.conflict) {
      const names = check.overlapping.map((t) => `${t.name} (${t.start})`).join(', ');
      return { status: 'Conflict', detail: `${check.peak} of ${check.capacity} tuner(s) busy: ${names}`, channel: label };
    }

    try {
      const timer = await this.client.createTimer(program.id);
      return { status: 'OK', detail: `scheduled ${program.title}`, timerId: timer.id, channel: label };
    } catch (error) {
      // The embedded guide refuses a second timer for a programme (Jellyfin's 400 is handled in
      // the core): the programme is scheduled, so report that timer.
      if (!(isSidecarError(error) && error.code === 'ERR_LIVETV_TIMER_EXISTS')) throw error;
      const again = this.activeFor(await this.client.listTimers(), program.id);
      if (again === undefined) throw error;
      return { status: 'OK', detail: `already scheduled: ${again.name}`, timerId: again.id, channel: label };
    }
  }

  private activeFor(timers: readonly Timer[], programId: string): Timer | undefined {
    return timers.find((t) => t.programId === programId && t.status !== 'cancelled');
  }
}
