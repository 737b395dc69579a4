/**
 * A cached, read-only snapshot of the guide for the suggestion page (protocols/rsstv.md §6:
 * the public side browses a snapshot and holds nothing that can write timers). It takes only
 * the two read methods of the live TV facade, so the page code cannot reach timer creation.
 */
import type { Channel, Clock, LiveTvFacade, Program } from '../../../plugin/index.js';
import { guideData, type GuideData } from './guide-search.js';

/** The read-only part of the live TV facade. */
export type GuideReader = Pick<LiveTvFacade, 'listChannels' | 'listPrograms'>;

export interface GuideSnapshotOptions {
  readonly days: number;
  /** How long a snapshot is served before it is refreshed. */
  readonly ttlMs: number;
}

export class GuideSnapshot {
  private data: GuideData | undefined;
  private loadedAt = 0;
  private loading: Promise<GuideData> | undefined;

  constructor(
    private readonly reader: GuideReader,
    private readonly clock: Clock,
    private readonly options: GuideSnapshotOptions,
  ) {}

  /** The current snapshot; loads or refreshes it (one load at a time) when stale. */
  async get(): Promise<GuideData> {
    const now = this.clock.now();
    if (this.data !== undefined && now - this.loadedAt < this.options.ttlMs) return this.data;
    if (this.loading === undefined) {
      this.loading = this.load(now).finally(() => {
        this.loading = undefined;
      });
    }
    try {
      return await this.loading;
    } catch (error) {
      // A stale snapshot beats none while the source is down.
      if (this.data !== undefined) return this.data;
      throw error;
    }
  }

  /** Forgets the snapshot (next get() reloads). */
  invalidate(): void {
    this.loadedAt = 0;
  }

  private async load(now: number): Promise<GuideData> {
    const channels: readonly Channel[] = await this.reader.listChannels();
    const programs: readonly Program[] = await this.reader.listPrograms({
      from: new Date(now).toISOString(),
      to: new Date(now + this.options.days * 86_400_000).toISOString(),
    });
    this.data = guideData(channels, programs);
    this.loadedAt = now;
    return this.data;
  }
}
