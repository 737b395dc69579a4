/**
 * Loads and validates the configuration: one JSON file plus env for secrets. Every problem is
 * collected (core schema, each adapter's global and per-device sections, unknown adapter ids)
 * and reported together; nothing starts on an invalid config.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ConfigSchema, SchemaIssue } from '../adapter.js';
import { compileTextPattern } from '../devices/rule-match.js';
import { SidecarError } from '../util/errors.js';
import { coreConfigSchema, type CoreConfig, type DeviceRule } from './schema.js';

/** What the loader needs of each adapter descriptor. */
export interface AdapterConfigSpec {
  readonly id: string;
  readonly configSchema: ConfigSchema<{ readonly enabled: boolean }>;
  readonly deviceSchema: ConfigSchema<Readonly<Record<string, unknown>>>;
}

export interface DeviceAdapterSettings {
  readonly enabled: boolean;
  readonly overrides: Readonly<Record<string, unknown>>;
}

export interface ResolvedDeviceRule extends Omit<DeviceRule, 'adapters'> {
  readonly adapters: Readonly<Record<string, DeviceAdapterSettings>>;
}

export interface LoadedConfig {
  readonly core: Omit<CoreConfig, 'adapters' | 'devices'>;
  /** Parsed global adapter sections (defaults filled), one per known adapter. */
  readonly adapters: Readonly<Record<string, { readonly enabled: boolean }>>;
  readonly devices: readonly ResolvedDeviceRule[];
  /** Jellyfin connection when configured (URL from config or env, key from env only). */
  readonly jellyfin?: { readonly url: string; readonly apiKey: string };
  readonly adminPassword?: string;
  /** The file it came from, if any. */
  readonly source?: string;
}

export interface LoadOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Base for relative paths (the config file's folder, or the working directory). */
  readonly baseDir?: string;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

function issuesAt(prefix: readonly PropertyKey[], issues: readonly SchemaIssue[]): string[] {
  return issues.map((i) => `${formatPath([...prefix, ...i.path])}: ${i.message}`);
}

/** Validates a parsed JSON value; throws ERR_CONFIG_INVALID listing every problem. */
export function validateConfig(raw: unknown, specs: readonly AdapterConfigSpec[], options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const baseDir = options.baseDir ?? process.cwd();
  const problems: string[] = [];
  const parsed = coreConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    problems.push(...issuesAt([], parsed.error.issues));
    throw invalid(problems);
  }
  const core = parsed.data;
  const byId = new Map(specs.map((s) => [s.id, s]));

  const adapters: Record<string, { readonly enabled: boolean }> = {};
  for (const key of Object.keys(core.adapters)) {
    if (!byId.has(key)) problems.push(`adapters.${key}: unknown adapter (known: ${[...byId.keys()].join(', ') || 'none'})`);
  }
  for (const spec of specs) {
    const result = spec.configSchema.safeParse(core.adapters[spec.id] ?? {});
    if (result.success) adapters[spec.id] = Object.freeze(result.data);
    else problems.push(...issuesAt(['adapters', spec.id], result.error.issues));
  }

  const seenIds = new Set<string>();
  const devices: ResolvedDeviceRule[] = core.devices.map((rule, index) => {
    if (seenIds.has(rule.id)) problems.push(`devices[${index}].id: duplicate device id "${rule.id}"`);
    seenIds.add(rule.id);
    for (const re of [rule.match?.userAgent, ...Object.values(rule.match?.headers ?? {})]) {
      if (re !== undefined && !compiles(re)) problems.push(`devices[${index}].match: invalid regular expression ${re}`);
    }
    const perAdapter: Record<string, DeviceAdapterSettings> = {};
    for (const [adapterId, value] of Object.entries(rule.adapters)) {
      const spec = byId.get(adapterId);
      if (!spec) {
        problems.push(`devices[${index}].adapters.${adapterId}: unknown adapter`);
        continue;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push(`devices[${index}].adapters.${adapterId}: expected an object like { "enabled": true }`);
        continue;
      }
      const { enabled, ...overrides } = value as Record<string, unknown>;
      if (enabled !== undefined && typeof enabled !== 'boolean') problems.push(`devices[${index}].adapters.${adapterId}.enabled: expected boolean`);
      const result = spec.deviceSchema.safeParse(overrides);
      if (!result.success) problems.push(...issuesAt(['devices', index, 'adapters', adapterId], result.error.issues));
      perAdapter[adapterId] = { enabled: enabled !== false, overrides: result.success ? result.data : {} };
    }
    return { ...rule, adapters: perAdapter };
  });

  const url = env['JELLYFIN_URL'] ?? core.jellyfin?.url;
  const apiKey = env['JELLYFIN_API_KEY'];
  let jellyfin: LoadedConfig['jellyfin'];
  if (url !== undefined || core.jellyfin !== undefined) {
    if (url === undefined) problems.push('jellyfin.url: set JELLYFIN_URL (or jellyfin.url) to use Jellyfin');
    else if (!/^https?:\/\/[^\s]+$/.test(url)) problems.push(`JELLYFIN_URL: not an http(s) URL`);
    if (apiKey === undefined || apiKey.trim() === '') problems.push('JELLYFIN_API_KEY: required when Jellyfin is configured (env only, never in the config file)');
    if (url !== undefined && apiKey) jellyfin = { url: url.replace(/\/+$/, ''), apiKey: apiKey.trim() };
  }
  const adminPassword = env['JELLYBRIDGE_ADMIN_PASSWORD'] ?? core.admin.password;
  if (adminPassword !== undefined && adminPassword.length < 8) problems.push('JELLYBRIDGE_ADMIN_PASSWORD: at least 8 characters');

  if (problems.length > 0) throw invalid(problems);

  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p));
  const { adapters: _a, devices: _d, ...rest } = core;
  const resolvedCore = {
    ...rest,
    dataDir: abs(core.dataDir),
    local: { ...core.local, path: abs(core.local.path), ...(core.local.xmltv === undefined ? {} : { xmltv: abs(core.local.xmltv) }) },
    transcode: { ...core.transcode, ...(core.transcode.spoolDir === undefined ? {} : { spoolDir: abs(core.transcode.spoolDir) }) },
  };
  return deepFreeze({
    core: resolvedCore,
    adapters,
    devices,
    ...(jellyfin === undefined ? {} : { jellyfin }),
    ...(adminPassword === undefined ? {} : { adminPassword }),
  });
}

/** Reads `path` (JSON) and validates it; relative paths in it are relative to its folder. */
export function loadConfigFile(path: string, specs: readonly AdapterConfigSpec[], env: Readonly<Record<string, string | undefined>> = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new SidecarError('ERR_CONFIG_INVALID', 'invalid-argument', `cannot read config file ${path}: ${(cause as Error).message}`, {
      cause,
      detail: { problems: [`cannot read ${path}`] },
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new SidecarError('ERR_CONFIG_INVALID', 'invalid-argument', `config file ${path} is not valid JSON: ${(cause as Error).message}`, {
      cause,
      detail: { problems: [`not valid JSON: ${(cause as Error).message}`] },
    });
  }
  return { ...validateConfig(raw, specs, { env, baseDir: dirname(resolve(path)) }), source: resolve(path) };
}

/** Whether the device matcher can compile the pattern (only a bad `/regex/flags` cannot). */
function compiles(pattern: string): boolean {
  try {
    compileTextPattern(pattern);
    return true;
  } catch {
    return false;
  }
}

function invalid(problems: readonly string[]): SidecarError {
  return new SidecarError('ERR_CONFIG_INVALID', 'invalid-argument', `invalid configuration:\n  - ${problems.join('\n  - ')}`, {
    detail: { problems },
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
