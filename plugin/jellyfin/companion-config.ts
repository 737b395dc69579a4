/**
 * The Jellyfin REST calls around the companion plugin (protocols/jellyfin.md §6.2, §6.4): is it
 * installed, read and write its configuration (`/Plugins/{id}/Configuration`), add the sidecar's
 * catalog to `/Repositories`, install the package (`/Packages/Installed/{name}`). Plain `fetch`
 * with the one authorization header the sidecar sends (auth-header.ts); the SDK stays in
 * client.ts. Every failure is a SidecarError naming the endpoint; the API key never appears in
 * a message.
 */
import { PLUGIN_GUID, PLUGIN_NAME } from '../catalog/manifest.js';
import { companionUpdate, parseCompanionConfiguration, type CompanionConfiguration, type CompanionIssue, type CompanionPublish } from '../devices/companion-table.js';
import { SidecarError } from '../util/errors.js';
import { buildAuthorizationHeader, type ClientIdentity } from './auth-header.js';
import { badResponse, classifyFailure, describeBody, serverMessage } from './errors.js';

export interface CompanionApiOptions {
  /** Jellyfin base URL without credentials. */
  readonly url: string;
  readonly apiKey: string;
  readonly identity: ClientIdentity;
  /** Per request (default 10 s). */
  readonly timeoutMs?: number;
}

/** Jellyfin's plugin statuses (PluginStatus) plus `not-installed`. */
export type CompanionState = 'not-installed' | 'Active' | 'Restart' | 'Deleted' | 'Superseded' | 'Superceded' | 'Malfunctioned' | 'NotSupported' | 'Disabled';

export interface CompanionStatus {
  readonly installed: boolean;
  readonly state: CompanionState;
  readonly version?: string;
  /** One line for humans ("installed 0.1.0.0, active", "installed; restart Jellyfin to load it"). */
  readonly detail: string;
}

export interface RepositoryInfo {
  readonly Name: string | null;
  readonly Url: string | null;
  readonly Enabled: boolean;
}

export interface InstallRequest {
  /** The sidecar's catalog manifest URL as Jellyfin reaches it. */
  readonly repositoryUrl: string;
  /** Shown in Jellyfin's repository list. */
  readonly repositoryName?: string;
  readonly version?: string;
}

export interface InstallResult {
  readonly repositoryAdded: boolean;
  readonly status: CompanionStatus;
  /** Jellyfin loads new plugins only after a restart (POST /System/Restart or the dashboard). */
  readonly restartRequired: boolean;
}

const PLUGIN_STATES: readonly string[] = ['Active', 'Restart', 'Deleted', 'Superseded', 'Superceded', 'Malfunctioned', 'NotSupported', 'Disabled'];

function describeStatus(state: CompanionState, version: string | undefined): string {
  const v = version === undefined ? '' : ` ${version}`;
  switch (state) {
    case 'not-installed':
      return 'the Jellybridge companion plugin is not installed in Jellyfin';
    case 'Active':
      return `companion plugin${v} installed and active`;
    case 'Restart':
      return `companion plugin${v} installed; restart Jellyfin to load it`;
    case 'NotSupported':
      return `companion plugin${v} installed but not supported by this Jellyfin version (wrong ABI)`;
    case 'Malfunctioned':
      return `companion plugin${v} failed to load in Jellyfin (see Jellyfin's log)`;
    default:
      return `companion plugin${v} installed, status ${state}`;
  }
}

/** The companion-plugin calls against one Jellyfin server. */
export class CompanionApi {
  private readonly base: string;
  private readonly authorization: string;

  constructor(private readonly options: CompanionApiOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.authorization = buildAuthorizationHeader(options.identity, options.apiKey);
  }

  /** The server's version (GET /System/Info/Public), e.g. "10.11.11": decides which ABI build fits. */
  async serverVersion(signal?: AbortSignal): Promise<string> {
    const endpoint = 'GET /System/Info/Public';
    const body = await this.call(endpoint, 'GET', '/System/Info/Public', undefined, signal);
    const version = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['Version'] : undefined;
    if (typeof version !== 'string') throw badResponse(endpoint, 'no Version');
    return version;
  }

  /** Whether Jellyfin lists the plugin (GET /Plugins), and its status. */
  async status(signal?: AbortSignal): Promise<CompanionStatus> {
    const endpoint = 'GET /Plugins';
    const body = await this.call(endpoint, 'GET', '/Plugins', undefined, signal);
    if (!Array.isArray(body)) throw badResponse(endpoint, describeBody(body));
    const wanted = PLUGIN_GUID.replace(/-/g, '').toLowerCase();
    const idOf = (p: Record<string, unknown>): string => (typeof p['Id'] === 'string' ? p['Id'].replace(/-/g, '').toLowerCase() : '');
    const entries = body.filter((p): p is Record<string, unknown> => typeof p === 'object' && p !== null && idOf(p as Record<string, unknown>) === wanted);
    // Several versions may be listed (a superseded one and the new one): prefer the active one.
    const entry = entries.find((e) => e['Status'] === 'Active') ?? entries.find((e) => e['Status'] === 'Restart') ?? entries[0];
    if (entry === undefined) return { installed: false, state: 'not-installed', detail: describeStatus('not-installed', undefined) };
    const raw = typeof entry['Status'] === 'string' ? entry['Status'] : 'Active';
    const state = (PLUGIN_STATES.includes(raw) ? raw : 'Active') as CompanionState;
    const version = typeof entry['Version'] === 'string' ? entry['Version'] : undefined;
    return { installed: true, state, ...(version === undefined ? {} : { version }), detail: describeStatus(state, version) };
  }

  /** GET /Plugins/{id}/Configuration, parsed; ERR_COMPANION_NOT_INSTALLED when Jellyfin has no such plugin loaded. */
  async readConfiguration(signal?: AbortSignal): Promise<{ readonly config: CompanionConfiguration; readonly issues: readonly CompanionIssue[] }> {
    const endpoint = 'GET /Plugins/{id}/Configuration';
    const body = await this.configCall(endpoint, 'GET', undefined, signal);
    try {
      return parseCompanionConfiguration(body);
    } catch {
      throw badResponse(endpoint, describeBody(body));
    }
  }

  /**
   * Read-modify-write of the configuration with the sidecar's facts (adapter list, URLs when
   * unset). Devices are never touched. Returns whether anything was written.
   */
  async publish(facts: CompanionPublish, signal?: AbortSignal): Promise<boolean> {
    const { config } = await this.readConfiguration(signal);
    const { body, changed } = companionUpdate(config, facts);
    if (changed) await this.configCall('POST /Plugins/{id}/Configuration', 'POST', body, signal);
    return changed;
  }

  async repositories(signal?: AbortSignal): Promise<readonly RepositoryInfo[]> {
    const endpoint = 'GET /Repositories';
    const body = await this.call(endpoint, 'GET', '/Repositories', undefined, signal);
    if (!Array.isArray(body)) throw badResponse(endpoint, describeBody(body));
    return body
      .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
      .map((r) => ({ Name: typeof r['Name'] === 'string' ? r['Name'] : null, Url: typeof r['Url'] === 'string' ? r['Url'] : null, Enabled: r['Enabled'] !== false }));
  }

  /**
   * Adds (or re-enables) the repository, keeping every other one: POST /Repositories replaces the
   * whole list. Returns false when it was already there and enabled.
   */
  async addRepository(name: string, url: string, signal?: AbortSignal): Promise<boolean> {
    const current = await this.repositories(signal);
    const same = (r: RepositoryInfo): boolean => (r.Url ?? '').replace(/\/+$/, '') === url.replace(/\/+$/, '');
    const existing = current.find(same);
    if (existing?.Enabled === true) return false;
    const next = existing === undefined ? [...current, { Name: name, Url: url, Enabled: true }] : current.map((r) => (same(r) ? { ...r, Enabled: true } : r));
    await this.call('POST /Repositories', 'POST', '/Repositories', next, signal);
    return true;
  }

  /** Adds the sidecar's repository and asks Jellyfin to install the companion from it. */
  async install(request: InstallRequest, signal?: AbortSignal): Promise<InstallResult> {
    const repositoryAdded = await this.addRepository(request.repositoryName ?? 'Jellybridge (sidecar)', request.repositoryUrl, signal);
    const query = new URLSearchParams({ assemblyGuid: PLUGIN_GUID, repositoryUrl: request.repositoryUrl });
    if (request.version !== undefined) query.set('version', request.version);
    await this.call('POST /Packages/Installed/{name}', 'POST', `/Packages/Installed/${encodeURIComponent(PLUGIN_NAME)}?${query.toString()}`, undefined, signal);
    const status = await this.status(signal);
    return { repositoryAdded, status, restartRequired: status.state !== 'Active' };
  }

  private async configCall(endpoint: string, method: 'GET' | 'POST', body: unknown, signal?: AbortSignal): Promise<unknown> {
    try {
      return await this.call(endpoint, method, `/Plugins/${PLUGIN_GUID}/Configuration`, body, signal);
    } catch (error) {
      if (error instanceof SidecarError && error.code === 'ERR_JELLYFIN_NOT_FOUND') {
        throw new SidecarError('ERR_COMPANION_NOT_INSTALLED', 'failed-precondition', `${endpoint}: the Jellybridge companion plugin is not loaded in Jellyfin (install it, then restart Jellyfin)`, {
          detail: { endpoint },
        });
      }
      throw error;
    }
  }

  private async call(endpoint: string, method: 'GET' | 'POST', path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 10_000);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          Authorization: this.authorization,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: combined,
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      const cause = (error as { cause?: { code?: unknown } }).cause;
      const code = name === 'TimeoutError' ? 'ETIMEDOUT' : name === 'AbortError' ? 'ERR_CANCELED' : typeof cause?.code === 'string' ? cause.code : undefined;
      throw classifyFailure(endpoint, { ...(code === undefined ? {} : { code }), message: error instanceof Error ? error.message : String(error) });
    }
    const text = await response.text();
    if (!response.ok) {
      const message = serverMessage(text);
      throw classifyFailure(endpoint, { status: response.status, message: `HTTP ${response.status}`, ...(message === undefined ? {} : { serverMessage: message }) });
    }
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw badResponse(endpoint, 'not JSON');
    }
  }
}
