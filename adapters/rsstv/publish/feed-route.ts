/**
 * Serves the published feeds: `/rsstv/feed/<owner feed token>.xml` (every friend's
 * suggestions) and `/rsstv/feed/<invite id>/<friend feed token>.xml` (one friend's). Readers
 * are devices: each request is resolved through the device registry first (held or refused →
 * 403); the secret token in the path then picks the feed (wrong or missing → 404, so the URL
 * space reveals nothing). ETag / Last-Modified with 304 for cheap polling.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdapterDevices, Clock, RequestContext } from '../../../plugin/index.js';
import { formatRfc822 } from '../../../plugin/index.js';
import type { RsstvDeviceSettings } from '../config.js';
import { methodNotAllowed, sendError } from '../http-util.js';
import { inviteState, type RsstvStore } from '../store/rsstv-store.js';
import { deriveToken, sameSecret } from '../store/tokens.js';
import type { FeedService } from './feed-service.js';

export interface FeedRouteDeps {
  readonly store: RsstvStore;
  readonly feeds: FeedService;
  readonly devices: AdapterDevices<RsstvDeviceSettings>;
  readonly clock: Clock;
  readonly secret: () => string;
  readonly basePath: string;
  readonly publishPerFriend: boolean;
  readonly counters: Record<string, number>;
}

export function ownerFeedToken(secret: string, generation: string): string {
  return deriveToken(secret, `feed:owner:${generation}`);
}

export function friendFeedToken(secret: string, inviteId: string): string {
  return deriveToken(secret, `feed:invite:${inviteId}`);
}

/** Whether an If-None-Match header lists this ETag (weak comparison, `*` matches). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === bare;
  });
}

export function handleFeed(deps: FeedRouteDeps, parts: readonly string[], req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
  const method = req.method ?? 'GET';
  const resolution = deps.devices.resolve({
    ip: ctx.remoteAddress,
    headers: req.headers as Readonly<Record<string, string | undefined>>,
    ...(req.headers['user-agent'] === undefined ? {} : { userAgent: req.headers['user-agent'] }),
  });
  if (resolution.status !== 'allowed') {
    deps.counters['refusedReaders'] = (deps.counters['refusedReaders'] ?? 0) + 1;
    sendError(res, 403, 'ERR_RSSTV_DEVICE_REFUSED', resolution.status === 'held' ? 'this reader is waiting for approval' : 'this reader may not read feeds');
    return;
  }
  if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, ['GET', 'HEAD']);
  const secret = deps.secret();
  const notFound = (): void => sendError(res, 404, 'ERR_HTTP_NOT_FOUND', 'no such feed');
  let inviteId: string | undefined;
  let friendName: string | undefined;
  if (parts.length === 1) {
    const token = (parts[0] ?? '').replace(/\.(xml|rss)$/, '');
    if (!sameSecret(token, ownerFeedToken(secret, deps.store.secret('feed_generation') ?? '1'))) return notFound();
  } else if (parts.length === 2 && deps.publishPerFriend) {
    const invite = deps.store.invite(parts[0] ?? '');
    const token = (parts[1] ?? '').replace(/\.(xml|rss)$/, '');
    const now = deps.clock.now();
    if (invite === undefined || !sameSecret(token, friendFeedToken(secret, invite.id))) return notFound();
    if (inviteState(invite, now) !== 'active') return notFound();
    inviteId = invite.id;
    friendName = invite.name;
  } else {
    return notFound();
  }
  const feed = deps.feeds.render({
    now: deps.clock.now(),
    link: `${ctx.origin}${deps.basePath}/`,
    maxItems: resolution.device.settings.maxFeedItems,
    ...(inviteId === undefined ? {} : { inviteId }),
    ...(friendName === undefined ? {} : { friendName }),
  });
  deps.counters['feedRequests'] = (deps.counters['feedRequests'] ?? 0) + 1;
  const headers = {
    'Content-Type': 'application/rss+xml; charset=utf-8',
    ETag: feed.etag,
    'Last-Modified': formatRfc822(feed.lastModified),
    'Cache-Control': 'private, no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  const inm = req.headers['if-none-match'];
  const ims = Date.parse(req.headers['if-modified-since'] ?? '');
  const notModified = inm !== undefined ? etagMatches(inm, feed.etag) : !Number.isNaN(ims) && feed.lastModified <= ims;
  if (notModified) {
    res.writeHead(304, headers).end();
    return;
  }
  const body = Buffer.from(feed.xml, 'utf8');
  res.writeHead(200, { ...headers, 'Content-Length': String(body.length) });
  res.end(method === 'HEAD' ? undefined : body);
}
