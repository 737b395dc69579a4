/**
 * Applies a parsed feed to live TV, item by item, idempotently (protocols/rsstv.md §5): an
 * item with a final status is never looked at again (across polls and restarts: the status is
 * in SQLite, keyed by subscription + guid); an `Error` is retried with backoff while the
 * airing lasts, and never turns into a false `OK`.
 */
import { errorMessage, type Logger } from '../../../plugin/index.js';
import { FINAL_STATUSES, type ItemRow, type ItemStatus, type RsstvStore } from '../store/rsstv-store.js';
import { classifyItem, itemKey, type ItemLimits } from './feed-item.js';
import type { ParsedFeed } from './feed-parser.js';
import type { Scheduler } from './scheduler.js';

export interface ConsumeReport {
  /** Items looked at in this pass (new or due for a retry). */
  readonly processed: number;
  /** Items skipped because their status is final or their retry is not due. */
  readonly skipped: number;
  /** Items left for the next poll by the per-poll cap. */
  readonly deferred: number;
  readonly byStatus: Readonly<Partial<Record<ItemStatus, number>>>;
}

export interface ConsumerOptions {
  readonly maxItemsPerPoll: number;
  readonly limits: ItemLimits;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
}

/** Backoff after the n-th failed attempt (n ≥ 1): base · 2^(n−1), capped. */
export function retryDelay(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(30, attempts - 1)));
}

export class Consumer {
  constructor(
    private readonly store: RsstvStore,
    private readonly scheduler: Scheduler,
    private readonly log: Logger,
    private readonly options: ConsumerOptions,
    private readonly onStatus: (status: ItemStatus) => void = () => undefined,
  ) {}

  async consume(subscriptionId: string, feed: ParsedFeed, now: () => number): Promise<ConsumeReport> {
    let processed = 0;
    let skipped = 0;
    let deferred = 0;
    const byStatus: Partial<Record<ItemStatus, number>> = {};
    const seen = new Set<string>();
    for (const raw of feed.items) {
      const guid = itemKey(raw);
      if (seen.has(guid)) continue;
      seen.add(guid);
      const previous = this.store.item(subscriptionId, guid);
      if (previous !== undefined && (FINAL_STATUSES.has(previous.status) || (previous.next_attempt_at ?? 0) > now())) {
        skipped++;
        continue;
      }
      if (processed >= this.options.maxItemsPerPoll) {
        deferred++;
        continue;
      }
      processed++;
      const status = await this.consumeItem(subscriptionId, raw, guid, previous, now);
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      this.onStatus(status);
    }
    return { processed, skipped, deferred, byStatus };
  }

  private async consumeItem(subscriptionId: string, raw: ParsedFeed['items'][number], guid: string, previous: ItemRow | undefined, now: () => number): Promise<ItemStatus> {
    const at = now();
    const outcome = classifyItem(raw, at, this.options.limits);
    const base = { subscription_id: subscriptionId, guid, attempts: previous?.attempts ?? 0, timer_id: null, next_attempt_at: null, updated_at: at };
    if (outcome.kind === 'rejected') {
      this.store.saveItem({ ...base, title: outcome.title, channel: raw.channel ?? raw.callSign ?? '', start_at: null, end_at: null, status: 'Rejected', detail: outcome.reason });
      return 'Rejected';
    }
    if (outcome.kind === 'expired') {
      this.store.saveItem({ ...base, title: outcome.title, channel: raw.channel ?? '', start_at: outcome.start ?? null, end_at: outcome.stop ?? null, status: 'Expired', detail: 'the airing is over' });
      return 'Expired';
    }
    const airing = outcome.airing;
    const row = { ...base, title: airing.title, channel: airing.channel.number === undefined ? airing.channel.callSign : `${airing.channel.number} ${airing.channel.callSign}`, start_at: airing.start, end_at: airing.stop };
    try {
      const result = await this.scheduler.schedule(airing);
      this.store.saveItem({ ...row, status: result.status, detail: result.channel === undefined ? result.detail : `${result.detail} [${result.channel}]`, timer_id: result.timerId ?? null, updated_at: now() });
      this.log.info('feed item handled', { subscription: subscriptionId, item: airing.guid, status: result.status, ...(result.timerId === undefined ? {} : { timer: result.timerId }) });
      return result.status;
    } catch (error) {
      const attempts = (previous?.attempts ?? 0) + 1;
      const next = now() + retryDelay(attempts, this.options.retryBaseMs, this.options.retryMaxMs);
      this.store.saveItem({ ...row, status: 'Error', detail: errorMessage(error).slice(0, 500), attempts, next_attempt_at: next, updated_at: now() });
      this.log.warn('feed item failed; will retry', { subscription: subscriptionId, item: airing.guid, attempts, error: errorMessage(error) });
      return 'Error';
    }
  }
}
