/**
 * The core configuration schema (zod strictObjects: unknown keys are errors). Adapter sections
 * (`adapters.<id>`, `devices[].adapters.<id>`) are validated by each descriptor's own schemas in
 * load.ts, so this file stays adapter-agnostic.
 */
import { z } from 'zod';

export const LOG_LEVEL = z.enum(['debug', 'info', 'warn', 'error', 'silent']);

/** Loopback and private LAN ranges: the default allow-list for every listener. */
export const DEFAULT_ALLOW = ['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', 'fc00::/7', 'fe80::/10'];

const cidr = z.string().regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, 'expected an IP address or CIDR like 192.168.1.0/24');

export const pathMappingSchema = z.strictObject({
  /** Path prefix as Jellyfin sees it. */
  from: z.string().min(1),
  /** The same folder as the sidecar sees it. */
  to: z.string().min(1),
});

export const deviceMatchSchema = z.strictObject({
  cidr: z.array(cidr).optional(),
  /** Substring match, or a regular expression written as `/…/flags`. */
  userAgent: z.string().min(1).optional(),
  /** Header name → substring or `/regex/`; any one header matching suffices. */
  headers: z.record(z.string().min(1), z.string()).optional(),
  /** TiVo service numbers (exact, or a prefix ending in `*`). */
  tsn: z.array(z.string().min(1)).optional(),
  /** Protocol keys (camera RTSP URL without credentials, companion address). */
  key: z.array(z.string().min(1)).optional(),
});

export const deviceRuleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected kebab-case'),
  name: z.string().min(1),
  match: deviceMatchSchema.optional(),
  /** Jellyfin user the device browses as. */
  userId: z.string().min(1).optional(),
  /** Devices matching this rule are approved without asking (default true for configured rules). */
  approved: z.boolean().default(true),
  /** `adapters.<id>`: `{ enabled, …per-device overrides }`, validated by the adapter's schema. */
  adapters: z.record(z.string(), z.unknown()).default({}),
});

export const coreConfigSchema = z.strictObject({
  /** Where the database, spools and generated demo media live. */
  dataDir: z.string().min(1).default('./data'),
  http: z
    .strictObject({
      /** Device-facing listener (adapters mounted under /<id>/, /health). */
      bind: z.string().default('0.0.0.0'),
      port: z.number().int().min(0).max(65535).default(8097),
      /** Addresses allowed to reach any listener; others are refused. */
      allow: z.array(cidr).default(DEFAULT_ALLOW),
      /** Public origin devices should use, when behind NAT or a proxy (else from the Host header). */
      publicOrigin: z.url().optional(),
    })
    .prefault({}),
  admin: z
    .strictObject({
      bind: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8098),
      /** Admin password; prefer the JELLYBRIDGE_ADMIN_PASSWORD env variable. */
      password: z.string().min(8).optional(),
    })
    .prefault({}),
  /** Use Jellyfin as the library (URL and API key from JELLYFIN_URL / JELLYFIN_API_KEY). */
  jellyfin: z
    .strictObject({
      /** Overridden by JELLYFIN_URL. */
      url: z.url().optional(),
      pathMappings: z.array(pathMappingSchema).default([]),
      defaultUserId: z.string().min(1).optional(),
      sessionPollSeconds: z.number().min(1).max(300).default(5),
    })
    .optional(),
  /** The embedded default library: a local media folder (used when Jellyfin is not configured). */
  local: z
    .strictObject({
      path: z.string().min(1).default('./data/media'),
      /** Generate a demo library with ffmpeg on first run when the folder is empty. */
      demo: z.boolean().default(true),
      /** XMLTV guide for Live TV without Jellyfin (the demo writes one). */
      xmltv: z.string().min(1).optional(),
      rescanIntervalMinutes: z.number().min(0).default(60),
    })
    .prefault({}),
  transcode: z
    .strictObject({
      ffmpegPath: z.string().min(1).default('ffmpeg'),
      ffprobePath: z.string().min(1).default('ffprobe'),
      maxConcurrent: z.number().int().min(1).max(64).default(2),
      spoolDir: z.string().min(1).optional(),
      spoolMaxMegabytes: z.number().min(16).default(4096),
      spoolMaxAgeMinutes: z.number().min(1).default(180),
    })
    .prefault({}),
  log: z
    .strictObject({
      level: LOG_LEVEL.default('info'),
      /** Per-adapter levels, e.g. { "tivo": "debug" }. */
      adapters: z.record(z.string(), LOG_LEVEL).default({}),
    })
    .prefault({}),
  /** What happens to a device no rule matches: recorded and allowed, held for approval, or refused. */
  newDevices: z.enum(['allow', 'hold', 'refuse']).default('hold'),
  /** How long an adapter's start() may take. */
  startTimeoutMs: z.number().int().min(100).max(120000).default(10000),
  /** `adapters.<id>`: global adapter sections, validated by each adapter's schema. */
  adapters: z.record(z.string(), z.unknown()).default({}),
  devices: z.array(deviceRuleSchema).default([]),
});

export type CoreConfig = z.infer<typeof coreConfigSchema>;
export type DeviceRule = z.infer<typeof deviceRuleSchema>;
export type DeviceMatch = z.infer<typeof deviceMatchSchema>;
