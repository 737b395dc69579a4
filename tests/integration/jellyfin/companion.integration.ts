/**
 * The sidecar and the Jellyfin companion plugin against the Jellyfin stand-in, over real HTTP on
 * 127.0.0.1: the plugin-configuration round trip (read the dashboard's device table, merge it
 * into the registry, publish the adapter list back without touching the table), the catalog the
 * sidecar serves, and the install flow (/Repositories, /Packages/Installed/{name}, restart).
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog, CATALOG_PREFIX } from '../../../plugin/catalog/catalog-route.js';
import { COMPANION_ASSEMBLY, COMPANION_BUILDS, PLUGIN_GUID, type ManifestPackage } from '../../../plugin/catalog/manifest.js';
import { listZipEntries } from '../../../plugin/catalog/zip.js';
import { deviceMigrations } from '../../../plugin/devices/device-migrations.js';
import { createDeviceRegistry } from '../../../plugin/devices/device-registry.js';
import type { DeviceRuleResolved } from '../../../plugin/devices/rule-match.js';
import { HttpHost } from '../../../plugin/http/http-host.js';
import { CompanionService } from '../../../plugin/jellyfin/companion-service.js';
import { silentLogger } from '../../../plugin/log/logger.js';
import { openDatabase } from '../../../plugin/state/db.js';
import { systemClock } from '../../../plugin/util/clock.js';
import { SidecarError } from '../../../plugin/util/errors.js';
import { packagePlugin } from '../../../tools/package-plugin.js';
import { FakeJellyfin } from '../../support/fake-jellyfin.js';
import { repoRoot } from '../../support/paths.js';

const root = repoRoot();
const ADAPTERS = ['tivo', 'wii', 'rsstv', 'camera', 'dvbcss'];
const fixture = JSON.parse(readFileSync(join(root, 'tests/fixtures/jellyfin-companion/configuration.json'), 'utf8')) as Record<string, unknown>;
const identity = { client: 'Jellybridge', device: 'test sidecar', deviceId: 'jb-test', version: '0.1.0' };

/** Writes a catalog like `npm run package-plugin` does, with fake DLLs for the given frameworks. */
function writeCatalog(dir: string, frameworks: readonly string[]): readonly ManifestPackage[] {
  const publishDir = join(dir, 'publish');
  for (const framework of frameworks) {
    mkdirSync(join(publishDir, framework), { recursive: true });
    writeFileSync(join(publishDir, framework, COMPANION_ASSEMBLY), Buffer.from(`MZ companion for ${framework}`));
  }
  const result = packagePlugin(root, { publishDir, baseUrl: 'https://github.example/releases' });
  for (const z of result.zips) writeFileSync(join(dir, z.name), z.data);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(result.manifest, null, 2));
  return result.manifest;
}

describe('Jellyfin companion plugin (integration)', function () {
  this.timeout(30_000);
  let fake: FakeJellyfin | undefined;
  let host: HttpHost | undefined;
  let dir: string;
  let catalog: Catalog;
  let catalogOrigin: string;

  const service = (jellyfin: FakeJellyfin): CompanionService =>
    new CompanionService({
      jellyfin: () => ({ url: jellyfin.url, apiKey: jellyfin.apiKey }),
      identity,
      catalog,
      devicePort: () => host?.boundPort() ?? 0,
      adapterIds: ADAPTERS,
      log: silentLogger(),
      clock: systemClock,
    });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jb-catalog-'));
    catalog = new Catalog({ dir, log: silentLogger() });
    host = new HttpHost({ name: 'devices', allow: ['127.0.0.0/8'], log: silentLogger() });
    host.mount(CATALOG_PREFIX, catalog.handler());
    const port = await host.listen(0, '127.0.0.1');
    catalogOrigin = `http://127.0.0.1:${port}`;
  });

  afterEach(async () => {
    await fake?.close();
    fake = undefined;
    await host?.close();
    host = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  describe('configuration round trip', () => {
    it('merges the dashboard table into the registry and publishes the adapter list without touching the table', async () => {
      fake = await FakeJellyfin.start();
      const plugin = fake.state.plugins.find((p) => p.id === PLUGIN_GUID)!;
      plugin.config = { ...fixture, KnownAdapters: [] };
      const configRules: DeviceRuleResolved[] = [
        { id: 'living-room-tivo', name: 'From config', match: { cidr: ['10.9.9.9/32'] }, approved: true, adapters: { tivo: { enabled: true, overrides: { maxBitrate: 4000 } } } },
      ];
      const rules = await service(fake).loadRules(configRules);

      // Read: the table's row changed the config rule; the new row became a rule.
      assert.deepEqual(
        rules.map((r) => r.id),
        ['living-room-tivo', 'kids-wii'],
      );
      const db = openDatabase(':memory:');
      db.migrate('devices', deviceMigrations);
      const registry = createDeviceRegistry({
        db,
        rules,
        policy: 'hold',
        adapters: ADAPTERS.map((id) => ({ id, deviceDefaults: {}, validateOverrides: (v: unknown) => ({ ok: true as const, value: v as Record<string, unknown> }) })),
        clock: systemClock,
        log: silentLogger(),
      });
      const tivo = registry.forAdapter('tivo').resolve({ ip: '192.168.1.20', tsn: '6520001802A1B2C' });
      assert.equal(tivo.status, 'allowed');
      if (tivo.status === 'allowed') {
        assert.equal(tivo.device.id, 'living-room-tivo');
        assert.equal(tivo.device.userId, '4f0a1b2c3d4e5f60718293a4b5c6d7e8');
        assert.deepEqual(tivo.device.settings, { maxBitrate: 4000 }, 'per-adapter settings from the config file stay');
      }
      assert.equal(registry.forAdapter('wii').resolve({ ip: '192.168.1.20', tsn: '6520001802A1B2C' }).status, 'refused');
      assert.equal(registry.forAdapter('wii').resolve({ ip: '192.168.1.44', userAgent: 'Opera/9.30 (Nintendo Wii; U; ; 2071; Wii Shop Channel/1.0; en)' }).status, 'held', 'Approved=false rows wait for approval');
      // The sidecar admin's choice still wins over the dashboard.
      registry.setAdapterEnabled('living-room-tivo', 'tivo', false);
      assert.equal(registry.forAdapter('tivo').resolve({ ip: '192.168.1.20', tsn: '6520001802A1B2C' }).status, 'refused');
      db.close();

      // Write: the adapter list went back through POST /Plugins/{id}/Configuration; devices are as the admin left them.
      const stored = plugin.config as Record<string, unknown>;
      assert.deepEqual(stored['KnownAdapters'], ADAPTERS);
      assert.deepEqual(stored['Devices'], fixture['Devices']);
      assert.equal(stored['SidecarUrl'], fixture['SidecarUrl']);
      const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === `/Plugins/${PLUGIN_GUID}/Configuration`);
      assert.equal(posts.length, 1);
      assert.equal(posts[0]!.via, 'header');

      const status = await service(fake).status();
      assert.equal(status.plugin?.state, 'Active');
    });

    it('keeps the config rules and says the plugin is not installed when Jellyfin has none', async () => {
      fake = await FakeJellyfin.start({ companionInstalled: false });
      const configRules: DeviceRuleResolved[] = [{ id: 'den', name: 'Den', approved: true, adapters: {} }];
      const companion = service(fake);
      assert.equal(await companion.loadRules(configRules), configRules);
      const status = await companion.status();
      assert.equal(status.plugin?.installed, false);
      assert.equal(status.plugin?.state, 'not-installed');
      assert.match(status.loadError ?? '', /not loaded in Jellyfin/);
    });

    it('keeps the config rules when Jellyfin cannot be reached', async () => {
      fake = await FakeJellyfin.start();
      await fake.goDown();
      const configRules: DeviceRuleResolved[] = [];
      assert.equal(await service(fake).loadRules(configRules), configRules);
      const status = await service(fake).status();
      assert.equal(status.error?.code, 'ERR_JELLYFIN_UNAVAILABLE');
    });
  });

  describe('catalog', () => {
    it('serves the manifest with sourceUrls on the sidecar and zips whose MD5 matches', async () => {
      writeCatalog(dir, ['net9.0']);
      const res = await fetch(`${catalogOrigin}/catalog/manifest.json`);
      assert.equal(res.status, 200);
      const manifest = (await res.json()) as ManifestPackage[];
      const versions = manifest[0]!.versions;
      assert.equal(versions.length, COMPANION_BUILDS.length);
      for (const v of versions) {
        assert.ok(v.sourceUrl.startsWith(`${catalogOrigin}/catalog/jellybridge_`), v.sourceUrl);
        const zip = Buffer.from(await (await fetch(v.sourceUrl)).arrayBuffer());
        assert.equal(createHash('md5').update(zip).digest('hex'), v.checksum);
        assert.ok(listZipEntries(zip).includes('meta.json'));
      }
      const info = catalog.info();
      assert.deepEqual(
        info.versions.map((v) => [v.targetAbi, v.assemblies]),
        [
          ['10.11.0.0', [COMPANION_ASSEMBLY]],
          ['12.0.0.0', []],
        ],
      );
    });

    it('leaves out a version whose zip is missing or altered, and answers 503 with no catalog', async () => {
      assert.equal((await fetch(`${catalogOrigin}/catalog/manifest.json`)).status, 503);
      const manifest = writeCatalog(dir, []);
      const second = manifest[0]!.versions[1]!;
      writeFileSync(join(dir, second.sourceUrl.slice(second.sourceUrl.lastIndexOf('/') + 1)), 'tampered');
      const served = (await (await fetch(`${catalogOrigin}/catalog/manifest.json`)).json()) as ManifestPackage[];
      assert.deepEqual(
        served[0]!.versions.map((v) => v.targetAbi),
        ['10.11.0.0'],
      );
      assert.equal((await fetch(`${catalogOrigin}/catalog/${encodeURIComponent('../manifest.json')}`)).status, 404);
    });
  });

  describe('install flow', () => {
    it('adds the repository, installs the 10.11 build from the sidecar and says a restart is needed', async () => {
      writeCatalog(dir, ['net9.0', 'net10.0']);
      fake = await FakeJellyfin.start({ companionInstalled: false, version: '10.11.11' });
      const repositoryUrl = `${catalogOrigin}/catalog/manifest.json`;
      const outcome = await service(fake).install(repositoryUrl);
      assert.equal(outcome.repositoryAdded, true);
      assert.equal(outcome.restartRequired, true);
      assert.equal(outcome.status.state, 'Restart');
      assert.match(outcome.message, /Restart Jellyfin/);
      assert.deepEqual(
        fake.state.repositories.map((r) => r.Url),
        ['https://repo.jellyfin.org/files/plugin/manifest.json', repositoryUrl],
        'the existing repositories are kept',
      );
      assert.deepEqual(fake.state.installs[0]?.files, ['meta.json', COMPANION_ASSEMBLY]);
      assert.equal(fake.state.installs[0]?.version, '0.1.0.0', 'a 10.11 server gets the 10.11 build');

      const restarted = await fetch(`${fake.url}/System/Restart`, { method: 'POST', headers: { Authorization: `MediaBrowser Token="${fake.apiKey}"` } });
      assert.equal(restarted.status, 204);
      const status = await service(fake).status();
      assert.equal(status.plugin?.state, 'Active');
      // Installed again: the repository is already there.
      const again = await service(fake).install(repositoryUrl);
      assert.equal(again.repositoryAdded, false);
    });

    it('gives a 12.x server the 12.0 build', async () => {
      writeCatalog(dir, ['net9.0', 'net10.0']);
      fake = await FakeJellyfin.start({ companionInstalled: false, version: '12.0.1' });
      await service(fake).install(`${catalogOrigin}/catalog/manifest.json`);
      assert.equal(fake.state.installs[0]?.version, '0.1.0.1');
    });

    it('refuses to install a build without the companion DLL, which Jellyfin would drop at restart', async () => {
      writeCatalog(dir, []);
      fake = await FakeJellyfin.start({ companionInstalled: false });
      await assert.rejects(
        service(fake).install(`${catalogOrigin}/catalog/manifest.json`),
        (error: unknown) => error instanceof SidecarError && error.code === 'ERR_COMPANION_NOT_BUILT' && /holds no DLL/.test(error.message),
      );
      assert.equal(fake.state.installs.length, 0);
    });
  });
});
