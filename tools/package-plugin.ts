/**
 * `npm run package-plugin`: builds one catalog zip per Jellyfin ABI (meta.json + the companion
 * plugin's DLL when built) and writes manifest.json with each zip's MD5, from package.json and
 * CHANGELOG.md. Zips and a copy of the manifest go to dist/catalog/, which the sidecar serves at
 * /catalog/ (plugin/catalog/catalog-route.ts).
 *
 * DLLs published into plugin/jellyfin-companion/bin/publish/<framework>/ are packed when
 * present; the plugin assembly itself is blocked for now (plugin/jellyfin-companion/README.md),
 * so the zips hold meta.json only and the admin UI refuses to install them.
 *
 * The timestamp is kept from the existing manifest while the version is unchanged, so the zips
 * and their checksums are reproducible and tests can rebuild and compare them.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adapterDescriptors, adapterPackages } from '../adapters/index.js';
import {
  buildManifest,
  buildPluginMeta,
  changelogFor,
  COMPANION_BUILDS,
  toCatalogVersion,
  type AdapterSummary,
  type CompanionBuild,
  type ManifestInput,
  type ManifestPackage,
  type ManifestVersionBuild,
} from '../plugin/catalog/manifest.js';
import { buildZip, type ZipEntry } from '../plugin/catalog/zip.js';

export const DEFAULT_CATALOG_BASE = 'https://github.com/jellybridge/jellybridge/releases/download';


export interface BuiltZip {
  readonly name: string;
  readonly data: Buffer;
  readonly targetAbi: string;
  readonly version: string;
  /** The DLLs inside (empty when the companion was not built for this ABI). */
  readonly assemblies: readonly string[];
}

export interface PackageResult {
  readonly manifest: readonly ManifestPackage[];
  /** One per ABI, in COMPANION_BUILDS order. */
  readonly zips: readonly BuiltZip[];
}

export interface PackageOptions {
  readonly baseUrl?: string;
  /** Folder with one `<framework>/` sub-folder of DLLs per build (default: the companion's bin/publish). */
  readonly publishDir?: string;
}

export function adapterSummaries(): AdapterSummary[] {
  return adapterDescriptors.map((d) => ({
    id: d.id,
    displayName: d.displayName,
    protocols: d.protocols,
    defaultPorts: d.defaultPorts,
    requires: d.requires,
    packages: adapterPackages[d.id] ?? [],
  }));
}

export function defaultPublishDir(root: string): string {
  return join(root, 'plugin', 'jellyfin-companion', 'bin', 'publish');
}

/** Builds the zips and manifest for the repository at `root` (no writes). */
export function packagePlugin(root: string, options: PackageOptions = {}): PackageResult {
  const baseUrl = (options.baseUrl ?? process.env['JELLYBRIDGE_CATALOG_URL'] ?? DEFAULT_CATALOG_BASE).replace(/\/+$/, '');
  const publishDir = options.publishDir ?? defaultPublishDir(root);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; description: string };
  const changelog = changelogFor(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), pkg.version);
  const previous = readPrevious(join(root, 'manifest.json'));
  const firstVersion = toCatalogVersion(pkg.version);
  const timestamp = previous?.version === firstVersion ? previous.timestamp : new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const base: ManifestInput = { version: pkg.version, description: pkg.description, changelog, sourceUrl: '', checksum: '', timestamp, adapters: adapterSummaries() };

  const zips = COMPANION_BUILDS.map((build) => zipFor(base, build, join(publishDir, build.framework)));
  const builds: ManifestVersionBuild[] = zips.map((z) => ({
    version: z.version,
    targetAbi: z.targetAbi,
    sourceUrl: `${baseUrl}/v${pkg.version}/${z.name}`,
    checksum: createHash('md5').update(z.data).digest('hex'),
  }));
  return { manifest: buildManifest({ ...base, builds }), zips };
}

function zipFor(base: ManifestInput, build: CompanionBuild, dllDir: string): BuiltZip {
  const version = toCatalogVersion(base.version, build.revision);
  const dlls = existsSync(dllDir) ? readdirSync(dllDir).filter((f) => f.endsWith('.dll')).sort() : [];
  const meta = buildPluginMeta(base, { targetAbi: build.targetAbi, version }, dlls);
  const entries: ZipEntry[] = [{ name: 'meta.json', data: Buffer.from(JSON.stringify(meta, null, 2) + '\n') }];
  for (const file of dlls) entries.push({ name: file, data: readFileSync(join(dllDir, file)) });
  return { name: `jellybridge_${version}.zip`, data: buildZip(entries), targetAbi: build.targetAbi, version, assemblies: dlls };
}

function readPrevious(path: string): { version: string; timestamp: string } | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as readonly ManifestPackage[];
    const v = parsed[0]?.versions[0];
    return v ? { version: v.version, timestamp: v.timestamp } : undefined;
  } catch {
    return undefined;
  }
}

function main(): void {
  const root = process.cwd();
  const result = packagePlugin(root);
  const outDir = join(root, 'dist', 'catalog');
  mkdirSync(outDir, { recursive: true });
  for (const z of result.zips) writeFileSync(join(outDir, z.name), z.data);
  const text = JSON.stringify(result.manifest, null, 2) + '\n';
  writeFileSync(join(root, 'manifest.json'), text);
  writeFileSync(join(outDir, 'manifest.json'), text);
  for (const [i, z] of result.zips.entries()) {
    const v = result.manifest[0]?.versions[i];
    process.stdout.write(`wrote dist/catalog/${z.name} (ABI ${z.targetAbi}, md5 ${v?.checksum ?? '?'}, ${z.assemblies.length === 0 ? 'NO companion DLL' : z.assemblies.join(', ')})\n`);
  }
  process.stdout.write('wrote manifest.json and dist/catalog/manifest.json\n');
}

if (/package-plugin\.(js|ts)$/.test(process.argv[1] ?? '')) main();
