/**
 * The friends' side, under `/rsstv/s/<invite token>`: the page, the guide search, and the
 * friend's own suggestions. Friends are not devices: the invite token authorises them (the
 * device registry is not consulted). What this side can do is deliberately small
 * (protocols/rsstv.md §6): search the guide snapshot and add a suggestion for an airing that
 * exists in it. It holds no timer client; it cannot list timers, recordings or other friends'
 * suggestions.
 *
 *   no token / unknown token → 401; revoked or expired → 403; too many failed tokens from one
 *   address → 429; POST needs the page's CSRF token (X-CSRF-Token or a `csrf` field) → else 403;
 *   over a rate limit → 429 with Retry-After.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SidecarError, type Clock, type RequestContext } from '../../../plugin/index.js';
import type { RsstvConfig } from '../config.js';
import { searchGuide } from '../guide/guide-search.js';
import type { GuideSnapshot } from '../guide/guide-snapshot.js';
import { methodNotAllowed, readFields, sendError, sendHtml, sendJson, sendRateLimited } from '../http-util.js';
import { suggestPageHtml } from '../pages/suggest-page.js';
import { inviteState, type InviteRow, type RsstvStore } from '../store/rsstv-store.js';
import { deriveToken, looksLikeToken, sameSecret } from '../store/tokens.js';
import { capText } from '../xml-text.js';
import type { FailureLimiter } from './failure-limiter.js';
import { friendView, type SuggestionService } from './suggestions.js';

export interface SuggestRouteDeps {
  readonly store: RsstvStore;
  readonly guide: GuideSnapshot;
  readonly suggestions: SuggestionService;
  readonly failures: FailureLimiter;
  readonly config: RsstvConfig;
  readonly clock: Clock;
  /** The adapter's HMAC secret (CSRF tokens). */
  readonly secret: () => string;
  /** `/rsstv` */
  readonly basePath: string;
  /** Called after a suggestion was stored (the reader picks it up at once). */
  readonly onSuggested: () => void;
  readonly counters: Record<string, number>;
}

const MAX_RESULTS = 60;

export function csrfTokenFor(secret: string, inviteId: string): string {
  return deriveToken(secret, `csrf:${inviteId}`);
}

type InviteCheck = { readonly ok: true; readonly invite: InviteRow } | { readonly ok: false };

function checkInvite(deps: SuggestRouteDeps, token: string | undefined, ctx: RequestContext, res: ServerResponse): InviteCheck {
  const now = deps.clock.now();
  const blocked = deps.failures.blockedFor(ctx.remoteAddress, now);
  if (blocked > 0) {
    sendRateLimited(res, blocked, 'too many invalid invite links from this address');
    return { ok: false };
  }
  const invite = token !== undefined && looksLikeToken(token) ? deps.store.inviteByToken(token) : undefined;
  if (invite === undefined) {
    deps.failures.record(ctx.remoteAddress, now);
    deps.counters['badTokens'] = (deps.counters['badTokens'] ?? 0) + 1;
    sendError(res, 401, 'ERR_RSSTV_TOKEN_INVALID', 'an invite link is required');
    return { ok: false };
  }
  switch (inviteState(invite, now)) {
    case 'revoked':
      sendError(res, 403, 'ERR_RSSTV_TOKEN_REVOKED', 'this invite link was revoked');
      return { ok: false };
    case 'expired':
      sendError(res, 403, 'ERR_RSSTV_TOKEN_EXPIRED', 'this invite link has expired');
      return { ok: false };
    case 'active':
      return { ok: true, invite };
  }
}

function hostOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return new URL(value.includes('://') ? value : `http://${value}`).host.toLowerCase();
  } catch {
    return undefined;
  }
}

async function guideSearch(deps: SuggestRouteDeps, ctx: RequestContext, res: ServerResponse): Promise<void> {
  const guide = await deps.guide.get();
  const now = deps.clock.now();
  const q = ctx.query.get('q')?.slice(0, 100);
  const channel = ctx.query.get('channel') ?? undefined;
  const from = Date.parse(ctx.query.get('from') ?? '');
  const to = Date.parse(ctx.query.get('to') ?? '');
  const programs = searchGuide(guide, {
    ...(q === undefined ? {} : { text: q }),
    ...(channel === undefined || channel === '' ? {} : { channelId: channel }),
    from: Number.isNaN(from) ? now : Math.max(from, now),
    ...(Number.isNaN(to) ? {} : { to }),
    limit: MAX_RESULTS,
  });
  sendJson(res, 200, {
    programs: programs.map((p) => {
      const c = guide.channelsById.get(p.channelId);
      return {
        id: p.id,
        title: p.title,
        ...(p.episodeTitle === undefined ? {} : { episodeTitle: p.episodeTitle }),
        ...(p.overview === undefined ? {} : { overview: capText(p.overview, 240) }),
        channel: c === undefined ? '' : `${c.number} ${c.name}`.trim(),
        channelId: p.channelId,
        start: p.start,
        end: p.end,
      };
    }),
  });
}

async function postSuggestion(deps: SuggestRouteDeps, invite: InviteRow, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const origin = hostOf(req.headers.origin);
  if (origin !== undefined && origin !== hostOf(req.headers.host)) {
    sendError(res, 403, 'ERR_RSSTV_CSRF', 'cross-site request refused');
    return;
  }
  const fields = await readFields(req, 8 * 1024);
  const header = req.headers['x-csrf-token'];
  const presented = (typeof header === 'string' ? header : undefined) ?? fields['csrf'];
  if (presented === undefined || !sameSecret(presented, csrfTokenFor(deps.secret(), invite.id))) {
    sendError(res, 403, 'ERR_RSSTV_CSRF', 'missing or wrong CSRF token');
    return;
  }
  const programId = fields['programId'];
  if (programId === undefined) throw new SidecarError('ERR_RSSTV_BAD_REQUEST', 'invalid-argument', 'programId is required');
  const result = await deps.suggestions.suggest(invite, programId, fields['note'], () => deps.clock.now());
  if (result.kind === 'rate-limited') {
    deps.counters['rateLimited'] = (deps.counters['rateLimited'] ?? 0) + 1;
    sendRateLimited(res, result.retryAfterMs, result.reason);
    return;
  }
  if (result.kind === 'created') {
    deps.counters['suggestions'] = (deps.counters['suggestions'] ?? 0) + 1;
    deps.onSuggested();
  }
  const { suggestion } = result;
  sendJson(res, result.kind === 'created' ? 201 : 200, { suggestion: friendView(suggestion, deps.store.latestForGuid(suggestion.guid), deps.clock.now()) });
}

/** Handles `/s/…` (path segments after `s`). */
export async function handleSuggest(deps: SuggestRouteDeps, parts: readonly string[], req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
  const method = req.method ?? 'GET';
  const [token, area, name, ...rest] = parts;
  const check = checkInvite(deps, token, ctx, res);
  if (!check.ok) return;
  const { invite } = check;
  if (area === undefined) {
    if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, ['GET', 'HEAD']);
    sendHtml(
      res,
      suggestPageHtml({ friendName: invite.name, csrfToken: csrfTokenFor(deps.secret(), invite.id), assetBase: `${deps.basePath}/assets`, guideDays: deps.config.guideDays }),
    );
    return;
  }
  if (area !== 'api' || rest.length > 0) throw new SidecarError('ERR_HTTP_NOT_FOUND', 'not-found', 'no such path');
  switch (name) {
    case 'channels': {
      if (method !== 'GET') return methodNotAllowed(res, ['GET']);
      const guide = await deps.guide.get();
      sendJson(res, 200, { channels: guide.channels.map((c) => ({ id: c.id, number: c.number, name: c.name })) });
      return;
    }
    case 'guide':
      if (method !== 'GET') return methodNotAllowed(res, ['GET']);
      return guideSearch(deps, ctx, res);
    case 'suggestions':
      if (method === 'GET') {
        sendJson(res, 200, { suggestions: deps.suggestions.viewFor(invite.id, deps.clock.now()) });
        return;
      }
      if (method === 'POST') return postSuggestion(deps, invite, req, res);
      return methodNotAllowed(res, ['GET', 'POST']);
    default:
      throw new SidecarError('ERR_HTTP_NOT_FOUND', 'not-found', 'no such path');
  }
}
