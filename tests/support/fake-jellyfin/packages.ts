/**
 * The stand-in's plugin catalog and install flow (protocols/jellyfin.md §6.2, read in 10.11's
 * PackageController/InstallationManager/PluginManager):
 * - `GET/POST /Repositories` (POST replaces the whole list);
 * - `POST /Packages/Installed/{name}?assemblyGuid=&version=&repositoryUrl=` fetches every enabled
 *   repository's manifest over real HTTP, picks the highest version whose targetAbi is not above
 *   the server's version, downloads the zip, checks its MD5 (mismatch → 500), requires a
 *   meta.json with the package's guid, and lists the plugin with status `Restart`;
 * - `POST /System/Restart` loads pending plugins: those whose zip held a DLL become `Active`,
 *   the others are dropped, as Jellyfin drops plugin folders without an assembly.
 * Also the companion plugin's configuration as Jellyfin's typed deserialization leaves it.
 */
import { createHash } from 'node:crypto';
import { COMPANION_BUILDS, PLUGIN_GUID } from '../../../plugin/catalog/manifest.js';
import { json, param, problem } from './http-helpers.js';
import type { FakeResponse } from './router.js';
import { compareCatalogVersions as compareVersions } from '../../../plugin/catalog/manifest.js';
import { readZipEntries } from '../../../plugin/catalog/zip.js';

export interface FakeRepository {
  Name: string | null;
  Url: string | null;
  Enabled: boolean;
}

export interface FakePlugin {
  id: string;
  name: string;
  version: string;
  config: unknown;
  /** PluginStatus; default Active. */
  status?: string;
  /** Whether the installed zip held a *.dll (decides what a restart does). */
  hasAssembly?: boolean;
}

/** What a completed install recorded (tests read it). */
export interface FakeInstall {
  readonly name: string;
  readonly version: string;
  readonly repositoryUrl: string;
  readonly sourceUrl: string;
  readonly files: readonly string[];
}

/** The companion configuration's C# defaults (PluginConfiguration.cs). */
export function defaultCompanionConfig(): Record<string, unknown> {
  return { SidecarUrl: 'http://127.0.0.1:8097', AdminUrl: '', KnownAdapters: [], Devices: [] };
}

const DEVICE_DEFAULTS = (): Record<string, unknown> => ({ Id: '', Name: '', Match: { Cidr: [], UserAgent: '', Tsn: [], Key: [] }, UserId: '', EnabledAdapters: [], Approved: true });
const MATCH_DEFAULTS = (): Record<string, unknown> => ({ Cidr: [], UserAgent: '', Tsn: [], Key: [] });

/** Keeps only the declared members (case-sensitive), defaults for the missing ones: what System.Text.Json into the typed class, then back out, gives. */
function typed(value: unknown, defaults: Record<string, unknown>, nested: Readonly<Record<string, (v: unknown) => unknown>> = {}): Record<string, unknown> {
  const source = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [key, fallback] of Object.entries(defaults)) {
    const given = source[key];
    if (given === undefined) out[key] = fallback;
    else out[key] = nested[key] ? nested[key](given) : given;
  }
  return out;
}

/** The companion configuration after a POST: as Jellyfin's typed deserialization stores it. */
export function storeCompanionConfig(body: unknown): Record<string, unknown> {
  return typed(body, defaultCompanionConfig(), {
    Devices: (v) => (Array.isArray(v) ? v.map((d) => typed(d, DEVICE_DEFAULTS(), { Match: (m) => typed(m, MATCH_DEFAULTS()) })) : []),
  });
}

export function listRepositories(repositories: readonly FakeRepository[]): FakeResponse {
  return json(200, repositories);
}

export function setRepositories(repositories: FakeRepository[], body: unknown): FakeResponse {
  if (!Array.isArray(body)) return problem(400, 'a list of repositories is required');
  repositories.splice(
    0,
    repositories.length,
    ...body.map((r: Record<string, unknown>) => ({ Name: typeof r['Name'] === 'string' ? r['Name'] : null, Url: typeof r['Url'] === 'string' ? r['Url'] : null, Enabled: r['Enabled'] === true })),
  );
  return json(204);
}


interface CatalogVersion {
  version: string;
  targetAbi: string;
  sourceUrl: string;
  checksum: string;
}

/** POST /Packages/Installed/{name}: a real download from the repositories over HTTP. */
export async function installPackage(
  state: { readonly version: string; readonly repositories: readonly FakeRepository[]; readonly plugins: FakePlugin[]; readonly installs: FakeInstall[] },
  name: string,
  query: URLSearchParams,
): Promise<FakeResponse> {
  const assemblyGuid = param(query, 'assemblyGuid')?.replace(/-/g, '').toLowerCase();
  const wantedVersion = param(query, 'version');
  const repositoryUrl = param(query, 'repositoryUrl');
  const candidates: { repo: string; pkgName: string; guid: string; version: CatalogVersion }[] = [];
  for (const repo of state.repositories.filter((r) => r.Enabled && r.Url !== null)) {
    let manifest: unknown;
    try {
      const res = await fetch(repo.Url ?? '');
      manifest = res.ok ? await res.json() : [];
    } catch {
      continue; // Jellyfin logs an unreachable repository and carries on.
    }
    if (!Array.isArray(manifest)) continue;
    for (const pkg of manifest as { name?: string; guid?: string; versions?: CatalogVersion[] }[]) {
      for (const version of pkg.versions ?? []) candidates.push({ repo: repo.Url ?? '', pkgName: pkg.name ?? '', guid: (pkg.guid ?? '').replace(/-/g, '').toLowerCase(), version });
    }
  }
  const server = state.version.split('.').concat(['0', '0', '0']).slice(0, 4).join('.');
  const pick = candidates
    .filter((c) => c.pkgName.toLowerCase() === name.toLowerCase())
    .filter((c) => assemblyGuid === undefined || c.guid === assemblyGuid)
    .filter((c) => repositoryUrl === undefined || c.repo === repositoryUrl)
    .filter((c) => wantedVersion === undefined || c.version.version === wantedVersion)
    .filter((c) => compareVersions(c.version.targetAbi, server) <= 0)
    .sort((a, b) => compareVersions(b.version.version, a.version.version))[0];
  if (pick === undefined) return problem(404, 'Package not found');
  const res = await fetch(pick.version.sourceUrl);
  if (!res.ok) return problem(500, `download failed: HTTP ${res.status}`);
  const zip = Buffer.from(await res.arrayBuffer());
  if (createHash('md5').update(zip).digest('hex') !== pick.version.checksum.toLowerCase()) return problem(500, 'checksum mismatch');
  const files = readZipEntries(zip);
  const meta = files.get('meta.json');
  const metaGuid = meta === undefined ? undefined : (JSON.parse(meta.toString('utf8')) as { guid?: string }).guid?.replace(/-/g, '').toLowerCase();
  if (metaGuid !== pick.guid) return problem(500, 'meta.json missing or for another plugin');
  const id = `${pick.guid.slice(0, 8)}-${pick.guid.slice(8, 12)}-${pick.guid.slice(12, 16)}-${pick.guid.slice(16, 20)}-${pick.guid.slice(20)}`;
  for (const p of state.plugins) if (p.id.replace(/-/g, '') === pick.guid && p.status !== 'Restart') p.status = 'Superseded';
  state.plugins.push({ id, name: pick.pkgName, version: pick.version.version, config: defaultCompanionConfig(), status: 'Restart', hasAssembly: [...files.keys()].some((f) => f.toLowerCase().endsWith('.dll')) });
  state.installs.push({ name: pick.pkgName, version: pick.version.version, repositoryUrl: pick.repo, sourceUrl: pick.version.sourceUrl, files: [...files.keys()] });
  return json(204);
}

/** POST /System/Restart: pending plugins load (or are dropped without a DLL); superseded ones go. */
export function restart(plugins: FakePlugin[]): FakeResponse {
  const next = plugins.filter((p) => p.status !== 'Superseded' && !(p.status === 'Restart' && p.hasAssembly === false));
  for (const p of next) if (p.status === 'Restart') p.status = 'Active';
  plugins.splice(0, plugins.length, ...next);
  return json(204);
}

/** The companion plugin as already installed and active (the stand-in's default). */
export function installedCompanion(): FakePlugin {
  return { id: PLUGIN_GUID, name: 'Jellybridge', version: `0.1.0.${COMPANION_BUILDS[0]?.revision ?? 0}`, config: defaultCompanionConfig(), status: 'Active', hasAssembly: true };
}
