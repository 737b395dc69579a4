/**
 * A real admin surface for the integration tests: the handler on node:http at 127.0.0.1:0, its
 * deps built from a real registry over `:memory:` SQLite and small real objects, plus a tiny
 * "device endpoint" server that asks the registry like an adapter does (403 unless allowed).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminHandler } from '../../../plugin/admin/admin-handler.js';
import { adminMigrations } from '../../../plugin/admin/admin-migrations.js';
import type { AdminCompanion, AdminDeps, AdminOptions, LibrarySourceSetting } from '../../../plugin/admin/types.js';
import { createDeviceRegistry, type RegistryAdapter } from '../../../plugin/devices/device-registry.js';
import { deviceMigrations } from '../../../plugin/devices/device-migrations.js';
import type { NewDevicePolicy } from '../../../plugin/devices/policy.js';
import type { DeviceRegistry } from '../../../plugin/devices/registry-types.js';
import type { DeviceRuleResolved } from '../../../plugin/devices/rule-match.js';
import type { RequestHandler } from '../../../plugin/http/types.js';
import { LogSink } from '../../../plugin/log/logger.js';
import { openDatabase, type StateDatabase } from '../../../plugin/state/db.js';
import type { ActiveTranscode } from '../../../plugin/transcode/types.js';
import { normalizeIp } from '../../../plugin/util/cidr.js';
import { systemClock, type Clock } from '../../../plugin/util/clock.js';

export function simpleAdapter(id: string, deviceDefaults: Readonly<Record<string, unknown>> = {}): RegistryAdapter {
  return {
    id,
    deviceDefaults,
    validateOverrides(value) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, issues: ['(root): expected an object'] };
      const issues = Object.entries(value).flatMap(([k, v]) => (k === 'bitrateKbps' ? (typeof v === 'number' ? [] : ['bitrateKbps: expected number']) : [`${k}: unknown key`]));
      return issues.length > 0 ? { ok: false, issues } : { ok: true, value: value as Record<string, unknown> };
    },
  };
}

/** Serves `handler` like the HTTP host does (ctx from the socket), optionally posing as another address. */
export async function serve(handler: RequestHandler, remoteAddress?: string): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    void handler(req, res, {
      path: url.pathname,
      query: url.searchParams,
      remoteAddress: remoteAddress ?? normalizeIp(req.socket.remoteAddress ?? ''),
      signal: controller.signal,
      origin: `http://${req.headers.host ?? ''}`,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface AdminFixture {
  readonly base: string;
  readonly deviceBase: string;
  readonly registry: DeviceRegistry;
  readonly db: StateDatabase;
  readonly sink: LogSink;
  readonly transcodes: ActiveTranscode[];
  readonly stopped: string[];
  readonly sourcesSet: LibrarySourceSetting[];
  readonly connectionTests: { url: string; apiKey: string | undefined }[];
  rescans: number;
  close(): Promise<void>;
}

export interface FixtureOptions {
  readonly password?: string;
  readonly policy?: NewDevicePolicy;
  readonly rules?: readonly DeviceRuleResolved[];
  readonly options?: AdminOptions;
  readonly clock?: Clock;
  /** Pose every admin request as coming from this address. */
  readonly remoteAddress?: string;
  readonly withRecorders?: boolean;
  /** The companion-plugin service (tests/integration/admin/companion-api.integration.ts). */
  readonly companion?: AdminCompanion;
  /** Adapters' admin-only routes (tests/integration/admin/adapter-routes.integration.ts). */
  readonly adapterRoute?: AdminDeps['adapterRoute'];
}

function deviceIdentity(req: IncomingMessage): { ip: string; headers: Record<string, string | undefined> } {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v[0] : v;
  return { ip: normalizeIp(req.socket.remoteAddress ?? ''), headers };
}

export async function adminFixture(options: FixtureOptions = {}): Promise<AdminFixture> {
  const clock = options.clock ?? systemClock;
  const db = openDatabase(':memory:');
  db.migrate('devices', deviceMigrations);
  db.migrate('admin', adminMigrations);
  const sink = new LogSink({ level: 'debug', write: () => undefined });
  const log = sink.logger();
  const registry = createDeviceRegistry({
    db,
    rules: options.rules ?? [],
    policy: options.policy ?? 'hold',
    adapters: [simpleAdapter('x', { bitrateKbps: 1000 }), simpleAdapter('y')],
    clock,
    log,
  });
  const transcodes: ActiveTranscode[] = [];
  const stopped: string[] = [];
  const sourcesSet: LibrarySourceSetting[] = [];
  const connectionTests: { url: string; apiKey: string | undefined }[] = [];
  let library: LibrarySourceSetting = { kind: 'local', path: '/srv/media' };
  const since = new Date(clock.now()).toISOString();

  const fixture = {
    rescans: 0,
  } as AdminFixture;

  const deps: AdminDeps = {
    registry,
    db,
    clock,
    log: log.child({ component: 'admin' }),
    password: options.password,
    options: options.options ?? { failureDelayMs: 10 },
    health: () => ({ state: 'ready', adapters: { x: 'ready' } }),
    adapters: () => [
      { id: 'x', displayName: 'Adapter X', protocols: ['http'], ports: { http: 1 }, enabled: true, health: { state: 'ready', since, detail: 'serving', counters: { requests: 3 }, ports: { http: 8097 } } },
      { id: 'y', displayName: 'Adapter Y', protocols: ['rtmp'], ports: { rtmp: 1935 }, enabled: false },
    ],
    transcoder: {
      active: () => transcodes,
      stopSession: (id) => {
        const index = transcodes.findIndex((t) => t.id === id);
        if (index < 0) return Promise.resolve(false);
        transcodes.splice(index, 1);
        stopped.push(id);
        return Promise.resolve(true);
      },
    },
    libraryInfo: () => ({
      kind: library.kind,
      detail: library.kind === 'local' ? library.path : library.url,
      ...(library.kind === 'local' ? { path: library.path } : { url: library.url }),
      health: { kind: library.kind, state: 'ready', detail: `${fixture.rescans} rescans`, since, counters: {} },
    }),
    rescanLibrary: () => {
      fixture.rescans++;
      return Promise.resolve();
    },
    testJellyfinConnection: (url, apiKey) => {
      connectionTests.push({ url, apiKey });
      return Promise.resolve(apiKey === 'good-key' ? { ok: true, detail: 'reached Test Server 10.11.0', serverName: 'Test Server', version: '10.11.0' } : { ok: false, detail: 'HTTP 401 from server' });
    },
    setLibrarySource: (source) => {
      sourcesSet.push(source);
      library = source;
      return Promise.resolve();
    },
    recentLogs: (limit, minLevel) => sink.recent(limit, minLevel),
    listUsers: () => Promise.resolve([{ id: 'u1', name: 'Alice', isAdministrator: true }, { id: 'u2', name: 'Kids', isAdministrator: false }]),
    ...(options.withRecorders ? { recorders: () => [{ id: 'porch', name: 'Porch', state: 'recording', bytes: 2048 }] } : {}),
    ...(options.companion === undefined ? {} : { companion: options.companion }),
    ...(options.adapterRoute === undefined ? {} : { adapterRoute: options.adapterRoute }),
  };

  const admin = await serve(createAdminHandler(deps), options.remoteAddress);
  // The device endpoint: what an adapter does with every request.
  const device = await serve((req, res) => {
    const result = registry.forAdapter('x').resolve(deviceIdentity(req));
    const body = JSON.stringify(result);
    res.writeHead(result.status === 'allowed' ? 200 : 403, { 'Content-Type': 'application/json' });
    res.end(body);
  });

  return Object.assign(fixture, {
    base: admin.base,
    deviceBase: device.base,
    registry,
    db,
    sink,
    transcodes,
    stopped,
    sourcesSet,
    connectionTests,
    async close() {
      await closeServer(admin.server);
      await closeServer(device.server);
      db.close();
    },
  });
}

/** A cookie-keeping client for the admin API. */
export class AdminClient {
  cookie: string | undefined;
  csrf: string | undefined;

  constructor(private readonly base: string) {}

  async request(method: string, path: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; csrf?: boolean } = {}): Promise<{ status: number; headers: Headers; json: unknown; text: string }> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (this.cookie) headers['Cookie'] = this.cookie;
    if (options.csrf !== false && method !== 'GET' && headers['X-Jellybridge-CSRF'] === undefined) headers['X-Jellybridge-CSRF'] = this.csrf ?? '1';
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && headers['Content-Type'] === undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(this.base + path, { method, headers, ...(body === undefined ? {} : { body }), redirect: 'manual' });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const value = /^([^;]*)/.exec(setCookie)?.[1] ?? '';
      this.cookie = value.endsWith('=') ? undefined : value;
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  }

  async login(password: string): Promise<void> {
    const r = await this.request('POST', '/api/login', { body: { password } });
    if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
    this.csrf = (r.json as { csrfToken: string }).csrfToken;
  }
}
