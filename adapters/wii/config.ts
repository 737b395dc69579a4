/**
 * Configuration of the `wii` adapter: the global section `adapters.wii` and per-device
 * overrides `devices[].adapters.wii` (zod strictObjects: unknown keys are errors).
 */
import { z } from 'zod';

const port = z.number().int().min(0).max(65_535);

/** Output and player settings a device may override. */
const deviceFields = {
  /** Output frame size; the source is scaled and letterboxed to it. */
  width: z.number().int().min(64).max(1280).multipleOf(2),
  height: z.number().int().min(48).max(720).multipleOf(2),
  fps: z.number().int().min(5).max(30),
  videoBitrateKbps: z.number().int().min(100).max(4000),
  audioBitrateKbps: z.number().int().min(32).max(320),
  audioChannels: z.union([z.literal(1), z.literal(2)]),
  /** Client buffer the player asks for (NetStream.setBufferTime), seconds. */
  bufferSeconds: z.number().min(0.5).max(30),
  /** Entries per page in the browser pages. */
  pageSize: z.number().int().min(4).max(100),
};

export const wiiConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** RTMP listener; 0 = any free port (tests). */
  rtmpPort: port.default(1935),
  rtmpHost: z.string().min(1).default('0.0.0.0'),
  /**
   * Host name or address the Wii uses to reach the RTMP port; default: the host the Wii used
   * for the HTTP page.
   */
  publicHost: z.string().min(1).optional(),
  /** RTMP application name: streams are rtmp://host:port/<app>/<itemId>. */
  app: z.string().regex(/^[A-Za-z0-9_-]+$/).default('wii'),
  width: deviceFields.width.default(480),
  height: deviceFields.height.default(272),
  fps: deviceFields.fps.default(25),
  videoBitrateKbps: deviceFields.videoBitrateKbps.default(600),
  audioBitrateKbps: deviceFields.audioBitrateKbps.default(128),
  audioChannels: deviceFields.audioChannels.default(2),
  bufferSeconds: deviceFields.bufferSeconds.default(3),
  pageSize: deviceFields.pageSize.default(20),
  /** Media sent beyond the client's buffer, ms (nginx-rtmp uses 1000). */
  leadSlackMs: z.number().int().min(0).max(10_000).default(1000),
  /** Largest client buffer honoured for pacing, ms (rtmpdump asks for 10 hours). */
  maxLeadMs: z.number().int().min(1000).max(600_000).default(30_000),
  /** Close connections whose handshake has not finished by then. */
  handshakeTimeoutMs: z.number().int().min(100).max(60_000).default(10_000),
  /** Close connected sockets that send nothing and play nothing for this long. */
  idleTimeoutMs: z.number().int().min(1000).max(3_600_000).default(120_000),
  /** Send the custom pending status when no keyframe came within this time. */
  pendingStatusAfterMs: z.number().int().min(0).max(10_000).default(300),
  /** While paused longer than this, the transcode is stopped and restarted on unpause. */
  pauseReleaseMs: z.number().int().min(0).max(3_600_000).default(30_000),
  /**
   * A transcode starts this long after the play/seek asking for it; a seek within the window
   * replaces the target (play+seek back to back, a dragged seek bar: one ffmpeg, not several).
   */
  startDebounceMs: z.number().int().min(0).max(2000).default(50),
  /**
   * PingRequest interval on connected sockets (0 = off). A peer silent for three intervals is
   * closed: nothing flows during a pause, so this is how a vanished Wii is noticed.
   */
  pingIntervalMs: z.number().int().min(0).max(600_000).default(30_000),
  maxConnections: z.number().int().min(1).max(1000).default(32),
  /** Serve `/wii/flv/<id>` (progressive FLV): a debug/test path, not for the Wii (RAM). */
  httpFlv: z.boolean().default(false),
});

export const wiiDeviceSchema = z.strictObject({
  width: deviceFields.width.optional(),
  height: deviceFields.height.optional(),
  fps: deviceFields.fps.optional(),
  videoBitrateKbps: deviceFields.videoBitrateKbps.optional(),
  audioBitrateKbps: deviceFields.audioBitrateKbps.optional(),
  audioChannels: deviceFields.audioChannels.optional(),
  bufferSeconds: deviceFields.bufferSeconds.optional(),
  pageSize: deviceFields.pageSize.optional(),
});

export type WiiConfig = z.output<typeof wiiConfigSchema>;

/** Effective per-device settings (defaults from the global section, then device overrides). */
export interface WiiDeviceSettings {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly videoBitrateKbps: number;
  readonly audioBitrateKbps: number;
  readonly audioChannels: 1 | 2;
  readonly bufferSeconds: number;
  readonly pageSize: number;
}

export function wiiDeviceDefaults(config: WiiConfig): WiiDeviceSettings {
  return {
    width: config.width,
    height: config.height,
    fps: config.fps,
    videoBitrateKbps: config.videoBitrateKbps,
    audioBitrateKbps: config.audioBitrateKbps,
    audioChannels: config.audioChannels,
    bufferSeconds: config.bufferSeconds,
    pageSize: config.pageSize,
  };
}
