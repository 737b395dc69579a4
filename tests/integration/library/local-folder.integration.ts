import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalFolderSource, localLibraryMigrations, LOCAL_LIBRARY_NAMESPACE } from '../../../plugin/library/local-folder.js';
import type { LibrarySource } from '../../../plugin/library/source.js';
import type { MediaInfo, MediaInput, MediaItem } from '../../../plugin/library/model.js';
import { openDatabase } from '../../../plugin/state/db.js';
import type { StateDatabase } from '../../../plugin/state/db.js';
import { silentLogger } from '../../../plugin/log/logger.js';
import { systemClock } from '../../../plugin/util/clock.js';
import { probeMedia } from '../../../plugin/transcode/probe.js';
import { hasBinary, makeClip } from '../../support/media.js';

describe('local folder source with real ffprobe', function () {
  let dir: string;
  let root: string;
  const probed: string[] = [];
  const opened: { db: StateDatabase; source: LibrarySource }[] = [];
  const probe = (input: MediaInput, signal?: AbortSignal): Promise<MediaInfo> => {
    probed.push(input.kind === 'file' ? input.path : 'url');
    return probeMedia('ffprobe', input, signal);
  };

  before(async function () {
    if (!(await hasBinary('ffprobe')) || !(await hasBinary('ffmpeg'))) this.skip();
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jb-local-int-'));
    root = join(dir, 'media');
    mkdirSync(join(root, 'Movies', 'Clip (2024)'), { recursive: true });
    mkdirSync(join(root, 'TV', 'Show', 'Season 1'), { recursive: true });
    copyFileSync(await makeClip({ duration: 2, ext: 'mp4' }), join(root, 'Movies', 'Clip (2024)', 'Clip (2024).mp4'));
    writeFileSync(join(root, 'Movies', 'Clip (2024)', 'Clip (2024).nfo'), '<movie><title>Nfo Title</title><plot>From the nfo.</plot><genre>Drama</genre></movie>');
    copyFileSync(await makeClip({ duration: 1, ext: 'mpg', videoCodec: 'mpeg2video', audioCodec: 'mp2' }), join(root, 'TV', 'Show', 'Season 1', 'Show - S01E01 - One.mpg'));
    writeFileSync(join(root, 'Movies', 'corrupt.mkv'), Buffer.alloc(2048, 1));
    probed.length = 0;
  });

  afterEach(async () => {
    for (const { db, source } of opened.splice(0)) {
      await source.stop();
      db.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  function open(): LibrarySource {
    const db = openDatabase(join(dir, 'state.db'));
    db.migrate(LOCAL_LIBRARY_NAMESPACE, localLibraryMigrations);
    const source = createLocalFolderSource({ root, db, probe, clock: systemClock, log: silentLogger(), rescanIntervalMs: 0, probeConcurrency: 2 });
    opened.push({ db, source });
    return source;
  }

  async function items(source: LibrarySource): Promise<MediaItem[]> {
    return (await source.library.listChildren(undefined, undefined, { recursive: true, sort: [{ by: 'title' }] })).items.filter((e): e is MediaItem => e.kind === 'item');
  }

  it('scans real clips, a corrupt file and an nfo', async () => {
    const source = open();
    await source.start(new AbortController().signal);
    await source.library.rescan();
    const list = await items(source);
    assert.deepEqual(list.map((i) => [i.title, i.type, i.playable]), [
      ['corrupt', 'movie', false],
      ['Nfo Title', 'movie', true],
      ['One', 'episode', true],
    ]);
    const movie = list.find((i) => i.title === 'Nfo Title');
    assert.equal(movie?.overview, 'From the nfo.');
    assert.deepEqual(movie?.genres, ['Drama']);
    assert.equal(movie?.productionYear, 2024);
    assert.ok((movie?.durationSeconds ?? 0) > 1.9);
    assert.deepEqual(movie?.media?.streams.map((s) => s.codec), ['h264', 'aac']);
    const episode = list.find((i) => i.title === 'One');
    assert.equal(episode?.media?.streams[0]?.codec, 'mpeg2video');
    assert.equal(episode?.seriesName, 'Show');
    assert.match(list[0]?.unplayableReason ?? '', /cannot probe/);
    assert.equal(source.health().state, 'ready');
    assert.equal(source.health().counters['unplayable'], 1);
  });

  it('does not probe again after a restart with the same database', async () => {
    const first = open();
    await first.library.rescan();
    assert.equal(probed.length, 3);
    const before = await items(first);
    await first.stop();
    probed.length = 0;
    const second = open();
    await second.start(new AbortController().signal);
    assert.deepEqual(await items(second), before);
    await second.library.rescan();
    assert.deepEqual(probed, []);
  });

  it('picks up added, changed and removed files on rescan', async () => {
    const source = open();
    await source.library.rescan();
    probed.length = 0;
    copyFileSync(await makeClip({ duration: 1, ext: 'mkv', videoCodec: 'mpeg4', audioCodec: 'mp2' }), join(root, 'Movies', 'Added.mkv'));
    copyFileSync(await makeClip({ duration: 3, ext: 'mp4' }), join(root, 'Movies', 'corrupt.mkv'));
    rmSync(join(root, 'TV', 'Show', 'Season 1', 'Show - S01E01 - One.mpg'));
    await source.library.rescan();
    assert.equal(probed.length, 2);
    const list = await items(source);
    assert.deepEqual(list.map((i) => [i.title, i.playable]), [
      ['Added', true],
      ['corrupt', true],
      ['Nfo Title', true],
    ]);
    assert.ok((list.find((i) => i.title === 'corrupt')?.durationSeconds ?? 0) > 2.9);
  });
});
