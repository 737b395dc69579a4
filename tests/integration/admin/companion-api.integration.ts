/**
 * The admin API's companion-plugin routes with a real CompanionService, the Jellyfin stand-in
 * and the sidecar's catalog served over HTTP: GET /api/companion says whether the plugin is
 * installed; POST /api/companion/install installs it and says a Jellyfin restart is needed.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog, CATALOG_PREFIX } from '../../../plugin/catalog/catalog-route.js';
import { COMPANION_ASSEMBLY } from '../../../plugin/catalog/manifest.js';
import { HttpHost } from '../../../plugin/http/http-host.js';
import { CompanionService } from '../../../plugin/jellyfin/companion-service.js';
import { silentLogger } from '../../../plugin/log/logger.js';
import { systemClock } from '../../../plugin/util/clock.js';
import { packagePlugin } from '../../../tools/package-plugin.js';
import { FakeJellyfin } from '../../support/fake-jellyfin.js';
import { repoRoot } from '../../support/paths.js';
import { chromium, type Browser } from 'playwright-core';
import { AdminClient, adminFixture, type AdminFixture } from './admin-fixture.js';

const PASSWORD = 'correct horse battery';
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

describe('admin API: companion plugin', function () {
  this.timeout(30_000);
  let fixture: AdminFixture | undefined;
  let fake: FakeJellyfin | undefined;
  let host: HttpHost | undefined;
  let dir: string;
  let browser: Browser | undefined;

  async function setUp(withDll: boolean): Promise<AdminClient> {
    dir = mkdtempSync(join(tmpdir(), 'jb-admin-catalog-'));
    const publishDir = join(dir, 'publish');
    if (withDll) {
      mkdirSync(join(publishDir, 'net9.0'), { recursive: true });
      writeFileSync(join(publishDir, 'net9.0', COMPANION_ASSEMBLY), 'MZ');
    }
    const built = packagePlugin(repoRoot(), { publishDir });
    for (const z of built.zips) writeFileSync(join(dir, z.name), z.data);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(built.manifest));
    const catalog = new Catalog({ dir, log: silentLogger() });
    host = new HttpHost({ name: 'devices', allow: ['127.0.0.0/8'], log: silentLogger() });
    host.mount(CATALOG_PREFIX, catalog.handler());
    await host.listen(0, '127.0.0.1');
    fake = await FakeJellyfin.start({ companionInstalled: false });
    const jellyfin = fake;
    const companion = new CompanionService({
      jellyfin: () => ({ url: jellyfin.url, apiKey: jellyfin.apiKey }),
      identity: { client: 'Jellybridge', device: 'test', deviceId: 'jb-admin-test', version: '0.1.0' },
      catalog,
      devicePort: () => host?.boundPort() ?? 0,
      adapterIds: ['x', 'y'],
      log: silentLogger(),
      clock: systemClock,
    });
    fixture = await adminFixture({ password: PASSWORD, companion });
    const client = new AdminClient(fixture.base);
    await client.login(PASSWORD);
    return client;
  }

  afterEach(async () => {
    await browser?.close();
    browser = undefined;
    await fixture?.close();
    await fake?.close();
    await host?.close();
    fixture = undefined;
    fake = undefined;
    host = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the plugin missing, installs it from the sidecar’s catalog and asks for a restart', async () => {
    const client = await setUp(true);
    const before = await client.request('GET', '/api/companion');
    assert.equal(before.status, 200);
    const status = before.json as { jellyfin: boolean; plugin: { installed: boolean; state: string }; repositoryUrl: string; catalog: { available: boolean } };
    assert.equal(status.jellyfin, true);
    assert.deepEqual([status.plugin.installed, status.plugin.state], [false, 'not-installed']);
    assert.equal(status.repositoryUrl, `http://127.0.0.1:${host?.boundPort() ?? 0}/catalog/manifest.json`);
    assert.equal(status.catalog.available, true);

    const installed = await client.request('POST', '/api/companion/install');
    assert.equal(installed.status, 200, installed.text);
    const outcome = installed.json as { restartRequired: boolean; message: string; status: { state: string } };
    assert.equal(outcome.restartRequired, true);
    assert.equal(outcome.status.state, 'Restart');
    assert.match(outcome.message, /Restart Jellyfin/);
    assert.equal(fake?.state.installs.length, 1);

    const after = (await client.request('GET', '/api/companion')).json as { plugin: { state: string; detail: string } };
    assert.equal(after.plugin.state, 'Restart');
    assert.match(after.plugin.detail, /restart Jellyfin/);
  });

  it('answers 409 naming the missing DLL when the companion was not built, and rejects unknown fields', async () => {
    const client = await setUp(false);
    const refused = await client.request('POST', '/api/companion/install');
    assert.equal(refused.status, 409);
    assert.equal((refused.json as { error: { code: string } }).error.code, 'ERR_COMPANION_NOT_BUILT');
    const bad = await client.request('POST', '/api/companion/install', { body: { force: true } });
    assert.equal(bad.status, 400);
    assert.equal(fake?.state.installs.length, 0);
  });

  it('shows the plugin status in the library view and installs it with the button', async function () {
    if (!existsSync(CHROMIUM)) this.skip(); // chromium is not installed (apt-get install chromium)
    await setUp(true);
    const base = fixture?.base ?? '';
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync'] });
    const page = await browser.newPage();
    await page.goto(base + '/login');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(base + '/'), page.click('#submit')]);
    await page.goto(base + '/#library');
    await page.waitForSelector('#companion-status:has-text("not installed")');
    assert.match((await page.textContent('#companion-repo')) ?? '', /\/catalog\/manifest\.json$/);
    assert.match((await page.textContent('#companion-catalog')) ?? '', /ready/);
    await page.click('#companion-install');
    await page.waitForSelector('#flash:has-text("Restart Jellyfin")');
    await page.waitForSelector('#companion-status:has-text("restart Jellyfin to load it")');
    assert.equal(fake?.state.installs.length, 1);
  });
});
