import { deepStrictEqual, ok, rejects, strictEqual } from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep, setImmediate as tick } from 'node:timers/promises';
import { silentLogger } from '../../../../plugin/log/logger.js';
import { type Spool, SpoolStore } from '../../../../plugin/transcode/spool.js';
import { ManualClock } from './manual-clock.js';

function pattern(length: number, seed = 7): Buffer {
  const b = Buffer.allocUnsafe(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

function write(spool: Spool, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => spool.sink.write(data, (err) => (err ? reject(err) : resolve())));
}

async function complete(spool: Spool, exit: 'completed' | 'stopped' | 'failed' = 'completed'): Promise<void> {
  spool.sink.end();
  await spool.sinkDone();
  spool.finish(exit);
}

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** Deletion is an async unlink: poll for it (bounded). */
async function gone(path: string): Promise<boolean> {
  for (let i = 0; i < 400 && existsSync(path); i++) await sleep(5);
  return !existsSync(path);
}

describe('SpoolStore', () => {
  let dir: string;
  let clock: ManualClock;
  let store: SpoolStore;

  function makeStore(maxBytes = 1e9, maxAgeMs = 60_000): SpoolStore {
    return new SpoolStore({ dir, maxBytes, maxAgeMs, clock, log: silentLogger() });
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jb-spool-test-'));
    clock = new ManualClock();
    store = makeStore();
    store.prepare();
  });

  afterEach(() => {
    store.cleanup(true);
    store.stopTimer();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('Spool#read', () => {
    it('streams an inclusive byte range of a complete spool', async () => {
      const spool = store.create('a');
      const data = pattern(600_000);
      await write(spool, data);
      await complete(spool);
      deepStrictEqual(await collect(spool.reader.read(1000, 299_999)), data.subarray(1000, 300_000));
      deepStrictEqual(await collect(spool.reader.read(0)), data);
      strictEqual(spool.reader.finalLength(), 600_000);
    });

    it('gives two readers at different offsets the same bytes as the finished file while it is written', async () => {
      const spool = store.create('a');
      const data = pattern(2_000_003);
      const first = collect(spool.reader.read(0));
      const second = collect(spool.reader.read(777_777));
      for (let at = 0, step = 1; at < data.length; at += step, step = (step * 7 + 4093) % 300_000) {
        await write(spool, data.subarray(at, Math.min(data.length, at + step)));
      }
      await complete(spool);
      deepStrictEqual(await first, data);
      deepStrictEqual(await second, data.subarray(777_777));
      deepStrictEqual(readFileSync(spool.path), data);
    });

    it('waits for bytes not produced yet, then completes the range', async () => {
      const spool = store.create('a');
      const data = pattern(4000);
      await write(spool, data.subarray(0, 500));
      let ended = false;
      const reading = collect(spool.reader.read(1000, 1999)).then((b) => {
        ended = true;
        return b;
      });
      for (let i = 0; i < 20; i++) await tick();
      strictEqual(ended, false);
      strictEqual(spool.reader.isFinished(), false);
      await write(spool, data.subarray(500, 1500));
      for (let i = 0; i < 20; i++) await tick();
      strictEqual(ended, false);
      await write(spool, data.subarray(1500));
      deepStrictEqual(await reading, data.subarray(1000, 2000));
    });

    it('ends early at the end of a completed transcode and reads nothing past it', async () => {
      const spool = store.create('a');
      const data = pattern(5000);
      await write(spool, data);
      const reading = collect(spool.reader.read(4000, 9999));
      await complete(spool);
      deepStrictEqual(await reading, data.subarray(4000));
      strictEqual((await collect(spool.reader.read(5000))).length, 0);
    });

    it('closes without an end when a stopped transcode did not reach the range end', async () => {
      const spool = store.create('a');
      await write(spool, pattern(3000));
      const stream = spool.reader.read(0);
      const reading = collect(stream);
      await complete(spool, 'stopped');
      await rejects(reading, { code: 'ERR_STREAM_PREMATURE_CLOSE' });
      strictEqual(spool.reader.finalLength(), undefined);
      strictEqual(spool.reader.isFinished(), true);
    });

    it('closes the reader when its signal fires', async () => {
      const spool = store.create('a');
      const controller = new AbortController();
      const stream = spool.reader.read(0, undefined, controller.signal);
      stream.resume();
      await tick();
      strictEqual(spool.readers(), 1);
      controller.abort();
      await new Promise((resolve) => stream.once('close', resolve));
      strictEqual(spool.readers(), 0);
      strictEqual(stream.readableEnded, false);
    });
  });

  describe('Spool#sinkDone', () => {
    it('resolves when writing failed, so a session never waits for a broken spool', async () => {
      const spool = store.create('a');
      spool.sink.on('error', () => undefined);
      spool.sink.destroy(new Error('disk full'));
      await spool.sinkDone();
      spool.finish('failed');
      strictEqual(spool.reader.isFinished(), true);
    });
  });

  describe('#find and #create', () => {
    it('finds live and complete spools but not stopped ones, and replaces those', async () => {
      const live = store.create('live');
      strictEqual(store.find('live'), live);
      const stopped = store.create('stopped');
      await complete(stopped, 'stopped');
      strictEqual(store.find('stopped'), undefined);
      const again = store.create('stopped');
      strictEqual(store.find('stopped'), again);
      ok(await gone(stopped.path));
    });
  });

  describe('#cleanup', () => {
    it('deletes complete spools unused for longer than the age limit', async () => {
      const old = store.create('old');
      await write(old, pattern(100));
      await complete(old);
      clock.advance(40_000);
      const young = store.create('young');
      await write(young, pattern(100));
      await complete(young);
      clock.advance(25_000);
      store.cleanup();
      strictEqual(store.find('old'), undefined);
      ok(await gone(old.path));
      strictEqual(store.find('young'), young);
      ok(existsSync(young.path));
    });

    it('runs on its timer', async () => {
      const old = store.create('old');
      await complete(old);
      clock.advance(120_000);
      ok(await gone(old.path));
      strictEqual(clock.pending(), 0);
    });

    it('deletes least recently used complete spools first while over the size limit, never live or read ones', async () => {
      store = makeStore(2400);
      const spools: Spool[] = [];
      for (const key of ['a', 'b', 'c']) {
        const s = store.create(key);
        await write(s, pattern(1000));
        await complete(s);
        spools.push(s);
        clock.advance(1000);
      }
      const [a, b, c] = spools as [Spool, Spool, Spool];
      // `a` is being read: it stays although it is the oldest.
      const reader = a.reader.read(0);
      reader.pause();
      await tick();
      const live = store.create('live');
      await write(live, pattern(1500));
      store.cleanup();
      strictEqual(store.find('a'), a);
      ok(await gone(b.path));
      ok(await gone(c.path));
      strictEqual(store.find('live'), live);
      reader.destroy();
      await new Promise((resolve) => reader.once('close', resolve));
      // The reader left and `a` alone is over the limit with the live spool: it goes too.
      ok(await gone(a.path));
      ok(existsSync(live.path));
      await complete(live);
    });

    it('deletes everything that is not live or read on shutdown', async () => {
      const done = store.create('done');
      await complete(done);
      const live = store.create('live');
      store.cleanup(true);
      ok(await gone(done.path));
      ok(existsSync(live.path));
      await complete(live);
    });
  });

  describe('#prepare', () => {
    it('sweeps spool files left by an earlier run and nothing else', () => {
      writeFileSync(join(dir, 'jb-0000.spool'), 'x');
      writeFileSync(join(dir, 'keep.txt'), 'x');
      makeStore().prepare();
      strictEqual(existsSync(join(dir, 'jb-0000.spool')), false);
      strictEqual(existsSync(join(dir, 'keep.txt')), true);
    });
  });
});
