/**
 * The Jellyfin companion plugin's configuration (plugin/jellyfin-companion, PluginConfiguration.cs)
 * as the sidecar reads and writes it through `/Plugins/{id}/Configuration` (pure, no I/O).
 *
 * Jellyfin answers GET in PascalCase and deserializes POST bodies case-sensitively with the C#
 * property names, replacing the whole object: so the sidecar always writes PascalCase and always
 * read-modify-writes, keeping keys it does not know (a newer plugin's fields) untouched.
 * tests/fixtures/jellyfin-companion/configuration.json is the contract both sides test against.
 */
import type { DeviceMatchSpec } from './rule-match.js';

export interface CompanionDevice {
  readonly id: string;
  /** '' = keep the sidecar's name. */
  readonly name: string;
  readonly match: DeviceMatchSpec;
  /** '' = the sidecar's default user. */
  readonly userId: string;
  readonly enabledAdapters: readonly string[];
  readonly approved: boolean;
}

export interface CompanionConfiguration {
  readonly sidecarUrl: string;
  readonly adminUrl: string;
  readonly knownAdapters: readonly string[];
  readonly devices: readonly CompanionDevice[];
  /** The object as Jellyfin sent it, so a write keeps what this version does not model. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** A row the sidecar could not use, and why (field path as in the C# model). */
export interface CompanionIssue {
  readonly field: string;
  readonly message: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter((x) => x !== '') : []);
const ids = (v: unknown): string[] => [...new Set(strings(v).map((x) => x.toLowerCase()))];

/**
 * Reads Jellyfin's JSON. Missing or mistyped fields take the C# defaults (as Jellyfin itself
 * would after loading an older XML file); rows without an id or with a repeated id are dropped
 * and reported. Throws only when the body is not an object.
 */
export function parseCompanionConfiguration(body: unknown): { readonly config: CompanionConfiguration; readonly issues: readonly CompanionIssue[] } {
  if (!isRecord(body)) throw new TypeError('the plugin configuration is not a JSON object');
  const issues: CompanionIssue[] = [];
  const devices: CompanionDevice[] = [];
  const seen = new Set<string>();
  const rows = Array.isArray(body['Devices']) ? body['Devices'] : [];
  rows.forEach((row, i) => {
    const at = `Devices[${i}]`;
    if (!isRecord(row)) return issues.push({ field: at, message: 'not an object' });
    const id = text(row['Id']).toLowerCase();
    if (id === '') return issues.push({ field: `${at}.Id`, message: 'missing' });
    if (seen.has(id)) return issues.push({ field: `${at}.Id`, message: `duplicate id "${id}"` });
    seen.add(id);
    const m = isRecord(row['Match']) ? row['Match'] : {};
    const match: { -readonly [K in keyof DeviceMatchSpec]: DeviceMatchSpec[K] } = {};
    const cidr = strings(m['Cidr']);
    const tsn = strings(m['Tsn']);
    const key = strings(m['Key']);
    const userAgent = text(m['UserAgent']);
    if (cidr.length > 0) match.cidr = cidr;
    if (userAgent !== '') match.userAgent = userAgent;
    if (tsn.length > 0) match.tsn = tsn;
    if (key.length > 0) match.key = key;
    devices.push({
      id,
      name: text(row['Name']),
      match,
      userId: text(row['UserId']),
      enabledAdapters: ids(row['EnabledAdapters']),
      approved: typeof row['Approved'] === 'boolean' ? row['Approved'] : true,
    });
    return undefined;
  });
  return {
    config: {
      sidecarUrl: text(body['SidecarUrl']).replace(/\/+$/, ''),
      adminUrl: text(body['AdminUrl']).replace(/\/+$/, ''),
      knownAdapters: ids(body['KnownAdapters']),
      devices,
      raw: body,
    },
    issues,
  };
}

/** What the sidecar publishes into the companion configuration. */
export interface CompanionPublish {
  /** The sidecar's adapter ids (the dashboard shows one column each). */
  readonly knownAdapters: readonly string[];
  /** Written only when the configuration has none yet: the Jellyfin admin's value wins. */
  readonly sidecarUrl?: string;
  readonly adminUrl?: string;
}

/**
 * The body to POST back: `current` as Jellyfin sent it, with the sidecar's facts applied.
 * Devices are never changed here (they belong to the Jellyfin admin). `changed` is false when
 * nothing needs writing.
 */
export function companionUpdate(current: CompanionConfiguration, publish: CompanionPublish): { readonly body: Readonly<Record<string, unknown>>; readonly changed: boolean } {
  const body: Record<string, unknown> = { ...current.raw };
  let changed = false;
  const known = [...publish.knownAdapters];
  if (known.join(',') !== current.knownAdapters.join(',')) {
    body['KnownAdapters'] = known;
    changed = true;
  }
  const defaultSidecar = current.sidecarUrl === '' || current.sidecarUrl === 'http://127.0.0.1:8097';
  if (publish.sidecarUrl !== undefined && defaultSidecar && publish.sidecarUrl !== current.sidecarUrl) {
    body['SidecarUrl'] = publish.sidecarUrl;
    changed = true;
  }
  if (publish.adminUrl !== undefined && current.adminUrl === '') {
    body['AdminUrl'] = publish.adminUrl;
    changed = true;
  }
  // Jellyfin fills absent members with C# defaults: send every modelled one explicitly.
  body['SidecarUrl'] ??= current.sidecarUrl;
  body['AdminUrl'] ??= current.adminUrl;
  body['Devices'] ??= [];
  return { body, changed };
}

/** A device row in Jellyfin's PascalCase shape (for tests and for seeding the table). */
export function companionDeviceJson(device: CompanionDevice): Readonly<Record<string, unknown>> {
  return {
    Id: device.id,
    Name: device.name,
    Match: { Cidr: device.match.cidr ?? [], UserAgent: device.match.userAgent ?? '', Tsn: device.match.tsn ?? [], Key: device.match.key ?? [] },
    UserId: device.userId,
    EnabledAdapters: device.enabledAdapters,
    Approved: device.approved,
  };
}
