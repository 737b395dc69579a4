/**
 * `npm run package-plugin`: builds the catalog zip (meta.json + the companion plugin's DLLs when
 * built) and writes manifest.json with the zip's MD5, from package.json and CHANGELOG.md.
 *
 * The timestamp is kept from the existing manifest while the version is unchanged, so the zip
 * and its checksum are reproducible and tests can rebuild and compare them.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adapterDescriptors, adapterPackages } from '../adapters/index.js';
import { buildManifest, buildPluginMeta, changelogFor, toCatalogVersion, type AdapterSummary, type ManifestInput, type ManifestPackage } from '../plugin/catalog/manifest.js';
import { buildZip, type ZipEntry } from '../plugin/catalog/zip.js';

export const DEFAULT_CATALOG_BASE = 'https://github.com/jellybridge/jellybridge/releases/download';

export interface PackageResult {
  readonly manifest: readonly ManifestPackage[];
  readonly zip: Buffer;
  readonly zipName: string;
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

/** Builds the zip and manifest for the repository at `root` (no writes). */
export function packagePlugin(root: string, baseUrl = process.env['JELLYBRIDGE_CATALOG_URL'] ?? DEFAULT_CATALOG_BASE): PackageResult {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; description: string };
  const changelog = changelogFor(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), pkg.version);
  const catalogVersion = toCatalogVersion(pkg.version);
  const zipName = `jellybridge_${catalogVersion}.zip`;
  const previous = readPrevious(join(root, 'manifest.json'));
  const timestamp = previous?.version === catalogVersion ? previous.timestamp : new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const base: Omit<ManifestInput, 'checksum'> = {
    version: pkg.version,
    description: pkg.description,
    changelog,
    sourceUrl: `${baseUrl.replace(/\/+$/, '')}/v${pkg.version}/${zipName}`,
    timestamp,
    adapters: adapterSummaries(),
  };
  const entries: ZipEntry[] = [{ name: 'meta.json', data: Buffer.from(JSON.stringify(buildPluginMeta({ ...base, checksum: '' }), null, 2) + '\n') }];
  const dllDir = join(root, 'plugin', 'jellyfin-companion', 'bin', 'publish');
  if (existsSync(dllDir)) {
    for (const file of readdirSync(dllDir).filter((f) => f.endsWith('.dll')).sort()) entries.push({ name: file, data: readFileSync(join(dllDir, file)) });
  }
  const zip = buildZip(entries);
  const checksum = createHash('md5').update(zip).digest('hex');
  return { manifest: buildManifest({ ...base, checksum }), zip, zipName };
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
  writeFileSync(join(outDir, result.zipName), result.zip);
  writeFileSync(join(root, 'manifest.json'), JSON.stringify(result.manifest, null, 2) + '\n');
  process.stdout.write(`wrote manifest.json and dist/catalog/${result.zipName} (md5 ${result.manifest[0]?.versions[0]?.checksum ?? '?'})\n`);
}

if (/package-plugin\.(js|ts)$/.test(process.argv[1] ?? '')) main();
