/**
 * The admin surface (issue #3): a JSON API and a plain HTML/CSS/JS UI, served on the admin
 * listener (127.0.0.1 by default, separate from every device-facing listener, so nothing a
 * device sends reaches it). Every route but the login/setup pages, their assets and the login
 * calls needs a session; state changes also need the session's CSRF token in
 * `X-Jellybridge-CSRF` and a same-origin `Origin` when the browser sends one. Adapters' admin
 * routes (`/adapters/<id>/…`, e.g. the camera live view) get the same checks before they run.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext, RequestHandler } from '../http/types.js';
import { isLoopbackHostname } from '../util/cidr.js';
import { SidecarError } from '../util/errors.js';
import { apiRoutes, type ApiRoute } from './api-routes.js';
import { objectBody, onlyKeys, requiredString } from './body-fields.js';
import { Credentials, MAX_PASSWORD } from './credentials.js';
import { SECURITY_HEADERS, parseCookies, readJsonBody, redirect, sendAdminError, sendJson, sendNoContent, sendText } from './http-io.js';
import { LoginLimiter } from './login-limiter.js';
import { SessionStore, type AdminSession } from './sessions.js';
import type { AdminDeps } from './types.js';
import { UI_ASSETS, appPage, loginPage, setupPage } from './ui/pages.js';

export { adminMigrations } from './admin-migrations.js';
export type { AdminDeps } from './types.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'jb_admin_session';
/** The header carrying the per-session CSRF token on state changes. */
export const CSRF_HEADER = 'x-jellybridge-csrf';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** `/adapters/<adapter-id>/<rest>`: an adapter's admin-only route. */
const ADAPTER_ROUTE = /^\/adapters\/([a-z0-9][a-z0-9-]*)(\/.*)$/;

/** The Host header names this machine's loopback (guards setup against DNS rebinding). */
function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && isLoopbackHostname(host.replace(/:\d+$/, ''));
}

/** A cross-site request (other Origin, or a browser saying so) never changes state. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    try {
      return origin !== 'null' && new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  }
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

function tokensEqual(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Builds the admin request handler; mount it at `/` of the admin listener. */
export function createAdminHandler(deps: AdminDeps): RequestHandler {
  const options = deps.options ?? {};
  const failureDelayMs = options.failureDelayMs ?? 1000;
  const credentials = new Credentials(deps.db, deps.clock, deps.password);
  const sessions = new SessionStore(deps.clock, options.sessionIdleMs ?? 12 * 3600_000, options.sessionMaxMs ?? 7 * 24 * 3600_000);
  const limiter = new LoginLimiter(deps.clock, options.maxLoginAttempts ?? 10, options.loginWindowMs ?? 10 * 60_000);
  const routes: readonly ApiRoute[] = apiRoutes(deps);
  const log = deps.log;

  const setupAllowed = (req: IncomingMessage, ctx: RequestContext): boolean =>
    credentials.mode() === 'unset' && isLoopbackHostname(ctx.remoteAddress) && isLoopbackHost(req.headers.host);

  const cookieFor = (req: IncomingMessage, value: string, maxAgeSeconds: number): string => {
    const secure = deps.secureCookies === true || (req.socket as { encrypted?: boolean }).encrypted === true;
    return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
  };

  const startSession = (req: IncomingMessage, res: ServerResponse): void => {
    const session = sessions.create();
    const maxAge = Math.floor((sessions.expiresAt(session) - deps.clock.now()) / 1000);
    sendJson(res, 200, { csrfToken: session.csrfToken, expiresAt: new Date(sessions.expiresAt(session)).toISOString() }, { 'Set-Cookie': cookieFor(req, session.id, maxAge) });
  };

  /** Checks a password under the rate limit; a wrong one answers 401 after the delay. */
  const checkPassword = async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext, password: string, what: string): Promise<boolean> => {
    const verdict = limiter.attempt(ctx.remoteAddress);
    if (!verdict.allowed) {
      log.warn('admin login rate-limited', { ip: ctx.remoteAddress });
      sendJson(res, 429, { error: { code: 'ERR_ADMIN_RATE_LIMITED', message: 'too many attempts; try again later' } }, { 'Retry-After': String(verdict.retryAfterSeconds) });
      return false;
    }
    if (await credentials.verify(password)) {
      limiter.succeeded(ctx.remoteAddress);
      return true;
    }
    log.warn(`admin ${what} failed: wrong password`, { ip: ctx.remoteAddress });
    // The delay slows guessing; the answer never says what was wrong.
    await deps.clock.sleep(failureDelayMs);
    sendAdminError(res, new SidecarError('ERR_ADMIN_UNAUTHENTICATED', 'unauthenticated', 'wrong credentials'));
    return false;
  };

  const passwordField = (value: unknown, field: string): string => {
    const b = objectBody(value);
    onlyKeys(b, [field]);
    return requiredString(b, field, MAX_PASSWORD);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> => {
    // Set before any route runs, so error bodies and adapters' admin routes carry them as well.
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const method = req.method ?? 'GET';
    const path = ctx.path;
    const unsafe = UNSAFE.has(method);
    const getLike = method === 'GET' || method === 'HEAD';

    // Public pages and their assets.
    if (getLike) {
      const asset = UI_ASSETS.get(path);
      if (asset) return sendText(res, 200, asset.type, asset.body, { 'Cache-Control': 'no-cache' });
      if (path === '/login') return sendText(res, 200, 'text/html; charset=utf-8', loginPage(), { 'Cache-Control': 'no-store' });
      if (path === '/setup') {
        if (!setupAllowed(req, ctx)) return redirect(res, '/login');
        return sendText(res, 200, 'text/html; charset=utf-8', setupPage(), { 'Cache-Control': 'no-store' });
      }
    }

    if (unsafe) {
      if (!sameOrigin(req)) throw new SidecarError('ERR_ADMIN_CSRF', 'permission-denied', 'cross-origin request refused');
      // A custom header cannot be sent cross-site without a CORS preflight, which we never grant.
      if (!headerValue(req, CSRF_HEADER)) throw new SidecarError('ERR_ADMIN_CSRF', 'permission-denied', `missing ${CSRF_HEADER} header`);
    }

    if (path === '/api/auth' && getLike) {
      const session = sessions.touch(parseCookies(req.headers.cookie).get(SESSION_COOKIE));
      return sendJson(res, 200, { authenticated: session !== undefined, passwordFrom: credentials.mode(), setupAllowed: setupAllowed(req, ctx) });
    }
    if (path === '/api/login' && method === 'POST') {
      const password = passwordField(await readJsonBody(req), 'password');
      if (credentials.mode() === 'unset') throw new SidecarError('ERR_ADMIN_SETUP_REQUIRED', 'failed-precondition', 'no admin password is set yet: open /setup on the machine running Jellybridge, or set JELLYBRIDGE_ADMIN_PASSWORD');
      if (!(await checkPassword(req, res, ctx, password, 'login'))) return;
      log.info('admin logged in', { ip: ctx.remoteAddress });
      return startSession(req, res);
    }
    if (path === '/api/setup' && method === 'POST') {
      if (!setupAllowed(req, ctx)) {
        throw credentials.mode() === 'unset'
          ? new SidecarError('ERR_ADMIN_SETUP_FORBIDDEN', 'permission-denied', 'the first password can only be set from this machine (http://127.0.0.1 or http://localhost)')
          : new SidecarError('ERR_ADMIN_SETUP_CLOSED', 'failed-precondition', 'an admin password is already set');
      }
      const password = passwordField(await readJsonBody(req), 'password');
      await credentials.setInitial(password);
      log.info('admin password set at first start', { ip: ctx.remoteAddress });
      return startSession(req, res);
    }

    const sessionId = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    const session: AdminSession | undefined = sessions.touch(sessionId);

    if (getLike && (path === '/' || path === '/index.html')) {
      if (!session) return redirect(res, setupAllowed(req, ctx) ? '/setup' : '/login');
      return sendText(res, 200, 'text/html; charset=utf-8', appPage(), { 'Cache-Control': 'no-store' });
    }
    const adapterRoute = ADAPTER_ROUTE.exec(path);
    if (!adapterRoute && !path.startsWith('/api/')) throw new SidecarError('ERR_ADMIN_NOT_FOUND', 'not-found', 'no such page');
    if (!session) throw new SidecarError('ERR_ADMIN_UNAUTHENTICATED', 'unauthenticated', 'log in first');
    if (unsafe && !tokensEqual(headerValue(req, CSRF_HEADER), session.csrfToken)) {
      throw new SidecarError('ERR_ADMIN_CSRF', 'permission-denied', `wrong ${CSRF_HEADER} token`);
    }
    if (adapterRoute) {
      const handler = deps.adapterRoute?.(adapterRoute[1] ?? '');
      if (!handler) throw new SidecarError('ERR_ADMIN_NOT_FOUND', 'not-found', 'no such adapter route');
      return await handler(req, res, { ...ctx, path: adapterRoute[2] ?? '/' });
    }

    if (path === '/api/session' && getLike) {
      return sendJson(res, 200, { csrfToken: session.csrfToken, expiresAt: new Date(sessions.expiresAt(session)).toISOString(), passwordFrom: credentials.mode() });
    }
    if (path === '/api/logout' && method === 'POST') {
      sessions.delete(session.id);
      return sendNoContent(res, { 'Set-Cookie': cookieFor(req, '', 0) });
    }
    if (path === '/api/password' && method === 'POST') {
      const b = objectBody(await readJsonBody(req));
      onlyKeys(b, ['current', 'next']);
      const current = requiredString(b, 'current', MAX_PASSWORD);
      const next = requiredString(b, 'next', MAX_PASSWORD);
      // Before the password check, so a refused change costs no login attempt.
      credentials.assertChangeable();
      if (!(await checkPassword(req, res, ctx, current, 'password change'))) return;
      await credentials.change(next);
      sessions.deleteAllExcept(session.id);
      log.info('admin password changed', { ip: ctx.remoteAddress });
      return sendNoContent(res);
    }

    let pathMatched = false;
    for (const route of routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) continue;
      const result = await route.run(match.slice(1), req, ctx);
      if (result.status === 204) return sendNoContent(res);
      return sendJson(res, result.status, result.body);
    }
    if (pathMatched) throw new SidecarError('ERR_ADMIN_METHOD', 'invalid-argument', `${method} is not supported on ${path}`);
    throw new SidecarError('ERR_ADMIN_NOT_FOUND', 'not-found', 'no such API route');
  };

  return async (req, res, ctx) => {
    try {
      await handle(req, res, ctx);
    } catch (error) {
      const err = sendAdminError(res, error);
      if (err.kind === 'internal') log.error('admin request failed', { code: err.code, error: err.cause ?? err, path: ctx.path });
    }
  };
}
