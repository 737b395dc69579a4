import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeMedia } from '../../../plugin/transcode/probe.js';
import { SidecarError } from '../../../plugin/util/errors.js';
import { hasBinary, makeClip } from '../../support/media.js';

describe('probeMedia (real ffprobe)', function () {
  let dir: string;

  before(async function () {
    if (!(await hasBinary('ffprobe')) || !(await hasBinary('ffmpeg'))) this.skip();
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jb-probe-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads duration, size and streams of an H.264/AAC clip', async () => {
    const clip = await makeClip({ duration: 2, ext: 'mp4' });
    const info = await probeMedia('ffprobe', { kind: 'file', path: clip });
    assert.match(info.container, /mp4/);
    assert.ok(info.durationSeconds > 1.9 && info.durationSeconds < 2.2);
    assert.ok(info.sizeBytes > 0);
    assert.deepEqual(info.streams.map((s) => [s.type, s.codec]), [['video', 'h264'], ['audio', 'aac']]);
    assert.deepEqual([info.streams[0]?.width, info.streams[0]?.height], [320, 240]);
  });

  it('reads a path that looks like a protocol or an option', async () => {
    const clip = await makeClip({ duration: 1, ext: 'mpg', videoCodec: 'mpeg2video', audioCodec: 'mp2' }, join(dir, '-odd:name.mpg'));
    const info = await probeMedia('ffprobe', { kind: 'file', path: clip });
    assert.equal(info.streams[0]?.codec, 'mpeg2video');
  });

  it('rejects a corrupt file with ERR_PROBE_FAILED carrying ffprobe stderr', async () => {
    const bad = join(dir, 'bad.mkv');
    writeFileSync(bad, Buffer.alloc(4096, 7));
    await assert.rejects(probeMedia('ffprobe', { kind: 'file', path: bad }), (e: unknown) => {
      assert.ok(e instanceof SidecarError);
      assert.equal(e.code, 'ERR_PROBE_FAILED');
      assert.equal(e.kind, 'invalid-argument');
      assert.match(String(e.detail['stderr']), /Invalid data/);
      return true;
    });
  });

  it('rejects a text file (no audio or video) with ERR_PROBE_FAILED', async () => {
    const text = join(dir, 'notes.mp4');
    writeFileSync(text, 'just some text\n'.repeat(50));
    await assert.rejects(probeMedia('ffprobe', { kind: 'file', path: text }), (e: unknown) => e instanceof SidecarError && e.code === 'ERR_PROBE_FAILED');
  });

  it('times out on an input that never delivers data, and stops on abort', async function () {
    if (!(await hasBinary('mkfifo'))) this.skip();
    const fifo = join(dir, 'stuck.ts');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(probeMedia('ffprobe', { kind: 'file', path: fifo }, undefined, { timeoutMs: 300 }), (e: unknown) => e instanceof SidecarError && e.code === 'ERR_PROBE_TIMEOUT');
    const controller = new AbortController();
    const pending = probeMedia('ffprobe', { kind: 'file', path: fifo }, controller.signal);
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(pending, (e: unknown) => e instanceof SidecarError && e.code === 'ERR_PROBE_ABORTED');
  });
});
