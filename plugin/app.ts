/**
 * Lifecycle: creates adapters from their descriptors, opens listeners, starts adapters in order
 * with a start timeout (a failing adapter is marked failed while the others keep running), stops
 * them in reverse order, and aggregates health. Wiring of concrete services is in main.ts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Adapter, AdapterContext, AdapterDescriptor, AdapterHealth, RecorderStatus, ServerInfo } from './adapter.js';
import type { AdapterDevices } from './devices/types.js';
import { HttpHost } from './http/http-host.js';
import { sendJson } from './http/errors-to-http.js';
import type { AdapterHttp, RequestHandler } from './http/types.js';
import type { LibrarySource, SourceHealth } from './library/source.js';
import type { Logger } from './log/logger.js';
import type { SqlStore } from './state/types.js';
import type { TranscodeService } from './transcode/types.js';
import type { Clock } from './util/clock.js';
import { errorMessage, SidecarError, toSidecarError } from './util/errors.js';

/** Any descriptor, whatever its config types (the app treats configs as opaque). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- descriptors are invariant in their config types; the app only passes them through
export type AnyAdapterDescriptor = AdapterDescriptor<any, any>;

export interface AppOptions {
  readonly descriptors: readonly AnyAdapterDescriptor[];
  /** Parsed global adapter sections. */
  readonly adapterConfigs: Readonly<Record<string, { readonly enabled: boolean }>>;
  readonly source: LibrarySource;
  readonly transcoder: TranscodeService;
  readonly devices: { forAdapter(id: string): AdapterDevices; isEnabledAnywhere(id: string): boolean };
  readonly db: SqlStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly dataDir: string;
  readonly server: ServerInfo;
  readonly http: { readonly bind: string; readonly port: number; readonly allow: readonly string[]; readonly publicOrigin?: string };
  readonly admin?: { readonly bind: string; readonly port: number; readonly allow: readonly string[]; readonly handler: RequestHandler };
  readonly startTimeoutMs: number;
  /** Called last on stop (close the database, flush logs). */
  readonly onStopped?: () => void | Promise<void>;
  /** Core routes on the device-facing host besides /health (e.g. the plugin catalog at /catalog/). */
  readonly deviceRoutes?: readonly { readonly prefix: string; readonly handler: RequestHandler }[];
}

interface AdapterSlot {
  readonly descriptor: AnyAdapterDescriptor;
  adapter?: Adapter;
  /** Health when the adapter could not be created or started. */
  failure?: AdapterHealth;
  ownListener?: { host: HttpHost; port: number; bind: string };
  /** Admin-only routes (`AdapterHttp.mountAdmin`), reached through the admin handler after auth. */
  adminHandler?: RequestHandler;
}

export interface HealthReport {
  readonly status: 'ready' | 'degraded' | 'starting' | 'stopping';
  readonly version: string;
  readonly serverId: string;
  readonly uptimeSeconds: number;
  readonly library: SourceHealth;
  readonly adapters: Readonly<Record<string, AdapterHealth>>;
  readonly transcodes: { readonly active: number };
  readonly http: { readonly port: number; readonly requests: number; readonly refused: number; readonly errors: number };
}

export class App {
  private readonly slots: AdapterSlot[];
  private readonly deviceHost: HttpHost;
  private adminHost?: HttpHost;
  private readonly shutdown = new AbortController();
  private phase: 'created' | 'starting' | 'running' | 'stopping' | 'stopped' = 'created';
  private readonly startedAt: number;

  constructor(private readonly options: AppOptions) {
    this.startedAt = options.clock.now();
    this.deviceHost = new HttpHost({
      name: 'devices',
      allow: options.http.allow,
      log: options.log,
      ...(options.http.publicOrigin === undefined ? {} : { publicOrigin: options.http.publicOrigin }),
    });
    this.deviceHost.mount('/health', (_req, res) => sendJson(res, 200, this.health()));
    this.deviceHost.mount('/api/adapters', (_req, res) => sendJson(res, 200, this.adapterList()));
    for (const route of options.deviceRoutes ?? []) this.deviceHost.mount(route.prefix, route.handler);
    this.slots = options.descriptors.map((descriptor) => ({ descriptor }));
  }

  /** Device-facing port once listening. */
  devicePort(): number {
    return this.deviceHost.boundPort();
  }

  adminPort(): number {
    return this.adminHost?.boundPort() ?? 0;
  }

  /** Adapter ids and their own listener ports, for tests and the admin UI. */
  adapterPorts(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.slots.filter((s) => s.ownListener).map((s) => [s.descriptor.id, s.ownListener?.host.boundPort() ?? 0]));
  }

  adapter(id: string): Adapter | undefined {
    return this.slots.find((s) => s.descriptor.id === id)?.adapter;
  }

  /**
   * The admin-only handler an adapter mounted (`AdapterHttp.mountAdmin`), for the admin surface
   * to call once the session is checked; undefined when the adapter has none, was not created
   * or failed, or the app is stopping.
   */
  adminRoute(id: string): RequestHandler | undefined {
    if (this.phase === 'stopping' || this.phase === 'stopped') return undefined;
    const slot = this.slots.find((s) => s.descriptor.id === id);
    return slot?.adapter && !slot.failure ? slot.adminHandler : undefined;
  }

  get signal(): AbortSignal {
    return this.shutdown.signal;
  }

  async start(): Promise<void> {
    if (this.phase !== 'created') throw new SidecarError('ERR_APP_STATE', 'failed-precondition', `cannot start from ${this.phase}`);
    this.phase = 'starting';
    const { log } = this.options;
    for (const slot of this.slots) this.create(slot);

    await this.deviceHost.listen(this.options.http.port, this.options.http.bind);
    log.info('device listener ready', { port: this.deviceHost.boundPort(), bind: this.options.http.bind });
    for (const slot of this.slots) {
      if (!slot.ownListener || !slot.adapter) continue;
      try {
        await slot.ownListener.host.listen(slot.ownListener.port, slot.ownListener.bind);
      } catch (error) {
        this.fail(slot, error);
      }
    }
    if (this.options.admin) {
      const admin = this.options.admin;
      this.adminHost = new HttpHost({ name: 'admin', allow: admin.allow, log });
      this.adminHost.mount('/health', (_req, res) => sendJson(res, 200, this.health()));
      this.adminHost.mount('/', admin.handler);
      await this.adminHost.listen(admin.port, admin.bind);
    }

    // The source must never block startup: an unreachable Jellyfin leaves us up and retrying.
    try {
      await this.options.source.start(this.shutdown.signal);
    } catch (error) {
      log.error('library source failed to start', { error, code: toSidecarError(error).code });
    }

    for (const slot of this.slots) {
      if (!slot.adapter || slot.failure) continue;
      await this.startOne(slot);
    }
    this.phase = 'running';
  }

  /** Stops adapters in reverse order, then listeners, transcodes, the source and the database. */
  async stop(): Promise<void> {
    if (this.phase === 'stopping' || this.phase === 'stopped') return;
    this.phase = 'stopping';
    this.shutdown.abort(new SidecarError('ERR_APP_SHUTDOWN', 'aborted', 'shutting down'));
    const { log } = this.options;
    for (const slot of [...this.slots].reverse()) {
      if (!slot.adapter) continue;
      try {
        await withTimeout(slot.adapter.stop(), this.options.startTimeoutMs, `${slot.descriptor.id} stop`);
      } catch (error) {
        log.error('adapter stop failed', { adapter: slot.descriptor.id, error });
      }
      await slot.ownListener?.host.close();
    }
    await this.options.transcoder.stopAll().catch((error: unknown) => log.error('stopping transcodes failed', { error }));
    await this.deviceHost.close();
    await this.adminHost?.close();
    await this.options.source.stop().catch((error: unknown) => log.error('stopping library source failed', { error }));
    await this.options.onStopped?.();
    this.phase = 'stopped';
  }

  /** Every adapter's recorders (camera), for the admin UI. */
  recorders(): readonly RecorderStatus[] {
    return this.slots.flatMap((slot) => {
      try {
        return slot.adapter?.recorders?.() ?? [];
      } catch (error) {
        this.options.log.warn('recorders() failed', { adapter: slot.descriptor.id, error: errorMessage(error) });
        return [];
      }
    });
  }

  health(): HealthReport {
    const adapters: Record<string, AdapterHealth> = {};
    for (const slot of this.slots) {
      const health = slot.failure ?? safeHealth(slot);
      if (health) adapters[slot.descriptor.id] = health;
    }
    const library = this.options.source.health();
    const allReady = library.state === 'ready' && Object.values(adapters).every((a) => a.state === 'ready');
    const status = this.phase === 'stopping' || this.phase === 'stopped' ? 'stopping' : this.phase !== 'running' ? 'starting' : allReady ? 'ready' : 'degraded';
    return {
      status,
      version: this.options.server.version,
      serverId: this.options.server.serverId,
      uptimeSeconds: Math.round((this.options.clock.now() - this.startedAt) / 1000),
      library,
      adapters,
      transcodes: { active: this.options.transcoder.active().length },
      http: { port: this.deviceHost.boundPort(), ...this.deviceHost.counters },
    };
  }

  adapterList(): readonly { id: string; displayName: string; description: string; protocols: readonly string[]; defaultPorts: Readonly<Record<string, number>>; enabled: boolean; state: string }[] {
    return this.slots.map((slot) => ({
      id: slot.descriptor.id,
      displayName: slot.descriptor.displayName,
      description: slot.descriptor.description,
      protocols: slot.descriptor.protocols,
      defaultPorts: slot.descriptor.defaultPorts,
      enabled: slot.adapter !== undefined,
      state: (slot.failure ?? safeHealth(slot))?.state ?? 'disabled',
    }));
  }

  private create(slot: AdapterSlot): void {
    const { descriptor } = slot;
    const config = this.options.adapterConfigs[descriptor.id] ?? { enabled: false };
    if (!config.enabled && !this.options.devices.isEnabledAnywhere(descriptor.id)) return;
    const log = this.options.log.child({ adapter: descriptor.id });
    const dataDir = join(this.options.dataDir, 'adapters', descriptor.id);
    mkdirSync(dataDir, { recursive: true });
    const http: AdapterHttp = {
      mount: (handler) => this.deviceHost.mount(`/${descriptor.id}/`, handler),
      listen: (port, handler, host) => {
        const own = new HttpHost({ name: descriptor.id, allow: this.options.http.allow, log });
        own.mount('/', handler);
        slot.ownListener = { host: own, port, bind: host ?? this.options.http.bind };
      },
      boundPort: () => slot.ownListener?.host.boundPort() ?? 0,
      devicePort: () => this.deviceHost.boundPort(),
      mountAdmin: (handler) => {
        slot.adminHandler = handler;
      },
    };
    const context: AdapterContext = {
      id: descriptor.id,
      config,
      devices: this.options.devices.forAdapter(descriptor.id),
      library: this.options.source.library,
      liveTv: this.options.source.liveTv,
      playback: this.options.source.playback,
      transcoder: this.options.transcoder,
      state: this.options.db,
      clock: this.options.clock,
      log,
      signal: this.shutdown.signal,
      http,
      dataDir,
      server: this.options.server,
    };
    try {
      slot.adapter = descriptor.create(context);
    } catch (error) {
      this.fail(slot, error);
    }
  }

  private async startOne(slot: AdapterSlot): Promise<void> {
    const { descriptor, adapter } = slot;
    if (!adapter) return;
    const log = this.options.log.child({ adapter: descriptor.id });
    try {
      await withTimeout(adapter.start(), this.options.startTimeoutMs, `${descriptor.id} start`);
      log.info('adapter started', { ports: adapter.health().ports });
    } catch (error) {
      this.fail(slot, error);
      // A partial start may hold sockets: stop() is safe after a failed start.
      await adapter.stop().catch(() => undefined);
    }
  }

  private fail(slot: AdapterSlot, error: unknown): void {
    const err = toSidecarError(error, 'ERR_ADAPTER_START_FAILED');
    const at = new Date(this.options.clock.now()).toISOString();
    slot.failure = { state: 'failed', since: at, detail: err.message, counters: {}, lastError: { code: err.code, message: err.message, at } };
    this.options.log.error('adapter failed', { adapter: slot.descriptor.id, code: err.code, error: errorMessage(err) });
  }
}

function safeHealth(slot: AdapterSlot): AdapterHealth | undefined {
  if (!slot.adapter) return undefined;
  try {
    return slot.adapter.health();
  } catch (error) {
    return { state: 'failed', since: new Date().toISOString(), detail: errorMessage(error), counters: {} };
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new SidecarError('ERR_ADAPTER_START_TIMEOUT', 'unavailable', `${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
