/**
 * LiveFeed's sharing and lifetime rules, with an in-memory live run (a PassThrough standing in
 * for ffmpeg's stdout) and a manual clock; the real ffmpeg path is covered by
 * tests/integration/camera/live-view.integration.ts.
 */
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { LiveFeed, type LiveViewer } from '../../../../adapters/camera/live-feed.js';
import type { FileJobResult, FileJobService, LiveRequest, LiveRun } from '../../../../plugin/index.js';
import { silentLogger } from '../../../../plugin/log/logger.js';
import { ManualClock } from '../../plugin/transcode/manual-clock.js';

function box(type: string, payload = ''): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + payload.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, Buffer.from(payload, 'latin1')]);
}
const INIT = Buffer.concat([box('ftyp', 'iso5'), box('moov', 'm')]);
const fragment = (n: number): Buffer => Buffer.concat([box('moof', String(n)), box('mdat', `frames ${n}`)]);

class FakeLive {
  readonly runs: { request: LiveRequest; output: PassThrough; stopped: boolean; end: (exit: FileJobResult['exit']) => void }[] = [];

  service(): FileJobService {
    return {
      record: () => {
        throw new Error('not in this test');
      },
      remux: () => Promise.reject(new Error('not in this test')),
      reap: () => Promise.resolve(false),
      live: (request) => {
        const output = new PassThrough();
        let resolve: (r: FileJobResult) => void = () => undefined;
        const done = new Promise<FileJobResult>((r) => (resolve = r));
        const entry = { request, output, stopped: false, end: (exit: FileJobResult['exit']) => resolve({ exit, exitCode: 0, signal: null, stderrTail: '' }) };
        this.runs.push(entry);
        const run: LiveRun = {
          id: `run-${this.runs.length}`,
          startedAt: 0,
          pid: () => 1,
          progress: () => ({ blocks: 0, outSeconds: 0, totalSize: 0, frame: 0, lastAdvanceAt: 0 }),
          done,
          stop: () => {
            entry.stopped = true;
            entry.end('stopped');
            return done;
          },
          output,
        };
        return run;
      },
    };
  }
}

class Recorder implements LiveViewer {
  readonly got: string[] = [];
  ended: string | undefined;
  constructor(private readonly keepUp = true) {}
  init(bytes: Buffer, codecs: string | undefined): void {
    this.got.push(`init ${bytes.length} ${codecs ?? '-'}`);
  }
  fragment(bytes: Buffer): boolean {
    this.got.push(`fragment ${bytes.toString('latin1', 8, 9)}`);
    return this.keepUp;
  }
  end(error: { code: string }): void {
    this.ended = error.code;
  }
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('LiveFeed', () => {
  let fake: FakeLive;
  let clock: ManualClock;
  let feed: LiveFeed;

  beforeEach(() => {
    fake = new FakeLive();
    clock = new ManualClock();
    feed = new LiveFeed({ camera: 'front', url: 'rtsp://u:p@cam/x', transport: 'tcp', timeoutSeconds: 5 }, { files: () => fake.service(), clock, log: silentLogger(), lingerMs: 3000 });
  });

  describe('#join', () => {
    it('starts nothing until the first viewer, then one run for every viewer', async () => {
      strictEqual(fake.runs.length, 0);
      const a = new Recorder();
      feed.join(a);
      strictEqual(fake.runs.length, 1);
      deepStrictEqual(fake.runs[0]?.request, { url: 'rtsp://u:p@cam/x', transport: 'tcp', timeoutSeconds: 5, label: { adapter: 'camera', device: 'front' } });
      fake.runs[0]?.output.write(Buffer.concat([INIT, fragment(1)]));
      await tick();
      const b = new Recorder();
      feed.join(b);
      fake.runs[0]?.output.write(fragment(2));
      await tick();
      strictEqual(fake.runs.length, 1, 'shared');
      deepStrictEqual(a.got, [`init ${INIT.length} -`, 'fragment 1', 'fragment 2']);
      deepStrictEqual(b.got, [`init ${INIT.length} -`, 'fragment 2'], 'a late viewer starts at the next whole fragment');
    });
  });

  describe('leaving', () => {
    it('stops ffmpeg once the linger after the last viewer has passed', async () => {
      const leave = feed.join(new Recorder());
      leave();
      clock.advance(2999);
      strictEqual(fake.runs[0]?.stopped, false);
      clock.advance(1);
      strictEqual(fake.runs[0]?.stopped, true);
      await tick();
      strictEqual(feed.running(), false);
    });

    it('keeps ffmpeg when a viewer comes back within the linger (a page reload)', () => {
      feed.join(new Recorder())();
      clock.advance(1000);
      feed.join(new Recorder());
      clock.advance(10_000);
      strictEqual(fake.runs[0]?.stopped, false);
      strictEqual(fake.runs.length, 1);
    });
  });

  describe('failures', () => {
    it('drops a viewer that falls behind, and the others keep watching', async () => {
      const slow = new Recorder(false);
      const fine = new Recorder();
      feed.join(slow);
      feed.join(fine);
      fake.runs[0]?.output.write(Buffer.concat([INIT, fragment(1), fragment(2)]));
      await tick();
      strictEqual(slow.ended, 'ERR_CAMERA_LIVE_SLOW');
      deepStrictEqual(fine.got.slice(1), ['fragment 1', 'fragment 2']);
      strictEqual(feed.viewerCount(), 1);
    });

    it('ends every viewer when the camera stream ends, and starts afresh for the next one', async () => {
      const a = new Recorder();
      feed.join(a);
      fake.runs[0]?.end('exited');
      await tick();
      strictEqual(a.ended, 'ERR_CAMERA_LIVE_UNAVAILABLE');
      feed.join(new Recorder());
      strictEqual(fake.runs.length, 2);
    });

    it('stops a stream that is not fragmented mp4', async () => {
      feed.join(new Recorder());
      const bad = box('mdat');
      bad.writeUInt32BE(0, 0);
      fake.runs[0]?.output.write(bad);
      await tick();
      strictEqual(fake.runs[0]?.stopped, true);
    });
  });

  describe('#close', () => {
    it('ends the viewers, stops ffmpeg and refuses later viewers', async () => {
      const a = new Recorder();
      feed.join(a);
      await feed.close();
      strictEqual(fake.runs[0]?.stopped, true);
      strictEqual(a.ended, 'ERR_CAMERA_LIVE_UNAVAILABLE');
      const b = new Recorder();
      feed.join(b);
      strictEqual(b.ended, 'ERR_CAMERA_LIVE_UNAVAILABLE');
      strictEqual(fake.runs.length, 1);
    });
  });
});
