/**
 * The owner's side, under `/rsstv/owner/`: the page and a JSON API to create and revoke
 * invites, approve or decline suggestions, manage subscriptions, see every status with its
 * detail (`OK <timer id>`, what a conflict is with) and poll now.
 *
 * Two checks on every API call: the caller is an allowed device (the owner's browser goes
 * through the device registry like any reader; held/refused → 403), and it presents the owner
 * token as `Authorization: Bearer <token>` (missing/wrong → 401). The token lives in
 * `<data>/adapters/rsstv/owner-token` (created at first start, mode 0600); only its SHA-256 is
 * in the database. A Bearer header is never sent by the browser on its own, so the API needs
 * no CSRF token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SidecarError, type AdapterDevices, type Clock, type RequestContext } from '../../../plugin/index.js';
import type { RsstvConfig, RsstvDeviceSettings } from '../config.js';
import type { SubscriptionPoll } from '../consume/poller.js';
import { CONTROL_CHARS, methodNotAllowed, readFields, sendError, sendHtml, sendJson } from '../http-util.js';
import { ownerPageHtml } from '../pages/owner-page.js';
import { friendFeedToken, ownerFeedToken } from '../publish/feed-route.js';
import { inviteState, type ItemRow, type RsstvStore } from '../store/rsstv-store.js';
import { hashToken, randomId, sameSecret } from '../store/tokens.js';
import { friendStatus } from '../suggest/suggestions.js';

export interface OwnerRouteDeps {
  readonly store: RsstvStore;
  readonly devices: AdapterDevices<RsstvDeviceSettings>;
  readonly config: RsstvConfig;
  readonly clock: Clock;
  readonly secret: () => string;
  readonly basePath: string;
  /** Whether start() has set up the owner token. */
  readonly ready: () => boolean;
  readonly pollNow: () => Promise<readonly SubscriptionPoll[]>;
  /** The owner added a subscription (polled at once rather than at the next timer). */
  readonly onSubscriptionAdded: (id: string) => void;
}

export function statusLine(item: Pick<ItemRow, 'status' | 'timer_id'> | undefined): string {
  if (item === undefined) return 'Pending';
  return item.status === 'OK' && item.timer_id !== null ? `OK ${item.timer_id}` : item.status;
}

function cleanName(value: string | undefined, max: number, what: string): string {
  const text = (value ?? '').trim();
  if (text === '' || Array.from(text).length > max || CONTROL_CHARS.test(text) || /[\r\n]/.test(text)) {
    throw new SidecarError('ERR_RSSTV_BAD_REQUEST', 'invalid-argument', `${what} must be 1–${max} characters on one line`);
  }
  return text;
}

type Section = 'feedUrl' | 'invites' | 'suggestions' | 'subscriptions' | 'items';

/** Each part of the owner's overview on its own, so a section's API call builds only that part. */
const SECTIONS: Readonly<Record<Section, (deps: OwnerRouteDeps, origin: string, now: number) => unknown>> = {
  feedUrl: ({ store, secret }, origin) => `${origin}/feed/${ownerFeedToken(secret(), store.secret('feed_generation') ?? '1')}.xml`,
  invites: ({ store, secret, config }, origin, now) =>
    store.invites().map((i) => {
      const state = inviteState(i, now);
      return {
        id: i.id,
        name: i.name,
        createdAt: i.created_at,
        expiresAt: i.expires_at,
        revokedAt: i.revoked_at,
        state,
        ...(config.publishPerFriend && state === 'active' ? { friendFeedUrl: `${origin}/feed/${i.id}/${friendFeedToken(secret(), i.id)}.xml` } : {}),
      };
    }),
  suggestions: ({ store }, _origin, now) => {
    const names = new Map(store.invites().map((i) => [i.id, i.name]));
    const suggestions = store.allSuggestions();
    const latest = store.latestForGuids(suggestions.map((s) => s.guid));
    return suggestions.map((s) => {
      const item = latest.get(s.guid);
      const status = friendStatus(s, item, now).status;
      return {
        id: s.id,
        guid: s.guid,
        friend: names.get(s.invite_id) ?? '',
        title: s.title,
        episodeTitle: s.episode_title,
        channel: `${s.channel_number} ${s.channel_name}`.trim(),
        start: s.start_at,
        end: s.end_at,
        note: s.note,
        review: s.review,
        status,
        statusLine: item === undefined || s.review === 'declined' ? status : statusLine(item),
        detail: item?.detail ?? '',
        timerId: item?.timer_id ?? null,
      };
    });
  },
  subscriptions: ({ store }) => store.subscriptions().map((s) => ({ id: s.id, name: s.name, url: s.url, source: s.source, lastPolledAt: s.last_polled_at, lastResult: s.last_result })),
  items: ({ store }) => {
    const subNames = new Map(store.subscriptions().map((s) => [s.id, s.name]));
    return store.items(500).map((i) => ({
      subscription: subNames.get(i.subscription_id) ?? i.subscription_id,
      subscriptionId: i.subscription_id,
      guid: i.guid,
      title: i.title,
      channel: i.channel,
      start: i.start_at,
      end: i.end_at,
      status: i.status,
      statusLine: statusLine(i),
      detail: i.detail,
      timerId: i.timer_id,
      attempts: i.attempts,
      nextAttemptAt: i.next_attempt_at,
    }));
  },
};

function overview(deps: OwnerRouteDeps, ctx: RequestContext, sections: readonly Section[] = Object.keys(SECTIONS) as Section[]): Record<string, unknown> {
  const origin = `${ctx.origin}${deps.basePath}`;
  const now = deps.clock.now();
  return Object.fromEntries(sections.map((name) => [name, SECTIONS[name](deps, origin, now)]));
}

export async function handleOwner(deps: OwnerRouteDeps, parts: readonly string[], req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
  const method = req.method ?? 'GET';
  const resolution = deps.devices.resolve({
    ip: ctx.remoteAddress,
    headers: req.headers as Readonly<Record<string, string | undefined>>,
    ...(req.headers['user-agent'] === undefined ? {} : { userAgent: req.headers['user-agent'] }),
  });
  if (resolution.status !== 'allowed') return sendError(res, 403, 'ERR_RSSTV_DEVICE_REFUSED', 'this device may not manage RSSTV');
  const [area, ...rest] = parts;
  if (area === undefined) {
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, ['GET', 'HEAD']);
    return sendHtml(res, ownerPageHtml(`${deps.basePath}/assets`));
  }
  if (area !== 'api') throw new SidecarError('ERR_HTTP_NOT_FOUND', 'not-found', 'no such path');
  if (!deps.ready()) throw new SidecarError('ERR_RSSTV_NOT_READY', 'unavailable', 'the adapter is starting');
  const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const stored = deps.store.secret('owner_token_hash');
  if (auth === undefined || stored === undefined || !sameSecret(hashToken(auth), stored)) {
    return sendError(res, 401, 'ERR_RSSTV_OWNER_UNAUTHENTICATED', 'the owner token is required', { 'WWW-Authenticate': 'Bearer realm="rsstv"' });
  }
  const { store, clock } = deps;
  const [name, id, action] = rest;
  const now = clock.now();
  const route = `${method} ${name ?? ''}${id === undefined ? '' : '/:id'}${action === undefined ? '' : `/${action}`}`;
  switch (route) {
    case 'GET overview':
      return sendJson(res, 200, overview(deps, ctx));
    case 'GET invites':
    case 'GET suggestions':
    case 'GET subscriptions':
    case 'GET items':
      return sendJson(res, 200, overview(deps, ctx, [name as Section]));
    case 'POST invites': {
      const fields = await readFields(req, 8 * 1024);
      const friend = cleanName(fields['name'], 60, 'name');
      const daysText = fields['expiresInDays'];
      const days = daysText === undefined || daysText === '' ? deps.config.inviteExpiryDays : Number(daysText);
      if (!Number.isInteger(days) || days < 0 || days > 3650) throw new SidecarError('ERR_RSSTV_BAD_REQUEST', 'invalid-argument', 'expiresInDays must be 0–3650');
      const { invite, token } = store.createInvite(friend, now, days === 0 ? undefined : now + days * 86_400_000);
      return sendJson(res, 201, {
        invite: { id: invite.id, name: invite.name, createdAt: invite.created_at, expiresAt: invite.expires_at },
        link: `${ctx.origin}${deps.basePath}/s/${token}`,
      });
    }
    case 'POST invites/:id/revoke':
      if (!store.revokeInvite(id ?? '', now) && store.invite(id ?? '') === undefined) throw new SidecarError('ERR_HTTP_NOT_FOUND', 'not-found', 'no such invite');
      return sendJson(res, 200, { revoked: id });
    case 'POST suggestions/:id/approve':
    case 'POST suggestions/:id/decline':
      if (!store.setReview(id ?? '', action === 'approve' ? 'approved' : 'declined')) throw new SidecarError('ERR_HTTP_NOT_FOUND', 'not-found', 'no such suggestion');
      return sendJson(res, 200, { id, review: action === 'approve' ? 'approved' : 'declined' });
    case 'POST subscriptions': {
      const fields = await readFields(req, 8 * 1024);
      const label = cleanName(fields['name'], 100, 'name');
      const url = (fields['url'] ?? '').trim();
      if (!/^https?:\/\//i.test(url) || !URL.canParse(url) || url.length > 2000) throw new SidecarError('ERR_RSSTV_BAD_REQUEST', 'invalid-argument', 'url must be an http(s) URL');
      const subId = `own-${randomId()}`;
      store.upsertSubscription({ id: subId, name: label, url, source: 'owner' }, now);
      deps.onSubscriptionAdded(subId);
      return sendJson(res, 201, { id: subId, name: label });
    }
    case 'DELETE subscriptions/:id':
      if (!store.deleteSubscription(id ?? '')) throw new SidecarError('ERR_HTTP_NOT_FOUND', 'not-found', 'no such owner subscription');
      return sendJson(res, 200, { deleted: id });
    case 'POST poll':
      return sendJson(res, 200, { polls: await deps.pollNow() });
    case 'POST feed-token/rotate': {
      const next = String(Number(store.secret('feed_generation') ?? '1') + 1);
      store.setSecret('feed_generation', next);
      return sendJson(res, 200, overview(deps, ctx));
    }
    default:
      if (['overview', 'invites', 'suggestions', 'subscriptions', 'items', 'poll', 'feed-token'].includes(name ?? '')) return methodNotAllowed(res, ['GET', 'POST', 'DELETE']);
      throw new SidecarError('ERR_HTTP_NOT_FOUND', 'not-found', 'no such path');
  }
}
