/**
 * The transcode service against real ffmpeg/ffprobe on tiny lavfi clips.
 * Run: npx mocha --import=tsx --timeout 60000 'tests/integration/transcode/**\/*.integration.ts'
 */
import { deepStrictEqual, ok, strictEqual, throws } from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { LogSink, silentLogger } from '../../../plugin/log/logger.js';
import { buildFfmpegArgs, flattenFfmpegArgs } from '../../../plugin/transcode/profiles.js';
import { createTranscodeService, type TranscodeServiceOptions } from '../../../plugin/transcode/transcode-service.js';
import type { TranscodeProfile, TranscodeService } from '../../../plugin/transcode/types.js';
import { systemClock } from '../../../plugin/util/clock.js';
import { isSidecarError } from '../../../plugin/util/errors.js';
import { ffprobeJson, hasBinary, makeClip } from '../../support/media.js';
import { ManualClock } from '../../unit/plugin/transcode/manual-clock.js';
import { childPids, commandLine, eventually, ffmpegChildren, isAlive, transcodeChildren } from './processes.js';

const TIVO_PS: TranscodeProfile = {
  id: 'tivo-mpeg2-ps',
  format: 'vob',
  video: { codec: 'mpeg2video', width: 720, height: 480, pad: true, aspect: '4:3', fps: 29.97, bitrateKbps: 4096, maxBitrateKbps: 30000, bufferKbits: 1024, pixelFormat: 'yuv420p' },
  audio: { codec: 'ac3', bitrateKbps: 448, sampleRate: 48000, channels: 2 },
};

const WII_FLV: TranscodeProfile = {
  id: 'wii-flv',
  format: 'flv',
  video: { codec: 'flv', width: 480, height: 272, pad: true, fps: 20, gop: 40, bitrateKbps: 700 },
  audio: { codec: 'libmp3lame', bitrateKbps: 128, sampleRate: 44100, channels: 2 },
  extraOutputArgs: ['-flvflags', 'no_duration_filesize'],
};

/** Paced at the input's native rate, so a test can act while ffmpeg runs. */
const PACED: TranscodeProfile = { ...WII_FLV, id: 'wii-flv-paced', realtime: true };

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** Resolves with the error a stream closed with, or undefined if it ended normally. */
async function drainOutcome(stream: Readable): Promise<unknown> {
  try {
    await collect(stream);
    return undefined;
  } catch (err) {
    return err;
  }
}

describe('TranscodeService (real ffmpeg)', function () {
  this.timeout(60_000);

  let work: string;
  let clip: string;
  let longClip: string;
  const services: TranscodeService[] = [];

  function service(overrides: Partial<TranscodeServiceOptions> = {}): TranscodeService {
    const s = createTranscodeService({
      ffmpegPath: 'ffmpeg',
      ffprobePath: 'ffprobe',
      maxConcurrent: 4,
      spoolDir: join(work, `spool-${services.length}`),
      spoolMaxBytes: 1e9,
      spoolMaxAgeMs: 600_000,
      stopGraceMs: 2000,
      clock: systemClock,
      log: silentLogger(),
      ...overrides,
    });
    services.push(s);
    return s;
  }

  before(async function () {
    if (!(await hasBinary('ffmpeg')) || !(await hasBinary('ffprobe'))) this.skip();
    work = mkdtempSync(join(tmpdir(), 'jb-transcode-it-'));
    clip = await makeClip({ duration: 3 });
    longClip = await makeClip({ duration: 8 });
  });

  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.stopAll()));
    strictEqual(ffmpegChildren().length, 0, 'an ffmpeg child outlived its test');
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe('#open', () => {
    it('transcodes an H.264 clip to a 720x480 4:3 MPEG-2 program stream with AC-3', async () => {
      const s = service().open({ input: { kind: 'file', path: clip }, profile: TIVO_PS, label: { adapter: 'tivo', item: 'clip' } });
      const data = await collect(s.output);
      const result = await s.done;
      strictEqual(result.exit, 'completed');
      strictEqual(result.exitCode, 0);
      strictEqual(result.bytes, data.length);
      ok(s.progress().outSeconds > 2.5, `progress reached ${s.progress().outSeconds}s`);
      const out = join(work, 'tivo.mpg');
      writeFileSync(out, data);
      const probe = await ffprobeJson(out);
      strictEqual(probe.format.format_name, 'mpeg');
      const video = probe.streams.find((st) => st.codec_type === 'video');
      const audio = probe.streams.find((st) => st.codec_type === 'audio');
      deepStrictEqual([video?.codec_name, video?.width, video?.height, video?.display_aspect_ratio], ['mpeg2video', 720, 480, '4:3']);
      deepStrictEqual([audio?.codec_name, audio?.sample_rate, audio?.channels], ['ac3', '48000', 2]);
      const duration = Number(probe.format.duration);
      ok(Math.abs(duration - 3) < 0.3, `duration ${duration}`);
    });

    it('seeks on the input and keeps timestamps absolute with keepTimestamps', async () => {
      const s = service().open({ input: { kind: 'file', path: longClip }, profile: WII_FLV, startSeconds: 5, keepTimestamps: true });
      const data = await collect(s.output);
      strictEqual((await s.done).exit, 'completed');
      const out = join(work, 'wii.flv');
      writeFileSync(out, data);
      const probe = await ffprobeJson(out);
      const start = Number(probe.format.start_time);
      ok(Math.abs(start - 5) < 0.1, `first pts ${start}`);
      // FLV reports the last timestamp as its duration: absolute timestamps end where the clip does.
      const end = Number(probe.format.duration);
      ok(Math.abs(end - 8) < 0.3, `last timestamp ${end}`);
      const video = probe.streams.find((st) => st.codec_type === 'video');
      const audio = probe.streams.find((st) => st.codec_type === 'audio');
      deepStrictEqual([video?.codec_name, video?.width, video?.height], ['flv1', 480, 272]);
      deepStrictEqual([audio?.codec_name, audio?.sample_rate], ['mp3', '44100']);
    });

    it('spawns ffmpeg with exactly the arguments profiles.ts builds, and stops it with q when the signal fires', async () => {
      const controller = new AbortController();
      const request = { input: { kind: 'file', path: longClip }, profile: PACED, startSeconds: 1, keepTimestamps: true } as const;
      const s = service().open({ ...request, signal: controller.signal });
      const outcome = drainOutcome(s.output);
      await eventually(() => transcodeChildren().length === 1);
      const [pid] = transcodeChildren();
      ok(pid !== undefined);
      deepStrictEqual(commandLine(pid), ['ffmpeg', ...flattenFfmpegArgs(buildFfmpegArgs(request))]);
      ok(await eventually(() => s.progress().bytes > 0), 'no output before the abort');
      controller.abort();
      const result = await s.done;
      strictEqual(result.exit, 'stopped');
      strictEqual(result.exitCode, 0, 'ffmpeg should have quit on q, not been killed');
      strictEqual(isAlive(pid), false);
      ok((await outcome) !== undefined, 'a stopped transcode must not end its output like a complete one');
    });

    it('kills an ffmpeg that ignores q after the grace period (a wrapper with stdin closed)', async () => {
      const wrapper = join(work, 'ffmpeg-no-stdin');
      writeFileSync(wrapper, '#!/bin/sh\nexec ffmpeg "$@" </dev/null\n');
      chmodSync(wrapper, 0o755);
      const s = service({ ffmpegPath: wrapper, stopGraceMs: 300 }).open({ input: { kind: 'file', path: longClip }, profile: PACED });
      void drainOutcome(s.output);
      ok(await eventually(() => s.progress().bytes > 0));
      const [pid] = transcodeChildren();
      ok(pid !== undefined);
      const result = await s.stop();
      strictEqual(result.exit, 'stopped');
      strictEqual(result.exitCode, null);
      strictEqual(isAlive(pid), false);
    });

    it('leaves no ffmpeg behind a wrapper script that does not exec it', async () => {
      const wrapper = join(work, 'ffmpeg-no-exec');
      writeFileSync(wrapper, '#!/bin/sh\nffmpeg "$@" </dev/null\n');
      chmodSync(wrapper, 0o755);
      const s = service({ ffmpegPath: wrapper, stopGraceMs: 300 }).open({ input: { kind: 'file', path: longClip }, profile: PACED });
      void drainOutcome(s.output);
      ok(await eventually(() => s.progress().bytes > 0));
      const grandchildren = childPids(process.pid).flatMap((p) => ffmpegChildren(p));
      strictEqual(grandchildren.length, 1);
      const result = await s.stop();
      strictEqual(result.exit, 'stopped');
      ok(await eventually(() => grandchildren.every((pid) => !isAlive(pid))), 'the wrapped ffmpeg outlived the stop');
    });

    it('fails with ERR_TRANSCODE_EXITED and the stderr tail for a broken input', async () => {
      const broken = join(work, 'broken.mp4');
      writeFileSync(broken, Buffer.alloc(4096, 0x5a));
      const logs: string[] = [];
      const sink = new LogSink({ level: 'debug', write: (line) => logs.push(line) });
      const s = service({ log: sink.logger() }).open({ input: { kind: 'file', path: broken }, profile: TIVO_PS });
      const outcome = await drainOutcome(s.output);
      const result = await s.done;
      strictEqual(result.exit, 'failed');
      ok(result.exitCode !== null && result.exitCode !== 0);
      ok(/Invalid data found/.test(result.stderrTail), result.stderrTail);
      ok(isSidecarError(result.error));
      strictEqual(result.error.code, 'ERR_TRANSCODE_EXITED');
      ok(String(result.error.detail['stderrTail']).includes('Invalid data found'));
      ok(outcome !== undefined, 'the output of a failed transcode must not end normally');
      const errors = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r['level'] === 'error');
      strictEqual(errors.length, 1, 'the failure is logged once');
      strictEqual(errors[0]?.['code'], 'ERR_TRANSCODE_EXITED');
    });

    it('fails with ERR_TRANSCODE_START when the ffmpeg binary does not exist', async () => {
      const s = service({ ffmpegPath: join(work, 'no-such-ffmpeg') }).open({ input: { kind: 'file', path: clip }, profile: TIVO_PS });
      void drainOutcome(s.output);
      const result = await s.done;
      strictEqual(result.exit, 'failed');
      strictEqual(result.error?.code, 'ERR_TRANSCODE_START');
    });

    it('throws ERR_TRANSCODE_BUSY at the concurrency limit and accepts work again after a stop', async () => {
      const svc = service({ maxConcurrent: 1 });
      const first = svc.open({ input: { kind: 'file', path: longClip }, profile: PACED });
      throws(
        () => svc.open({ input: { kind: 'file', path: clip }, profile: TIVO_PS }),
        (err: unknown) => isSidecarError(err) && err.code === 'ERR_TRANSCODE_BUSY' && err.kind === 'resource-exhausted' && /1 transcode slots/.test(err.message),
      );
      strictEqual((await first.stop()).exit, 'stopped');
      const second = svc.open({ input: { kind: 'file', path: clip }, profile: TIVO_PS });
      await collect(second.output);
      strictEqual((await second.done).exit, 'completed');
    });

    it('throws ERR_TRANSCODE_PROFILE for a contradictory profile without starting ffmpeg', () => {
      throws(
        () => service().open({ input: { kind: 'file', path: clip }, profile: { ...TIVO_PS, video: { codec: 'copy', width: 720, height: 480 } } }),
        (err: unknown) => isSidecarError(err) && err.code === 'ERR_TRANSCODE_PROFILE',
      );
      strictEqual(ffmpegChildren().length, 0);
    });

    it('picks the audio stream by language after probing the input', async () => {
      const dual = await makeClip({
        duration: 2,
        ext: 'mkv',
        extraArgs: ['-map', '0:v', '-map', '1:a', '-map', '1:a', '-metadata:s:a:0', 'language=eng', '-metadata:s:a:1', 'language=fre', '-ac:a:1', '1'],
      });
      const s = service().open({
        input: { kind: 'file', path: dual },
        profile: { ...TIVO_PS, audio: { codec: 'ac3', language: 'fre' } },
      });
      const data = await collect(s.output);
      strictEqual((await s.done).exit, 'completed');
      const out = join(work, 'fre.mpg');
      writeFileSync(out, data);
      const audio = (await ffprobeJson(out)).streams.find((st) => st.codec_type === 'audio');
      // The French track is the mono one; ac3 keeps the channel count.
      strictEqual(audio?.channels, 1);
    });
  });

  describe('spooling', () => {
    it('gives readers at different offsets the same bytes as the final spool while ffmpeg writes', async () => {
      const s = service().open({ input: { kind: 'file', path: clip }, profile: PACED, spoolKey: 'item-1' });
      ok(s.spool);
      const fromZero = collect(s.output);
      const fromMiddle = collect(s.spool.read(20_000));
      const range = collect(s.spool.read(5_000, 60_000));
      const aheadStart = s.spool.bytesWritten() + 100_000;
      const ahead = collect(s.spool.read(aheadStart, aheadStart + 49_999));
      const result = await s.done;
      strictEqual(result.exit, 'completed');
      const final = await collect(s.spool.read(0));
      strictEqual(final.length, result.bytes);
      strictEqual(s.spool.finalLength(), final.length);
      ok(final.length > aheadStart + 50_000, `output too small for the test: ${final.length}`);
      deepStrictEqual(await fromZero, final);
      deepStrictEqual(await fromMiddle, final.subarray(20_000));
      deepStrictEqual(await range, final.subarray(5_000, 60_001));
      deepStrictEqual(await ahead, final.subarray(aheadStart, aheadStart + 50_000));
    });

    it('keeps transcoding after the reader left and joins the same spool on a new open', async () => {
      const svc = service();
      const request = { input: { kind: 'file', path: clip }, profile: PACED, spoolKey: 'item-2' } as const;
      const controller = new AbortController();
      const first = svc.open({ ...request, signal: controller.signal });
      first.output.resume();
      ok(await eventually(() => first.progress().bytes > 0));
      controller.abort();
      await once(first.output, 'close');
      strictEqual(first.spool?.isFinished(), false);
      strictEqual(transcodeChildren().length, 1);
      const joined = svc.open(request);
      strictEqual(joined.id, first.id);
      strictEqual(transcodeChildren().length, 1, 'joining must not start another ffmpeg');
      strictEqual(svc.findSpool('item-2'), joined.spool);
      const data = await collect(joined.output);
      const result = await joined.done;
      strictEqual(result.exit, 'completed');
      strictEqual(data.length, result.bytes);
      // A complete spool is joined too, and read from disk.
      const again = svc.open(request);
      deepStrictEqual(await collect(again.output), data);
      strictEqual((await again.done).exit, 'completed');
    });

    it('runs a spooled transcode nobody reads to completion without pinning its spool', async () => {
      const svc = service({ spoolMaxBytes: 1 });
      const s = svc.open({ input: { kind: 'file', path: clip }, profile: WII_FLV, spoolKey: 'unread' });
      const result = await s.done;
      strictEqual(result.exit, 'completed');
      ok(result.bytes > 0);
      // Over the size limit and unread: deleted as soon as it finished.
      strictEqual(svc.findSpool('unread'), undefined);
    });

    it('deletes complete spools by age and, oldest first, by total size', async () => {
      const clock = new ManualClock();
      const spoolDir = join(work, 'cleanup');
      const svc = service({ clock, spoolDir, spoolMaxAgeMs: 60_000 });
      const request = { input: { kind: 'file', path: clip }, profile: WII_FLV } as const;
      const a = svc.open({ ...request, spoolKey: 'a' });
      const size = (await collect(a.output)).length;
      await a.done;
      clock.advance(61_000);
      strictEqual(svc.findSpool('a'), undefined);
      ok(await eventually(() => readdirSync(spoolDir).length === 0));

      const bySize = service({ clock, spoolDir: join(work, 'cleanup-size'), spoolMaxBytes: Math.floor(size * 1.5) });
      for (const key of ['b', 'c']) {
        const s = bySize.open({ ...request, spoolKey: key });
        await collect(s.output);
        await s.done;
        clock.advance(1000);
      }
      strictEqual(bySize.findSpool('b'), undefined);
      strictEqual(bySize.findSpool('c')?.finalLength(), size);
    });
  });

  describe('#active, #stopSession and #stopAll', () => {
    it('lists running transcodes, stops one by id and leaves no ffmpeg after stopAll', async () => {
      const svc = service();
      const a = svc.open({ input: { kind: 'file', path: longClip }, profile: PACED, label: { adapter: 'wii', device: 'wii-1' }, durationSeconds: 6 });
      const b = svc.open({ input: { kind: 'file', path: longClip }, profile: PACED, spoolKey: 'b' });
      const c = svc.open({ input: { kind: 'file', path: longClip }, profile: PACED });
      for (const s of [a, c]) void drainOutcome(s.output);
      ok(await eventually(() => transcodeChildren().length === 3));
      const active = svc.active();
      deepStrictEqual(
        active.map((t) => [t.id, t.profile, t.spooled, t.durationSeconds]),
        [
          [a.id, 'wii-flv-paced', false, 6],
          [b.id, 'wii-flv-paced', true, undefined],
          [c.id, 'wii-flv-paced', false, undefined],
        ],
      );
      deepStrictEqual(active[0]?.label, { adapter: 'wii', device: 'wii-1' });
      strictEqual(await svc.stopSession(c.id), true);
      strictEqual(await svc.stopSession('nope'), false);
      strictEqual(svc.active().length, 2);
      await svc.stopAll();
      deepStrictEqual(ffmpegChildren(), []);
      deepStrictEqual(svc.active(), []);
      deepStrictEqual([(await a.done).exit, (await b.done).exit], ['stopped', 'stopped']);
      strictEqual(svc.findSpool('b'), undefined);
    });

    it('leaves no ffmpeg behind when the Node process dies of SIGTERM', async function () {
      const here = fileURLToPath(import.meta.url);
      const viaTsx = here.endsWith('.ts');
      const script = join(dirname(here), viaTsx ? 'orphan-child.ts' : 'orphan-child.js');
      if (!existsSync(script)) this.skip();
      const child = spawn(process.execPath, [...(viaTsx ? ['--import', 'tsx'] : []), script, longClip, join(work, 'orphan-spool')], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      const pid = Number(line.toString().trim());
      ok(pid > 0 && isAlive(pid));
      child.kill('SIGTERM');
      await once(child, 'exit');
      ok(await eventually(() => !isAlive(pid), 500, 10), `ffmpeg ${pid} outlived its parent`);
    });
  });

  describe('#capabilities', () => {
    it('lists encoders and muxers the adapters need', async () => {
      const caps = await service().capabilities();
      for (const encoder of ['mpeg2video', 'ac3', 'flv', 'libmp3lame']) ok(caps.encoders.has(encoder), encoder);
      for (const muxer of ['vob', 'mpegts', 'flv']) ok(caps.muxers.has(muxer), muxer);
    });
  });
});
