/**
 * What the admin surface needs from the rest of the sidecar. plugin/main.ts builds it from the
 * real objects; tests build it from a real registry over `:memory:` and small real objects.
 */
import type { AdapterHealth, RecorderStatus } from '../adapter.js';
import type { DeviceRegistry } from '../devices/registry-types.js';
import type { RequestHandler } from '../http/types.js';
import type { CompanionAdminStatus, CompanionInstallOutcome } from '../jellyfin/companion-service.js';
import type { LibraryUser } from '../library/model.js';
import type { SourceHealth } from '../library/source.js';
import type { LogLevel, LogRecord, Logger } from '../log/logger.js';
import type { SqlStore } from '../state/types.js';
import type { TranscodeService } from '../transcode/types.js';
import type { Clock } from '../util/clock.js';

/** One adapter as the status view shows it. */
export interface AdminAdapterInfo {
  readonly id: string;
  readonly displayName: string;
  readonly protocols: readonly string[];
  /** Ports it listens on (from health when running, else the configured/default ports). */
  readonly ports: Readonly<Record<string, number>>;
  /** Created (global flag or some device enables it). */
  readonly enabled: boolean;
  /** Undefined when the adapter was not created. */
  readonly health?: AdapterHealth | undefined;
}

export interface AdminLibraryInfo {
  readonly kind: 'jellyfin' | 'local';
  /** One line for humans: the Jellyfin URL (no key) or the folder path. */
  readonly detail: string;
  /** Jellyfin URL without credentials, when kind is `jellyfin`. */
  readonly url?: string | undefined;
  /** Folder path, when kind is `local`. */
  readonly path?: string | undefined;
  readonly health: SourceHealth;
}

/** A library source to switch to. `apiKey` omitted = keep the current key (same server). */
export type LibrarySourceSetting =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'jellyfin'; readonly url: string; readonly apiKey?: string | undefined };

export interface ConnectionTestResult {
  readonly ok: boolean;
  /** Why it failed, or the server it reached; never contains the key. */
  readonly detail: string;
  readonly serverName?: string | undefined;
  readonly version?: string | undefined;
}

/** Tunables (tests shorten the delays). */
export interface AdminOptions {
  /** Delay before answering a wrong password (default 1000 ms). */
  readonly failureDelayMs?: number;
  /** Login attempts per address per window before 429 (default 10). */
  readonly maxLoginAttempts?: number;
  /** Default 10 minutes. */
  readonly loginWindowMs?: number;
  /** A session expires after this long unused (default 12 h). */
  readonly sessionIdleMs?: number;
  /** …and after this long in any case (default 7 days). */
  readonly sessionMaxMs?: number;
}

export interface AdminDeps {
  readonly registry: DeviceRegistry;
  /** Holds `admin_` tables: run `db.migrate('admin', adminMigrations)` first. */
  readonly db: SqlStore;
  readonly clock: Clock;
  readonly log: Logger;
  /**
   * The admin password from config/env. When set it is the only credential and the first-start
   * setup page is off; when absent the password is set once through /setup from loopback.
   */
  readonly password?: string | undefined;
  /** Mark the session cookie `Secure` (set when the admin surface is served behind https). */
  readonly secureCookies?: boolean | undefined;
  readonly options?: AdminOptions | undefined;
  /** The aggregate health report (what GET /health answers). */
  health(): unknown;
  adapters(): readonly AdminAdapterInfo[];
  readonly transcoder: Pick<TranscodeService, 'active' | 'stopSession'>;
  libraryInfo(): AdminLibraryInfo;
  rescanLibrary(): Promise<void>;
  /** `apiKey` undefined = test with the key in use now. */
  testJellyfinConnection(url: string, apiKey: string | undefined): Promise<ConnectionTestResult>;
  /** Switches the library source without a restart (rejects with a SidecarError when it cannot). */
  setLibrarySource(source: LibrarySourceSetting): Promise<void>;
  recentLogs(limit: number, minLevel?: LogLevel): readonly LogRecord[];
  listUsers(): Promise<readonly LibraryUser[]>;
  /** Present once the camera adapter runs. */
  recorders?(): readonly RecorderStatus[];
  /**
   * Admin-only routes an adapter mounted (`AdapterHttp.mountAdmin`), served under
   * `/adapters/<adapterId>/…` after the session (and CSRF for state changes) is checked.
   */
  adapterRoute?(adapterId: string): RequestHandler | undefined;
  /** The Jellyfin companion plugin: status and install (issue #9); absent when not wired. */
  readonly companion?: AdminCompanion | undefined;
}

/** What the admin API needs of plugin/jellyfin/companion-service.ts. */
export interface AdminCompanion {
  status(): Promise<CompanionAdminStatus>;
  /** `repositoryUrl` undefined = the sidecar's own catalog URL as it guesses it. */
  install(repositoryUrl?: string): Promise<CompanionInstallOutcome>;
}
