/**
 * Builds the Jellyfin plugin-repository manifest (protocols/jellyfin.md §6.1): a JSON array with
 * one package whose versions point at the catalog zip with its MD5. The package also carries
 * `adapters[]` (Jellyfin ignores unknown keys) so the sidecar and tests read the adapter list from
 * the same file. Pure: no I/O.
 */

/** The catalog identity of Jellybridge; never change it (Jellyfin keys installs by it). */
export const PLUGIN_GUID = '80cd33d7-3477-40fc-bbdc-03807fafbc32';
export const PLUGIN_NAME = 'Jellybridge';
/** Lowest Jellyfin ABI the companion plugin is built for. */
export const TARGET_ABI = '10.11.0.0';

/**
 * One build of the companion plugin per Jellyfin ABI (protocols/jellyfin.md §1, §6.2). Jellyfin
 * offers every version whose `targetAbi` is not above the server's, with no upper bound, so each
 * ABI gets its own catalog version: the fourth version component is the build's `revision`, and a
 * 12.x server, seeing both, picks the higher (its own) build while a 10.11 server sees only its own.
 */
export interface CompanionBuild {
  readonly targetAbi: string;
  /** .NET target framework of `plugin/jellyfin-companion` for this ABI. */
  readonly framework: string;
  /** Fourth component of the catalog version ("0.1.0.<revision>"). */
  readonly revision: number;
}

export const COMPANION_BUILDS: readonly CompanionBuild[] = [
  { targetAbi: TARGET_ABI, framework: 'net9.0', revision: 0 },
  { targetAbi: '12.0.0.0', framework: 'net10.0', revision: 1 },
];

/** The companion assembly Jellyfin loads (meta.json `assemblies`). */
export const COMPANION_ASSEMBLY = 'Jellybridge.Companion.dll';

export interface AdapterSummary {
  readonly id: string;
  readonly displayName: string;
  readonly protocols: readonly string[];
  readonly defaultPorts: Readonly<Record<string, number>>;
  readonly requires: { readonly encoders: readonly string[]; readonly muxers: readonly string[] };
  /** npm packages the adapter may import (checked by tests/unit/architecture.test.ts). */
  readonly packages: readonly string[];
}

export interface ManifestInput {
  readonly version: string;
  readonly description: string;
  readonly changelog: string;
  readonly sourceUrl: string;
  readonly checksum: string;
  readonly timestamp: string;
  readonly adapters: readonly AdapterSummary[];
  /**
   * One entry per ABI build (version, targetAbi, zip URL and MD5). Absent: a single version
   * "x.y.z.0" for TARGET_ABI from `sourceUrl`/`checksum`.
   */
  readonly builds?: readonly ManifestVersionBuild[];
}

/** A built catalog zip for one ABI. */
export interface ManifestVersionBuild {
  readonly version: string;
  readonly targetAbi: string;
  readonly sourceUrl: string;
  readonly checksum: string;
}

export interface ManifestVersion {
  readonly version: string;
  readonly changelog: string;
  readonly targetAbi: string;
  readonly sourceUrl: string;
  readonly checksum: string;
  readonly timestamp: string;
}

export interface ManifestPackage {
  readonly guid: string;
  readonly name: string;
  readonly description: string;
  readonly overview: string;
  readonly owner: string;
  readonly category: string;
  readonly versions: readonly ManifestVersion[];
  readonly adapters: readonly AdapterSummary[];
}

/** npm "0.1.0" → Jellyfin "0.1.0.0" (or "0.1.0.<revision>" for a per-ABI build). */
export function toCatalogVersion(semver: string, revision = 0): string {
  const core = /^(\d+)\.(\d+)\.(\d+)/.exec(semver);
  if (!core) throw new Error(`not a semantic version: ${semver}`);
  return `${core[1]}.${core[2]}.${core[3]}.${revision}`;
}

/**
 * The changelog text for `version`: its own section when released, else "Unreleased".
 * Markdown headings and bullets are kept as plain lines.
 */
export function changelogFor(changelog: string, version: string): string {
  const sections = changelog.split(/^## /m).slice(1);
  const pick = sections.find((s) => s.startsWith(`[${version}]`)) ?? sections.find((s) => s.startsWith('[Unreleased]'));
  if (!pick) return '';
  return pick
    .split('\n')
    .slice(1)
    .map((line) => line.trimEnd())
    .filter((line) => line.length > 0)
    .join('\n');
}

export function buildManifest(input: ManifestInput): readonly ManifestPackage[] {
  return [
    {
      guid: PLUGIN_GUID,
      name: PLUGIN_NAME,
      description: input.description,
      overview: 'Bridge your Jellyfin library to TiVo DVRs, the Wii, RSSTV feeds, RTSP cameras and DVB-CSS companion screens.',
      owner: 'jellybridge',
      category: 'General',
      versions: (input.builds ?? [{ version: toCatalogVersion(input.version), targetAbi: TARGET_ABI, sourceUrl: input.sourceUrl, checksum: input.checksum }]).map(
        (build): ManifestVersion => ({
          version: build.version,
          changelog: input.changelog,
          targetAbi: build.targetAbi,
          sourceUrl: build.sourceUrl,
          checksum: build.checksum,
          timestamp: input.timestamp,
        }),
      ),
      adapters: input.adapters,
    },
  ];
}

/**
 * Jellyfin's `meta.json` inside the zip (PluginManifest.cs). `build` picks the ABI and version
 * (default: TARGET_ABI, "x.y.z.0"); `assemblies` whitelists the DLLs Jellyfin loads (omitted when
 * the zip holds none).
 */
export function buildPluginMeta(
  input: ManifestInput,
  build: { readonly targetAbi: string; readonly version: string } = { targetAbi: TARGET_ABI, version: toCatalogVersion(input.version) },
  assemblies: readonly string[] = [],
): Readonly<Record<string, unknown>> {
  return {
    category: 'General',
    changelog: input.changelog,
    description: input.description,
    guid: PLUGIN_GUID,
    name: PLUGIN_NAME,
    overview: 'Companion for the Jellybridge sidecar.',
    owner: 'jellybridge',
    targetAbi: build.targetAbi,
    timestamp: input.timestamp,
    version: build.version,
    status: 'Active',
    autoUpdate: false,
    ...(assemblies.length === 0 ? {} : { assemblies }),
  };
}

/** Jellyfin's `Version` ordering on "a.b.c.d" (missing parts count as 0). */
export function compareCatalogVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
