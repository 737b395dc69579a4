/**
 * The admin JSON API behind the UI (authenticated routes; auth and CSRF are checked by
 * admin-handler.ts before these run). docs/admin-api.md documents each route.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestContext } from '../http/types.js';
import { LOG_LEVELS, type LogLevel } from '../log/logger.js';
import { SidecarError } from '../util/errors.js';
import {
  objectBody,
  onlyKeys,
  optionalBoolean,
  optionalEnum,
  optionalObject,
  optionalString,
  optionalStringArray,
  requiredString,
  type JsonObject,
} from './body-fields.js';
import { badRequest, readJsonBody } from './http-io.js';
import type { AdminDeps, LibrarySourceSetting } from './types.js';

export interface ApiResult {
  readonly status: number;
  /** Omitted for 204. */
  readonly body?: unknown;
}

export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly pattern: RegExp;
  run(params: readonly string[], req: IncomingMessage, ctx: RequestContext): ApiResult | Promise<ApiResult>;
}

const ok = (body: unknown): ApiResult => ({ status: 200, body });
const noContent: ApiResult = { status: 204 };

function decodeParam(raw: string | undefined, field: string): string {
  try {
    const value = decodeURIComponent(raw ?? '');
    if (value === '') throw new Error('empty');
    return value;
  } catch {
    throw badRequest(field, 'not a valid path segment');
  }
}

function notFound(what: string): SidecarError {
  return new SidecarError('ERR_ADMIN_NOT_FOUND', 'not-found', what);
}

async function body(req: IncomingMessage, optional = false): Promise<JsonObject> {
  return objectBody(await readJsonBody(req), optional);
}

/** Builds the API route table over the deps. */
export function apiRoutes(deps: AdminDeps): readonly ApiRoute[] {
  const { registry } = deps;
  const device = (id: string): unknown => {
    const view = registry.get(id);
    if (!view) throw new SidecarError('ERR_DEVICES_NOT_FOUND', 'not-found', `no device with id "${id}"`);
    return view;
  };

  return [
    { method: 'GET', pattern: /^\/api\/health$/, run: () => ok(deps.health()) },
    { method: 'GET', pattern: /^\/api\/adapters$/, run: () => ok({ adapters: deps.adapters() }) },
    { method: 'GET', pattern: /^\/api\/devices$/, run: () => ok({ adapters: registry.adapterIds(), devices: registry.list() }) },
    { method: 'GET', pattern: /^\/api\/devices\/([^/]+)$/, run: ([id]) => ok(device(decodeParam(id, 'id'))) },
    {
      method: 'PATCH',
      pattern: /^\/api\/devices\/([^/]+)$/,
      async run([rawId], req) {
        const id = decodeParam(rawId, 'id');
        const b = await body(req);
        onlyKeys(b, ['name', 'userId', 'approval']);
        const name = optionalString(b, 'name', true, 100);
        if (typeof name === 'string' && name.trim() === '') throw badRequest('name', 'expected a non-empty string or null');
        const userId = optionalString(b, 'userId', true, 200);
        if (typeof userId === 'string' && userId.trim() === '') throw badRequest('userId', 'expected a user id or null');
        const approval = optionalEnum(b, 'approval', ['approved', 'held', 'refused'] as const, true);
        device(id);
        if (name !== undefined) registry.rename(id, name);
        if (userId !== undefined) registry.setUserId(id, userId);
        if (approval !== undefined) registry.setApproval(id, approval);
        return ok(device(id));
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/devices\/([^/]+)\/approve$/,
      async run([rawId], req) {
        const id = decodeParam(rawId, 'id');
        const b = await body(req, true);
        onlyKeys(b, ['enable']);
        const enable = optionalStringArray(b, 'enable') ?? [];
        device(id);
        for (const adapterId of enable) if (!registry.adapterIds().includes(adapterId)) throw badRequest('enable', `unknown adapter "${adapterId}"`);
        return ok(registry.approve(id, enable));
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/devices\/([^/]+)\/refuse$/,
      async run([rawId], req) {
        const id = decodeParam(rawId, 'id');
        onlyKeys(await body(req, true), []);
        return ok(registry.refuse(id));
      },
    },
    {
      method: 'PUT',
      pattern: /^\/api\/devices\/([^/]+)\/adapters\/([^/]+)$/,
      async run([rawId, rawAdapter], req) {
        const id = decodeParam(rawId, 'id');
        const adapterId = decodeParam(rawAdapter, 'adapterId');
        const b = await body(req);
        onlyKeys(b, ['enabled', 'overrides']);
        const enabled = optionalBoolean(b, 'enabled', true);
        const overrides = optionalObject(b, 'overrides', true);
        device(id);
        if (!registry.adapterIds().includes(adapterId)) throw notFound(`no adapter "${adapterId}"`);
        // Overrides first: when they are invalid nothing changes.
        if (overrides !== undefined) registry.setOverrides(id, adapterId, overrides);
        if (enabled !== undefined) registry.setAdapterEnabled(id, adapterId, enabled);
        return ok(device(id));
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/devices\/([^/]+)$/,
      run([rawId]) {
        const id = decodeParam(rawId, 'id');
        device(id);
        registry.delete(id);
        return noContent;
      },
    },
    { method: 'GET', pattern: /^\/api\/users$/, run: async () => ok({ users: await deps.listUsers() }) },
    { method: 'GET', pattern: /^\/api\/transcodes$/, run: () => ok({ transcodes: deps.transcoder.active() }) },
    {
      method: 'POST',
      pattern: /^\/api\/transcodes\/([^/]+)\/stop$/,
      async run([rawId], req) {
        const id = decodeParam(rawId, 'id');
        onlyKeys(await body(req, true), []);
        if (!(await deps.transcoder.stopSession(id))) throw notFound(`no active transcode "${id}"`);
        return noContent;
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/recorders$/,
      run: () => ok(deps.recorders ? { available: true, recorders: deps.recorders() } : { available: false, recorders: [] }),
    },
    { method: 'GET', pattern: /^\/api\/library$/, run: () => ok(deps.libraryInfo()) },
    {
      method: 'POST',
      pattern: /^\/api\/library\/rescan$/,
      async run(_params, req) {
        onlyKeys(await body(req, true), []);
        await deps.rescanLibrary();
        return ok(deps.libraryInfo());
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/library\/test$/,
      async run(_params, req) {
        const b = await body(req);
        onlyKeys(b, ['url', 'apiKey']);
        const url = checkUrl(requiredString(b, 'url', 2000));
        const apiKey = optionalString(b, 'apiKey', false, 500) ?? undefined;
        return ok(await deps.testJellyfinConnection(url, apiKey === '' ? undefined : apiKey));
      },
    },
    {
      method: 'PUT',
      pattern: /^\/api\/library\/source$/,
      async run(_params, req) {
        const b = await body(req);
        const kind = optionalEnum(b, 'kind', ['local', 'jellyfin'] as const, false);
        let source: LibrarySourceSetting;
        if (kind === 'local') {
          onlyKeys(b, ['kind', 'path']);
          source = { kind, path: requiredString(b, 'path', 4000) };
        } else if (kind === 'jellyfin') {
          onlyKeys(b, ['kind', 'url', 'apiKey']);
          const apiKey = optionalString(b, 'apiKey', false, 500) ?? undefined;
          const url = checkUrl(requiredString(b, 'url', 2000));
          source = apiKey === undefined || apiKey === '' ? { kind, url } : { kind, url, apiKey };
        } else throw badRequest('kind', 'expected one of local, jellyfin');
        await deps.setLibrarySource(source);
        deps.log.info('library source changed from the admin UI', { kind: source.kind });
        return ok(deps.libraryInfo());
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/companion$/,
      run: async () => ok(deps.companion ? await deps.companion.status() : { available: false }),
    },
    {
      method: 'POST',
      pattern: /^\/api\/companion\/install$/,
      async run(_params, req) {
        const b = await body(req, true);
        onlyKeys(b, ['repositoryUrl']);
        const repositoryUrl = optionalString(b, 'repositoryUrl', false, 2000) ?? undefined;
        if (!deps.companion) throw notFound('the companion plugin support is not enabled');
        const outcome = await deps.companion.install(repositoryUrl === undefined || repositoryUrl === '' ? undefined : checkUrl(repositoryUrl));
        deps.log.info('companion plugin install requested from the admin UI', { restartRequired: outcome.restartRequired });
        return ok(outcome);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/logs$/,
      run(_params, _req, ctx) {
        const limitText = ctx.query.get('limit');
        const limit = limitText === null ? 200 : Number(limitText);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badRequest('limit', 'expected an integer from 1 to 1000');
        const level = ctx.query.get('level') ?? 'debug';
        if (!(LOG_LEVELS as readonly string[]).includes(level)) throw badRequest('level', `expected one of ${LOG_LEVELS.join(', ')}`);
        return ok({ records: deps.recentLogs(limit, level as LogLevel) });
      },
    },
  ];
}

function checkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw badRequest('url', 'expected an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badRequest('url', 'expected an http(s) URL');
  if (url.username !== '' || url.password !== '') throw badRequest('url', 'must not contain credentials; use apiKey');
  return text.trim().replace(/\/+$/, '');
}
