/**
 * Builds a running sidecar from a validated config: state → transcoder → library source →
 * device registry → admin → app. Shared by main.ts (the CLI) and the tests' adapter harness, so
 * tests exercise the same wiring users run.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AdapterDescriptor, ServerInfo } from './adapter.js';
import { createAdminHandler } from './admin/admin-handler.js';
import { adminMigrations } from './admin/admin-migrations.js';
import type { AdminAdapterInfo, ConnectionTestResult, LibrarySourceSetting } from './admin/types.js';
import { App, type AnyAdapterDescriptor } from './app.js';
import { defaultCatalogDir } from './catalog/catalog-dir.js';
import { Catalog, CATALOG_PREFIX } from './catalog/catalog-route.js';
import type { LoadedConfig } from './config/load.js';
import { deviceMigrations } from './devices/device-migrations.js';
import { createDeviceRegistry, type RegistryAdapter } from './devices/device-registry.js';
import type { DeviceRegistry } from './devices/registry-types.js';
import { CompanionService } from './jellyfin/companion-service.js';
import { CLIENT_NAME, createJellyfinSource, testJellyfinConnection } from './jellyfin/jellyfin-source.js';
import { createLocalFolderSource, LOCAL_LIBRARY_NAMESPACE, localLibraryMigrations } from './library/local-folder/index.js';
import type { LibrarySource } from './library/source.js';
import { SwitchableSource } from './library/switchable-source.js';
import type { LogSink } from './log/logger.js';
import { coreMigrations } from './state/core-migrations.js';
import { openDatabase, type StateDatabase } from './state/db.js';
import { SettingsStore } from './state/settings-store.js';
import { DEMO_GUIDE, ensureDemoLibrary } from './transcode/demo-media.js';
import { createTranscodeService } from './transcode/transcode-service.js';
import type { TranscodeService } from './transcode/types.js';
import { systemClock, type Clock } from './util/clock.js';
import { SidecarError, errorMessage } from './util/errors.js';

export interface ComposeOptions {
  readonly config: LoadedConfig;
  readonly descriptors: readonly AnyAdapterDescriptor[];
  readonly logs: LogSink;
  readonly version: string;
  readonly clock?: Clock;
  /** Generate the demo library when the local folder is empty (default: config `local.demo`). */
  readonly demo?: boolean;
  /** Folder with the plugin catalog served at /catalog/ (default: `<install>/dist/catalog`). */
  readonly catalogDir?: string;
}

export interface Composed {
  readonly app: App;
  readonly db: StateDatabase;
  readonly registry: DeviceRegistry;
  readonly source: SwitchableSource;
  readonly transcoder: TranscodeService;
  readonly server: ServerInfo;
}

/** The saved admin choice of library source (core_settings `library_source`). */
type SavedSource = { readonly kind: 'local'; readonly path: string } | { readonly kind: 'jellyfin'; readonly url: string; readonly apiKey: string };

export async function compose(options: ComposeOptions): Promise<Composed> {
  const { config, descriptors, logs } = options;
  const clock = options.clock ?? systemClock;
  const log = logs.logger();
  const core = config.core;
  mkdirSync(core.dataDir, { recursive: true });

  const db = openDatabase(join(core.dataDir, 'jellybridge.db'));
  db.migrate('core', coreMigrations);
  db.migrate(LOCAL_LIBRARY_NAMESPACE, localLibraryMigrations);
  db.migrate('devices', deviceMigrations);
  db.migrate('admin', adminMigrations);
  for (const d of descriptors) db.migrate(d.id, d.migrations);
  const settings = new SettingsStore(db);
  const server: ServerInfo = { serverId: settings.serverId(), serverName: `Jellybridge on ${hostname()}`, version: options.version };

  const transcoder = createTranscodeService({
    ffmpegPath: core.transcode.ffmpegPath,
    ffprobePath: core.transcode.ffprobePath,
    maxConcurrent: core.transcode.maxConcurrent,
    spoolDir: core.transcode.spoolDir ?? join(core.dataDir, 'spool'),
    spoolMaxBytes: core.transcode.spoolMaxMegabytes * 1024 * 1024,
    spoolMaxAgeMs: core.transcode.spoolMaxAgeMinutes * 60_000,
    clock,
    log,
  });

  const makeLocal = async (path: string): Promise<LibrarySource> => {
    mkdirSync(path, { recursive: true });
    if (options.demo ?? core.local.demo) {
      try {
        await ensureDemoLibrary(path, core.transcode.ffmpegPath, log);
      } catch (error) {
        log.error('could not generate the demo library', { error: errorMessage(error) });
      }
    }
    const guide = core.local.xmltv ?? join(path, DEMO_GUIDE);
    return createLocalFolderSource({
      root: path,
      db,
      probe: (input, signal) => transcoder.probe(input, signal),
      clock,
      log: log.child({ component: 'library' }),
      rescanIntervalMs: core.local.rescanIntervalMinutes * 60_000,
      ...(existsSync(guide) ? { xmltvPath: guide } : {}),
    });
  };
  const makeJellyfin = (url: string, apiKey: string): LibrarySource =>
    createJellyfinSource({
      url,
      apiKey,
      pathMappings: core.jellyfin?.pathMappings ?? [],
      ...(core.jellyfin?.defaultUserId === undefined ? {} : { defaultUserId: core.jellyfin.defaultUserId }),
      sessionPollIntervalMs: (core.jellyfin?.sessionPollSeconds ?? 5) * 1000,
      deviceId: server.serverId,
      version: options.version,
      clock,
      log: log.child({ component: 'jellyfin' }),
    });

  // An admin's choice in the UI wins over the config file until changed again (README).
  const saved = settings.get<SavedSource>('library_source');
  let active: SavedSource =
    saved ?? (config.jellyfin ? { kind: 'jellyfin', url: config.jellyfin.url, apiKey: config.jellyfin.apiKey } : { kind: 'local', path: core.local.path });
  if (saved) log.info('library source from admin settings (overrides the config file)', { kind: saved.kind });
  const source = new SwitchableSource(active.kind === 'jellyfin' ? makeJellyfin(active.url, active.apiKey) : await makeLocal(active.path), log);

  const byId = new Map(descriptors.map((d) => [d.id, d]));
  const registryAdapters: RegistryAdapter[] = descriptors.map((d) => ({
    id: d.id,
    deviceDefaults: (d as AdapterDescriptor).deviceDefaults(config.adapters[d.id]),
    validateOverrides: (value) => {
      const result = d.deviceSchema.safeParse(value);
      return result.success
        ? { ok: true, value: result.data as Readonly<Record<string, unknown>> }
        : { ok: false, issues: result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`) };
    },
  }));
  // The Jellyfin companion plugin's device table joins the config rules (companion-merge.ts).
  const catalog = new Catalog({ dir: options.catalogDir ?? defaultCatalogDir(), log: log.child({ component: 'catalog' }) });
  const appRef: { current?: App } = {};
  const companion = new CompanionService({
    jellyfin: () => (active.kind === 'jellyfin' ? { url: active.url, apiKey: active.apiKey } : undefined),
    identity: { client: CLIENT_NAME, device: server.serverName, deviceId: server.serverId, version: options.version },
    catalog,
    publicOrigin: core.http.publicOrigin,
    devicePort: () => appRef.current?.devicePort() ?? core.http.port,
    adapterIds: registryAdapters.map((a) => a.id),
    log: log.child({ component: 'companion' }),
    clock,
  });
  const rules = await companion.loadRules(config.devices);
  const registry = createDeviceRegistry({ db, rules, policy: core.newDevices, adapters: registryAdapters, clock, log: log.child({ component: 'devices' }) });

  // The admin handler reads health from the app, which is created after it (appRef above).
  const adminHandler = createAdminHandler({
    registry,
    db,
    clock,
    log: log.child({ component: 'admin' }),
    password: config.adminPassword,
    health: () => appRef.current?.health(),
    adapters: (): readonly AdminAdapterInfo[] => {
      const report = appRef.current?.health();
      return (appRef.current?.adapterList() ?? []).map((a) => {
        const health = report?.adapters[a.id];
        return { id: a.id, displayName: a.displayName, protocols: a.protocols, ports: health?.ports ?? byId.get(a.id)?.defaultPorts ?? {}, enabled: a.enabled, health };
      });
    },
    transcoder,
    libraryInfo: () =>
      active.kind === 'jellyfin'
        ? { kind: 'jellyfin', detail: active.url, url: active.url, health: source.health() }
        : { kind: 'local', detail: active.path, path: active.path, health: source.health() },
    rescanLibrary: () => source.library.rescan(),
    testJellyfinConnection: async (url, apiKey): Promise<ConnectionTestResult> => {
      const key = apiKey ?? (active.kind === 'jellyfin' ? active.apiKey : undefined);
      if (!key) return { ok: false, detail: 'an API key is required' };
      const result = await testJellyfinConnection(url, key);
      return result.ok
        ? { ok: true, detail: `reached ${result.serverName} ${result.version}`, serverName: result.serverName, version: result.version }
        : { ok: false, detail: result.error };
    },
    setLibrarySource: async (setting: LibrarySourceSetting) => {
      let next: SavedSource;
      if (setting.kind === 'local') next = { kind: 'local', path: setting.path };
      else {
        const apiKey = setting.apiKey ?? (active.kind === 'jellyfin' ? active.apiKey : undefined);
        if (!apiKey) throw new SidecarError('ERR_LIBRARY_SOURCE_INVALID', 'invalid-argument', 'an API key is required to use Jellyfin');
        const probe = await testJellyfinConnection(setting.url, apiKey);
        if (!probe.ok) throw new SidecarError('ERR_LIBRARY_SOURCE_INVALID', 'invalid-argument', `cannot use that Jellyfin: ${probe.error}`);
        next = { kind: 'jellyfin', url: setting.url.replace(/\/+$/, ''), apiKey };
      }
      await source.switchTo(next.kind === 'jellyfin' ? makeJellyfin(next.url, next.apiKey) : await makeLocal(next.path));
      active = next;
      settings.set('library_source', next);
    },
    recentLogs: (limit, minLevel) => logs.recent(limit, minLevel),
    listUsers: () => source.library.listUsers(),
    recorders: () => appRef.current?.recorders() ?? [],
    adapterRoute: (adapterId) => appRef.current?.adminRoute(adapterId),
    companion: { status: () => companion.status(), install: (repositoryUrl) => companion.install(repositoryUrl) },
  });

  const app = new App({
    descriptors,
    adapterConfigs: config.adapters,
    source,
    transcoder,
    devices: registry,
    db,
    clock,
    log,
    dataDir: core.dataDir,
    server,
    http: { bind: core.http.bind, port: core.http.port, allow: core.http.allow, ...(core.http.publicOrigin === undefined ? {} : { publicOrigin: core.http.publicOrigin }) },
    admin: { bind: core.admin.bind, port: core.admin.port, allow: core.http.allow, handler: adminHandler },
    startTimeoutMs: core.startTimeoutMs,
    onStopped: () => db.close(),
    deviceRoutes: [{ prefix: CATALOG_PREFIX, handler: catalog.handler() }],
  });
  appRef.current = app;
  return { app, db, registry, source, transcoder, server };
}
