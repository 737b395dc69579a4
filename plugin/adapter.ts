/**
 * The Adapter contract (DESIGN.md §3). Each adapter exports a descriptor and a factory; the
 * factory receives an AdapterContext, its only door into the core.
 */
import type { AdapterDevices } from './devices/types.js';
import type { AdapterHttp } from './http/types.js';
import type { LibraryFacade, LiveTvFacade, PlaybackFacade } from './library/source.js';
import type { Logger } from './log/logger.js';
import type { Migration, SqlStore } from './state/types.js';
import type { TranscodeService } from './transcode/types.js';
import type { Clock } from './util/clock.js';

export type AdapterState = 'starting' | 'ready' | 'degraded' | 'failed' | 'stopped';

export interface AdapterHealth {
  readonly state: AdapterState;
  /** ISO time the state was entered. */
  readonly since: string;
  readonly detail: string;
  readonly counters: Readonly<Record<string, number>>;
  readonly lastError?: { readonly code: string; readonly message: string; readonly at: string };
  /** Ports the adapter listens on, by name (`http`, `rtmp`, `beacon`, …). */
  readonly ports?: Readonly<Record<string, number>>;
  /** Links worth showing the admin (a companion page to open on a phone, …); `qr` = also show a QR code image URL. */
  readonly links?: readonly { readonly label: string; readonly url: string; readonly qr?: string }[];
}

/** A long-running recorder an adapter runs (camera), as the admin UI shows it. No URLs: they hold credentials. */
export interface RecorderStatus {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly detail?: string | undefined;
  readonly since?: string | undefined;
  readonly currentFile?: string | undefined;
  readonly bytes?: number | undefined;
  readonly lastError?: { readonly code: string; readonly message: string; readonly at: string } | undefined;
}

export interface Adapter {
  /** Opens the adapter's own sockets, timers and recorders; runs once, after HTTP listens. */
  start(): Promise<void>;
  /** Idempotent; safe after a failed or partial start. Aborts sessions, closes sockets. */
  stop(): Promise<void>;
  /** Synchronous and cheap. */
  health(): AdapterHealth;
  /** Recorders this adapter runs, for the admin UI (camera). */
  recorders?(): readonly RecorderStatus[];
}

/** A structural schema (zod's `safeParse` shape) so the core need not import zod here. */
export interface ConfigSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly SchemaIssue[] } };
}

export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** Facts the core shares with every adapter. */
export interface ServerInfo {
  /** Stable across restarts (stored in the data folder): TiVo beacon identity, DVB-CSS ids. */
  readonly serverId: string;
  readonly serverName: string;
  readonly version: string;
}

export interface AdapterContext<Config = unknown, DeviceSettings = Readonly<Record<string, unknown>>> {
  readonly id: string;
  /** Validated, frozen global section `adapters.<id>`. */
  readonly config: Config;
  readonly devices: AdapterDevices<DeviceSettings>;
  readonly library: LibraryFacade;
  readonly liveTv: LiveTvFacade;
  readonly playback: PlaybackFacade;
  readonly transcoder: TranscodeService;
  /** This adapter's SQLite tables (created by its migrations). */
  readonly state: SqlStore;
  readonly clock: Clock;
  readonly log: Logger;
  /** Fired at shutdown. */
  readonly signal: AbortSignal;
  readonly http: AdapterHttp;
  /** A folder of the adapter's own under the data folder (created). */
  readonly dataDir: string;
  readonly server: ServerInfo;
}

export interface AdapterDescriptor<Config = unknown, DeviceSettings = Readonly<Record<string, unknown>>> {
  /** kebab-case; equal to the folder, config key, manifest entry, log field and URL prefix. */
  readonly id: string;
  readonly displayName: string;
  readonly description: string;
  /** Protocols spoken, for manifest.json and /api/adapters. */
  readonly protocols: readonly string[];
  readonly defaultPorts: Readonly<Record<string, number>>;
  /** Global section `adapters.<id>` (must accept `{}` and fill defaults, including `enabled`). */
  readonly configSchema: ConfigSchema<Config & { readonly enabled: boolean }>;
  /** Per-device overrides `devices[].adapters.<id>` (all keys optional). */
  readonly deviceSchema: ConfigSchema<Partial<DeviceSettings>>;
  /** Effective per-device settings = defaults derived from the global config, merged with overrides. */
  deviceDefaults(config: Config): DeviceSettings;
  readonly migrations: readonly Migration[];
  /** ffmpeg encoders and muxers the adapter needs (checked at boot). */
  readonly requires: { readonly encoders: readonly string[]; readonly muxers: readonly string[] };
  /** Must not open sockets or spawn processes. */
  create(context: AdapterContext<Config, DeviceSettings>): Adapter;
}
