/**
 * The generated player SWF executed for real: Ruffle 0.6.0 (npm `@ruffle-rs/ruffle`, served
 * from node_modules by a loopback server) in headless Chromium plays the sidecar's play page in
 * progressive-FLV mode (Ruffle has no RTMP client). The SWF traces its status line (`msg …`),
 * its time display (`tm …`) and the buttons it handles (`ui …`); Ruffle prints traces to the
 * browser console, which is what the test reads. Screenshots go to test-artifacts/wii/.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Harness } from '../../support/adapter-harness.js';
import { hasBinary } from '../../support/media.js';
import { repoRoot } from '../../support/paths.js';
import { ruffleDir, startRufflePageServer, type RufflePageServer } from './support/ruffle-page-server.js';
import { noTranscodesLeft } from '../../support/adapter-harness.js';
import { clipId, startWiiHarness } from './support/wii-harness.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync'];
/** Player layout (adapters/wii/page/swf/player.ts): 640x400 stage, video 640x360, controls below. */
const PAUSE_BUTTON = { x: 60, y: 380 };
const BAR = { x: 270, width: 350, y: 380 };
const VIDEO = { x: 0, y: 0, width: 640, height: 360 };

/** Seconds from a time display text "m:ss / m:ss". */
function seconds(tm: string): number {
  const [m, s] = (tm.split(' / ')[0] ?? '').split(':').map(Number);
  return (m ?? 0) * 60 + (s ?? 0);
}

interface Traces {
  readonly all: string[];
  /** Index of the next trace, to look only at what comes after an action. */
  mark(): number;
  since(mark: number): string[];
  /** Times shown by the player since `mark`, in seconds. */
  timesSince(mark: number): number[];
  waitFor(predicate: (lines: readonly string[]) => boolean, timeoutMs: number, what: string): Promise<void>;
}

function collectTraces(page: Page, console: string[]): Traces {
  const all: string[] = [];
  page.on('console', (m) => {
    const text = m.text();
    console.push(text);
    // Ruffle logs AVM1 trace() through its log adapter: "…log_adapter.rs:18%c <text> color: …".
    const trace = /log_adapter\.rs:\d+%c (.*?) color: /s.exec(text)?.[1];
    if (trace !== undefined && !trace.startsWith('ns NetStream.Buffer.')) all.push(trace);
  });
  const since = (mark: number): string[] => all.slice(mark);
  return {
    all,
    mark: () => all.length,
    since,
    timesSince: (mark) => since(mark).filter((t) => t.startsWith('tm ')).map((t) => seconds(t.slice(3))),
    waitFor: async (predicate, timeoutMs, what) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(all)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; traces: ${all.slice(-20).join(' | ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/**
 * In-page pixel statistics of a PNG (decoded by the browser itself), as plain JavaScript: the
 * tsx transform would add helpers (`__name`) to a TypeScript function that the page lacks.
 */
const PICTURE_STATS_JS = `async ({ a, b }) => {
  async function pixels(b64) {
    const bitmap = await createImageBitmap(await (await fetch('data:image/png;base64,' + b64)).blob());
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const g = canvas.getContext('2d');
    g.drawImage(bitmap, 0, 0);
    return g.getImageData(0, 0, bitmap.width, bitmap.height).data;
  }
  const p = await pixels(a);
  const colours = new Set();
  let nonBlack = 0;
  for (let i = 0; i < p.length; i += 4) {
    colours.add(((p[i] >> 5) << 6) | ((p[i + 1] >> 5) << 3) | (p[i + 2] >> 5));
    if (p[i] + p[i + 1] + p[i + 2] > 60) nonBlack++;
  }
  let difference = 0;
  if (b) {
    const q = await pixels(b);
    for (let i = 0; i < Math.min(p.length, q.length); i++) difference += Math.abs(p[i] - q[i]);
    difference /= p.length;
  }
  return { colours: colours.size, nonBlack: nonBlack / (p.length / 4), difference };
}`;

interface PictureStats {
  /** Distinct colours (3 bits per channel). */
  readonly colours: number;
  /** Share of pixels that are not (nearly) black. */
  readonly nonBlack: number;
  /** Mean absolute difference per channel from `other`. */
  readonly difference: number;
}

async function pictureStats(page: Page, png: Buffer, other?: Buffer): Promise<PictureStats> {
  const arg = { a: png.toString('base64'), b: other?.toString('base64') };
  return page.evaluate<PictureStats>(`(${PICTURE_STATS_JS})(${JSON.stringify(arg)})`);
}

describe('Wii player SWF in Ruffle (headless Chromium, progressive FLV)', function () {
  this.timeout(90_000);
  let harness: Harness | undefined;
  let server: RufflePageServer | undefined;
  let browser: Browser | undefined;
  const artifacts = join(repoRoot(), 'test-artifacts', 'wii');

  before(async function () {
    if (!existsSync(CHROMIUM)) this.skip(); // chromium is not installed (apt-get install chromium)
    if (ruffleDir() === undefined) this.skip(); // npm @ruffle-rs/ruffle is not installed
    if (!(await hasBinary('ffmpeg'))) this.skip(); // the sidecar transcodes with ffmpeg
    mkdirSync(artifacts, { recursive: true });
    harness = await startWiiHarness();
    server = await startRufflePageServer(harness.deviceBaseUrl);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (harness) await noTranscodesLeft(harness).finally(() => harness?.stop());
  });

  async function openPlayer(query: string): Promise<{ page: Page; traces: Traces; console: string[]; requests: string[]; swfType: () => string | undefined; box: { x: number; y: number } }> {
    if (!browser || !server) throw new Error('not started');
    const page = await browser.newPage({ viewport: { width: 800, height: 640 } });
    const consoleLines: string[] = [];
    const traces = collectTraces(page, consoleLines);
    const requests: string[] = [];
    let swfType: string | undefined;
    page.on('request', (r) => requests.push(r.url()));
    page.on('response', (r) => {
      if (r.url().endsWith('/wii/player.swf')) swfType = r.headers()['content-type'];
    });
    await page.goto(`${server.origin}/wii/play/${clipId('long')}${query}`);
    const player = page.locator('ruffle-object, ruffle-embed').first();
    await player.waitFor({ timeout: 20_000 });
    const box = await player.boundingBox();
    if (!box) throw new Error('the Ruffle player has no box');
    return { page, traces, console: consoleLines, requests, swfType: () => swfType, box };
  }

  it('plays the page’s SWF over progressive FLV: loads, leaves “Preparing…”, the time advances and video shows', async () => {
    const { page, traces, console: lines, requests, swfType, box } = await openPlayer('?mode=flv');
    try {
      await traces.waitFor((t) => t.includes('ns NetStream.Play.Start'), 30_000, 'Play.Start');
      await traces.waitFor((t) => t.filter((l) => l.startsWith('tm ')).length >= 4, 20_000, 'the time display to advance');
      const t = traces.all;
      assert.ok(lines.some((l) => l.includes('Loaded SWF version 8')), 'Ruffle loaded a SWF 8');
      assert.equal(swfType(), 'application/x-shockwave-flash');
      assert.equal(t[0], 'msg Connecting\u2026');
      assert.ok(t.includes('nc NetConnection.Connect.Success'));
      const preparing = t.indexOf('msg Preparing\u2026');
      assert.ok(preparing >= 0, 'shows Preparing…');
      assert.ok(t.slice(preparing + 1).includes('msg '), 'the Preparing… state is replaced once playing');
      const times = traces.timesSince(0);
      for (let i = 1; i < times.length; i++) assert.ok((times[i] ?? 0) > (times[i - 1] ?? 0), `time advances: ${times.join(', ')}`);
      assert.match(t.find((l) => l.startsWith('tm ')) ?? '', /^tm 0:0\d \/ 2:00$/, 'duration from the FlashVars');

      const clip = { x: box.x + VIDEO.x, y: box.y + VIDEO.y, width: VIDEO.width, height: VIDEO.height };
      const first = await page.screenshot({ clip });
      await new Promise((r) => setTimeout(r, 1500));
      const second = await page.screenshot({ clip });
      writeFileSync(join(artifacts, 'ruffle-playing.png'), second);
      await page.screenshot({ path: join(artifacts, 'ruffle-page.png') });
      const stats = await pictureStats(page, second, first);
      assert.ok(stats.colours >= 8, `the video area shows a picture (${stats.colours} colours)`);
      assert.ok(stats.nonBlack > 0.5, `the video area is not blank (${Math.round(stats.nonBlack * 100)} % lit)`);
      assert.ok(stats.difference > 0.5, `frames change over time (mean difference ${stats.difference.toFixed(2)})`);

      // Everything Ruffle needed came from the loopback server: JS + wasm from node_modules.
      const origin = server?.origin ?? '';
      assert.deepEqual(requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:')), [], 'no request left the loopback server');
      assert.ok(server?.requested.some((p) => /^\/ruffle\/.*\.wasm$/.test(p)), 'the wasm came from the package');
    } finally {
      await page.close();
    }
  });

  it('pauses and resumes with the pause button and seeks where the seek bar is clicked', async () => {
    const { page, traces, box } = await openPlayer('?mode=flv');
    const click = async (x: number, y: number): Promise<void> => {
      await page.mouse.move(box.x + x, box.y + y);
      await new Promise((r) => setTimeout(r, 250));
      await page.mouse.click(box.x + x, box.y + y);
    };
    try {
      await traces.waitFor((t) => t.filter((l) => l.startsWith('tm ')).length >= 3, 30_000, 'playback');
      // Ruffle 0.6.0 gives the first click into a player no onRelease (measured: the button
      // handlers ran from the second click on): click the video, which has no handler, first.
      await click(VIDEO.width / 2, VIDEO.height / 2);

      let mark = traces.mark();
      await click(PAUSE_BUTTON.x, PAUSE_BUTTON.y);
      await traces.waitFor((t) => t.slice(mark).includes('ui pause'), 5000, 'the pause button');
      const pausedAt = Math.max(...traces.timesSince(0));
      await new Promise((r) => setTimeout(r, 2500));
      const whilePaused = traces.timesSince(mark);
      assert.ok(whilePaused.every((s) => s <= pausedAt + 1), `time stands still while paused (${pausedAt} → ${whilePaused.join(', ')})`);
      assert.ok(traces.since(mark).includes('msg Paused'));

      mark = traces.mark();
      await click(PAUSE_BUTTON.x, PAUSE_BUTTON.y);
      await traces.waitFor((t) => t.slice(mark).includes('ui play'), 5000, 'the play button');
      await traces.waitFor(() => traces.timesSince(mark).some((s) => s >= pausedAt + 2), 10_000, 'time to advance again after resuming');

      const before = await page.screenshot({ clip: { x: box.x, y: box.y, width: VIDEO.width, height: VIDEO.height } });
      mark = traces.mark();
      await click(BAR.x + 0.75 * BAR.width, BAR.y);
      await traces.waitFor((t) => t.slice(mark).some((l) => l.startsWith('ui seek ')), 5000, 'the seek bar');
      await traces.waitFor((t) => t.slice(mark).includes('ns NetStream.Seek.Notify'), 5000, 'Seek.Notify');
      const target = Number(traces.since(mark).find((l) => l.startsWith('ui seek '))?.slice('ui seek '.length));
      assert.ok(target >= 88 && target <= 92, `seek target ≈ 75 % of 120 s (${target})`);
      await traces.waitFor(() => traces.timesSince(mark).some((s) => s >= target + 2), 15_000, 'time to advance from the seek target');
      const after = traces.timesSince(mark);
      assert.ok(after.every((s) => s >= target - 1), `no time before the target after the seek (${after.join(', ')})`);
      const sinceSeek = traces.since(mark);
      assert.ok(sinceSeek.lastIndexOf('msg ') > sinceSeek.indexOf('msg Seeking\u2026'), 'the seeking message is replaced once playing');
      const shot = await page.screenshot({ clip: { x: box.x, y: box.y, width: VIDEO.width, height: VIDEO.height } });
      writeFileSync(join(artifacts, 'ruffle-after-seek.png'), shot);
      const stats = await pictureStats(page, shot, before);
      assert.ok(stats.colours >= 8 && stats.nonBlack > 0.5, 'video shows after the seek');
      assert.ok(stats.difference > 0.5, 'the picture changed with the seek');
    } finally {
      await page.close();
    }
  });

  it('in RTMP mode (no flv FlashVar) calls NetConnection.connect with the RTMP URL, which Ruffle 0.6.0 only stubs', async () => {
    const { page, traces, console: lines, requests } = await openPlayer('');
    try {
      await traces.waitFor((t) => t.includes('msg Connecting\u2026'), 30_000, 'the player to start');
      const deadline = Date.now() + 10_000;
      while (!lines.some((l) => l.includes('NetConnection.connect()')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      // Ruffle: "Encountered stub: AVM1 NetConnection.connect() with non-null, non-http command" (ruffle-rs/ruffle#2462).
      assert.ok(lines.some((l) => /stub.*NetConnection\.connect\(\)/.test(l)), 'Ruffle reports its RTMP stub');
      assert.ok(!traces.all.includes('nc NetConnection.Connect.Success'));
      assert.ok(!requests.some((u) => u.includes('/wii/flv/')), 'no progressive download in RTMP mode');
    } finally {
      await page.close();
    }
  });
});
