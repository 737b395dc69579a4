/**
 * LiveTvFacade backed by Jellyfin's Live TV API. Timer creation follows the server's only
 * reliable flow (protocols/jellyfin.md §4.7): defaults for the program → POST (204, no id) →
 * find the new timer by ProgramId in the timer list. Jellyfin does not check tuner conflicts;
 * `tunerCount()` gives callers what they need to do it.
 */
import type { Channel, Program, ProgramQuery, Timer } from '../library/model.js';
import type { LiveTvFacade } from '../library/source.js';
import { SidecarError, isSidecarError } from '../util/errors.js';
import type { JellyfinClient, SeriesTimerInfoDto, TimerInfoDto } from './client.js';
import { observed, type CallObserver } from './call-observer.js';
import { mapChannel, mapProgram, mapTimer, tunerCountOf } from './map-live-tv.js';

/** TimerInfoDto keys copied from the defaults (a SeriesTimerInfoDto) into the POST body. */
const TIMER_KEYS = [
  'ChannelId',
  'ChannelName',
  'ProgramId',
  'ExternalProgramId',
  'ExternalChannelId',
  'Name',
  'Overview',
  'StartDate',
  'EndDate',
  'ServiceName',
  'Priority',
  'PrePaddingSeconds',
  'PostPaddingSeconds',
  'IsPrePaddingRequired',
  'IsPostPaddingRequired',
  'KeepUntil',
] as const;

export function timerFromDefaults(defaults: SeriesTimerInfoDto): TimerInfoDto {
  const body: Record<string, unknown> = {};
  for (const key of TIMER_KEYS) {
    const value = defaults[key];
    if (value !== undefined && value !== null) body[key] = value;
  }
  // Only TimerInfoDto keys were copied, with their SeriesTimerInfoDto (= same) types.
  return body;
}

function activeFor(timers: readonly TimerInfoDto[], programId: string): TimerInfoDto | undefined {
  const matching = timers.filter((t) => t.ProgramId === programId);
  return matching.find((t) => t.Status !== 'Cancelled') ?? matching[0];
}

export class JellyfinLiveTvService implements LiveTvFacade {
  constructor(
    private readonly client: JellyfinClient,
    private readonly observer: CallObserver,
    private readonly resolveUser: (userId: string | undefined) => Promise<string>,
  ) {}

  private run<T>(fn: () => Promise<T>): Promise<T> {
    return observed(this.observer, fn);
  }

  async isAvailable(): Promise<boolean> {
    const info = await this.run(() => this.client.liveTvInfo());
    return info.IsEnabled === true;
  }

  async listChannels(userId?: string): Promise<readonly Channel[]> {
    const user = await this.resolveUser(userId);
    const result = await this.run(() => this.client.channels(user));
    return result.Items.map(mapChannel);
  }

  async listPrograms(query: ProgramQuery, userId?: string): Promise<readonly Program[]> {
    const user = await this.resolveUser(userId);
    const search = query.search?.trim().toLowerCase();
    const filtering = search !== undefined && search !== '';
    const result = await this.run(() =>
      this.client.programs({
        userId: user,
        ...(query.channelIds === undefined ? {} : { channelIds: query.channelIds }),
        ...(query.from === undefined ? {} : { minEndDate: query.from }),
        ...(query.to === undefined ? {} : { maxStartDate: query.to }),
        // The server has no title search for programs: filter here, then apply the limit.
        ...(query.limit === undefined || filtering ? {} : { limit: query.limit }),
      }),
    );
    let programs = result.Items.map(mapProgram);
    if (filtering) {
      programs = programs.filter((p) => `${p.title} ${p.episodeTitle ?? ''}`.toLowerCase().includes(search));
      if (query.limit !== undefined) programs = programs.slice(0, query.limit);
    }
    return programs;
  }

  async listTimers(): Promise<readonly Timer[]> {
    const result = await this.run(() => this.client.timers());
    return result.Items.map(mapTimer);
  }

  async createTimer(programId: string): Promise<Timer> {
    const defaults = await this.run(() => this.client.timerDefaults(programId));
    try {
      await this.run(() => this.client.createTimer(timerFromDefaults(defaults)));
    } catch (error) {
      // 400 "A scheduled recording already exists for this program": answer with that timer.
      if (!(isSidecarError(error) && error.code === 'ERR_JELLYFIN_REJECTED')) throw error;
      const existing = activeFor((await this.run(() => this.client.timers())).Items, programId);
      if (existing === undefined) throw error;
      return mapTimer(existing);
    }
    const created = activeFor((await this.run(() => this.client.timers())).Items, programId);
    if (created === undefined) {
      throw new SidecarError('ERR_JELLYFIN_TIMER_MISSING', 'internal', `POST /LiveTv/Timers: created timer for program ${programId} not listed by GET /LiveTv/Timers`);
    }
    return mapTimer(created);
  }

  async cancelTimer(timerId: string): Promise<void> {
    await this.run(() => this.client.cancelTimer(timerId));
  }

  async tunerCount(): Promise<number> {
    const config = await this.run(() => this.client.liveTvConfig());
    return tunerCountOf(config);
  }

  async defaultPadding(): Promise<{ readonly prePaddingSeconds: number; readonly postPaddingSeconds: number }> {
    const config = await this.run(() => this.client.liveTvConfig());
    const pre = config['PrePaddingSeconds'];
    const post = config['PostPaddingSeconds'];
    return { prePaddingSeconds: typeof pre === 'number' ? pre : 0, postPaddingSeconds: typeof post === 'number' ? post : 0 };
  }
}
