import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CLIPS, DEMO_GUIDE, demoGuideIsStale, ensureDemoLibrary } from '../../../plugin/transcode/demo-media.js';
import { probeMedia } from '../../../plugin/transcode/probe.js';
import { createLocalFolderSource, localLibraryMigrations, LOCAL_LIBRARY_NAMESPACE } from '../../../plugin/library/local-folder.js';
import { openDatabase } from '../../../plugin/state/db.js';
import { silentLogger } from '../../../plugin/log/logger.js';
import { systemClock } from '../../../plugin/util/clock.js';
import { hasBinary } from '../../support/media.js';

function listAll(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listAll(path));
    else out.push(path);
  }
  return out;
}

describe('ensureDemoLibrary', function () {
  let dir: string;
  let root: string;

  before(async function () {
    if (!(await hasBinary('ffprobe')) || !(await hasBinary('ffmpeg'))) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'jb-demo-'));
    root = join(dir, 'media');
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('generates probe-able clips with the intended codecs and no leftovers', async () => {
    assert.deepEqual(await ensureDemoLibrary(root, 'ffmpeg', silentLogger()), { created: true });
    for (const clip of DEMO_CLIPS) {
      const info = await probeMedia('ffprobe', { kind: 'file', path: join(root, ...clip.path.split('/')) });
      const video = info.streams.find((s) => s.type === 'video');
      const audio = info.streams.find((s) => s.type === 'audio');
      assert.equal(video?.codec, clip.videoCodec === 'libx264' ? 'h264' : 'mpeg2video', clip.path);
      assert.equal(audio?.codec, clip.audioCodec, clip.path);
      assert.deepEqual([video?.width, video?.height], [clip.width, clip.height]);
      assert.ok(Math.abs(info.durationSeconds - clip.seconds) < 0.5, `${clip.path}: ${info.durationSeconds}`);
      assert.match(info.container, clip.path.endsWith('.mp4') ? /mp4/ : /matroska/);
    }
    assert.deepEqual(listAll(root).filter((p) => p.includes('.partial')), []);
  });

  it('is idempotent: a second run generates nothing and keeps the files', async () => {
    const first = join(root, ...(DEMO_CLIPS[0]?.path.split('/') ?? []));
    const mtime = statSync(first).mtimeMs;
    assert.deepEqual(await ensureDemoLibrary(root, 'ffmpeg', silentLogger()), { created: false });
    assert.equal(statSync(first).mtimeMs, mtime);
  });

  it('regenerates the guide when fewer than 24 hours remain', async () => {
    const guide = join(root, DEMO_GUIDE);
    const now = Date.now();
    assert.equal(await demoGuideIsStale(guide, now), false);
    const later = now + 30 * 3_600_000;
    assert.equal(await demoGuideIsStale(guide, later), true);
    await ensureDemoLibrary(root, 'ffmpeg', silentLogger(), { now: () => later });
    assert.equal(await demoGuideIsStale(guide, later), false);
  });

  it('is browsable through the local folder source, with live TV from its guide', async () => {
    const db = openDatabase(':memory:');
    db.migrate(LOCAL_LIBRARY_NAMESPACE, localLibraryMigrations);
    const source = createLocalFolderSource({ root, db, probe: (i, s) => probeMedia('ffprobe', i, s), clock: systemClock, log: silentLogger(), rescanIntervalMs: 0, xmltvPath: join(root, DEMO_GUIDE) });
    try {
      await source.library.rescan();
      const page = await source.library.listChildren(undefined, undefined, { recursive: true, sort: [{ by: 'title' }] });
      assert.deepEqual(page.items.map((i) => [i.title, i.kind === 'item' && i.type, i.kind === 'item' && i.playable, i.image !== undefined]), [
        ['Big Test Pattern', 'movie', true, true],
        ['Colour Bars', 'movie', true, true],
        ['Pilot', 'episode', true, true],
        ['Second Signal', 'episode', true, false],
      ]);
      const second = page.items.find((i) => i.title === 'Second Signal');
      assert.ok(second?.kind === 'item');
      assert.deepEqual([second.seriesName, second.seasonNumber, second.episodeNumber, second.officialRating], ['Demo Show', 1, 2, 'TV-PG']);
      assert.equal((await source.liveTv.listChannels()).length, 3);
      assert.ok((await source.liveTv.listPrograms({ from: new Date().toISOString() })).length > 50);
    } finally {
      await source.stop();
      db.close();
    }
  });

  it('leaves a folder with the user\'s own media alone', async () => {
    const own = join(dir, 'own');
    mkdirSync(own);
    writeFileSync(join(own, 'holiday.mp4'), 'x');
    assert.deepEqual(await ensureDemoLibrary(own, 'ffmpeg', silentLogger()), { created: false });
    assert.deepEqual(readdirSync(own), ['holiday.mp4']);
  });
});
