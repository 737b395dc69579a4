import assert from 'node:assert/strict';
import { FakeJellyfin } from '../../support/fake-jellyfin.js';
import { specErrors, startSource, type Started } from './helpers.js';

describe('Jellyfin source: live TV (against the stand-in)', function () {
  this.timeout(30_000);
  let fake: FakeJellyfin;
  let started: Started;

  beforeEach(async () => {
    fake = await FakeJellyfin.start({ tunerCounts: [2, 0] });
    started = await startSource(fake);
  });

  afterEach(async () => {
    await started.source.stop();
    const errors = specErrors(fake);
    await fake.close();
    assert.deepEqual(errors, []);
  });

  it('is available and lists channels with numbers and call signs', async () => {
    const { liveTv } = started.source;
    assert.equal(await liveTv.isAvailable(), true);
    const channels = await liveTv.listChannels(fake.users.alice);
    assert.deepEqual(channels.map((c) => [c.number, c.name, c.callSign]), [
      ['61', 'FOOD', 'FOOD'],
      ['13.1', 'KERA-HD', 'KERA-HD'],
      ['7', 'BBC One', undefined],
    ]);
  });

  it('lists programs of a channel inside a time window, with title search', async () => {
    const { liveTv } = started.source;
    const food = (await liveTv.listChannels()).find((c) => c.callSign === 'FOOD')!;
    const from = new Date(Date.now() + 3_600_000).toISOString();
    const to = new Date(Date.now() + 2 * 3_600_000).toISOString();
    const programs = await liveTv.listPrograms({ channelIds: [food.id], from, to });
    assert.ok(programs.length >= 2);
    for (const p of programs) {
      assert.equal(p.channelId, food.id);
      assert.ok(p.end > from && p.start < to, `${p.start}–${p.end} overlaps the window`);
    }
    const movies = await liveTv.listPrograms({ channelIds: [food.id], search: 'movie', limit: 1 });
    assert.equal(movies.length, 1);
    assert.equal(movies[0]?.isMovie, true);
  });

  it('creates a timer (204, no id) and finds it by program; creating again returns the same timer', async () => {
    const { liveTv } = started.source;
    const program = (await liveTv.listPrograms({ limit: 5 }))[2]!;
    const timer = await liveTv.createTimer(program.id);
    assert.equal(timer.programId, program.id);
    assert.equal(timer.status, 'new');
    assert.equal(timer.start, program.start);
    assert.deepEqual([timer.prePaddingSeconds, timer.postPaddingSeconds], [60, 300]);
    assert.match(timer.id, /^[0-9a-f]{32}$/);
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === '/LiveTv/Timers');
    assert.equal(posts.length, 1);
    assert.equal(fake.requests.some((r) => r.path === '/LiveTv/Timers/Defaults' && r.query.includes(program.id)), true);

    const again = await liveTv.createTimer(program.id);
    assert.equal(again.id, timer.id);
    assert.deepEqual((await liveTv.listTimers()).map((t) => t.id), [timer.id]);
    const listed = await liveTv.listPrograms({ channelIds: [program.channelId], limit: 5 });
    assert.equal(listed.find((p) => p.id === program.id)?.timerId, timer.id);
  });

  it('cancels a timer', async () => {
    const { liveTv } = started.source;
    const program = (await liveTv.listPrograms({ limit: 3 }))[1]!;
    const timer = await liveTv.createTimer(program.id);
    await liveTv.cancelTimer(timer.id);
    assert.deepEqual(await liveTv.listTimers(), []);
    await assert.rejects(liveTv.cancelTimer(timer.id), { code: 'ERR_JELLYFIN_NOT_FOUND' });
  });

  it('reports the tuner count and default padding from the live TV configuration', async () => {
    const { liveTv } = started.source;
    assert.equal(await liveTv.tunerCount(), 3);
    assert.deepEqual(await liveTv.defaultPadding(), { prePaddingSeconds: 60, postPaddingSeconds: 300 });
  });
});
