/**
 * manifest.json is the Jellyfin repository manifest and the adapter list: it must be current
 * (regenerate with `npm run package-plugin`), well-formed for Jellyfin, and agree with
 * package.json, CHANGELOG.md and adapters/index.ts.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adapterDescriptors } from '../../adapters/index.js';
import { COMPANION_BUILDS, PLUGIN_GUID, type ManifestPackage } from '../../plugin/catalog/manifest.js';
import { packagePlugin } from '../../tools/package-plugin.js';
import { repoRoot } from '../support/paths.js';
import { readZipEntries } from '../../plugin/catalog/zip.js';

const root = repoRoot();
const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as ManifestPackage[];
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };


describe('manifest.json', () => {
  it('is current (run `npm run package-plugin` after changing the version, changelog or adapters)', () => {
    assert.deepEqual(manifest, packagePlugin(root).manifest);
  });

  it('is a Jellyfin repository manifest with one package and its version', () => {
    assert.ok(Array.isArray(manifest));
    assert.equal(manifest.length, 1);
    const entry = manifest[0]!;
    assert.equal(entry.guid, PLUGIN_GUID);
    for (const key of ['name', 'description', 'overview', 'owner', 'category'] as const) assert.equal(typeof entry[key], 'string', key);
    const version = entry.versions[0]!;
    assert.equal(version.version, `${pkg.version}.0`);
    assert.match(version.sourceUrl, /^https?:\/\/\S+\.zip$/);
    assert.match(version.checksum, /^[0-9a-f]{32}$/);
    assert.match(version.targetAbi, /^\d+\.\d+\.\d+\.\d+$/);
    assert.ok(!Number.isNaN(Date.parse(version.timestamp)));
    assert.ok(version.changelog.length > 0, 'changelog taken from CHANGELOG.md');
  });

  it('carries the MD5 of each catalog zip, whose meta.json matches its version and ABI', () => {
    const { zips, manifest: built } = packagePlugin(root);
    assert.equal(zips.length, built[0]!.versions.length);
    for (const [i, zip] of zips.entries()) {
      const version = built[0]!.versions[i]!;
      assert.equal(createHash('md5').update(zip.data).digest('hex'), version.checksum);
      assert.ok(version.sourceUrl.endsWith(`/${zip.name}`));
      const meta = JSON.parse(readZipEntries(zip.data).get('meta.json')!.toString('utf8')) as Record<string, unknown>;
      assert.equal(meta['guid'], PLUGIN_GUID);
      assert.equal(meta['version'], version.version);
      assert.equal(meta['targetAbi'], version.targetAbi);
    }
  });

  it('offers one version per Jellyfin ABI, the newer ABI with the higher version', () => {
    const versions = manifest[0]!.versions;
    assert.deepEqual(
      versions.map((v) => [v.targetAbi, v.version]),
      COMPANION_BUILDS.map((b) => [b.targetAbi, `${pkg.version}.${b.revision}`]),
    );
  });

  it('lists exactly the adapters of adapters/index.ts', () => {
    assert.deepEqual(
      manifest[0]!.adapters.map((a) => a.id),
      adapterDescriptors.map((d) => d.id),
    );
  });
});
