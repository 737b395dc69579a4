/**
 * The camera live view end to end: a real GStreamer RTSP camera, the sidecar with its admin
 * listener, and headless Chromium logging in and watching the camera from the recorders view.
 * Checks that the view costs nothing until someone watches (no ffmpeg before, none without a
 * session), that viewers share one ffmpeg, that it plays in Chromium's <video>, and that the
 * ffmpeg is gone once the viewer closes it.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { Harness } from '../../support/adapter-harness.js';
import { TestCamera, testCameraMissing } from '../../support/camera/test-camera.js';
import { adminSession, ffmpegPids, startCameraSidecar, tempLibrary, waitFor } from './support.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const ADMIN_PASSWORD = 'live view test password';
const CAMERA_PASSWORD = 'Cam:Pass/42';

interface Counters {
  readonly liveViewers?: number;
  readonly liveStreams?: number;
}

describe('camera live view (integration)', function () {
  this.timeout(120_000);
  let camera: TestCamera | undefined;
  let harness: Harness | undefined;
  let browser: Browser | undefined;
  let library: string | undefined;

  before(function () {
    if (testCameraMissing() !== undefined) this.skip(); // GStreamer RTSP server or ffmpeg missing (reason in testCameraMissing)
  });

  afterEach(async () => {
    await browser?.close();
    browser = undefined;
    await harness?.stop();
    harness = undefined;
    await camera?.stop();
    camera = undefined;
    if (library) rmSync(library, { recursive: true, force: true });
    library = undefined;
  });

  async function start(): Promise<{ h: Harness; admin: string; livePids: () => number[] }> {
    const cam = await TestCamera.start({ user: 'viewer', password: CAMERA_PASSWORD, audio: 'none' });
    camera = cam;
    library = tempLibrary();
    const h = await startCameraSidecar({
      library,
      cameras: [{ id: 'front', name: 'Front Door', url: cam.url() }],
      config: { segmentSeconds: 10 },
      core: { admin: { bind: '127.0.0.1', port: 0, password: ADMIN_PASSWORD } },
    });
    harness = h;
    // The live ffmpeg writes to stdout; the recorder writes segment files.
    const livePids = (): number[] => ffmpegPids(`127.0.0.1:${cam.port}`, 'pipe:1');
    return { h, admin: `http://127.0.0.1:${h.adminPort()}`, livePids };
  }

  const counters = (h: Harness): Counters => h.adapter.health().counters;

  it('answers 401 without a session and starts no ffmpeg; is not served on the device listener', async () => {
    const { h, admin, livePids } = await start();
    const res = await fetch(`${admin}/adapters/camera/live/front.mp4`);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'ERR_ADMIN_UNAUTHENTICATED');
    for (const path of ['/adapters/camera/live/front.mp4', '/camera/live/front.mp4']) {
      const device = await fetch(`${h.deviceBaseUrl}${path}`);
      await device.arrayBuffer();
      assert.equal(device.status, 404, `${path} is not on the device listener`);
    }
    assert.deepEqual(livePids(), [], 'no live ffmpeg');
    assert.equal(counters(h).liveStreams, 0);
    const session = await adminSession(admin, ADMIN_PASSWORD);
    const unknown = await fetch(`${admin}/adapters/camera/live/nope.mp4`, { headers: { Cookie: session.cookie } });
    assert.equal(unknown.status, 404);
    await unknown.arrayBuffer();
    assert.deepEqual(livePids(), [], 'still no live ffmpeg');
  });

  it('shares one ffmpeg between viewers, sends each the init segment, and stops it after the last leaves', async () => {
    const { h, admin, livePids } = await start();
    const session = await adminSession(admin, ADMIN_PASSWORD);
    const viewers = [new AbortController(), new AbortController()];
    const firstBytes = await Promise.all(
      viewers.map(async (controller) => {
        const res = await fetch(`${admin}/adapters/camera/live/front.mp4`, { headers: { Cookie: session.cookie }, signal: controller.signal });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'video/mp4');
        assert.match(res.headers.get('x-jellybridge-codecs') ?? '', /^avc1\.[0-9A-F]{6}$/);
        const reader = (res.body as ReadableStream<Uint8Array>).getReader();
        let bytes = Buffer.alloc(0);
        while (bytes.length < 4096) {
          const chunk = await reader.read();
          if (chunk.done) break;
          bytes = Buffer.concat([bytes, Buffer.from(chunk.value)]);
        }
        return bytes;
      }),
    );
    for (const bytes of firstBytes) {
      assert.equal(bytes.toString('latin1', 4, 8), 'ftyp', 'starts with the init segment');
      assert.ok(bytes.includes(Buffer.from('moof')), 'then fragments');
    }
    const pids = livePids();
    assert.equal(pids.length, 1, 'one ffmpeg for both viewers');
    assert.equal(counters(h).liveViewers, 2);
    assert.ok(!h.logs().some((r) => JSON.stringify(r).includes(CAMERA_PASSWORD)), 'the camera password never reaches the logs');
    for (const v of viewers) v.abort();
    await waitFor('the live ffmpeg to exit', () => livePids().length === 0, 30_000, 200);
    assert.equal(counters(h).liveStreams, 0);
  });

  it('plays the camera in Chromium from the recorders view, and ends ffmpeg when the viewer closes it', async function () {
    if (!existsSync(CHROMIUM)) this.skip(); // chromium is not installed (apt-get install chromium)
    const { admin, livePids } = await start();
    assert.deepEqual(livePids(), [], 'nothing runs before someone watches');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync'] });
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });

    await page.goto(`${admin}/login`);
    await page.fill('#password', ADMIN_PASSWORD);
    await Promise.all([page.waitForURL(`${admin}/`), page.click('#submit')]);
    await page.goto(`${admin}/#recorders`);
    const row = page.locator('[data-recorder-id="front"]');
    await row.waitFor();
    await row.locator('[data-action="live"]').click();
    await page.locator('#live-video').waitFor();

    // Playing: enough data to show a frame, and the play position moves on.
    const video = await page.waitForFunction(
      () => {
        const v = document.getElementById('live-video') as HTMLVideoElement | null;
        return v !== null && v.readyState >= 2 && v.currentTime > 0 && !v.paused ? { t: v.currentTime, w: v.videoWidth, h: v.videoHeight } : false;
      },
      undefined,
      { timeout: 45_000, polling: 250 },
    );
    const first = (await video.jsonValue()) as { t: number; w: number; h: number };
    assert.deepEqual([first.w, first.h], [320, 240]);
    await page.waitForFunction((t0) => {
      const v = document.getElementById('live-video') as HTMLVideoElement | null;
      return v !== null && v.currentTime > t0 + 0.5;
    }, first.t, { timeout: 30_000, polling: 250 });
    assert.equal(await page.locator('#live-status').textContent(), 'Live');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'camera-live-view.png') });
    assert.equal(livePids().length, 1, 'one live ffmpeg while watching');
    // The periodic refresh of the recorders view does not end the overlay.
    await page.waitForFunction(() => document.querySelectorAll('[data-recorder-id]').length > 0 && document.getElementById('live') !== null);

    await page.click('#live-close');
    assert.equal(await page.locator('#live').count(), 0);
    await waitFor('the live ffmpeg to exit after the viewer closed', () => livePids().length === 0, 30_000, 200);
    assert.deepEqual(problems, []);
  });
});
