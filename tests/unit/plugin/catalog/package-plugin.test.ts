/**
 * The catalog zips: deterministic bytes, the companion DLL per ABI when built, meta.json's
 * assembly whitelist, and checksums that match (tools/package-plugin.ts, plugin/catalog/zip.ts).
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPANION_ASSEMBLY, COMPANION_BUILDS, toCatalogVersion } from '../../../../plugin/catalog/manifest.js';
import { buildZip, listZipEntries } from '../../../../plugin/catalog/zip.js';
import { packagePlugin } from '../../../../tools/package-plugin.js';
import { repoRoot } from '../../../support/paths.js';

const root = repoRoot();

describe('catalog packaging', () => {
  let publishDir: string;

  beforeEach(() => {
    publishDir = mkdtempSync(join(tmpdir(), 'jb-publish-'));
  });

  afterEach(() => {
    rmSync(publishDir, { recursive: true, force: true });
  });

  describe('listZipEntries', () => {
    it('lists the names of a zip built by buildZip, in order', () => {
      const zip = buildZip([
        { name: 'meta.json', data: Buffer.from('{}') },
        { name: 'Jellybridge.Companion.dll', data: Buffer.from([0x4d, 0x5a, 0x90, 0x00]) },
      ]);
      assert.deepEqual(listZipEntries(zip), ['meta.json', 'Jellybridge.Companion.dll']);
    });

    it('rejects bytes that are not a zip', () => {
      assert.throws(() => listZipEntries(Buffer.from('not a zip at all, just some text here')), /not a zip/);
    });
  });

  describe('toCatalogVersion', () => {
    it('turns a semantic version into a four-part Jellyfin version with the ABI revision', () => {
      assert.equal(toCatalogVersion('1.2.3'), '1.2.3.0');
      assert.equal(toCatalogVersion('1.2.3-beta.1', 1), '1.2.3.1');
      assert.throws(() => toCatalogVersion('x'), /not a semantic version/);
    });
  });

  describe('packagePlugin', () => {
    it('builds byte-identical zips on every run', () => {
      const a = packagePlugin(root, { publishDir });
      const b = packagePlugin(root, { publishDir });
      assert.deepEqual(
        a.zips.map((z) => z.data),
        b.zips.map((z) => z.data),
      );
    });

    it('holds only meta.json, without an assembly list, while the companion is not built', () => {
      const { zips } = packagePlugin(root, { publishDir });
      for (const zip of zips) {
        assert.deepEqual(listZipEntries(zip.data), ['meta.json']);
        assert.deepEqual(zip.assemblies, []);
      }
    });

    it('puts each ABI build’s DLL in that ABI’s zip and whitelists it in meta.json', () => {
      const [first, second] = COMPANION_BUILDS;
      mkdirSync(join(publishDir, first!.framework));
      writeFileSync(join(publishDir, first!.framework, COMPANION_ASSEMBLY), Buffer.from('MZ net9 build'));
      writeFileSync(join(publishDir, first!.framework, 'notes.txt'), 'not shipped');
      const { zips, manifest } = packagePlugin(root, { publishDir, baseUrl: 'http://example.test/dl/' });
      assert.deepEqual(listZipEntries(zips[0]!.data), ['meta.json', COMPANION_ASSEMBLY]);
      assert.deepEqual(listZipEntries(zips[1]!.data), ['meta.json']);
      assert.equal(zips[1]!.targetAbi, second!.targetAbi);
      const versions = manifest[0]!.versions;
      assert.equal(versions[0]!.checksum, createHash('md5').update(zips[0]!.data).digest('hex'));
      assert.match(versions[0]!.sourceUrl, /^http:\/\/example\.test\/dl\/v\d+\.\d+\.\d+\/jellybridge_\d+\.\d+\.\d+\.0\.zip$/);
      assert.notEqual(versions[0]!.checksum, versions[1]!.checksum);
    });
  });
});
