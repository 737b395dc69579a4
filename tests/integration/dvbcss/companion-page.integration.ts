/**
 * The companion page in headless Chromium against the real sidecar (compose() wiring) and the
 * Jellyfin stand-in: the page does CII, wall clock over WebSocket and TS itself, and what it
 * shows is compared with the stand-in's own position, within the accuracy CII declares.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dvbcssAdapter } from '../../../adapters/dvbcss/index.js';
import { startAdapterHarness, type Harness } from '../../support/adapter-harness.js';
import { FakeJellyfin } from '../../support/fake-jellyfin.js';
import { hasBinary } from '../../support/media.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts');

interface Shown {
  readonly title: string;
  readonly state: string;
  readonly positionMs: number | undefined;
  readonly positionText: string;
  /** The page's own clock (performance.now) when it computed the values (a frame forced by the read). */
  readonly pageNowMs: number;
  readonly dispersionMs: number | undefined;
  readonly accuracyMs: number | undefined;
}

/** Reads what the page shows, recomputing the position at this instant (as a frame would). */
async function shown(page: Page): Promise<Shown> {
  // A string, not a function: tsx (esbuild keepNames) would wrap inner functions in `__name`,
  // which does not exist in the page.
  return page.evaluate<Shown>(SHOWN);
}

const SHOWN = `(() => {
  document.dispatchEvent(new Event('companion:render'));
  const el = (id) => document.getElementById(id);
  const num = (text) => (text === null || text === '' ? undefined : Number(text));
  return {
    title: el('title').textContent,
    state: el('state').getAttribute('data-state'),
    positionMs: num(el('position').getAttribute('data-position-ms')),
    positionText: el('position').textContent,
    pageNowMs: Number(el('position').getAttribute('data-at-ms')),
    dispersionMs: num(el('wallclock').getAttribute('data-dispersion-ms')),
    accuracyMs: num(el('accuracy').getAttribute('data-accuracy-ms')),
  };
})()`;

describe('dvbcss companion page in Chromium', function () {
  this.timeout(90_000);
  let fake: FakeJellyfin;
  let harness: Harness;
  let browser: Browser | undefined;

  before(async function () {
    if (!existsSync(CHROMIUM)) this.skip(); // chromium is not installed (apt-get install chromium)
    fake = await FakeJellyfin.start();
    harness = await startAdapterHarness({
      descriptor: dvbcssAdapter,
      config: { bind: '127.0.0.1', wsPort: 0, wcPort: 0 },
      source: { jellyfin: fake },
      devices: [{ id: 'phone', name: 'Phone', match: { cidr: ['127.0.0.1/32'] }, userId: fake.users.alice, adapters: { dvbcss: { enabled: true } } }],
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync'] });
  });
  after(async () => {
    await browser?.close();
    await harness?.stop();
    await fake?.stop();
  });

  /** The stand-in's position of a session now (seconds → ms), from its own session list. */
  const truthMs = (sessionId: string): number => {
    const dto = fake.sessions.dtos().find((d) => d['Id'] === sessionId);
    const ticks = (dto?.['PlayState'] as { PositionTicks?: number } | undefined)?.PositionTicks ?? NaN;
    return ticks / 10_000;
  };

  /** Page position bracketed by the stand-in's position just before and just after reading it. */
  async function compare(page: Page, sessionId: string): Promise<{ shown: Shown; error: number; slack: number }> {
    const before = truthMs(sessionId);
    const s = await shown(page);
    const after = truthMs(sessionId);
    assert.ok(s.positionMs !== undefined, `the page shows a position (${s.positionText})`);
    const error = s.positionMs < before ? before - s.positionMs : s.positionMs > after ? s.positionMs - after : 0;
    return { shown: s, error, slack: after - before };
  }

  async function openPage(query = ''): Promise<{ page: Page; problems: string[] }> {
    const page = await browser!.newPage({ viewport: { width: 420, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await page.goto(`${harness.deviceBaseUrl}/dvbcss/${query}`);
    await page.waitForFunction(() => document.getElementById('connection')?.getAttribute('data-state') === 'connected');
    await page.waitForFunction(() => document.getElementById('wallclock')?.getAttribute('data-dispersion-ms') !== '');
    return { page, problems };
  }

  it('shows the title and an advancing position, freezes on pause, jumps on seek, and shows nothing playing after stop', async () => {
    const { page, problems } = await openPage();
    assert.equal((await shown(page)).state, 'idle');
    assert.equal((await shown(page)).title, 'Nothing playing');

    const item = fake.item('Big Buck Test');
    const id = fake.play({ itemId: item.id, positionSeconds: 42 });
    await page.waitForFunction(() => document.getElementById('state')?.getAttribute('data-state') === 'playing', undefined, { timeout: 10_000 });
    const a = await compare(page, id);
    assert.equal(a.shown.title, 'Big Buck Test');
    const accuracy = a.shown.accuracyMs ?? NaN;
    assert.equal(accuracy, 200, 'CII declares (driftTolerance + reportLatency) = 200 ms');
    assert.ok(a.error <= accuracy, `position within the declared accuracy: off by ${a.error.toFixed(1)} ms (stand-in moved ${a.slack} ms while reading)`);
    assert.ok((a.shown.dispersionMs ?? Infinity) < 50, `wall clock dispersion ${a.shown.dispersionMs} ms`);
    // Advancing: over the page's own elapsed time, the position moves at speed 1.
    await page.waitForTimeout(600);
    const b = await compare(page, id);
    const advanced = (b.shown.positionMs ?? 0) - (a.shown.positionMs ?? 0);
    const elapsed = b.shown.pageNowMs - a.shown.pageNowMs;
    // At speed 1, apart from a wall-clock correction in between, which the dispersion bounds.
    const corrections = Math.max(a.shown.dispersionMs ?? 0, b.shown.dispersionMs ?? 0) + 1;
    assert.ok(Math.abs(advanced - elapsed) <= corrections, `advanced ${advanced.toFixed(1)} ms in ${elapsed.toFixed(1)} ms of page time (dispersion ${a.shown.dispersionMs} → ${b.shown.dispersionMs} ms)`);
    assert.ok(b.error <= accuracy, `still within the accuracy: ${b.error.toFixed(1)} ms`);

    fake.pause(id);
    await page.waitForFunction(() => document.getElementById('state')?.getAttribute('data-state') === 'paused', undefined, { timeout: 10_000 });
    const p1 = await compare(page, id);
    await page.waitForTimeout(500);
    const p2 = await compare(page, id);
    assert.ok(Math.abs((p2.shown.positionMs ?? 0) - (p1.shown.positionMs ?? 0)) < 0.5, 'paused: the position does not advance');
    assert.ok(p2.error <= accuracy, `paused position within the accuracy: ${p2.error.toFixed(1)} ms`);

    fake.resume(id);
    fake.seek(id, 600);
    // The seek settles: "transitioning" in CII until confirmed or settleMs (1.5 s) passes.
    await page.waitForFunction(() => Number(document.getElementById('position')?.getAttribute('data-position-ms')) >= 599_000, undefined, { timeout: 10_000 });
    const seen = await page.evaluate(() => document.getElementById('state')?.getAttribute('data-state'));
    assert.ok(seen === 'transitioning' || seen === 'playing', `state after the seek: ${seen}`);
    await page.waitForFunction(() => document.getElementById('state')?.getAttribute('data-state') === 'playing', undefined, { timeout: 10_000 });
    const s = await compare(page, id);
    assert.ok(s.error <= accuracy, `after the seek within the accuracy: ${s.error.toFixed(1)} ms`);
    assert.match(s.shown.positionText, /^10:0\d\.\d$/);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dvbcss-companion-page.png'), fullPage: true });

    fake.stopPlayback(id);
    await page.waitForFunction(() => document.getElementById('title')?.getAttribute('data-empty') === 'true', undefined, { timeout: 10_000 });
    const stopped = await shown(page);
    assert.equal(stopped.title, 'Nothing playing');
    assert.equal(stopped.positionMs, undefined);
    assert.equal(stopped.positionText, '–');
    assert.ok(stopped.state === 'transitioning' || stopped.state === 'idle', `state after stop: ${stopped.state}`);
    await page.waitForFunction(() => document.getElementById('state')?.getAttribute('data-state') === 'idle', undefined, { timeout: 10_000 });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('lists the sessions the device may follow and follows the one picked', async () => {
    const first = fake.play({ itemId: fake.item('Big Buck Test').id, positionSeconds: 10, deviceName: 'Kitchen', deviceId: 'kitchen' });
    const otherItem = [...fake.library.items.values()].find((i) => i.kind === 'Episode');
    assert.ok(otherItem, 'the stand-in has an episode');
    const second = fake.play({ itemId: otherItem.id, positionSeconds: 300, deviceName: 'Bedroom', deviceId: 'bedroom' });
    const { page, problems } = await openPage();
    await page.waitForFunction((id) => [...document.querySelectorAll('#session option')].some((o) => (o as HTMLOptionElement).value === id), first, { timeout: 10_000 });
    const labels = await page.$$eval('#session option', (options) => options.map((o) => o.textContent ?? ''));
    assert.ok(labels.some((l) => l.startsWith('Kitchen') && l.includes('Big Buck Test')), labels.join(' | '));
    assert.ok(labels.some((l) => l.startsWith('Bedroom') && l.includes(otherItem.name)), labels.join(' | '));

    await page.selectOption('#session', first);
    await page.waitForFunction((title) => document.getElementById('title')?.textContent === title && document.getElementById('state')?.getAttribute('data-state') === 'playing', 'Big Buck Test', { timeout: 10_000 });
    assert.ok((await compare(page, first)).error <= 200);
    assert.match(page.url(), new RegExp(`session=${first}`));

    await page.selectOption('#session', second);
    await page.waitForFunction((title) => document.getElementById('title')?.textContent === title && document.getElementById('state')?.getAttribute('data-state') === 'playing', otherItem.name, { timeout: 10_000 });
    const c = await compare(page, second);
    assert.ok(c.error <= 200, `picked session within the accuracy: ${c.error.toFixed(1)} ms`);
    assert.ok((c.shown.positionMs ?? 0) >= 300_000);
    assert.deepEqual(problems, []);
    fake.stopPlayback(first);
    fake.stopPlayback(second);
    await page.close();
  });

  it('puts the page link in health detail and serves a QR code of it that zbarimg decodes', async function () {
    const detail = harness.adapter.health().detail;
    const link = /companion page: (\S+)/.exec(detail)?.[1];
    assert.equal(link, `http://127.0.0.1:${harness.app.devicePort()}/dvbcss/`, detail);
    const res = await fetch(`${link}qr.svg`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/svg+xml');
    const svg = await res.text();
    assert.match(svg, /^<svg /);
    if (!(await hasBinary('zbarimg'))) this.skip(); // zbar-tools is not installed (apt-get install zbar-tools)
    const page = await browser!.newPage({ viewport: { width: 300, height: 300 } });
    await page.setContent(`<body style="margin:0;background:#fff">${svg}</body>`);
    mkdirSync(ARTIFACTS, { recursive: true });
    const png = join(ARTIFACTS, 'dvbcss-companion-qr.png');
    await page.screenshot({ path: png });
    await page.close();
    const { stdout } = await promisify(execFile)('zbarimg', ['--quiet', '--raw', png]);
    assert.equal(stdout.trim(), link);
  });
});
