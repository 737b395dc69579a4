/**
 * Starts the Wii adapter with a real AdapterContext around it: the core transcode service
 * (real ffmpeg), the core HttpHost on 127.0.0.1, and a small library over lavfi clips.
 * Interim stand-in for tests/support/adapter-harness.ts (the library and device registry are
 * simple in-test implementations; the peers — ffmpeg, rtmpdump, ffprobe — are real).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wiiAdapter } from '../../../../adapters/wii/index.js';
import type { WiiConfig, WiiDeviceSettings } from '../../../../adapters/wii/config.js';
import type { Adapter, AdapterContext, DeviceResolution, Folder, LibraryEntry, LibraryFacade, MediaItem, TranscodeService } from '../../../../plugin/index.js';
import { SidecarError, systemClock } from '../../../../plugin/index.js';
import { HttpHost } from '../../../../plugin/http/http-host.js';
import { silentLogger } from '../../../../plugin/log/logger.js';
import { createTranscodeService } from '../../../../plugin/transcode/transcode-service.js';
import { ffprobeJson } from '../../../support/media.js';

export interface TestClip {
  readonly id: string;
  readonly title: string;
  readonly path: string;
}

export interface WiiTestContext {
  readonly adapter: Adapter;
  readonly transcoder: TranscodeService;
  readonly rtmpPort: () => number;
  readonly httpBase: string;
  /** Change what the device registry answers. */
  verdict: 'allowed' | 'held' | 'not-enabled';
  stop(): Promise<void>;
}

async function mediaItem(clip: TestClip): Promise<MediaItem> {
  const probe = await ffprobeJson(clip.path);
  const duration = Number(probe.format.duration ?? '0');
  return {
    kind: 'item',
    id: clip.id,
    parentId: 'lib',
    title: clip.title,
    sortTitle: clip.title,
    dateCreated: '2026-01-01T00:00:00Z',
    type: 'video',
    overview: `A generated test clip of ${Math.round(duration)} seconds.`,
    genres: [],
    people: [],
    studios: [],
    durationSeconds: duration,
    playable: true,
    providerIds: {},
  };
}

export async function startWiiTestContext(clips: readonly TestClip[], config: Partial<WiiConfig> = {}): Promise<WiiTestContext> {
  const items = new Map<string, { item: MediaItem; path: string }>();
  for (const clip of clips) items.set(clip.id, { item: await mediaItem(clip), path: clip.path });
  const root: Folder = { kind: 'folder', id: 'lib', title: 'Test clips', sortTitle: 'Test clips', dateCreated: '2026-01-01T00:00:00Z', folderType: 'library' };
  const library: LibraryFacade = {
    kind: 'local',
    listRoots: () => Promise.resolve([root]),
    listChildren: (_user, parentId, options) => {
      const all: LibraryEntry[] = parentId === undefined ? [root] : parentId === 'lib' ? [...items.values()].map((e) => e.item) : [];
      const offset = options?.offset ?? 0;
      return Promise.resolve({ items: all.slice(offset, offset + (options?.limit ?? all.length)), total: all.length, offset });
    },
    getItem: (_user, id) => Promise.resolve(id === 'lib' ? root : items.get(id)?.item),
    getImage: () => Promise.resolve(undefined),
    getMediaInput: (_user, id) => {
      const entry = items.get(id);
      if (!entry) return Promise.reject(new SidecarError('ERR_WII_NOT_FOUND', 'not-found', 'no such item'));
      return Promise.resolve({ kind: 'file', path: entry.path });
    },
    listUsers: () => Promise.resolve([]),
    notifyMediaUpdated: () => Promise.resolve(),
    rescan: () => Promise.resolve(),
  };
  const spoolDir = mkdtempSync(join(tmpdir(), 'wii-spool-'));
  const log = silentLogger();
  const transcoder = createTranscodeService({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe', maxConcurrent: 12, spoolDir, spoolMaxBytes: 1 << 30, spoolMaxAgeMs: 60_000, clock: systemClock, log });
  const parsed = wiiAdapter.configSchema.safeParse({ enabled: true, rtmpPort: 0, rtmpHost: '127.0.0.1', httpFlv: true, handshakeTimeoutMs: 1000, ...config });
  if (!parsed.success) throw new Error(`bad test config: ${parsed.error.issues.map((i) => i.message).join(', ')}`);
  const wiiConfig = Object.freeze(parsed.data);
  const host = new HttpHost({ name: 'device', allow: ['127.0.0.0/8'], log });
  const controller = new AbortController();
  const state: { verdict: WiiTestContext['verdict'] } = { verdict: 'allowed' };
  const settings = wiiAdapter.deviceDefaults(wiiConfig);
  const resolve = (ip: string): DeviceResolution<WiiDeviceSettings> => {
    if (state.verdict === 'held') return { status: 'held', deviceId: 'wii-1', reason: 'device is waiting for approval in the admin UI' };
    if (state.verdict === 'not-enabled') return { status: 'refused', deviceId: 'wii-1', reason: 'adapter wii is not enabled for this device', cause: 'not-enabled' };
    return { status: 'allowed', device: { id: 'wii-1', name: 'Test Wii', settings, ip } };
  };
  const context: AdapterContext<WiiConfig, WiiDeviceSettings> = {
    id: 'wii',
    config: wiiConfig,
    devices: { resolve: (identity) => resolve(identity.ip), listEnabled: () => [], onChange: () => () => undefined },
    library,
    liveTv: {} as AdapterContext['liveTv'],
    playback: {} as AdapterContext['playback'],
    transcoder,
    state: {} as AdapterContext['state'],
    clock: systemClock,
    log,
    signal: controller.signal,
    http: {
      mount: (handler) => host.mount('/wii/', handler),
      listen: () => undefined,
      boundPort: () => 0,
      devicePort: () => host.boundPort(),
    },
    dataDir: spoolDir,
    server: { serverId: 'test', serverName: 'Test', version: '0.0.0' },
  };
  const adapter = wiiAdapter.create(context);
  const httpPort = await host.listen(0, '127.0.0.1');
  await adapter.start();
  return {
    adapter,
    transcoder,
    rtmpPort: () => adapter.health().ports?.['rtmp'] ?? 0,
    httpBase: `http://127.0.0.1:${httpPort}/wii/`,
    get verdict() {
      return state.verdict;
    },
    set verdict(v) {
      state.verdict = v;
    },
    async stop() {
      controller.abort();
      await adapter.stop();
      await transcoder.stopAll();
      await host.close(100);
      rmSync(spoolDir, { recursive: true, force: true });
    },
  };
}
