/**
 * The RSSTV adapter at run time. The constructor only wires and mounts routes under `/rsstv/`
 * (no sockets, no timers); start() writes the owner token file and starts the poller on the
 * context clock; stop() stops the poller. Three separate parts share only the SQLite store:
 * the friends' side (guide snapshot, suggestions; no timer client), the publisher (feeds) and
 * the reader (poller → consumer → scheduler, the only part that can create timers).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  SidecarError,
  errorMessage,
  type Adapter,
  type AdapterContext,
  type AdapterHealth,
  type AdapterState,
  type RequestContext,
} from '../../plugin/index.js';
import type { RsstvConfig, RsstvDeviceSettings } from './config.js';
import { Consumer } from './consume/consumer.js';
import { DEFAULT_ITEM_LIMITS } from './consume/feed-item.js';
import { Poller, SELF_SUBSCRIPTION } from './consume/poller.js';
import { Scheduler } from './consume/scheduler.js';
import { GuideSnapshot } from './guide/guide-snapshot.js';
import { methodNotAllowed, segments, sendAsset } from './http-util.js';
import { handleOwner } from './owner/owner-routes.js';
import { OWNER_JS } from './pages/owner-page.js';
import { PAGE_CSS } from './pages/style.js';
import { SUGGEST_JS } from './pages/suggest-page.js';
import { handleFeed } from './publish/feed-route.js';
import { FeedService } from './publish/feed-service.js';
import { RsstvStore } from './store/rsstv-store.js';
import { hashToken, looksLikeToken, randomToken } from './store/tokens.js';
import { FailureLimiter } from './suggest/failure-limiter.js';
import { handleSuggest } from './suggest/suggest-routes.js';
import { SuggestionService } from './suggest/suggestions.js';

type Context = AdapterContext<RsstvConfig, RsstvDeviceSettings>;

const ASSETS: Readonly<Record<string, { readonly type: string; readonly body: string }>> = {
  'style.css': { type: 'text/css', body: PAGE_CSS },
  'suggest.js': { type: 'text/javascript', body: SUGGEST_JS },
  'owner.js': { type: 'text/javascript', body: OWNER_JS },
  // Browsers ask for an icon; without one they log a 404 for /favicon.ico.
  'icon.svg': { type: 'image/svg+xml', body: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="12" y="2" rx="2" fill="#23395b"/></svg>' },
};

/** Config feeds get a stable subscription id from their URL (the URL itself is never logged). */
function configSubscriptionId(url: string): string {
  return `cfg-${hashToken(url).slice(0, 12)}`;
}

export class RsstvAdapter implements Adapter {
  private state: AdapterState = 'starting';
  private since: string;
  private detail = 'created';
  private lastError: AdapterHealth['lastError'];
  private readonly counters: Record<string, number> = {};
  private readonly store: RsstvStore;
  private readonly poller: Poller;
  private readonly feeds: FeedService;
  private readonly basePath: string;
  private ownerReady = false;
  private stopping = false;

  constructor(private readonly context: Context) {
    const { config, clock, log } = context;
    this.since = new Date(clock.now()).toISOString();
    this.basePath = `/${context.id}`;
    this.store = new RsstvStore(context.state);
    const secret = this.store.ensureSecret('hmac');
    const getSecret = (): string => secret;
    this.feeds = new FeedService(this.store, config);

    // Reader side: the only holder of the timer-creating client.
    const scheduler = new Scheduler(context.liveTv, clock, {
      maxConcurrentRecordings: config.maxConcurrentRecordings,
      resolve: { aliases: config.channelAliases, numberFallback: config.numberFallback },
      channelCacheMs: 10 * 60_000,
    });
    const consumer = new Consumer(this.store, scheduler, log, { maxItemsPerPoll: config.fetch.maxItemsPerPoll, limits: DEFAULT_ITEM_LIMITS, retryBaseMs: config.retry.baseSeconds * 1000, retryMaxMs: config.retry.maxSeconds * 1000 }, (status) => {
      this.count(`items${status.replace(/[^A-Za-z]/g, '')}`);
    });
    this.poller = new Poller({
      store: this.store,
      consumer,
      config,
      clock,
      log,
      ownFeed: () => Buffer.from(this.feeds.render({ now: clock.now(), link: `${this.basePath}/`, maxItems: config.maxFeedItems }).xml, 'utf8'),
      userAgent: `Jellybridge-RSSTV/${context.server.version}`,
      counters: this.counters,
    });

    // Friends' side: read-only guide access (the two list methods), no timer client.
    const guide = new GuideSnapshot({ listChannels: (u) => context.liveTv.listChannels(u), listPrograms: (q, u) => context.liveTv.listPrograms(q, u) }, clock, {
      days: config.guideDays,
      ttlMs: 5 * 60_000,
    });
    const suggestions = new SuggestionService(this.store, guide, config);
    const failures = new FailureLimiter(config.limits.failedTokenAttempts, 10 * 60_000);

    const suggestDeps = {
      store: this.store,
      guide,
      suggestions,
      failures,
      config,
      clock,
      secret: getSecret,
      basePath: this.basePath,
      onSuggested: () => this.poller.kick(),
      counters: this.counters,
    };
    const feedDeps = { store: this.store, feeds: this.feeds, devices: context.devices, clock, secret: getSecret, basePath: this.basePath, publishPerFriend: config.publishPerFriend, counters: this.counters };
    const ownerDeps = {
      store: this.store,
      devices: context.devices,
      config,
      clock,
      secret: getSecret,
      basePath: this.basePath,
      ready: () => this.ownerReady,
      pollNow: () => this.poller.pollNow(),
      onSubscriptionAdded: (id: string) => this.poller.kick(id),
    };

    context.http.mount(async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => {
      if (this.stopping) throw new SidecarError('ERR_RSSTV_NOT_READY', 'unavailable', 'the adapter is stopping');
      const parts = segments(ctx.path);
      if (parts === undefined) throw new SidecarError('ERR_RSSTV_BAD_REQUEST', 'invalid-argument', 'bad path encoding');
      const [area, ...rest] = parts;
      switch (area) {
        case 's':
          return handleSuggest(suggestDeps, rest, req, res, ctx);
        case 'feed':
          return handleFeed(feedDeps, rest, req, res, ctx);
        case 'owner':
          return handleOwner(ownerDeps, rest, req, res, ctx);
        case 'assets': {
          const asset = rest.length === 1 ? ASSETS[rest[0] ?? ''] : undefined;
          if (asset === undefined) break;
          if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, ['GET', 'HEAD']);
          return sendAsset(res, asset.type, asset.body, req.method);
        }
        default:
          break;
      }
      throw new SidecarError('ERR_HTTP_NOT_FOUND', 'not-found', 'no such path');
    });
  }

  start(): Promise<void> {
    const { config, clock, log } = this.context;
    try {
      this.ensureOwnerToken();
      this.syncSubscriptions();
      this.poller.start();
      this.ownerReady = true;
      this.setState('ready', `polling ${this.store.subscriptions().length} feed(s) every ${config.pollIntervalSeconds} s`);
      log.info('rsstv ready', { subscriptions: this.store.subscriptions().length, ownerTokenFile: this.ownerTokenPath() });
      return Promise.resolve();
    } catch (error) {
      this.lastError = { code: 'ERR_RSSTV_START', message: errorMessage(error), at: new Date(clock.now()).toISOString() };
      this.setState('failed', errorMessage(error));
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await this.poller.stop();
    this.setState('stopped', 'stopped');
  }

  health(): AdapterHealth {
    return {
      state: this.state,
      since: this.since,
      detail: this.detail,
      counters: { ...this.counters },
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ports: { http: this.context.http.devicePort() },
    };
  }

  private ownerTokenPath(): string {
    return join(this.context.dataDir, 'owner-token');
  }

  /**
   * The owner token: kept in a file only the sidecar's user can read; the database has its
   * hash. An existing well-formed file wins (so the owner can set or rotate it by editing the
   * file and restarting); otherwise a new token is written.
   */
  private ensureOwnerToken(): void {
    const path = this.ownerTokenPath();
    let token = existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
    if (!looksLikeToken(token)) {
      token = randomToken();
      writeFileSync(path, `${token}\n`, { mode: 0o600 });
      this.context.log.info('rsstv owner token written', { path });
    }
    this.store.setSecret('owner_token_hash', hashToken(token));
  }

  private syncSubscriptions(): void {
    const { config, clock } = this.context;
    const now = clock.now();
    if (config.consumeOwnFeed) this.store.upsertSubscription({ id: SELF_SUBSCRIPTION, name: 'Friends of this DVR', url: null, source: 'self' }, now);
    else this.context.state.run("DELETE FROM rsstv_subscriptions WHERE source = 'self'");
    const ids = config.feeds.map((f) => configSubscriptionId(f.url));
    config.feeds.forEach((feed, i) => this.store.upsertSubscription({ id: ids[i] ?? configSubscriptionId(feed.url), name: feed.name, url: feed.url, source: 'config' }, now));
    this.store.pruneConfigSubscriptions(ids);
  }

  private count(name: string): void {
    this.counters[name] = (this.counters[name] ?? 0) + 1;
  }

  private setState(state: AdapterState, detail: string): void {
    this.state = state;
    this.detail = detail;
    this.since = new Date(this.context.clock.now()).toISOString();
  }
}
