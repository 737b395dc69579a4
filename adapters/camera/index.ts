/**
 * The `camera` adapter: records RTSP cameras without re-encoding into mp4 segments inside a
 * library folder (README.md, protocols/camera.md). Each camera is a device enabled for `camera`
 * with an `rtspUrl`; devices enabled without one are viewers (clip export). The factory only
 * wires; `start()` starts one supervised recorder per camera; `stop()` stops them with `q` so
 * the open segment is finalised. Admin-only routes (live view, creating the Jellyfin library)
 * are mounted on the admin listener (admin-routes.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Adapter, AdapterContext, AdapterDescriptor, AdapterHealth, AdapterState, RecorderStatus } from '../../plugin/adapter.js';
import type { DeviceContext, FileJobService, TimerHandle } from '../../plugin/index.js';
import { SidecarError, errorMessage } from '../../plugin/index.js';
import { cameraAdminRoutes, type LibraryOutcome } from './admin-routes.js';
import { clipRoute } from './clips.js';
import { cameraConfigSchema, cameraDeviceDefaults, cameraDeviceSchema, cameraMigrations, type CameraConfig, type CameraDeviceSettings } from './config.js';
import { Finalizer } from './finalizer.js';
import { LibraryRefresh, toSourcePath } from './library-refresh.js';
import type { LiveFeedSpec } from './live-feed.js';
import { LiveHub } from './live-hub.js';
import { STAGING_FOLDER, cameraFolderName } from './naming.js';
import { CameraRecorder } from './recorder.js';
import { Retention } from './retention.js';
import { SegmentStore } from './segment-store.js';

export type { CameraConfig, CameraDeviceSettings } from './config.js';

interface CameraSlot {
  readonly id: string;
  readonly name: string;
  readonly key: string;
  readonly recorder?: CameraRecorder;
  /** Why the camera cannot record (bad name, no URL, no folder). */
  readonly problem?: { readonly code: string; readonly message: string };
  readonly libraryFolder?: string;
  readonly settings: CameraDeviceSettings;
}

const RETENTION_INTERVAL_MS = 60_000;
/** A live view's ffmpeg keeps running this long after the last viewer left (a reload reuses it). */
const LIVE_LINGER_MS = 3000;

class CameraAdapter implements Adapter {
  private state: AdapterState = 'starting';
  private since: string;
  private detail = 'created';
  private lastError: AdapterHealth['lastError'];
  private readonly store: SegmentStore;
  private readonly refresh: LibraryRefresh;
  private readonly retention: Retention;
  private readonly live: LiveHub;
  private readonly slots = new Map<string, CameraSlot>();
  private unsubscribe: (() => void) | undefined;
  private retentionTimer: TimerHandle | undefined;
  private stopping = false;
  private started = false;
  private reconciling: Promise<void> = Promise.resolve();
  private segments = 0;

  constructor(private readonly context: AdapterContext<CameraConfig, CameraDeviceSettings>) {
    const { config, clock, log } = context;
    this.since = new Date(clock.now()).toISOString();
    this.store = new SegmentStore(context.state);
    this.refresh = new LibraryRefresh({ library: context.library, clock, log, debounceMs: config.refreshDebounceSeconds * 1000 });
    this.retention = new Retention({
      store: this.store,
      log,
      now: () => clock.now(),
      budgets: () => new Map([...this.slots.values()].map((s) => [s.id, { maxBytes: s.settings.retainMegabytes * 1024 * 1024, maxAgeMs: s.settings.retainDays * 86_400_000 }])),
      folders: () => [...new Set([...this.slots.values()].flatMap((s) => (s.libraryFolder === undefined ? [] : [s.libraryFolder])))].map((path) => ({ path, minFreeBytes: config.minFreeMegabytes * 1024 * 1024 })),
      onDeleted: (path) => this.notify(path, 'Deleted'),
    });
    context.http.mount(
      clipRoute({
        devices: context.devices,
        store: this.store,
        files: () => this.files(),
        clipDir: join(context.dataDir, 'clips'),
        maxClipMs: config.maxClipMinutes * 60_000,
        log,
        cameraName: (id) => this.slots.get(id)?.name ?? (this.store.totals(id).count > 0 ? id : undefined),
      }),
    );
    this.live = new LiveHub({ files: () => this.files(), clock, log: log.child({ component: 'live' }), lingerMs: LIVE_LINGER_MS });
    context.http.mountAdmin?.(
      cameraAdminRoutes({
        live: this.live,
        liveSpec: (id) => this.liveSpec(id),
        ensureLibraries: (name) => this.ensureLibraries(name),
      }),
    );
  }

  async start(): Promise<void> {
    this.started = true;
    try {
      this.files();
      await this.reconcile();
      this.unsubscribe = this.context.devices.onChange(() => {
        this.reconciling = this.reconciling.then(() => this.reconcile()).catch((error: unknown) => this.context.log.error('camera reconfiguration failed', { error: errorMessage(error) }));
      });
      this.retentionTimer = this.context.clock.setInterval(() => void this.retention.run(), RETENTION_INTERVAL_MS);
      void this.retention.run();
      this.updateState();
    } catch (error) {
      const err = error instanceof SidecarError ? error : new SidecarError('ERR_CAMERA_START', 'internal', errorMessage(error), { cause: error });
      this.lastError = { code: err.code, message: err.message, at: new Date(this.context.clock.now()).toISOString() };
      this.setState('failed', err.message);
      throw err;
    }
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.unsubscribe?.();
    this.retentionTimer?.cancel();
    await this.reconciling;
    await this.live.close();
    await Promise.allSettled([...this.slots.values()].map((s) => s.recorder?.stop() ?? Promise.resolve()));
    await this.refresh.flush();
    this.setState('stopped', 'stopped');
  }

  health(): AdapterHealth {
    if (this.started && !this.stopping && this.state !== 'failed') this.updateState();
    const statuses = [...this.slots.values()].map((s) => s.recorder?.status());
    const recording = statuses.filter((s) => s?.state === 'recording').length;
    const restarts = statuses.reduce((sum, s) => sum + (s?.restarts ?? 0), 0);
    return {
      state: this.state,
      since: this.since,
      detail: this.detail,
      counters: {
        cameras: this.slots.size,
        recording,
        segments: this.segments,
        ffmpegRestarts: restarts,
        retentionDeleted: this.retention.deletedCount(),
        libraryNotifications: this.refresh.notifications(),
        liveViewers: this.live.viewers(),
        liveStreams: this.live.running(),
      },
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** One entry per camera for the admin recorders view. No URLs: they hold credentials. */
  recorders(): readonly RecorderStatus[] {
    return [...this.slots.values()].map((slot) => {
      const totals = this.store.totals(slot.id);
      const status = slot.recorder?.status();
      const iso = (ms: number): string => new Date(ms).toISOString();
      if (status === undefined) {
        return { id: slot.id, name: slot.name, state: 'failed', detail: slot.problem?.message ?? 'not recording', bytes: totals.bytes, ...(slot.problem ? { lastError: { ...slot.problem, at: this.since } } : {}) };
      }
      return {
        id: slot.id,
        name: slot.name,
        state: status.state,
        detail: `${status.detail}; ${totals.count} segments`,
        since: iso(status.since),
        ...(status.currentFile === undefined ? {} : { currentFile: status.currentFile }),
        bytes: totals.bytes,
        ...(status.lastError ? { lastError: { code: status.lastError.code, message: status.lastError.message, at: iso(status.lastError.at) } } : {}),
      };
    });
  }

  /** The live view of a camera that records (a camera that cannot record has nothing to show). */
  private liveSpec(id: string): LiveFeedSpec | undefined {
    const slot = this.slots.get(id);
    const url = slot?.settings.rtspUrl;
    if (slot?.recorder === undefined || url === undefined || this.stopping) return undefined;
    return { camera: id, url, transport: slot.settings.transport, timeoutSeconds: slot.settings.timeoutSeconds };
  }

  /**
   * Makes sure Jellyfin has a `homevideos` library over every camera library folder: the
   * folder as Jellyfin sees it is `sourceFolder` when configured, else the source maps
   * `libraryFolder` (the reverse of `jellyfin.pathMappings`).
   */
  private async ensureLibraries(name: string): Promise<readonly LibraryOutcome[]> {
    const { library, config } = this.context;
    if (library.ensureLibrary === undefined) throw new SidecarError('ERR_CAMERA_NO_JELLYFIN', 'failed-precondition', 'the library source cannot create libraries (it is not Jellyfin)');
    const folders = new Map<string, string>();
    if (config.libraryFolder !== undefined) folders.set(config.libraryFolder, config.sourceFolder ?? config.libraryFolder);
    for (const slot of this.slots.values()) {
      const folder = slot.settings.libraryFolder;
      if (folder !== undefined && !folders.has(folder)) folders.set(folder, slot.settings.sourceFolder ?? folder);
    }
    if (folders.size === 0) throw new SidecarError('ERR_CAMERA_NO_FOLDER', 'failed-precondition', 'no libraryFolder configured (adapters.camera.libraryFolder)');
    const outcomes: LibraryOutcome[] = [];
    let n = 0;
    for (const [folder, seen] of folders) {
      n += 1;
      const result = await library.ensureLibrary(n === 1 ? name : `${name} ${n}`, 'homevideos', seen);
      this.context.log.info(result.created ? 'Jellyfin library created for the cameras' : 'Jellyfin already has a library for the cameras', { library: result.name, path: result.path });
      outcomes.push({ folder, ...result });
    }
    return outcomes;
  }

  private files(): FileJobService {
    const files = this.context.transcoder.files;
    if (files === undefined) throw new SidecarError('ERR_CAMERA_NO_RECORDER', 'failed-precondition', 'the transcode service offers no file jobs (recorders)');
    return files;
  }

  /** Starts, restarts (settings changed) and stops recorders to match the enabled devices. */
  private async reconcile(): Promise<void> {
    if (this.stopping) return;
    const wanted = new Map<string, DeviceContext<CameraDeviceSettings>>();
    for (const device of this.context.devices.listEnabled()) if (device.settings.rtspUrl !== undefined) wanted.set(device.id, device);
    for (const [id, slot] of this.slots) {
      const device = wanted.get(id);
      if (device === undefined || slotKey(device) !== slot.key) {
        await this.live.drop(id);
        await slot.recorder?.stop();
        this.slots.delete(id);
      }
    }
    for (const device of wanted.values()) {
      if (this.slots.has(device.id)) continue;
      const slot = await this.makeSlot(device);
      this.slots.set(device.id, slot);
      if (slot.problem) this.context.log.error(`camera ${device.name} cannot record: ${slot.problem.message}`, { code: slot.problem.code, device: device.id });
      slot.recorder?.start();
    }
  }

  private async makeSlot(device: DeviceContext<CameraDeviceSettings>): Promise<CameraSlot> {
    const { settings } = device;
    const base = { id: device.id, key: slotKey(device), settings };
    const named = cameraFolderName(device.name);
    if (!named.ok) return { ...base, name: device.name, problem: { code: 'ERR_CAMERA_NAME', message: named.reason } };
    const name = named.name;
    const clash = [...this.slots.values()].find((s) => s.name.toLowerCase() === name.toLowerCase() && s.libraryFolder === settings.libraryFolder);
    if (clash) return { ...base, name, problem: { code: 'ERR_CAMERA_NAME', message: `camera name ${name} is already used by ${clash.id}` } };
    const folder = settings.libraryFolder;
    if (folder === undefined) return { ...base, name, problem: { code: 'ERR_CAMERA_NO_FOLDER', message: 'no libraryFolder configured (adapters.camera.libraryFolder)' } };
    const url = settings.rtspUrl ?? '';
    const stagingRoot = join(folder, STAGING_FOLDER);
    await mkdir(stagingRoot, { recursive: true });
    // Jellyfin ≥ 10.11 also drops change events below a folder holding an empty `.ignore`.
    await writeFile(join(stagingRoot, '.ignore'), '');
    const stagingDir = join(stagingRoot, name);
    const log = this.context.log.child({ device: device.id });
    const finalizer = new Finalizer({
      camera: device.id,
      cameraName: name,
      libraryFolder: folder,
      stagingDir,
      files: this.files(),
      transcoder: this.context.transcoder,
      store: this.store,
      log,
      onFinalized: (path) => {
        this.segments += 1;
        this.notify(path, 'Created', settings);
        void this.retention.run();
      },
    });
    const config = this.context.config;
    const recorder = new CameraRecorder(
      {
        camera: device.id,
        cameraName: name,
        url,
        transport: settings.transport,
        segmentSeconds: settings.segmentSeconds,
        timeoutSeconds: settings.timeoutSeconds,
        stallSeconds: settings.stallSeconds,
        nonAacAudio: settings.nonAacAudio,
        audioBitrateKbps: settings.audioBitrateKbps,
        minBackoffMs: config.minBackoffSeconds * 1000,
        maxBackoffMs: config.maxBackoffSeconds * 1000,
        stagingDir,
      },
      {
        files: this.files(),
        finalizer,
        clock: this.context.clock,
        log,
        onRunEnded: () => void this.retention.run(),
      },
    );
    return { ...base, name, libraryFolder: folder, recorder };
  }

  private notify(path: string, type: 'Created' | 'Deleted', settings?: CameraDeviceSettings): void {
    const slot = [...this.slots.values()].find((s) => s.libraryFolder !== undefined && path.startsWith(`${s.libraryFolder.replace(/\/+$/, '')}/`));
    const local = settings?.libraryFolder ?? slot?.libraryFolder;
    const source = settings?.sourceFolder ?? slot?.settings.sourceFolder;
    this.refresh.add(local === undefined ? path : toSourcePath(path, local, source), type);
  }

  private updateState(): void {
    const statuses = [...this.slots.values()].map((s) => s.recorder?.status().state ?? 'failed');
    if (statuses.length === 0) return this.setIfChanged('ready', 'no cameras configured');
    const recording = statuses.filter((s) => s === 'recording').length;
    if (recording === statuses.length) return this.setIfChanged('ready', `recording ${recording} camera${recording === 1 ? '' : 's'}`);
    this.setIfChanged('degraded', `recording ${recording} of ${statuses.length} cameras`);
  }

  private setIfChanged(state: AdapterState, detail: string): void {
    if (state !== this.state || detail !== this.detail) this.setState(state, detail);
  }

  private setState(state: AdapterState, detail: string): void {
    this.state = state;
    this.detail = detail;
    this.since = new Date(this.context.clock.now()).toISOString();
  }
}

function slotKey(device: DeviceContext<CameraDeviceSettings>): string {
  return JSON.stringify([device.name, device.settings]);
}

/** Descriptor of the `camera` adapter (adapters/index.ts lists it). */
export const cameraAdapter: AdapterDescriptor<CameraConfig, CameraDeviceSettings> = {
  id: 'camera',
  displayName: 'IP cameras (RTSP recorder)',
  description: 'Records RTSP cameras without re-encoding into mp4 segments in a Jellyfin library, with retention and clip export.',
  protocols: ['rtsp'],
  defaultPorts: {},
  configSchema: cameraConfigSchema,
  deviceSchema: cameraDeviceSchema,
  deviceDefaults: cameraDeviceDefaults,
  migrations: cameraMigrations,
  requires: { encoders: ['aac'], muxers: ['segment', 'mp4'] },
  create: (context) => new CameraAdapter(context),
};
