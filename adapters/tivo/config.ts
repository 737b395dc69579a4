/**
 * Configuration of the `tivo` adapter: the global section `adapters.tivo` and the per-device
 * overrides `devices[].adapters.tivo` (zod strictObjects: unknown keys are errors).
 */
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);
const kbps = z.number().int().min(64).max(100_000);

export const TIVO_MODEL_CLASSES = ['sd', 'hd', 'ts'] as const;

export const tivoConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** HMO HTTP listener (root paths `/TiVoConnect`, `/<item>/…`); 9032 is pyTivo's port. */
  port: port.default(9032),
  /** Address the HMO listener binds to (the app's allow-list applies). */
  bind: z.string().min(1).default('0.0.0.0'),
  /** Name shown on the TiVo; default: the server name. */
  serverName: z.string().min(1).max(64).exactOptional(),
  beacon: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** UDP beacon destinations (broadcast or TiVo addresses). */
      targets: z.array(z.string().min(1)).default(['255.255.255.255']),
      /** UDP/TCP beacon port (TiVos use 2190). */
      port: port.default(2190),
      /** Address the beacon sockets bind to (default all; `127.0.0.1` keeps them on loopback). */
      bind: z.string().min(1).exactOptional(),
      /** Seconds between beacons after the first 30 s (which send one every 5 s). */
      intervalSeconds: z.number().int().min(5).max(3600).default(60),
      /** Answer the TCP beacon exchange on `port` ("Manually add a server…"). */
      listenTcp: z.boolean().default(true),
      /** Answer TiVos' broadcast beacons with a unicast `method=connected` beacon on UDP `port`. */
      listenUdp: z.boolean().default(true),
      /** Record TiVos that announce themselves (TSN + `machine=` name) in the device registry. */
      registerTivos: z.boolean().default(true),
    })
    .prefault({}),
  mdns: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** UDP port of the responder (5353; 0 picks a free one, useful with a loopback interface only). */
      port: port.default(5353),
      /**
       * Interface address to bind and join the group on (default: all). A loopback address
       * (`127.0.0.1`) keeps mDNS off the network: no group is joined, answers go to askers only.
       */
      interface: z.string().min(1).exactOptional(),
      /** Destinations (`host` or `host:port`) of the start-up announcements and the goodbye. */
      announceTo: z.array(z.string().min(1)).default(['224.0.0.251:5353']),
      /** Unsolicited announcements at start, one second apart (RFC 6762 §8.3 asks for at least two). */
      announcements: z.number().int().min(0).max(8).default(2),
      /** Address in the A record (default: the interface, else the first non-internal IPv4). */
      address: z.string().min(1).exactOptional(),
    })
    .prefault({}),
  /**
   * When every transcode slot is busy, a transfer holds the TiVo's connection (headers and the
   * .TiVo header already sent) this long for a slot, then closes without the chunked
   * terminator so the TiVo retries with a Range a little later (README "Busy transcoder").
   */
  busyWaitSeconds: z.number().min(0).max(120).default(20),
  /** Pad MPEG-PS transcodes with padding packets to exactly the advertised SourceSize. */
  padToEstimate: z.boolean().default(false),
  sdVideoBitrateKbps: kbps.default(4096),
  hdVideoBitrateKbps: kbps.default(12_000),
  audioBitrateKbps: z.number().int().min(64).max(640).default(448),
  /** Offer H.264 sources as `video/x-tivo-mpeg-ts` (copied) to TS-capable TiVos. */
  allowTs: z.boolean().default(true),
  /** Seconds a sorted container listing is kept for paging (FlushServer clears it). */
  listingCacheSeconds: z.number().int().min(0).max(3600).default(15),
  /** Jellyfin library types not offered to TiVos (they hold no videos). */
  hiddenCollectionTypes: z.array(z.string()).default(['music', 'books', 'photos', 'playlists']),
});

export type TivoConfig = z.infer<typeof tivoConfigSchema>;

export const tivoDeviceSchema = z.strictObject({
  /** Treat the TiVo as this class whatever its TSN says. */
  model: z.enum(TIVO_MODEL_CLASSES).exactOptional(),
  /** Video bit rate for this TiVo (overrides the SD/HD defaults). */
  videoBitrateKbps: kbps.exactOptional(),
  sdVideoBitrateKbps: kbps.exactOptional(),
  hdVideoBitrateKbps: kbps.exactOptional(),
  audioBitrateKbps: z.number().int().min(64).max(640).exactOptional(),
  maxWidth: z.number().int().min(176).max(1920).exactOptional(),
  maxHeight: z.number().int().min(144).max(1080).exactOptional(),
  /** Preferred audio language (ISO 639-2, e.g. `eng`). */
  audioLanguage: z.string().min(2).max(8).exactOptional(),
  padToEstimate: z.boolean().exactOptional(),
  allowTs: z.boolean().exactOptional(),
});

/** Effective per-device settings. */
export interface TivoDeviceSettings {
  readonly model?: (typeof TIVO_MODEL_CLASSES)[number];
  readonly videoBitrateKbps?: number;
  readonly sdVideoBitrateKbps: number;
  readonly hdVideoBitrateKbps: number;
  readonly audioBitrateKbps: number;
  readonly maxWidth?: number;
  readonly maxHeight?: number;
  readonly audioLanguage?: string;
  readonly padToEstimate: boolean;
  readonly allowTs: boolean;
}

export function tivoDeviceDefaults(config: TivoConfig): TivoDeviceSettings {
  return {
    sdVideoBitrateKbps: config.sdVideoBitrateKbps,
    hdVideoBitrateKbps: config.hdVideoBitrateKbps,
    audioBitrateKbps: config.audioBitrateKbps,
    padToEstimate: config.padToEstimate,
    allowTs: config.allowTs,
  };
}
