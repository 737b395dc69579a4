import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cameraMigrations } from '../../../../adapters/camera/config.js';
import type { CameraBudget } from '../../../../adapters/camera/retention-plan.js';
import { Retention } from '../../../../adapters/camera/retention.js';
import { SegmentStore } from '../../../../adapters/camera/segment-store.js';
import { silentLogger } from '../../../../plugin/log/logger.js';
import { openDatabase, type StateDatabase } from '../../../../plugin/state/db.js';

const MIN = 60_000;
const NOW = 100 * MIN;

describe('Retention', () => {
  let db: StateDatabase;
  let store: SegmentStore;
  let root: string;
  let deleted: string[];

  /** A one-minute segment of `bytes` starting at `startMin`, on disk and in the index. */
  async function segment(camera: string, startMin: number, bytes: number, folder = root): Promise<string> {
    const dir = join(folder, camera, 'day');
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${camera}-${startMin}.mp4`);
    await writeFile(path, '');
    store.add({ camera, path, startMs: startMin * MIN, endMs: (startMin + 1) * MIN, bytes, status: 'complete' });
    return path;
  }

  function retention(budgets: ReadonlyMap<string, CameraBudget>, free: Readonly<Record<string, number>> = {}, minFreeBytes = 0): Retention {
    return new Retention({
      store,
      log: silentLogger(),
      now: () => NOW,
      budgets: () => budgets,
      folders: () => Object.keys(free).map((path) => ({ path, minFreeBytes })),
      freeBytes: (path) => Promise.resolve(free[path] ?? 0),
      onDeleted: (path) => deleted.push(path),
    });
  }

  beforeEach(async () => {
    db = openDatabase(':memory:');
    db.migrate('camera', cameraMigrations);
    store = new SegmentStore(db);
    root = await mkdtemp(join(tmpdir(), 'retention-'));
    deleted = [];
  });

  afterEach(async () => {
    db.close();
    await rm(root, { recursive: true, force: true });
  });

  it('summarises each camera in one row: total bytes and earliest end', async () => {
    await segment('a', 1, 10);
    await segment('a', 0, 5);
    await segment('b', 7, 3);
    deepStrictEqual(
      store.cameraSummaries().sort((x, y) => x.camera.localeCompare(y.camera)),
      [
        { camera: 'a', bytes: 15, oldestEndMs: 1 * MIN },
        { camera: 'b', bytes: 3, oldestEndMs: 8 * MIN },
      ],
    );
  });

  it('deletes the oldest segments of cameras over their byte or age budget, oldest first across cameras, and leaves the others', async () => {
    const a0 = await segment('a', 0, 10);
    const a1 = await segment('a', 1, 10);
    await segment('a', 2, 10);
    const b0 = await segment('b', 0, 10);
    await segment('b', 95, 10);
    await segment('c', 0, 10);
    const budgets = new Map([
      ['a', { maxBytes: 10, maxAgeMs: 1000 * MIN }],
      ['b', { maxBytes: 1000, maxAgeMs: 50 * MIN }],
      ['c', { maxBytes: 1000, maxAgeMs: 1000 * MIN }],
    ]);
    strictEqual(await retention(budgets).run(), 3);
    deepStrictEqual(deleted, [a0, b0, a1]);
    deepStrictEqual(
      store
        .cameraSummaries()
        .map((c) => [c.camera, c.bytes])
        .sort(),
      [
        ['a', 10],
        ['b', 10],
        ['c', 10],
      ],
    );
    strictEqual(existsSync(a0), false);
  });

  it('frees space in a short folder from the oldest of all its cameras, after the per-camera rules', async () => {
    const other = join(root, 'other');
    const a0 = await segment('a', 0, 10);
    const b1 = await segment('b', 1, 10);
    await segment('b', 2, 10);
    const elsewhere = await segment('x', 0, 10, other);
    const budgets = new Map([['a', { maxBytes: 0, maxAgeMs: 1000 * MIN }]]);
    strictEqual(await retention(budgets, { [join(root, 'a')]: 100, [join(root, 'b')]: 95, [other]: 1000 }, 105).run(), 2);
    deepStrictEqual(deleted, [a0, b1]);
    strictEqual(existsSync(elsewhere), true);
    strictEqual(existsSync(join(root, 'a', 'day')), false, 'emptied day folders go too');
  });
});
