/**
 * Ties the companion plugin to the sidecar (issue #9): at boot, reads the plugin configuration
 * from Jellyfin and merges its device table into the device rules (precedence in
 * plugin/devices/companion-merge.ts), publishes the sidecar's adapter list back into it, and for
 * the admin UI reports whether the plugin is installed and installs it from the sidecar's own
 * catalog (/catalog/manifest.json on the device-facing host).
 */
import { networkInterfaces } from 'node:os';
import type { Catalog, CatalogInfo } from '../catalog/catalog-route.js';
import { CATALOG_PREFIX } from '../catalog/catalog-route.js';
import { mergeCompanionRules, type CompanionMergeResult } from '../devices/companion-merge.js';
import type { CompanionIssue } from '../devices/companion-table.js';
import type { DeviceRuleResolved } from '../devices/rule-match.js';
import type { Logger } from '../log/logger.js';
import { isLoopbackHostname } from '../util/cidr.js';
import type { Clock } from '../util/clock.js';
import { errorMessage, SidecarError, toSidecarError } from '../util/errors.js';
import type { ClientIdentity } from './auth-header.js';
import { CompanionApi, type CompanionStatus, type InstallResult } from './companion-config.js';
import { compareCatalogVersions as compareVersions } from '../catalog/manifest.js';

export interface CompanionServiceOptions {
  /** The Jellyfin in use now, or undefined with the local-folder library. */
  readonly jellyfin: () => { readonly url: string; readonly apiKey: string } | undefined;
  readonly identity: ClientIdentity;
  readonly catalog: Catalog;
  /** `http.publicOrigin` from config, when set. */
  readonly publicOrigin?: string | undefined;
  /** The device-facing port (0 before the app listens). */
  readonly devicePort: () => number;
  readonly adapterIds: readonly string[];
  readonly log: Logger;
  readonly clock: Clock;
  /** Per Jellyfin request (default 5 s; boot waits at most this long per call). */
  readonly timeoutMs?: number;
}

/** GET /api/companion. */
export interface CompanionAdminStatus {
  /** The library source is Jellyfin (without it there is no companion to talk to). */
  readonly jellyfin: boolean;
  readonly plugin?: CompanionStatus;
  /** Why the plugin status is unknown (Jellyfin unreachable, key refused). */
  readonly error?: { readonly code: string; readonly message: string };
  readonly catalog: CatalogInfo;
  /** What to add in Jellyfin → Dashboard → Plugins → Repositories. */
  readonly repositoryUrl: string;
  /** Device rules the Jellyfin dashboard added or changed at the last load. */
  readonly devicesFromCompanion: readonly string[];
  readonly issues: readonly CompanionIssue[];
  /** When the table was last read (ISO), if ever. */
  readonly loadedAt?: string;
  /** Why the table was not read at the last load. */
  readonly loadError?: string;
  readonly detail: string;
}

/** POST /api/companion/install. */
export interface CompanionInstallOutcome extends InstallResult {
  readonly repositoryUrl: string;
  readonly message: string;
}

function isLoopbackHost(url: string): boolean {
  try {
    return isLoopbackHostname(new URL(url).hostname);
  } catch {
    return false;
  }
}

export class CompanionService {
  private last: { merge: CompanionMergeResult; at: string } | undefined;
  private lastError: string | undefined;

  constructor(private readonly options: CompanionServiceOptions) {}

  private api(): CompanionApi | undefined {
    const jf = this.options.jellyfin();
    return jf && new CompanionApi({ url: jf.url, apiKey: jf.apiKey, identity: this.options.identity, timeoutMs: this.options.timeoutMs ?? 5000 });
  }

  /**
   * The device rules to build the registry from: `configRules` with the Jellyfin dashboard's
   * table applied. Never throws: without Jellyfin or the plugin, the config rules stand (logged).
   */
  async loadRules(configRules: readonly DeviceRuleResolved[], signal?: AbortSignal): Promise<readonly DeviceRuleResolved[]> {
    const api = this.api();
    if (api === undefined) return configRules;
    const { log } = this.options;
    try {
      const { config, issues } = await api.readConfiguration(signal);
      const merge = mergeCompanionRules(configRules, config, this.options.adapterIds);
      const all = [...issues, ...merge.issues];
      this.last = { merge: { ...merge, issues: all }, at: new Date(this.options.clock.now()).toISOString() };
      this.lastError = undefined;
      for (const issue of all) log.warn('companion plugin device row ignored', { field: issue.field, reason: issue.message, code: 'ERR_COMPANION_CONFIG_INVALID' });
      log.info('device table read from the Jellyfin companion plugin', { devices: merge.fromCompanion });
      try {
        await api.publish({ knownAdapters: this.options.adapterIds, ...(this.options.publicOrigin === undefined ? {} : { sidecarUrl: this.options.publicOrigin.replace(/\/+$/, '') }) }, signal);
      } catch (error) {
        log.warn('could not publish the adapter list to the companion plugin', { error: errorMessage(error), code: toSidecarError(error).code });
      }
      return merge.rules;
    } catch (error) {
      const err = toSidecarError(error);
      this.lastError = err.message;
      // Not installed is the normal case until the admin installs it: info, not a warning.
      if (err.code === 'ERR_COMPANION_NOT_INSTALLED') log.info('companion plugin not loaded in Jellyfin; using the config file device rules', { code: err.code });
      else log.warn('could not read the companion plugin configuration; using the config file device rules', { error: err.message, code: err.code });
      return configRules;
    }
  }

  /** The catalog URL Jellyfin should use: publicOrigin, else this host's LAN address (loopback when Jellyfin is local). */
  repositoryUrl(): string {
    if (this.options.publicOrigin !== undefined) return `${this.options.publicOrigin.replace(/\/+$/, '')}${CATALOG_PREFIX}manifest.json`;
    const jf = this.options.jellyfin();
    let host = '127.0.0.1';
    if (jf !== undefined && !isLoopbackHost(jf.url)) {
      const lan = Object.values(networkInterfaces())
        .flat()
        .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal);
      if (lan !== undefined) host = lan.address;
    }
    return `http://${host}:${this.options.devicePort()}${CATALOG_PREFIX}manifest.json`;
  }

  async status(): Promise<CompanionAdminStatus> {
    const catalog = this.options.catalog.info();
    const base = {
      catalog,
      repositoryUrl: this.repositoryUrl(),
      devicesFromCompanion: this.last?.merge.fromCompanion ?? [],
      issues: this.last?.merge.issues ?? [],
      ...(this.last === undefined ? {} : { loadedAt: this.last.at }),
      ...(this.lastError === undefined ? {} : { loadError: this.lastError }),
    };
    const api = this.api();
    if (api === undefined) return { ...base, jellyfin: false, detail: 'the library source is the local folder: the companion plugin needs Jellyfin' };
    try {
      const plugin = await api.status();
      return { ...base, jellyfin: true, plugin, detail: plugin.detail };
    } catch (error) {
      const err = toSidecarError(error);
      return { ...base, jellyfin: true, error: { code: err.code, message: err.message }, detail: err.message };
    }
  }

  /**
   * Adds the sidecar's catalog to Jellyfin's repositories and installs the companion from it.
   * Refuses (ERR_COMPANION_NOT_BUILT) when the build for the server's ABI holds no DLL: Jellyfin
   * would install it and silently drop it at its next restart.
   */
  async install(repositoryUrl = this.repositoryUrl(), signal?: AbortSignal): Promise<CompanionInstallOutcome> {
    const api = this.api();
    if (api === undefined) throw new SidecarError('ERR_COMPANION_NO_JELLYFIN', 'failed-precondition', 'the library source is the local folder: connect Jellyfin first');
    const server = await api.serverVersion(signal);
    const catalog = this.options.catalog.info();
    const fitting = catalog.versions.filter((v) => v.available && compareVersions(v.targetAbi, server) <= 0).sort((a, b) => compareVersions(b.version, a.version))[0];
    if (fitting === undefined) {
      throw new SidecarError('ERR_COMPANION_NOT_BUILT', 'failed-precondition', `the sidecar's catalog has no companion build for Jellyfin ${server}${catalog.detail === undefined ? '' : ` (${catalog.detail})`}`);
    }
    if (fitting.assemblies.length === 0) {
      throw new SidecarError(
        'ERR_COMPANION_NOT_BUILT',
        'failed-precondition',
        `the companion plugin for ABI ${fitting.targetAbi} has not been built (${fitting.zipName} holds no DLL; see plugin/jellyfin-companion/README.md): Jellyfin would drop it at its next restart`,
      );
    }
    const result = await api.install({ repositoryUrl, version: fitting.version }, signal);
    this.options.log.info('companion plugin installed through Jellyfin', { version: fitting.version, repositoryAdded: result.repositoryAdded, state: result.status.state });
    const message = result.restartRequired ? `Installed ${fitting.version}. Restart Jellyfin to load the plugin (Dashboard → Restart).` : `Installed ${fitting.version}.`;
    return { ...result, repositoryUrl, message };
  }
}
