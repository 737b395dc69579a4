/**
 * A real AdapterContext for the tivo adapter, built by hand until the shared adapter harness
 * exists: real transcode service (ffmpeg + spool), real local-folder library over a temp media
 * folder, a real node:http listener on 127.0.0.1:0, and a small device gate (TSN allow/deny
 * lists with per-TSN overrides) standing in for the registry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Adapter, AdapterContext, AdapterDevices, DeviceContext, RequestHandler } from '../../../plugin/index.js';
import { systemClock } from '../../../plugin/index.js';
import { silentLogger } from '../../../plugin/log/logger.js';
import { createLocalFolderSource, localLibraryMigrations } from '../../../plugin/library/local-folder/index.js';
import { openDatabase } from '../../../plugin/state/db.js';
import { createTranscodeService } from '../../../plugin/transcode/transcode-service.js';
import { tivoAdapter, type TivoConfig, type TivoDeviceSettings } from '../../../adapters/tivo/index.js';

export interface TivoTestOptions {
  readonly mediaRoot: string;
  readonly config?: Record<string, unknown>;
  /** TSNs refused (403). */
  readonly refuse?: readonly string[];
  /** Per-TSN setting overrides. */
  readonly overrides?: Readonly<Record<string, Partial<TivoDeviceSettings>>>;
}

export interface TivoTestContext {
  readonly adapter: Adapter;
  readonly context: AdapterContext<TivoConfig, TivoDeviceSettings>;
  port(): number;
  stop(): Promise<void>;
}

export async function startTivo(options: TivoTestOptions): Promise<TivoTestContext> {
  const log = silentLogger();
  const clock = systemClock;
  const dataDir = mkdtempSync(join(tmpdir(), 'jb-tivo-'));
  const db = openDatabase(':memory:');
  db.migrate('library', localLibraryMigrations);
  const transcoder = createTranscodeService({
    ffmpegPath: 'ffmpeg',
    ffprobePath: 'ffprobe',
    maxConcurrent: 4,
    spoolDir: join(dataDir, 'spool'),
    spoolMaxBytes: 2e9,
    spoolMaxAgeMs: 600_000,
    clock,
    log,
  });
  const source = createLocalFolderSource({ root: options.mediaRoot, db, probe: (i, s) => transcoder.probe(i, s), clock, log, rescanIntervalMs: 0 });
  const shutdown = new AbortController();
  await source.start(shutdown.signal);
  // Ready means "folders known"; wait for the first full scan (items probed) to finish too.
  for (let i = 0; i < 1200; i++) {
    const h = source.health();
    if (h.state === 'ready' && !h.detail.includes('scanning')) break;
    await new Promise((r) => setTimeout(r, 50));
  }

  const parsed = tivoAdapter.configSchema.safeParse({ enabled: true, port: 0, beacon: { enabled: false }, mdns: { enabled: false }, ...options.config });
  if (!parsed.success) throw new Error(`bad tivo config: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const config = parsed.data;
  const defaults = tivoAdapter.deviceDefaults(config);
  const devices: AdapterDevices<TivoDeviceSettings> = {
    resolve(identity) {
      const tsn = identity.tsn ?? 'none';
      if (options.refuse?.includes(tsn)) return { status: 'refused', reason: 'refused by test policy' };
      const device: DeviceContext<TivoDeviceSettings> = {
        id: `tivo-${tsn}`,
        name: `TiVo ${tsn}`,
        settings: { ...defaults, ...options.overrides?.[tsn] },
        ip: identity.ip,
        ...(identity.tsn ? { tsn: identity.tsn } : {}),
      };
      return { status: 'allowed', device };
    },
    listEnabled: () => [],
    onChange: () => () => undefined,
  };

  let handler: RequestHandler | undefined;
  const context: AdapterContext<TivoConfig, TivoDeviceSettings> = {
    id: 'tivo',
    config,
    devices,
    library: source.library,
    liveTv: source.liveTv,
    playback: source.playback,
    transcoder,
    state: db,
    clock,
    log,
    signal: shutdown.signal,
    http: {
      mount: () => undefined,
      listen: (_port, h) => {
        handler = h;
      },
      boundPort: () => (holder.server?.address() as AddressInfo | null)?.port ?? 0,
      devicePort: () => 0,
    },
    dataDir,
    server: { serverId: 'test-server-id', serverName: 'Test Bridge', version: '0.0.0-test' },
  };
  const holder: { server?: Server } = {};
  const adapter = tivoAdapter.create(context);
  if (!handler) throw new Error('the adapter did not ask for its listener');
  const h = handler;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    void Promise.resolve(
      h(req, res, { path: url.pathname, query: url.searchParams, remoteAddress: '127.0.0.1', signal: abort.signal, origin: `http://${req.headers.host ?? '127.0.0.1'}` }),
    ).catch(() => res.destroy());
  });
  holder.server = server;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await adapter.start();
  return {
    adapter,
    context,
    port: () => (server.address() as AddressInfo).port,
    async stop() {
      await adapter.stop();
      shutdown.abort();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await transcoder.stopAll();
      await source.stop();
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
