/**
 * The admin UI end to end in headless Chromium: log in, approve a held device, toggle an adapter
 * for it, and see each change take effect on that device's next request to a real endpoint.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { adminFixture, type AdminFixture } from './admin-fixture.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const PASSWORD = 'ui test password';
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const XSS_AGENT = '<img src=x onerror="window.__pwned=1">Evil/1.0';

async function deviceStatus(fixture: AdminFixture, userAgent: string): Promise<number> {
  const res = await fetch(fixture.deviceBase + '/item', { headers: { 'User-Agent': userAgent } });
  await res.arrayBuffer();
  return res.status;
}

/** Clicks/changes something and waits for the API call it makes to answer. */
async function andWaitForApi(page: Page, method: string, pathPart: string, action: () => Promise<void>): Promise<number> {
  const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === method && r.url().includes(pathPart)), action()]);
  return response.status();
}

describe('admin UI in Chromium', function () {
  this.timeout(90_000);
  let browser: Browser | undefined;
  let fixture: AdminFixture | undefined;

  before(function () {
    if (!existsSync(CHROMIUM)) this.skip(); // chromium is not installed (apt-get install chromium)
  });

  afterEach(async () => {
    await browser?.close();
    browser = undefined;
    await fixture?.close();
    fixture = undefined;
  });

  it('logs in, approves a held device, toggles its adapter, and the device sees each change', async () => {
    fixture = await adminFixture({ password: PASSWORD });
    const wii = 'Opera/9.30 (Nintendo Wii; U; ; 3642; en)';
    assert.equal(await deviceStatus(fixture, wii), 403, 'held before approval');
    const id = fixture.registry.list()[0]?.id ?? '';
    // A hostile device elsewhere on the LAN (the test endpoint only sees 127.0.0.1).
    const hostile = fixture.registry.forAdapter('y').resolve({ ip: '192.168.1.66', userAgent: XSS_AGENT });
    const hostileId = hostile.status === 'held' ? hostile.deviceId : '';
    assert.ok(hostileId);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });

    await page.goto(fixture.base + '/');
    assert.match(page.url(), /\/login$/);
    await page.fill('#password', 'wrong password');
    await page.click('#submit');
    await page.waitForSelector('#message:has-text("Wrong password")');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(fixture.base + '/'), page.click('#submit')]);
    assert.deepEqual(problems, ['console: Failed to load resource: the server responded with a status of 401 (Unauthorized)'], 'only the wrong password failed');
    problems.length = 0;

    await page.goto(fixture.base + '/#devices');
    const card = page.locator(`[data-device-id="${id}"]`);
    await card.waitFor();
    assert.equal(await card.locator('.badge').first().textContent(), 'held');

    assert.equal(await andWaitForApi(page, 'POST', `/api/devices/${id}/approve`, () => card.locator('[data-action="approve"]').click()), 200);
    await card.locator('.badge:has-text("approved")').waitFor();
    // Approve from the UI also enables the adapter that found the device.
    assert.equal(await deviceStatus(fixture, wii), 200, 'allowed after approval');

    const toggle = card.locator('input[data-adapter="x"]');
    assert.equal(await toggle.isChecked(), true);
    assert.equal(await andWaitForApi(page, 'PUT', `/api/devices/${id}/adapters/x`, () => toggle.uncheck()), 200);
    assert.equal(await deviceStatus(fixture, wii), 403, 'refused once x is off');
    await card.locator('input[data-adapter="x"]:not(:checked)').waitFor();
    assert.equal(await andWaitForApi(page, 'PUT', `/api/devices/${id}/adapters/x`, () => card.locator('input[data-adapter="x"]').check()), 200);
    assert.equal(await deviceStatus(fixture, wii), 200, 'allowed again once x is on');

    // Device-supplied text is shown as text, never run as HTML.
    const evil = page.locator(`[data-device-id="${hostileId}"] dd[data-fact="User agent"]`);
    assert.equal(await evil.textContent(), XSS_AGENT);
    assert.equal(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'admin-devices.png'), fullPage: true });

    for (const view of ['status', 'streams', 'recorders', 'library', 'logs']) {
      await page.click(`#nav a[data-view="${view}"]`);
      await page.waitForSelector(`#view[data-view="${view}"]`);
    }
    assert.ok((await page.locator('#view').textContent())?.includes('device approved'), 'log view shows the approval');
    assert.deepEqual(problems, []);
  });

  it('tests the Jellyfin connection and rescans the library from the library view', async () => {
    fixture = await adminFixture({ password: PASSWORD });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync'] });
    const page = await browser.newPage();
    await page.goto(fixture.base + '/login');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(fixture.base + '/'), page.click('#submit')]);
    await page.goto(fixture.base + '/#library');
    await page.waitForSelector('#view[data-view="library"]');
    assert.equal(await andWaitForApi(page, 'POST', '/api/library/rescan', () => page.click('#rescan')), 200);
    assert.equal(fixture.rescans, 1);
    await page.selectOption('#library-kind', 'jellyfin');
    await page.fill('#jellyfin-url', 'http://jf.lan:8096');
    await page.fill('#jellyfin-key', 'good-key');
    await page.click('#test-connection');
    await page.waitForSelector('#test-result:has-text("OK: reached Test Server")');
    assert.equal(await andWaitForApi(page, 'PUT', '/api/library/source', () => page.click('#apply-source')), 200);
    assert.deepEqual(fixture.sourcesSet, [{ kind: 'jellyfin', url: 'http://jf.lan:8096', apiKey: 'good-key' }]);
  });
});
