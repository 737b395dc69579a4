/**
 * Configuration of the `dvbcss` adapter: the global section `adapters.dvbcss` and the per-device
 * overrides `devices[].adapters.dvbcss` (zod strictObjects: unknown keys are errors).
 */
import { z } from 'zod';
import { WC_RESPONDERS } from './wallclock-udp.js';

const port = z.number().int().min(0).max(65535);

export const dvbcssConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Address the WebSocket listener and the UDP wall clock bind to. */
  bind: z.string().min(1).default('0.0.0.0'),
  /** WebSocket listener: CSS-CII (`/cii…`), CSS-TS (`/ts…`) and wall clock over WebSocket (`/wc`). */
  wsPort: port.default(7681),
  /** CSS-WC over UDP. */
  wcPort: port.default(6677),
  /**
   * Who answers CSS-WC over UDP: `native` is a thread of a small C addon (built by `npm ci`)
   * stamping t2 with the kernel's receive time, which halves a companion's error bound on a busy
   * host; `js` answers from the event loop; `auto` takes native when it is built, else js.
   */
  wcResponder: z.enum(WC_RESPONDERS).default('auto'),
  /** Answer wall-clock requests with a type-2 response and a type-3 follow-up carrying a later t3. */
  wcFollowUp: z.boolean().default(false),
  /**
   * Maximum frequency error the wall clock declares, in ppm. CLOCK_MONOTONIC is slewed by NTP by
   * at most 500 ppm, so 500 is the honest default.
   */
  wcMaxFreqErrorPpm: z.number().min(0).max(16_000_000).default(500),
  /** Declared precision as log2(seconds); default: measured from the clock at start. */
  wcPrecisionLog2: z.number().int().min(-128).max(127).optional(),
  /** A new control timestamp is sent when a report differs from the line last sent by more than this. */
  driftToleranceMs: z.number().min(1).max(10_000).default(100),
  /**
   * Typical delay from the player to the sidecar (player → Jellyfin → sidecar), invisible through
   * the Jellyfin API; added to the tolerance to declare the timeline `accuracy` in CII.
   */
  reportLatencyMs: z.number().min(0).max(60_000).default(100),
  /** How long a stopped session reads "transitioning" (next episode) before it reads idle. */
  transitionMs: z.number().int().min(0).max(600_000).default(3000),
  /**
   * Longest a seek or an item change reads "transitioning" in CII when no later report confirms
   * the new position (Jellyfin does not say when the player has finished buffering); 0 = never.
   */
  settleMs: z.number().int().min(0).max(60_000).default(1500),
  /**
   * Host name or address phones use to reach the sidecar, for the companion link shown in the
   * admin UI and its QR code; default: `bind` when specific, else the first LAN IPv4 address.
   */
  companionHost: z.string().min(1).max(253).optional(),
  /** Open WebSocket connections at most; further upgrades get HTTP 503. */
  maxConnections: z.number().int().min(1).max(100_000).default(1000),
  /** Largest WebSocket message accepted; larger ones close the connection with 1009. */
  maxMessageBytes: z.number().int().min(256).max(1_048_576).default(16_384),
});

export type DvbcssConfig = z.infer<typeof dvbcssConfigSchema>;

export const FOLLOW_SCOPES = ['own-user', 'any-user'] as const;

export const dvbcssDeviceSchema = z.strictObject({
  /**
   * Which Jellyfin sessions the companion may follow: those of the device's own user (`userId`
   * of its device rule; a device without one sees none), or any user's.
   */
  follow: z.enum(FOLLOW_SCOPES).exactOptional(),
  /** Per-device drift tolerance in ms. */
  driftToleranceMs: z.number().min(1).max(10_000).exactOptional(),
});

/** Effective per-device settings. */
export interface DvbcssDeviceSettings {
  readonly follow: (typeof FOLLOW_SCOPES)[number];
  readonly driftToleranceMs: number;
}

export function dvbcssDeviceDefaults(config: DvbcssConfig): DvbcssDeviceSettings {
  return { follow: 'own-user', driftToleranceMs: config.driftToleranceMs };
}
