/**
 * Polls the subscriptions on the context clock: the sidecar's own feed (rendered and parsed
 * in-process, through the same untrusted-input parser) and remote feeds (conditional GET).
 * One poll at a time; `pollNow()` (every subscription) and `kick()` (one, debounced) queued
 * behind a running poll run after it, so a suggestion stored during a poll is still seen.
 * `stop()` cancels the timer and aborts fetches.
 */
import { errorMessage, type Clock, type Logger, type TimerHandle } from '../../../plugin/index.js';
import type { RsstvConfig } from '../config.js';
import type { RsstvStore, SubscriptionRow } from '../store/rsstv-store.js';
import type { ConsumeReport, Consumer } from './consumer.js';
import { fetchFeed } from './fetch-feed.js';
import { parseFeed, type ParsedFeed } from './feed-parser.js';

export const SELF_SUBSCRIPTION = 'self';

export interface SubscriptionPoll {
  readonly subscription: string;
  readonly result: 'consumed' | 'not-modified' | 'failed';
  readonly detail?: string;
  readonly report?: ConsumeReport;
}

export interface PollerDeps {
  readonly store: RsstvStore;
  readonly consumer: Consumer;
  readonly config: RsstvConfig;
  readonly clock: Clock;
  readonly log: Logger;
  /** The sidecar's own feed as a reader would get it. */
  readonly ownFeed: () => Uint8Array;
  readonly userAgent: string;
  readonly counters: Record<string, number>;
}

export class Poller {
  private timer: TimerHandle | undefined;
  private kickTimer: TimerHandle | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private controller = new AbortController();
  private running = false;
  /** Subscriptions kicked since the last kicked pass was queued. */
  private readonly kicked = new Set<string>();
  /** Last parsed body per remote subscription: retries due after a 304 still have the items. */
  private readonly lastFeeds = new Map<string, ParsedFeed>();

  constructor(private readonly deps: PollerDeps) {}

  start(firstDelayMs = 1000): void {
    if (this.running) return;
    this.running = true;
    this.controller = new AbortController();
    this.schedule(firstDelayMs);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    this.kickTimer?.cancel();
    this.timer = undefined;
    this.kickTimer = undefined;
    this.kicked.clear();
    this.controller.abort(new Error('rsstv poller stopped'));
    await this.queue.catch(() => undefined);
  }

  /** Polls every subscription now (after any poll in progress). */
  pollNow(): Promise<readonly SubscriptionPoll[]> {
    const run = this.queue.then(() => this.pollAll());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Polls one subscription soon (after any poll in progress): the own feed by default, right
   * after a friend's suggestion, or a subscription the owner just added. Kicks within the
   * debounce window share one pass; the other feeds wait for their timer.
   */
  kick(subscriptionId: string = SELF_SUBSCRIPTION): void {
    if (!this.running) return;
    this.kicked.add(subscriptionId);
    if (this.kickTimer !== undefined) return;
    this.kickTimer = this.deps.clock.setTimeout(() => {
      this.kickTimer = undefined;
      const ids = [...this.kicked];
      this.kicked.clear();
      // Looked up when the pass runs: a subscription deleted (or the own feed switched off) is skipped.
      const run = this.queue.then(() => this.pollEach(ids.flatMap((id) => this.deps.store.subscription(id) ?? [])));
      this.queue = run.catch(() => undefined);
    }, 50);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = this.deps.clock.setTimeout(() => {
      void this.pollNow()
        .catch(() => undefined)
        .finally(() => this.schedule(this.deps.config.pollIntervalSeconds * 1000));
    }, delayMs);
  }

  private pollAll(): Promise<readonly SubscriptionPoll[]> {
    return this.pollEach(this.deps.store.subscriptions());
  }

  private async pollEach(subscriptions: readonly SubscriptionRow[]): Promise<readonly SubscriptionPoll[]> {
    const out: SubscriptionPoll[] = [];
    for (const subscription of subscriptions) {
      if (this.controller.signal.aborted) break;
      out.push(await this.pollOne(subscription));
    }
    this.deps.counters['polls'] = (this.deps.counters['polls'] ?? 0) + 1;
    return out;
  }

  private async pollOne(subscription: SubscriptionRow): Promise<SubscriptionPoll> {
    const { store, clock, config, log } = this.deps;
    const limits = { maxBytes: config.fetch.maxBytes, maxItems: Math.max(config.fetch.maxItemsPerPoll, config.maxFeedItems) * 10 };
    try {
      let feed: ParsedFeed;
      let validators: { etag: string | null; lastModified: string | null } | undefined;
      if (subscription.source === 'self') {
        feed = parseFeed(this.deps.ownFeed(), limits);
      } else {
        const cached = this.lastFeeds.get(subscription.id);
        const fetched = await fetchFeed(
          {
            url: subscription.url ?? '',
            ...(cached !== undefined && subscription.etag !== null ? { etag: subscription.etag } : {}),
            ...(cached !== undefined && subscription.last_modified !== null ? { lastModified: subscription.last_modified } : {}),
            timeoutMs: config.fetch.timeoutSeconds * 1000,
            maxBytes: config.fetch.maxBytes,
            userAgent: this.deps.userAgent,
            signal: this.controller.signal,
          },
          clock,
        );
        if (fetched.kind === 'not-modified' && cached !== undefined) {
          const report = await this.deps.consumer.consume(subscription.id, cached, () => clock.now());
          store.recordPoll(subscription.id, clock.now(), 'not modified');
          return { subscription: subscription.id, result: 'not-modified', report };
        }
        if (fetched.kind === 'not-modified') {
          store.recordPoll(subscription.id, clock.now(), 'not modified');
          return { subscription: subscription.id, result: 'not-modified' };
        }
        feed = parseFeed(fetched.body, limits);
        this.lastFeeds.set(subscription.id, feed);
        validators = { etag: fetched.etag ?? null, lastModified: fetched.lastModified ?? null };
      }
      const report = await this.deps.consumer.consume(subscription.id, feed, () => clock.now());
      const summary = `${feed.items.length} item(s)${feed.totalItems > feed.items.length ? ` of ${feed.totalItems} (capped)` : ''}, ${report.processed} handled`;
      store.recordPoll(subscription.id, clock.now(), summary, validators);
      return { subscription: subscription.id, result: 'consumed', report };
    } catch (error) {
      this.deps.counters['feedErrors'] = (this.deps.counters['feedErrors'] ?? 0) + 1;
      const message = errorMessage(error).slice(0, 300);
      store.recordPoll(subscription.id, clock.now(), `failed: ${message}`);
      log.warn('feed poll failed', { subscription: subscription.id, error: message });
      return { subscription: subscription.id, result: 'failed', detail: message };
    }
  }
}
