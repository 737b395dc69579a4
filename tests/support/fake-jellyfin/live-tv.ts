/**
 * The stand-in's Live TV: channels with numbers and call-sign names, a guide of 30-minute
 * programs over the next hours, timers with Jellyfin's quirks (POST answers 204 with no id;
 * a second timer for the same program is a 400; a cancelled one is re-armed), tuner hosts.
 */
import { guid, jellyfinDate } from './ids.js';
import { SERVER_ID } from './library.js';

const TICKS = 10_000_000;
const SLOT_MS = 30 * 60_000;

export interface FakeChannel {
  readonly id: string;
  readonly number: string;
  readonly name: string;
}

export interface FakeProgram {
  readonly id: string;
  readonly channelId: string;
  readonly name: string;
  readonly episodeTitle?: string;
  readonly overview: string;
  readonly start: number;
  readonly end: number;
  readonly isSeries: boolean;
  readonly isMovie: boolean;
  readonly genres: readonly string[];
  readonly season?: number;
  readonly episode?: number;
}

export interface FakeTimer {
  readonly id: string;
  readonly programId: string;
  readonly channelId: string;
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly prePaddingSeconds: number;
  readonly postPaddingSeconds: number;
  status: 'New' | 'Cancelled';
}

export interface LiveTvOptions {
  readonly now: number;
  /** Hours of guide data; default 6. */
  readonly guideHours?: number;
  /** TunerCount of each tuner host; default [2, 0] (an HDHomeRun with 2, an M3U "unlimited"). */
  readonly tunerCounts?: readonly number[];
}

export class FakeLiveTv {
  readonly channels: FakeChannel[] = [
    { id: guid('channel:61'), number: '61', name: 'FOOD' },
    { id: guid('channel:13'), number: '13.1', name: 'KERA-HD' },
    { id: guid('channel:7'), number: '7', name: 'BBC One' },
  ];
  readonly programs: FakeProgram[] = [];
  readonly timers = new Map<string, FakeTimer>();
  readonly prePaddingSeconds = 60;
  readonly postPaddingSeconds = 300;
  readonly tunerCounts: readonly number[];
  private timerSeq = 0;

  constructor(options: LiveTvOptions) {
    this.tunerCounts = options.tunerCounts ?? [2, 0];
    const first = Math.floor(options.now / SLOT_MS) * SLOT_MS;
    const slots = Math.round(((options.guideHours ?? 6) * 3_600_000) / SLOT_MS);
    for (const channel of this.channels) {
      for (let i = 0; i < slots; i++) {
        const start = first + i * SLOT_MS;
        const series = i % 3 !== 2;
        this.programs.push({
          id: guid(`program:${channel.id}:${i}`),
          channelId: channel.id,
          name: series ? `${channel.name} Show` : `${channel.name} Movie ${i}`,
          ...(series ? { episodeTitle: `Episode ${i + 1}`, season: 1, episode: i + 1 } : {}),
          overview: `Slot ${i} on ${channel.name}.`,
          start,
          end: start + SLOT_MS,
          isSeries: series,
          isMovie: !series,
          genres: series ? ['Cooking'] : ['Drama'],
        });
      }
    }
  }

  channel(id: string): FakeChannel | undefined {
    return this.channels.find((c) => c.id === id);
  }

  program(id: string): FakeProgram | undefined {
    return this.programs.find((p) => p.id === id);
  }

  activeTimerFor(programId: string): FakeTimer | undefined {
    return [...this.timers.values()].find((t) => t.programId === programId && t.status !== 'Cancelled');
  }

  /** Jellyfin's create: 400 when an active timer exists, re-arm a cancelled one, else add. */
  create(body: Record<string, unknown>): { status: 204 } | { status: 400; message: string } {
    const programId = typeof body['ProgramId'] === 'string' ? body['ProgramId'] : undefined;
    const program = programId === undefined ? undefined : this.program(programId);
    if (program === undefined) return { status: 400, message: 'Program not found' };
    if (this.activeTimerFor(program.id) !== undefined) return { status: 400, message: 'A scheduled recording already exists for this program.' };
    const cancelled = [...this.timers.values()].find((t) => t.programId === program.id);
    if (cancelled !== undefined) {
      cancelled.status = 'New';
      return { status: 204 };
    }
    const id = guid(`timer:${++this.timerSeq}:${program.id}`);
    const pre = typeof body['PrePaddingSeconds'] === 'number' ? body['PrePaddingSeconds'] : this.prePaddingSeconds;
    const post = typeof body['PostPaddingSeconds'] === 'number' ? body['PostPaddingSeconds'] : this.postPaddingSeconds;
    this.timers.set(id, { id, programId: program.id, channelId: program.channelId, name: program.name, start: program.start, end: program.end, prePaddingSeconds: pre, postPaddingSeconds: post, status: 'New' });
    return { status: 204 };
  }

  channelDto(c: FakeChannel): Record<string, unknown> {
    return {
      Name: c.name,
      ServerId: SERVER_ID,
      Id: c.id,
      Number: c.number,
      ChannelNumber: c.number,
      Type: 'TvChannel',
      ChannelType: 'TV',
      IsFolder: false,
      MediaType: 'Video',
      LocationType: 'Remote',
      ImageTags: {},
      BackdropImageTags: [],
      ImageBlurHashes: {},
    };
  }

  programDto(p: FakeProgram, fields: ReadonlySet<string>): Record<string, unknown> {
    const channel = this.channel(p.channelId);
    const timer = this.activeTimerFor(p.id);
    const dto: Record<string, unknown> = {
      Name: p.name,
      ServerId: SERVER_ID,
      Id: p.id,
      ChannelId: p.channelId,
      ChannelName: channel?.name ?? '',
      Type: 'Program',
      IsFolder: false,
      MediaType: 'Video',
      LocationType: 'Remote',
      StartDate: jellyfinDate(p.start),
      EndDate: jellyfinDate(p.end),
      RunTimeTicks: ((p.end - p.start) / 1000) * TICKS,
      IsSeries: p.isSeries,
      IsMovie: p.isMovie,
      IsNews: false,
      IsKids: false,
      IsSports: false,
      ImageTags: {},
      BackdropImageTags: [],
      ImageBlurHashes: {},
    };
    if (p.episodeTitle !== undefined) dto['EpisodeTitle'] = p.episodeTitle;
    if (p.season !== undefined) dto['ParentIndexNumber'] = p.season;
    if (p.episode !== undefined) dto['IndexNumber'] = p.episode;
    if (timer !== undefined) dto['TimerId'] = timer.id;
    if (fields.has('Overview')) dto['Overview'] = p.overview;
    if (fields.has('Genres')) dto['Genres'] = [...p.genres];
    return dto;
  }

  timerDto(t: FakeTimer): Record<string, unknown> {
    const channel = this.channel(t.channelId);
    return {
      Id: t.id,
      Type: 'Timer',
      ServerId: SERVER_ID,
      ExternalId: t.id,
      ChannelId: t.channelId,
      ExternalChannelId: t.channelId,
      ChannelName: channel?.name ?? '',
      ProgramId: t.programId,
      ExternalProgramId: t.programId,
      Name: t.name,
      StartDate: jellyfinDate(t.start),
      EndDate: jellyfinDate(t.end),
      ServiceName: 'Emby',
      Priority: 0,
      PrePaddingSeconds: t.prePaddingSeconds,
      PostPaddingSeconds: t.postPaddingSeconds,
      IsPrePaddingRequired: false,
      IsPostPaddingRequired: false,
      ParentBackdropImageTags: [],
      KeepUntil: 'UntilDeleted',
      Status: t.status,
      RunTimeTicks: ((t.end - t.start) / 1000) * TICKS,
    };
  }

  /** GET /LiveTv/Timers/Defaults: a SeriesTimerInfoDto pre-filled for the program. */
  defaultsDto(p: FakeProgram): Record<string, unknown> {
    const channel = this.channel(p.channelId);
    return {
      Type: 'SeriesTimer',
      ServerId: SERVER_ID,
      ChannelId: p.channelId,
      ChannelName: channel?.name ?? '',
      ProgramId: p.id,
      ExternalProgramId: p.id,
      Name: p.name,
      Overview: p.overview,
      StartDate: jellyfinDate(p.start),
      EndDate: jellyfinDate(p.end),
      ServiceName: 'Emby',
      Priority: 0,
      PrePaddingSeconds: this.prePaddingSeconds,
      PostPaddingSeconds: this.postPaddingSeconds,
      IsPrePaddingRequired: false,
      IsPostPaddingRequired: false,
      ParentBackdropImageTags: [],
      KeepUntil: 'UntilDeleted',
      RecordAnyTime: false,
      SkipEpisodesInLibrary: false,
      RecordAnyChannel: false,
      KeepUpTo: 0,
      RecordNewOnly: false,
      Days: [],
      ImageTags: {},
    };
  }

  configDto(): Record<string, unknown> {
    return {
      GuideDays: 7,
      RecordingPath: '/recordings',
      EnableRecordingSubfolders: false,
      EnableOriginalAudioWithEncodedRecordings: false,
      TunerHosts: this.tunerCounts.map((n, i) => ({
        Id: guid(`tuner:${i}`),
        Url: i === 0 ? 'http://192.0.2.10' : 'http://192.0.2.20/playlist.m3u',
        Type: i === 0 ? 'hdhomerun' : 'm3u',
        FriendlyName: `Tuner ${i}`,
        ImportFavoritesOnly: false,
        AllowHWTranscoding: false,
        AllowFmp4TranscodingContainer: false,
        AllowStreamSharing: true,
        FallbackMaxStreamingBitrate: 30_000_000,
        EnableStreamLooping: false,
        TunerCount: n,
        IgnoreDts: true,
        ReadAtNativeFramerate: false,
      })),
      ListingProviders: [],
      PrePaddingSeconds: this.prePaddingSeconds,
      PostPaddingSeconds: this.postPaddingSeconds,
      MediaLocationsCreated: [],
      SaveRecordingNFO: true,
      SaveRecordingImages: true,
    };
  }
}
