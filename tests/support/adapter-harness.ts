/**
 * Starts a real sidecar (the same compose() wiring as the CLI) with one adapter enabled, on
 * 127.0.0.1 and free ports, backed by the local folder or by the Jellyfin stand-in. Integration
 * tests talk to it with real clients.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Adapter } from '../../plugin/adapter.js';
import type { Clock } from '../../plugin/util/clock.js';
import type { AnyAdapterDescriptor, App } from '../../plugin/app.js';
import { compose, type Composed } from '../../plugin/compose.js';
import { validateConfig } from '../../plugin/config/load.js';
import { LogSink, type LogLevel, type LogRecord } from '../../plugin/log/logger.js';
import type { FakeJellyfin } from './fake-jellyfin.js';
import { ensureDemoMedia } from './demo-media-cache.js';

export interface HarnessDevice {
  readonly id: string;
  readonly name: string;
  readonly match?: Readonly<Record<string, unknown>>;
  readonly userId?: string;
  readonly approved?: boolean;
  /** `adapters.<id>`: `{ enabled, …overrides }`. */
  readonly adapters?: Readonly<Record<string, unknown>>;
}

export interface HarnessOptions {
  readonly descriptor: AnyAdapterDescriptor;
  /** The adapter's global section (`adapters.<id>`); `enabled` defaults to true. Use port 0. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Device rules; default: one rule for loopback with the adapter enabled. */
  readonly devices?: readonly HarnessDevice[];
  /** `local` (default): the folder `mediaRoot` or a generated demo library; or the stand-in. */
  readonly source?: 'local' | { readonly jellyfin: FakeJellyfin };
  readonly mediaRoot?: string;
  /** Policy for devices no rule matches (default `allow`). */
  readonly policy?: 'allow' | 'hold' | 'refuse';
  readonly logLevel?: LogLevel;
  /** Extra core config (merged at the top level), e.g. `{ transcode: { maxConcurrent: 1 } }`. */
  readonly core?: Readonly<Record<string, unknown>>;
  /** Other descriptors to load alongside (config validation knows them; they stay disabled). */
  readonly others?: readonly AnyAdapterDescriptor[];
  /** The clock compose() hands to every part (default: the system clock), e.g. one a test can move forward. */
  readonly clock?: Clock;
  /** Data folder to use (kept at stop), e.g. to start the same sidecar twice; default a fresh temp folder (removed at stop). */
  readonly dataDir?: string;
  /** Wait for one full library scan before returning (a local folder scans in the background after start); the harness stops if it fails. */
  readonly waitForScan?: boolean;
}

export interface Harness {
  readonly app: App;
  readonly composed: Composed;
  readonly adapter: Adapter;
  /** `http://127.0.0.1:<device port>` (adapter routes under `/<id>/`). */
  readonly deviceBaseUrl: string;
  /** The adapter's own HTTP listener port (TiVo), 0 when it has none. */
  adapterPort(): number;
  adminPort(): number;
  readonly dataDir: string;
  /** Log records so far (the harness keeps them instead of printing). */
  logs(): readonly LogRecord[];
  stop(): Promise<void>;
}

export async function startAdapterHarness(options: HarnessOptions): Promise<Harness> {
  const { descriptor } = options;
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `jb-harness-${descriptor.id}-`));
  const source = options.source ?? 'local';
  const mediaRoot = source === 'local' ? (options.mediaRoot ?? (await ensureDemoMedia())) : undefined;
  const raw = {
    dataDir,
    http: { bind: '127.0.0.1', port: 0, allow: ['127.0.0.0/8', '::1/128'] },
    admin: { bind: '127.0.0.1', port: 0 },
    ...(mediaRoot === undefined ? {} : { local: { path: mediaRoot, demo: false, rescanIntervalMinutes: 0 } }),
    ...(source === 'local' ? {} : { jellyfin: { url: source.jellyfin.url, sessionPollSeconds: 1 } }),
    newDevices: options.policy ?? 'allow',
    adapters: { [descriptor.id]: { enabled: true, ...options.config } },
    devices: options.devices ?? [{ id: 'loopback', name: 'Loopback', match: { cidr: ['127.0.0.0/8', '::1/128'] }, adapters: { [descriptor.id]: { enabled: true } } }],
    ...options.core,
  };
  const env = source === 'local' ? {} : { JELLYFIN_API_KEY: source.jellyfin.apiKey };
  const descriptors = [descriptor, ...(options.others ?? [])];
  const config = validateConfig(raw, descriptors, { env, baseDir: dataDir });
  const logs = new LogSink({ level: options.logLevel ?? 'debug', write: () => undefined, recentCapacity: 5000 });
  const composed = await compose({ config, descriptors, logs, version: '0.0.0-test', demo: false, ...(options.clock ? { clock: options.clock } : {}) });
  const { app } = composed;
  try {
    await app.start();
  } catch (error) {
    await app.stop().catch(() => undefined);
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const adapter = app.adapter(descriptor.id);
  if (!adapter) {
    await app.stop();
    throw new Error(`adapter ${descriptor.id} was not created`);
  }
  let stopped = false;
  const harness: Harness = {
    app,
    composed,
    adapter,
    deviceBaseUrl: `http://127.0.0.1:${app.devicePort()}`,
    adapterPort: () => app.adapterPorts()[descriptor.id] ?? 0,
    adminPort: () => app.adminPort(),
    dataDir,
    logs: () => logs.recent(5000),
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.stop();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (!options.waitForScan) return harness;
  try {
    await composed.source.library.rescan();
  } catch (error) {
    await harness.stop();
    throw error;
  }
  return harness;
}

/** Resolves once no transcode is running (or rejects after `timeoutMs`). */
export async function noTranscodesLeft(harness: Harness, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (harness.composed.transcoder.active().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const left = harness.composed.transcoder.active().length;
  if (left > 0) throw new Error(`${left} transcode(s) still running ${timeoutMs} ms later`);
}
