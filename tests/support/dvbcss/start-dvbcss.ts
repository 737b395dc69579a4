/**
 * Starts the real dvbcss adapter on 127.0.0.1 with free ports, fed by a PlaybackDouble and a
 * device-registry double, for server tests that do not need a Jellyfin stand-in.
 */
import { tmpdir } from 'node:os';
import { dvbcssAdapter } from '../../../adapters/dvbcss/index.js';
import type { DvbcssConfig, DvbcssDeviceSettings } from '../../../adapters/dvbcss/index.js';
import type { Adapter, AdapterContext, AdapterDevices, Clock, DeviceIdentity, DeviceResolution, RequestHandler } from '../../../plugin/index.js';
import { silentLogger } from '../../../plugin/log/logger.js';
import { systemClock } from '../../../plugin/util/clock.js';
import { PlaybackDouble } from './playback-double.js';

export type Decide = (identity: DeviceIdentity, settings: DvbcssDeviceSettings) => DeviceResolution<DvbcssDeviceSettings>;

/** Allows every peer as device "phone" of Jellyfin user u1. */
export const allowAsUser =
  (userId: string | undefined = 'u1', overrides: Partial<DvbcssDeviceSettings> = {}): Decide =>
  (identity, settings) => ({
    status: 'allowed',
    device: { id: 'phone', name: 'Phone', ip: identity.ip, settings: { ...settings, ...overrides }, ...(userId === undefined ? {} : { userId }) },
  });

export class DevicesDouble implements AdapterDevices<DvbcssDeviceSettings> {
  readonly identities: DeviceIdentity[] = [];
  private readonly listeners = new Set<() => void>();
  constructor(
    public decide: Decide,
    private readonly defaults: DvbcssDeviceSettings,
  ) {}
  resolve(identity: DeviceIdentity): DeviceResolution<DvbcssDeviceSettings> {
    this.identities.push(identity);
    return this.decide(identity, this.defaults);
  }
  listEnabled(): readonly [] {
    return [];
  }
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  changed(): void {
    for (const l of this.listeners) l();
  }
}

export interface StartedDvbcss {
  readonly adapter: Adapter;
  readonly playback: PlaybackDouble;
  readonly devices: DevicesDouble;
  readonly config: DvbcssConfig;
  readonly wsPort: number;
  readonly wcPort: number;
  readonly serverId: string;
  url(path: string): string;
  /** The handler the adapter mounted under `/dvbcss/` (the companion page). */
  pageHandler(): RequestHandler;
  stop(): Promise<void>;
}

/** A facade the adapter must never touch in these tests: any use throws. */
function unused(name: string): never {
  return new Proxy(Object.create(null) as object, {
    get(_t, prop) {
      throw new Error(`dvbcss test context: ${name}.${String(prop)} is not available`);
    },
  }) as never;
}

export async function startDvbcss(options: { config?: Record<string, unknown>; decide?: Decide; clock?: Clock } = {}): Promise<StartedDvbcss> {
  const parsed = dvbcssAdapter.configSchema.safeParse({ enabled: true, bind: '127.0.0.1', wsPort: 0, wcPort: 0, ...options.config });
  if (!parsed.success) throw new Error(`bad test config: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const config = parsed.data;
  const playback = new PlaybackDouble();
  const devices = new DevicesDouble(options.decide ?? allowAsUser(), dvbcssAdapter.deviceDefaults(config));
  const abort = new AbortController();
  const serverId = 'test-server';
  let mounted: RequestHandler | undefined;
  const context: AdapterContext<DvbcssConfig, DvbcssDeviceSettings> = {
    id: 'dvbcss',
    config,
    devices,
    library: unused('library'),
    liveTv: unused('liveTv'),
    playback,
    transcoder: unused('transcoder'),
    state: unused('state'),
    clock: options.clock ?? systemClock,
    log: silentLogger(),
    signal: abort.signal,
    http: { mount: (handler) => (mounted = handler), listen: () => undefined, boundPort: () => 0, devicePort: () => 0 },
    dataDir: tmpdir(),
    server: { serverId, serverName: 'Test', version: '0.0.0' },
  };
  const adapter = dvbcssAdapter.create(context);
  try {
    await adapter.start();
  } catch (error) {
    // As the app does: a partial start may hold sockets.
    await adapter.stop();
    throw error;
  }
  const ports = adapter.health().ports ?? {};
  const wsPort = ports['ws'] ?? 0;
  const wcPort = ports['wc'] ?? 0;
  return {
    adapter,
    playback,
    devices,
    config,
    wsPort,
    wcPort,
    serverId,
    url: (path) => `ws://127.0.0.1:${wsPort}${path}`,
    pageHandler: () => {
      if (mounted === undefined) throw new Error('the adapter mounted no HTTP handler');
      return mounted;
    },
    stop: async () => {
      abort.abort();
      await adapter.stop();
    },
  };
}
