/**
 * The core configuration schema (zod strictObjects: unknown keys are errors). Adapter sections
 * (`adapters.<id>`, `devices[].adapters.<id>`) are validated by each descriptor's own schemas in
 * load.ts, so this file stays adapter-agnostic. Descriptions feed docs/config.md.
 */
import { z } from 'zod';

export const LOG_LEVEL = z.enum(['debug', 'info', 'warn', 'error', 'silent']);

/** Loopback and private LAN ranges: the default allow-list for every listener. */
export const DEFAULT_ALLOW = ['127.0.0.0/8', '::1/128', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', 'fc00::/7', 'fe80::/10'];

const cidr = z.string().regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, 'expected an IP address or CIDR like 192.168.1.0/24');

export const pathMappingSchema = z.strictObject({
  from: z.string().min(1).describe('Path prefix as Jellyfin sees it, e.g. /media.'),
  to: z.string().min(1).describe('The same folder as the sidecar sees it, e.g. /mnt/nas/media.'),
});

export const deviceMatchSchema = z.strictObject({
  cidr: z.array(cidr).optional().describe('Addresses or CIDR ranges the device connects from.'),
  userAgent: z.string().min(1).optional().describe('User-Agent substring, or a regular expression written as /…/flags.'),
  headers: z.record(z.string().min(1), z.string()).optional().describe('Header name → substring or /regex/; any one header matching suffices.'),
  tsn: z.array(z.string().min(1)).optional().describe('TiVo service numbers (exact, or a prefix ending in *).'),
  key: z.array(z.string().min(1)).optional().describe('Protocol keys: a camera RTSP URL without credentials, a companion address.'),
});

export const deviceRuleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected kebab-case').describe('Device id (kebab-case), shown in the admin UI and logs.'),
  name: z.string().min(1).describe('Display name.'),
  match: deviceMatchSchema.optional().describe('How the device is recognised; all given conditions must hold.'),
  userId: z.string().min(1).optional().describe('Jellyfin user the device browses as (sees only that user’s libraries).'),
  approved: z.boolean().default(true).describe('Devices matching this rule are approved without asking.'),
  adapters: z
    .record(z.string(), z.unknown())
    .default({})
    .describe('adapters.<id>: { "enabled": true, …per-device overrides } validated by that adapter’s schema.'),
});

export const coreConfigSchema = z.strictObject({
  dataDir: z.string().min(1).default('./data').describe('Folder for the database, spools and the generated demo media.'),
  http: z
    .strictObject({
      bind: z.string().default('0.0.0.0').describe('Address of the device-facing listener.'),
      port: z.number().int().min(0).max(65535).default(8097).describe('Port of the device-facing listener (adapters under /<id>/, /health).'),
      allow: z.array(cidr).default(DEFAULT_ALLOW).describe('Addresses allowed to reach any listener; all others are refused.'),
      publicOrigin: z.url().optional().describe('Origin devices should use when behind NAT or a proxy (else taken from the Host header).'),
    })
    .prefault({})
    .describe('Device-facing HTTP listener.'),
  admin: z
    .strictObject({
      bind: z.string().default('127.0.0.1').describe('Address of the admin listener (loopback by default).'),
      port: z.number().int().min(0).max(65535).default(8098).describe('Port of the admin UI and API.'),
      password: z.string().min(8).optional().describe('Admin password; prefer JELLYBRIDGE_ADMIN_PASSWORD. Without either it is set on first visit.'),
    })
    .prefault({})
    .describe('Admin UI and API.'),
  jellyfin: z
    .strictObject({
      url: z.url().optional().describe('Jellyfin base URL (JELLYFIN_URL overrides it). The API key comes from JELLYFIN_API_KEY only.'),
      pathMappings: z.array(pathMappingSchema).default([]).describe('Jellyfin path → local path, so the sidecar reads media files directly.'),
      defaultUserId: z.string().min(1).optional().describe('User for devices without one (else the first administrator).'),
      sessionPollSeconds: z.number().min(1).max(300).default(5).describe('Polling interval for sessions when the WebSocket is unavailable.'),
    })
    .optional()
    .describe('Use Jellyfin as the library. Absent (and no JELLYFIN_URL): the local folder is used.'),
  local: z
    .strictObject({
      path: z.string().min(1).default('./data/media').describe('Media folder; its top-level folders are the libraries.'),
      demo: z.boolean().default(true).describe('Generate a demo library with ffmpeg on first run when the folder is empty.'),
      xmltv: z.string().min(1).optional().describe('XMLTV guide for Live TV without Jellyfin (default: guide.xml in the folder, which the demo writes).'),
      rescanIntervalMinutes: z.number().min(0).default(60).describe('Full rescan interval; 0 disables periodic rescans.'),
    })
    .prefault({})
    .describe('The embedded default library: a local media folder.'),
  transcode: z
    .strictObject({
      ffmpegPath: z.string().min(1).default('ffmpeg').describe('ffmpeg binary, or a wrapper with the same command line (rffmpeg, a GPU host).'),
      ffprobePath: z.string().min(1).default('ffprobe').describe('ffprobe binary.'),
      maxConcurrent: z.number().int().min(1).max(64).default(2).describe('Transcodes at once; more get a clear "busy" error.'),
      spoolDir: z.string().min(1).optional().describe('Folder for transcode spools (default <dataDir>/spool).'),
      spoolMaxMegabytes: z.number().min(16).default(4096).describe('Finished spools are deleted, oldest first, beyond this total.'),
      spoolMaxAgeMinutes: z.number().min(1).default(180).describe('Finished spools unused for this long are deleted.'),
    })
    .prefault({})
    .describe('The transcode service.'),
  log: z
    .strictObject({
      level: LOG_LEVEL.default('info').describe('Minimum level of JSON log lines on stderr.'),
      adapters: z.record(z.string(), LOG_LEVEL).default({}).describe('Per-adapter levels, e.g. { "tivo": "debug" }.'),
    })
    .prefault({})
    .describe('Logging.'),
  newDevices: z.enum(['allow', 'hold', 'refuse']).default('hold').describe('Devices no rule matches: recorded and allowed, held for approval, or refused.'),
  startTimeoutMs: z.number().int().min(100).max(120000).default(10000).describe('How long an adapter’s start() may take before it is marked failed.'),
  adapters: z.record(z.string(), z.unknown()).default({}).describe('adapters.<id>: global adapter sections (enabled, ports, …), validated by each adapter.'),
  devices: z.array(deviceRuleSchema).default([]).describe('Device rules: how devices are recognised and what they may use.'),
});

export type CoreConfig = z.infer<typeof coreConfigSchema>;
export type DeviceRule = z.infer<typeof deviceRuleSchema>;
