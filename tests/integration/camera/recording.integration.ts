/**
 * The camera adapter against a real RTSP camera (GStreamer's RTSP server, camera.md §4) and real
 * ffmpeg: segments reach the library as playable h264 copies, the library is told, the camera
 * dying or freezing is survived, audio mp4 cannot hold is converted, retention keeps a budget,
 * clips are served with Range support, and credentials never leak.
 */
import { strict as assert } from 'node:assert';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Harness } from '../../support/adapter-harness.js';
import { TestCamera, testCameraMissing } from '../../support/camera/test-camera.js';
import { FakeJellyfin } from '../../support/fake-jellyfin.js';
import { ffprobeJson } from '../../support/media.js';
import { decodeErrors, librarySegments, listFiles, startCameraSidecar, tempLibrary, waitFor } from './support.js';

interface RecorderView {
  readonly id: string;
  readonly state: string;
  readonly detail?: string;
  readonly lastError?: { readonly code: string };
}
const recordersOf = (h: Harness): readonly RecorderView[] => (h.adapter as unknown as { recorders(): readonly RecorderView[] }).recorders();
const PASSWORD = 'Sup3r:S3cret/pw';

describe('camera adapter (integration)', function () {
  this.timeout(180_000);
  const cameras: TestCamera[] = [];
  const harnesses: Harness[] = [];
  const libraries: string[] = [];

  before(function () {
    const missing = testCameraMissing();
    if (missing) this.skip();
  });

  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.stop();
    for (const c of cameras.splice(0)) await c.stop();
    for (const l of libraries.splice(0)) rmSync(l, { recursive: true, force: true });
  });

  async function camera(options: Parameters<typeof TestCamera.start>[0] = {}): Promise<TestCamera> {
    const c = await TestCamera.start(options);
    cameras.push(c);
    return c;
  }
  function library(): string {
    const l = tempLibrary();
    libraries.push(l);
    return l;
  }
  async function sidecar(options: Parameters<typeof startCameraSidecar>[0]): Promise<Harness> {
    const h = await startCameraSidecar(options);
    harnesses.push(h);
    return h;
  }

  describe('recording', () => {
    it('files playable h264 + AAC copies under <Camera>/<date>/, with title and creation time, and tells the library', async () => {
      const cam = await camera({ user: 'admin', password: PASSWORD, bitrateKbps: 400 });
      const lib = library();
      const jellyfin = await FakeJellyfin.start();
      try {
        const h = await sidecar({ library: lib, cameras: [{ id: 'front', name: 'Front Door', url: cam.url() }], jellyfin });
        const files = await waitFor('three segments', () => {
          const f = librarySegments(lib, 'Front Door');
          return f.length >= 3 && f;
        });
        for (const file of files.slice(0, 3)) {
          assert.match(file, /^Front Door\/\d{4}-\d{2}-\d{2}\/Front Door \d{4}-\d{2}-\d{2} \d{2}-\d{2}-\d{2}( \(\d+\))?\.mp4$/);
          assert.doesNotMatch(file.toLowerCase(), /sample/);
          const path = join(lib, file);
          const probe = await ffprobeJson(path, ['-show_entries', 'format_tags=title,creation_time']);
          const video = probe.streams.find((s) => s.codec_type === 'video');
          assert.equal(video?.codec_name, 'h264');
          assert.equal(probe.streams.find((s) => s.codec_type === 'audio')?.codec_name, 'aac');
          const tags = (probe.format as { tags?: Record<string, string> }).tags ?? {};
          assert.equal(tags['title'], file.split('/')[2]?.replace(/\.mp4$/, ''));
          assert.ok(tags['creation_time'], 'creation_time set');
          // 2 s segments cut on 1 s GOPs: a cut waits for the next keyframe, and a camera that is
          // late under load can push that one GOP further (the first segment may be short).
          assert.ok(Number(probe.format.duration) > 0 && Number(probe.format.duration) <= 4.1, `duration ${probe.format.duration}`);
          assert.deepEqual(await decodeErrors(path), []);
          // A copy: the bit rate is the camera's (400 kbit/s video + 64 kbit/s audio), not a re-encode.
          const kbps = (8 * Number(probe.format.size)) / Number(probe.format.duration) / 1000;
          assert.ok(kbps > 200 && kbps < 800, `bit rate ${kbps}`);
        }
        await waitFor('a library update', () => jellyfin.mediaUpdates.some((u) => u.some((x) => x.Path.startsWith(join(lib, 'Front Door')) && x.UpdateType === 'Created')));
        assert.equal(recordersOf(h)[0]?.state, 'recording');
        assert.ok(!listFiles(lib).some((f) => !f.startsWith('.jellybridge-staging/') && !f.endsWith('.mp4')), 'only mp4 files outside staging');
        const logText = JSON.stringify(h.logs());
        assert.ok(!logText.includes(PASSWORD) && !logText.includes(encodeURIComponent(PASSWORD)), 'password in logs');
        assert.ok(!JSON.stringify(recordersOf(h)).includes('Sup3r'), 'password in the recorders view');
        const health = await (await fetch(`${h.deviceBaseUrl}/health`)).text();
        assert.ok(!health.includes('Sup3r'), 'password in /health');
      } finally {
        await jellyfin.close();
      }
    });

    it('survives the camera dying: the cut segment is playable and recording resumes when it returns', async () => {
      const cam = await camera();
      const lib = library();
      const h = await sidecar({ library: lib, cameras: [{ id: 'yard', name: 'Yard', url: cam.url() }] });
      await waitFor('recording', () => recordersOf(h)[0]?.state === 'recording');
      await waitFor('a segment', () => librarySegments(lib).length >= 1);
      await cam.kill();
      await waitFor('the disconnect', () => h.logs().some((l) => l['code'] === 'ERR_CAMERA_DISCONNECTED'), 10_000);
      await waitFor('staging drained', () => !listFiles(lib).some((f) => f.startsWith('.jellybridge-staging/Yard/') && f.endsWith('.mp4')), 15_000);
      const before = librarySegments(lib);
      for (const f of before) assert.deepEqual(await decodeErrors(join(lib, f)), [], f);
      await cam.restart();
      await waitFor('recording again', () => recordersOf(h)[0]?.state === 'recording', 35_000);
      await waitFor('a new segment', () => librarySegments(lib).length > before.length, 20_000);
    });

    it('restarts a frozen camera’s recorder within 15 s and resumes after it thaws', async () => {
      const cam = await camera();
      const lib = library();
      const h = await sidecar({ library: lib, cameras: [{ id: 'porch', name: 'Porch', url: cam.url() }] });
      await waitFor('recording', () => recordersOf(h)[0]?.state === 'recording');
      cam.freeze();
      const frozenAt = Date.now();
      await waitFor('the stall restart', () => h.logs().some((l) => l['code'] === 'ERR_CAMERA_STALLED' || l['code'] === 'ERR_CAMERA_DISCONNECTED'), 20_000);
      assert.ok(Date.now() - frozenAt < 15_000, 'restarted within 15 s');
      cam.thaw();
      const count = librarySegments(lib).length;
      await waitFor('recording again', () => recordersOf(h)[0]?.state === 'recording' && librarySegments(lib).length > count, 40_000);
    });

    it('converts G.711 audio to AAC', async () => {
      const cam = await camera({ audio: 'alaw' });
      const lib = library();
      await sidecar({ library: lib, cameras: [{ id: 'gate', name: 'Gate', url: cam.url() }] });
      const [file] = await waitFor('a segment', () => {
        const f = librarySegments(lib);
        return f.length >= 1 && f;
      });
      const probe = await ffprobeJson(join(lib, file ?? ''));
      assert.equal(probe.streams.find((s) => s.codec_type === 'audio')?.codec_name, 'aac');
      assert.equal(probe.streams.find((s) => s.codec_type === 'video')?.codec_name, 'h264');
    });
  });

  describe('bad input', () => {
    it('reports wrong credentials per camera while the other camera records', async () => {
      const secured = await camera({ user: 'admin', password: PASSWORD });
      const open = await camera();
      const lib = library();
      const h = await sidecar({
        library: lib,
        cameras: [
          { id: 'locked', name: 'Locked', url: secured.url('wrong-password') },
          { id: 'open', name: 'Open', url: open.url() },
        ],
      });
      await waitFor('the auth error', () => recordersOf(h).find((r) => r.id === 'locked')?.lastError?.code === 'ERR_CAMERA_AUTH', 20_000);
      await waitFor('the other camera recording', () => librarySegments(lib, 'Open').length >= 1);
      assert.equal(librarySegments(lib, 'Locked').length, 0);
      assert.equal(h.adapter.health().state, 'degraded');
      assert.ok(!JSON.stringify(h.logs()).includes('wrong-password'), 'password in logs');
    });
  });

  describe('retention', () => {
    it('keeps a camera within its byte budget plus one segment, deleting the oldest', async () => {
      const cam = await camera({ bitrateKbps: 600, pattern: 'snow' });
      const lib = library();
      const h = await sidecar({ library: lib, cameras: [{ id: 'drive', name: 'Drive', url: cam.url(), overrides: { retainMegabytes: 0.4 } }] });
      await waitFor('deletions', () => h.adapter.health().counters['retentionDeleted'] !== undefined && (h.adapter.health().counters['retentionDeleted'] ?? 0) >= 2, 60_000);
      const files = librarySegments(lib);
      assert.ok(files.length > 0);
      const bytes = files.map((f) => statSync(join(lib, f)).size);
      const total = bytes.reduce((a, b) => a + b, 0);
      assert.ok(total <= 0.4 * 1024 * 1024 + Math.max(...bytes), `total ${total}`);
      // The oldest went first: what is left is the newest run of segments.
      assert.equal(recordersOf(h)[0]?.state, 'recording');
    });
  });

  describe('clips', () => {
    it('exports a range across segments as one fast-start mp4 with Range support', async () => {
      const cam = await camera();
      const lib = library();
      const h = await sidecar({ library: lib, cameras: [{ id: 'hall', name: 'Hall', url: cam.url() }] });
      await waitFor('three segments', () => librarySegments(lib).length >= 3);
      const url = `${h.deviceBaseUrl}/camera/clips/hall.mp4?start=${Date.now() - 60_000}&end=${Date.now()}`;
      const full = await fetch(url);
      assert.equal(full.status, 200);
      assert.equal(full.headers.get('content-type'), 'video/mp4');
      const body = Buffer.from(await full.arrayBuffer());
      assert.equal(body.subarray(4, 8).toString('latin1'), 'ftyp');
      // Fast start: moov before mdat.
      assert.ok(body.indexOf('moov') < body.indexOf('mdat'), 'moov first');
      const part = await fetch(url, { headers: { Range: 'bytes=100-199' } });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), `bytes 100-199/${body.length}`);
      assert.deepEqual(Buffer.from(await part.arrayBuffer()), body.subarray(100, 200));
      const out = join(lib, '..', `${lib.split('/').at(-1) ?? 'x'}-clip.mp4`);
      writeFileSync(out, body);
      try {
        const probe = await ffprobeJson(out);
        assert.ok(Number(probe.format.duration) > 3, `clip duration ${probe.format.duration}`);
      } finally {
        rmSync(out, { force: true });
      }
      assert.equal((await fetch(`${h.deviceBaseUrl}/camera/clips/hall.mp4?start=1&end=2`)).status, 404);
      assert.equal((await fetch(`${h.deviceBaseUrl}/camera/clips/hall.mp4`)).status, 400);
    });
  });
});
