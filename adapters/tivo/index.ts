/**
 * The `tivo` adapter: a TiVo HMO ("TiVo Connect") video server that is better than pyTivo
 * (README.md). The factory only wires; the HMO listener is requested from the app with
 * `context.http.listen`, and `start()` opens the beacon sockets and mDNS.
 */
import type { Adapter, AdapterContext, AdapterDescriptor, AdapterHealth, AdapterState } from '../../plugin/adapter.js';
import { errorMessage, type MediaItem } from '../../plugin/index.js';
import { BeaconService, type TivoIntroduction } from './beacon.js';
import { beaconIdentity } from './beacon-packet.js';
import { Catalog } from './catalog.js';
import { tivoConfigSchema, tivoDeviceDefaults, tivoDeviceSchema, type TivoConfig, type TivoDeviceSettings } from './config.js';
import { createHmoHandler } from './hmo-handler.js';
import { MdnsAnnouncer } from './mdns.js';
import { TivoIntroductions } from './introductions.js';
import { SlotQueue } from './slot-wait.js';
import type { ListingCache, TivoServices } from './routes/shared.js';

export type { TivoConfig, TivoDeviceSettings } from './config.js';

function listingCache(ttlMs: number, now: () => number): ListingCache {
  const entries = new Map<string, { at: number; value: Promise<unknown> }>();
  return {
    async get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const hit = entries.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.value as Promise<T>;
      const value = load();
      entries.set(key, { at: now(), value });
      if (entries.size > 256) {
        for (const [k, e] of entries) if (now() - e.at >= ttlMs || entries.size > 256) entries.delete(k);
      }
      value.catch(() => entries.delete(key));
      return value;
    },
    clear: () => entries.clear(),
  };
}

class TivoAdapter implements Adapter {
  private state: AdapterState = 'starting';
  private since: string;
  private detail = 'created';
  private lastError: AdapterHealth['lastError'];
  private readonly counters: Record<string, number> = {};
  private readonly beacon: BeaconService | undefined;
  private readonly mdns: MdnsAnnouncer | undefined;
  private stopping = false;

  constructor(private readonly context: AdapterContext<TivoConfig, TivoDeviceSettings>) {
    const { config, clock } = context;
    this.since = new Date(clock.now()).toISOString();
    const serverName = config.serverName ?? context.server.serverName;
    const log = context.log;
    const catalog = new Catalog(
      context.library,
      context.transcoder,
      (item: MediaItem, error: unknown) =>
        log.warn('cannot probe item; listing it as a transcode', { item: item.id, error: errorMessage(error) }),
      context.signal,
    );
    const services: TivoServices = {
      config,
      serverName,
      serverVersion: context.server.version,
      library: context.library,
      transcoder: context.transcoder,
      catalog,
      log,
      listings: listingCache(config.listingCacheSeconds * 1000, () => clock.now()),
      counters: this.counters,
      slotQueue: new SlotQueue(),
      now: () => clock.now(),
      sleep: (ms, signal) => clock.sleep(ms, signal),
    };
    context.http.listen(config.port, createHmoHandler(services, context.devices, () => this.stopping), config.bind);
    const identity = beaconIdentity(context.server.serverId);
    const introductions = new TivoIntroductions(context.devices, () => clock.now(), log);
    if (config.beacon.enabled) {
      this.beacon = new BeaconService({
        targets: config.beacon.targets,
        port: config.beacon.port,
        ...(config.beacon.bind !== undefined ? { bind: config.beacon.bind } : {}),
        intervalSeconds: config.beacon.intervalSeconds,
        listenTcp: config.beacon.listenTcp,
        listenUdp: config.beacon.listenUdp,
        identity,
        machine: serverName,
        httpPort: () => context.http.boundPort() || config.port,
        clock,
        log,
        ...(config.beacon.registerTivos ? { onTivo: (tivo: TivoIntroduction) => introductions.seen(tivo) } : {}),
      });
    }
    if (config.mdns.enabled) {
      const m = config.mdns;
      this.mdns = new MdnsAnnouncer({
        instanceName: serverName,
        httpPort: () => context.http.boundPort() || config.port,
        identity,
        clock,
        log,
        port: m.port,
        announceTo: m.announceTo,
        announcements: m.announcements,
        ...(m.interface !== undefined ? { interface: m.interface } : {}),
        ...(m.address !== undefined ? { address: m.address } : {}),
      });
    }
  }

  async start(): Promise<void> {
    try {
      await this.beacon?.start();
      try {
        await this.mdns?.start();
      } catch (error) {
        // mDNS is one of two discovery paths: without it TiVos still find us by beacon.
        this.lastError = { code: 'ERR_TIVO_START', message: `mDNS: ${errorMessage(error)}`, at: new Date(this.context.clock.now()).toISOString() };
        this.context.log.warn('mDNS responder could not start; discovery by beacons only', { code: 'ERR_TIVO_START', error: errorMessage(error) });
        this.setState('degraded', `HMO on port ${this.context.http.boundPort()}; mDNS unavailable`);
        return;
      }
      this.setState('ready', `HMO on port ${this.context.http.boundPort()}`);
    } catch (error) {
      this.lastError = { code: 'ERR_TIVO_START', message: errorMessage(error), at: new Date(this.context.clock.now()).toISOString() };
      this.setState('failed', errorMessage(error));
      throw error;
    }
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await Promise.allSettled([this.beacon?.stop(), this.mdns?.stop()]);
    this.setState('stopped', 'stopped');
  }

  health(): AdapterHealth {
    const ports: Record<string, number> = { http: this.context.http.boundPort() };
    if (this.beacon) {
      ports['beacon'] = this.beacon.udpPort;
      if (this.beacon.tcpPort) ports['beaconTcp'] = this.beacon.tcpPort;
    }
    if (this.mdns?.boundPort) ports['mdns'] = this.mdns.boundPort;
    const mdns = this.mdns?.counts();
    return {
      state: this.state,
      since: this.since,
      detail: this.detail,
      counters: { ...this.counters, beacons: this.beacon?.beaconsSent() ?? 0, ...(mdns ? { mdnsAnnouncements: mdns.announcements, mdnsAnswers: mdns.answers } : {}) },
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ports,
    };
  }

  private setState(state: AdapterState, detail: string): void {
    this.state = state;
    this.detail = detail;
    this.since = new Date(this.context.clock.now()).toISOString();
  }
}

/** Descriptor of the `tivo` adapter (adapters/index.ts lists it). */
export const tivoAdapter: AdapterDescriptor<TivoConfig, TivoDeviceSettings> = {
  id: 'tivo',
  displayName: 'TiVo (HMO)',
  description: 'Serves Jellyfin videos to TiVo DVRs (Series 2 to Bolt) over TiVo HMO, like pyTivo: listings, MPEG-2/TS transfers, beacons.',
  protocols: ['tivo-hmo', 'tivo-connect-beacon', 'mdns'],
  defaultPorts: { http: 9032, beacon: 2190 },
  configSchema: tivoConfigSchema,
  deviceSchema: tivoDeviceSchema,
  deviceDefaults: tivoDeviceDefaults,
  migrations: [],
  requires: { encoders: ['mpeg2video', 'ac3'], muxers: ['vob', 'mpegts'] },
  create: (context) => new TivoAdapter(context),
};
