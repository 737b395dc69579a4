/**
 * End to end in headless Chromium on a phone-sized screen, against the Jellyfin stand-in:
 * the owner creates an invite; the friend opens the link, searches the guide and suggests an
 * airing with a note; the sidecar publishes it, reads its own feed, creates the Jellyfin timer
 * (POST 204, found afterwards), and the status comes back to the friend's page and to the
 * owner's page.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { rsstvAdapter } from '../../../adapters/rsstv/index.js';
import { startAdapterHarness, type Harness } from '../../support/adapter-harness.js';
import { FakeJellyfin } from '../../support/fake-jellyfin.js';
import { OwnerClient } from './support.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync'];
const PHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const HOSTILE_NOTE = '<img src=x onerror="window.__pwned=1"> & ]]>';

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return problems;
}

describe('RSSTV suggestion page in Chromium', function () {
  this.timeout(90_000);
  let browser: Browser | undefined;
  let fake: FakeJellyfin | undefined;
  let harness: Harness | undefined;

  before(function () {
    if (!existsSync(CHROMIUM)) this.skip(); // chromium is not installed (apt-get install chromium)
  });

  afterEach(async () => {
    await browser?.close();
    browser = undefined;
    await harness?.stop();
    harness = undefined;
    await fake?.close();
    fake = undefined;
  });

  it('goes invite → suggest on a phone → feed → consumed → Jellyfin timer → status back', async () => {
    fake = await FakeJellyfin.start({ tunerCounts: [2, 0] });
    harness = await startAdapterHarness({ descriptor: rsstvAdapter, source: { jellyfin: fake }, logLevel: 'debug', config: { pollIntervalSeconds: 3600 } });
    const owner = new OwnerClient(harness);
    const invite = await owner.invite('Ann');

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, userAgent: PHONE_UA });
    const page = await phone.newPage();
    const problems = watchProblems(page);
    await page.goto(invite.link);
    assert.equal(await page.locator('#friend-name').textContent(), 'Ann');
    await page.locator('#results li.program').first().waitFor();

    // Search by title and channel.
    await page.fill('#q', 'food show');
    await page.selectOption('#channel', { label: '61 FOOD' });
    await page.click('#search');
    await page.waitForFunction(() => document.querySelectorAll('#results li.program').length > 2 && document.getElementById('message')?.textContent?.includes('programme'));
    const titles = await page.locator('#results li.program .title').allTextContents();
    assert.ok(titles.every((t) => t.startsWith('FOOD Show')), titles.join(' | '));
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 390, `fits the phone screen (${scrollWidth}px)`);

    // Suggest the third result with a note.
    const target = page.locator('#results li.program').nth(2);
    const programId = (await target.getAttribute('data-program-id')) ?? '';
    await target.locator('button.suggest').tap();
    await target.locator('textarea.note').fill(HOSTILE_NOTE);
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/suggestions') && r.request().method() === 'POST'), target.locator('button.send').tap()]);
    assert.equal(response.status(), 201);
    await page.locator('#mine li[data-suggestion-id]').first().waitFor();
    assert.equal(await page.locator('#mine .note').first().textContent(), `“${HOSTILE_NOTE}”`, 'the note is shown as text');

    // The reader picks the suggestion up at once and creates the timer in Jellyfin.
    await waitFor(() => fake!.liveTv.activeTimerFor(programId) !== undefined, 'the Jellyfin timer');
    const timer = fake.liveTv.activeTimerFor(programId)!;
    let statusLine = '';
    for (let i = 0; i < 100 && !statusLine.startsWith('OK'); i++) {
      const overview = (await owner.call<{ suggestions: { statusLine: string }[] }>('GET', 'overview')).body;
      statusLine = overview.suggestions[0]?.statusLine ?? '';
      if (!statusLine.startsWith('OK')) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(statusLine, `OK ${timer.id}`);

    await page.reload();
    const status = page.locator('#mine [data-status="OK"]');
    await status.waitFor();
    assert.equal(await status.textContent(), 'Scheduled to record');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'no script ran from the note');
    assert.deepEqual(problems, []);

    // The owner's page shows the same status with the timer id.
    const desk = await browser.newPage();
    const ownerProblems = watchProblems(desk);
    await desk.goto(`${harness.deviceBaseUrl}/rsstv/owner/`);
    await desk.fill('#token', owner.token);
    await desk.click('#login-form button');
    const ownerStatus = desk.locator('#suggestions [data-status="OK"]');
    await ownerStatus.waitFor();
    assert.equal(await ownerStatus.textContent(), `OK ${timer.id}`);
    assert.deepEqual(ownerProblems, []);

    // No Jellyfin credential anywhere a friend, a reader or the log can see.
    const feedUrl = (await owner.call<{ feedUrl: string }>('GET', 'overview')).body.feedUrl;
    const feed = await (await fetch(feedUrl)).text();
    const html = await page.content();
    const logs = JSON.stringify(harness.logs());
    for (const [where, text] of [['feed', feed], ['page', html], ['logs', logs]] as const) assert.ok(!text.includes(fake.apiKey), `no API key in the ${where}`);
    assert.ok(feed.includes('&lt;img src=x'), 'the note is escaped in the feed');
  });
});
