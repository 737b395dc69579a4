import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createLocalFolderSource, localLibraryMigrations, LOCAL_LIBRARY_NAMESPACE } from '../../../../../plugin/library/local-folder.js';
import { entryIdOf } from '../../../../../plugin/library/local-folder/ids.js';
import type { LibrarySource } from '../../../../../plugin/library/source.js';
import type { MediaInfo, MediaInput, MediaItem } from '../../../../../plugin/library/model.js';
import { openDatabase } from '../../../../../plugin/state/db.js';
import type { StateDatabase } from '../../../../../plugin/state/db.js';
import { silentLogger } from '../../../../../plugin/log/logger.js';
import { systemClock } from '../../../../../plugin/util/clock.js';
import type { Clock } from '../../../../../plugin/util/clock.js';
import { SidecarError } from '../../../../../plugin/util/errors.js';
import { fixturePath } from '../../../../support/paths.js';

/** A probe that reads the file: "OK" files are fine media, anything else is corrupt. */
class FakeProbe {
  calls: string[] = [];
  failWith: SidecarError | undefined;
  readonly probe = async (input: MediaInput): Promise<MediaInfo> => {
    assert.equal(input.kind, 'file');
    const path = input.kind === 'file' ? input.path : '';
    this.calls.push(path);
    if (this.failWith) throw this.failWith;
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(path, 'utf8');
    if (!text.startsWith('OK')) throw new SidecarError('ERR_PROBE_FAILED', 'invalid-argument', 'cannot probe: Invalid data found when processing input');
    return { container: 'mov,mp4', sizeBytes: 0, durationSeconds: Number(text.slice(2)) || 5, streams: [{ type: 'video', index: 0, codec: 'h264' }] };
  };
}

function write(root: string, rel: string, text: string): void {
  const path = join(root, ...rel.split('/'));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

const reject = (code: string) => (e: unknown) => e instanceof SidecarError && e.code === code;

describe('LocalFolderSource', () => {
  let dir: string;
  let root: string;
  let dbPath: string;
  const opened: { db: StateDatabase; source: LibrarySource }[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jb-local-'));
    root = join(dir, 'media');
    dbPath = join(dir, 'state.db');
    write(root, 'Movies/Film (1999).mp4', 'OK120');
    write(root, 'Movies/Film (1999).nfo', '<movie><title>The Film</title><plot>Plot.</plot><year>1999</year></movie>');
    write(root, 'Movies/Film (1999)-poster.jpg', 'JPEGDATA');
    write(root, 'Movies/broken.mkv', 'garbage');
    write(root, 'Movies/.staging/hidden.mp4', 'OK');
    write(root, 'Movies/.hidden.mp4', 'OK');
    write(root, 'Movies/readme.txt', 'not a video');
    write(root, 'TV/Show/Season 2/Show - S02E05 - Title.mkv', 'OK30');
    write(root, 'TV/Show/Season 2/Show - S02E05 - Title.mkv.txt', 'seriesTitle : Show\nepisodeTitle : Better Title\nepisodeNumber : 205\n');
    write(root, 'loose-in-root.mp4', 'OK');
  });

  afterEach(async () => {
    for (const { db, source } of opened.splice(0)) {
      await source.stop();
      db.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  function open(probe: FakeProbe, extra: { xmltvPath?: string; clock?: Clock } = {}): LibrarySource {
    const db = openDatabase(dbPath);
    db.migrate(LOCAL_LIBRARY_NAMESPACE, localLibraryMigrations);
    const source = createLocalFolderSource({ root, db, probe: probe.probe, clock: extra.clock ?? systemClock, log: silentLogger(), rescanIntervalMs: 0, ...(extra.xmltvPath ? { xmltvPath: extra.xmltvPath } : {}) });
    opened.push({ db, source });
    return source;
  }

  async function allItems(source: LibrarySource): Promise<readonly MediaItem[]> {
    const page = await source.library.listChildren('local', undefined, { recursive: true });
    return page.items.filter((e): e is MediaItem => e.kind === 'item');
  }

  describe('#rescan', () => {
    it('indexes visible videos, skips hidden and root-level files, and keeps corrupt files as unplayable', async () => {
      const probe = new FakeProbe();
      const source = open(probe);
      await source.library.rescan();
      const items = await allItems(source);
      assert.deepEqual(items.map((i) => [i.title, i.type, i.playable]), [
        ['Better Title', 'episode', true],
        ['broken', 'movie', false],
        ['The Film', 'movie', true],
      ]);
      const broken = items.find((i) => i.title === 'broken');
      assert.match(broken?.unplayableReason ?? '', /Invalid data/);
      const episode = items.find((i) => i.type === 'episode');
      assert.deepEqual([episode?.seriesName, episode?.seasonNumber, episode?.episodeNumber], ['Show', 2, 5]);
      const film = items.find((i) => i.title === 'The Film');
      assert.equal(film?.durationSeconds, 120);
      assert.equal(film?.media?.sizeBytes, 5, 'size filled from the file when the probe has none');
      assert.equal(probe.calls.length, 3);
      assert.deepEqual((await source.library.listRoots()).map((r) => r.title), ['Movies', 'TV']);
      const health = source.health();
      assert.equal(health.kind, 'local');
      assert.deepEqual([health.counters['items'], health.counters['unplayable'], health.counters['scanned']], [3, 1, 3]);
    });

    it('picks up added, changed and removed files, and re-reads changed sidecars without probing', async () => {
      const probe = new FakeProbe();
      const source = open(probe);
      await source.library.rescan();
      probe.calls = [];
      write(root, 'Movies/New (2020).mp4', 'OK10');
      write(root, 'Movies/broken.mkv', 'OK7'); // fixed file: new size
      rmSync(join(root, 'TV/Show/Season 2/Show - S02E05 - Title.mkv'));
      write(root, 'Movies/Film (1999).nfo', '<movie><title>Renamed Film</title></movie>');
      utimesSync(join(root, 'Movies/Film (1999).nfo'), new Date(), new Date(Date.now() + 5000));
      await source.library.rescan();
      assert.deepEqual(probe.calls.map((p) => p.slice(root.length + 1)).sort(), ['Movies/New (2020).mp4', 'Movies/broken.mkv']);
      const items = await allItems(source);
      assert.deepEqual(items.map((i) => [i.title, i.playable]), [
        ['broken', true],
        ['New', true],
        ['Renamed Film', true],
      ]);
      assert.equal(await source.library.getItem(undefined, entryIdOf('TV/Show/Season 2/Show - S02E05 - Title.mkv')), undefined);
    });

    it('retries files whose probe could not run (no ffprobe, timeout) on the next scan', async () => {
      const probe = new FakeProbe();
      probe.failWith = new SidecarError('ERR_PROBE_UNAVAILABLE', 'failed-precondition', 'cannot run ffprobe');
      const source = open(probe);
      await source.library.rescan();
      assert.equal((await allItems(source)).every((i) => !i.playable), true);
      probe.failWith = undefined;
      probe.calls = [];
      await source.library.rescan();
      assert.equal(probe.calls.length, 3);
      assert.equal((await allItems(source)).filter((i) => i.playable).length, 2);
    });
  });

  describe('#start', () => {
    it('serves the stored index at once after a restart and does not probe unchanged files again', async () => {
      const first = new FakeProbe();
      const source = open(first);
      await source.library.rescan();
      const before = await allItems(source);
      await source.stop();

      const second = new FakeProbe();
      const restarted = open(second);
      await restarted.start(new AbortController().signal);
      // Immediately (before the background scan has done anything) the old index is listed.
      assert.deepEqual((await allItems(restarted)).map((i) => i.id), before.map((i) => i.id));
      assert.equal(restarted.health().state, 'ready');
      await restarted.library.rescan();
      assert.deepEqual(second.calls, []);
      assert.deepEqual(await allItems(restarted), before);
    });

    it('reports starting while the first scan of an empty index runs, then ready', async () => {
      const probe = new FakeProbe();
      const source = open(probe);
      assert.equal(source.health().state, 'starting');
      await source.start(new AbortController().signal);
      await source.library.rescan();
      assert.equal(source.health().state, 'ready');
      await source.stop();
      assert.equal(source.health().state, 'stopped');
    });

    it('reports a missing root as failed without emptying the stored index', async () => {
      const probe = new FakeProbe();
      const source = open(probe);
      await source.library.rescan();
      rmSync(root, { recursive: true });
      await assert.rejects(source.library.rescan(), reject('ERR_LIBRARY_ROOT_UNAVAILABLE'));
      assert.equal(source.health().state, 'degraded');
      assert.equal(source.health().lastError?.code, 'ERR_LIBRARY_ROOT_UNAVAILABLE');
      assert.equal((await allItems(source)).length, 3);
    });
  });

  describe('#notifyMediaUpdated', () => {
    it('indexes a file in a new sub-folder given by absolute or relative path', async () => {
      const probe = new FakeProbe();
      const source = open(probe);
      await source.library.rescan();
      write(root, 'Cameras/door/2026-11-21/10-00.mp4', 'OK60');
      await source.library.notifyMediaUpdated([join(root, 'Cameras/door/2026-11-21/10-00.mp4')]);
      const item = await source.library.getItem(undefined, entryIdOf('Cameras/door/2026-11-21/10-00.mp4'));
      assert.equal(item?.kind === 'item' && item.durationSeconds, 60);
      rmSync(join(root, 'Cameras/door/2026-11-21'), { recursive: true });
      await source.library.notifyMediaUpdated(['Cameras/door/2026-11-21/10-00.mp4']);
      assert.equal(await source.library.getItem(undefined, entryIdOf('Cameras/door/2026-11-21/10-00.mp4')), undefined);
      assert.equal(await source.library.getItem(undefined, entryIdOf('Cameras/door/2026-11-21')), undefined);
      assert.ok(await source.library.getItem(undefined, entryIdOf('Cameras/door')));
    });

    it('ignores paths outside the root', async () => {
      const probe = new FakeProbe();
      const source = open(probe);
      await source.library.rescan();
      probe.calls = [];
      await source.library.notifyMediaUpdated(['/etc/passwd', '../outside.mp4']);
      assert.deepEqual(probe.calls, []);
    });
  });

  describe('#listChildren', () => {
    it('pages and sorts children and refuses an unknown parent', async () => {
      const probe = new FakeProbe();
      const source = open(probe);
      await source.library.rescan();
      const movies = (await source.library.listRoots()).find((r) => r.title === 'Movies');
      assert.ok(movies);
      assert.equal(movies.childCount, 2);
      const page = await source.library.listChildren('local', movies.id, { sort: [{ by: 'title', descending: true }], limit: 1, offset: 1 });
      assert.deepEqual([page.total, page.offset, page.items.map((e) => e.title)], [2, 1, ['broken']]);
      await assert.rejects(source.library.listChildren('local', 'nope'), reject('ERR_LIBRARY_NOT_FOUND'));
    });
  });

  describe('#getMediaInput', () => {
    it('returns the file path of an item and refuses folders and unknown ids', async () => {
      const probe = new FakeProbe();
      const source = open(probe);
      await source.library.rescan();
      const input = await source.library.getMediaInput(undefined, entryIdOf('Movies/Film (1999).mp4'));
      assert.equal(input.kind, 'file');
      assert.ok(input.kind === 'file' && input.path.endsWith(join('Movies', 'Film (1999).mp4')));
      await assert.rejects(source.library.getMediaInput(undefined, entryIdOf('Movies')), reject('ERR_LIBRARY_NOT_MEDIA'));
      await assert.rejects(source.library.getMediaInput(undefined, 'nope'), reject('ERR_LIBRARY_NOT_FOUND'));
    });

    it('never resolves outside the root, even from a tampered index row', async () => {
      const probe = new FakeProbe();
      const source = open(probe);
      await source.library.rescan();
      await source.stop();
      const db = openDatabase(dbPath);
      db.run("UPDATE library_entries SET rel_path = '../../../etc/passwd' WHERE id = ?", [entryIdOf('Movies/Film (1999).mp4')]);
      db.close();
      const restarted = open(new FakeProbe());
      await assert.rejects(restarted.library.getMediaInput(undefined, entryIdOf('Movies/Film (1999).mp4')), reject('ERR_LIBRARY_PATH_OUTSIDE_ROOT'));
    });

    it('does not index symbolic links that lead outside the root', async () => {
      write(dir, 'outside/secret.mp4', 'OK');
      symlinkSync(join(dir, 'outside'), join(root, 'Movies', 'linked'));
      symlinkSync(join(root, 'TV'), join(root, 'Movies', 'inside-link'));
      const source = open(new FakeProbe());
      await source.library.rescan();
      assert.equal(await source.library.getItem(undefined, entryIdOf('Movies/linked/secret.mp4')), undefined);
      assert.ok(await source.library.getItem(undefined, entryIdOf('Movies/inside-link/Show/Season 2/Show - S02E05 - Title.mkv')));
    });
  });

  describe('#getImage', () => {
    it('serves the sibling poster and undefined when there is none', async () => {
      const source = open(new FakeProbe());
      await source.library.rescan();
      const film = await source.library.getItem(undefined, entryIdOf('Movies/Film (1999).mp4'));
      assert.ok(film?.image?.tag);
      const image = await source.library.getImage(entryIdOf('Movies/Film (1999).mp4'));
      assert.deepEqual([image?.contentType, image?.body.toString()], ['image/jpeg', 'JPEGDATA']);
      assert.equal(await source.library.getImage(entryIdOf('Movies/broken.mkv')), undefined);
    });
  });

  describe('#listUsers and playback', () => {
    it('has one implicit user and no playback sessions', async () => {
      const source = open(new FakeProbe());
      assert.deepEqual(await source.library.listUsers(), [{ id: 'local', name: 'Local', isAdministrator: true }]);
      assert.deepEqual(source.playback.sessions(), []);
      const unsubscribe = source.playback.subscribe(() => assert.fail('no events expected'));
      unsubscribe();
    });
  });

  describe('liveTv', () => {
    it('is unavailable without an XMLTV guide', async () => {
      const source = open(new FakeProbe());
      assert.equal(await source.liveTv.isAvailable(), false);
      await assert.rejects(source.liveTv.listChannels(), (e: unknown) => e instanceof SidecarError && e.code === 'ERR_LIVETV_UNAVAILABLE' && e.kind === 'unavailable');
      await assert.rejects(source.liveTv.listTimers(), reject('ERR_LIVETV_UNAVAILABLE'));
      await assert.rejects(source.liveTv.createTimer('x'), reject('ERR_LIVETV_UNAVAILABLE'));
      await assert.rejects(source.liveTv.tunerCount(), reject('ERR_LIVETV_UNAVAILABLE'));
    });

    it('is unavailable while the configured guide file is missing', async () => {
      const source = open(new FakeProbe(), { xmltvPath: join(dir, 'missing.xml') });
      assert.equal(await source.liveTv.isAvailable(), false);
      await assert.rejects(source.liveTv.listPrograms({}), reject('ERR_LIVETV_UNAVAILABLE'));
    });

    it('lists channels and programmes and keeps timers in SQLite', async () => {
      const guide = join(dir, 'guide.xml');
      copyFileSync(fixturePath('library', 'guide.xml'), guide);
      let now = Date.parse('2026-11-21T18:00:00Z');
      const clock: Clock = { ...systemClock, now: () => now };
      const source = open(new FakeProbe(), { xmltvPath: guide, clock });
      assert.equal(await source.liveTv.isAvailable(), true);
      const channels = await source.liveTv.listChannels();
      assert.deepEqual(channels.map((c) => [c.number, c.callSign, c.name]), [
        ['13', 'KERA', 'KERA fcc'],
        ['61', 'FOOD', 'Food Network'],
        ['bbc1.bbc.co.uk', undefined, 'BBC One'],
      ]);
      const programs = await source.liveTv.listPrograms({ from: '2026-11-21T19:30:00Z', to: '2026-11-21T21:00:00Z' });
      assert.deepEqual(programs.map((p) => p.title).sort(), ['Film Night', 'Frontline', 'Nova']);
      assert.equal(programs[2]?.title, 'Frontline', 'sorted by start');
      const film = programs.find((p) => p.title === 'Film Night');
      assert.deepEqual([film?.isMovie, film?.isSeries], [true, false]);
      const last = (await source.liveTv.listPrograms({ search: 'no stop' }))[0];
      assert.deepEqual([last?.start, last?.end], ['2026-11-21T21:00:00.000Z', '2026-11-21T21:30:00.000Z']);
      await assert.rejects(source.liveTv.listPrograms({ from: 'yesterday-ish' }), reject('ERR_LIVETV_INVALID_QUERY'));
      assert.deepEqual(await source.liveTv.defaultPadding(), { prePaddingSeconds: 0, postPaddingSeconds: 0 });
      assert.equal(await source.liveTv.tunerCount(), 1);

      const nova = programs.find((p) => p.title === 'Nova');
      const filmNight = programs.find((p) => p.title === 'Film Night');
      assert.ok(nova && filmNight);
      const timer = await source.liveTv.createTimer(nova.id);
      assert.deepEqual([timer.programId, timer.channelId, timer.name, timer.start, timer.end, timer.status], [nova.id, nova.channelId, 'Nova', nova.start, nova.end, 'new']);
      await assert.rejects(source.liveTv.createTimer(nova.id), (e: unknown) => e instanceof SidecarError && e.code === 'ERR_LIVETV_TIMER_EXISTS' && e.detail['timerId'] === timer.id);
      await assert.rejects(source.liveTv.createTimer('unknown'), reject('ERR_LIVETV_PROGRAM_NOT_FOUND'));
      const overlapping = await source.liveTv.createTimer(filmNight.id);
      assert.equal(overlapping.status, 'conflicted', 'one tuner: the overlapping timer conflicts');
      assert.equal((await source.liveTv.listPrograms({ search: 'Nova' }))[0]?.timerId, timer.id);

      now = Date.parse('2026-11-21T19:30:00Z');
      assert.equal((await source.liveTv.listTimers()).find((t) => t.id === timer.id)?.status, 'in-progress');
      await source.liveTv.cancelTimer(overlapping.id);
      await assert.rejects(source.liveTv.cancelTimer('nope'), reject('ERR_LIVETV_TIMER_NOT_FOUND'));
      assert.deepEqual((await source.liveTv.listTimers()).map((t) => t.id), [timer.id]);
      // Re-creating a cancelled timer brings it back under the same id (Jellyfin does the same).
      assert.equal((await source.liveTv.createTimer(filmNight.id)).id, overlapping.id);

      // Timers survive a restart.
      await source.stop();
      const restarted = open(new FakeProbe(), { xmltvPath: guide, clock });
      assert.deepEqual((await restarted.liveTv.listTimers()).map((t) => t.id).sort(), [timer.id, overlapping.id].sort());
      now = Date.parse('2026-11-22T00:00:00Z');
      assert.deepEqual((await restarted.liveTv.listTimers()).map((t) => t.status), ['completed', 'completed']);
    });

    it('re-reads the guide when the file changes', async () => {
      const guide = join(dir, 'guide.xml');
      writeFileSync(guide, '<tv><channel id="a"><display-name>1 AAA</display-name></channel></tv>');
      const source = open(new FakeProbe(), { xmltvPath: guide });
      assert.equal((await source.liveTv.listChannels()).length, 1);
      writeFileSync(guide, '<tv><channel id="a"><display-name>1 AAA</display-name></channel><channel id="b"><display-name>2 BBB</display-name></channel></tv>');
      utimesSync(guide, new Date(), new Date(Date.now() + 10_000));
      assert.equal((await source.liveTv.listChannels()).length, 2);
      writeFileSync(guide, '<tv><broken>');
      utimesSync(guide, new Date(), new Date(Date.now() + 20_000));
      assert.equal(await source.liveTv.isAvailable(), false);
    });
  });
});
