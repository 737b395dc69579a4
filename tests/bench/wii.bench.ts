/**
 * Wii adapter speed targets (issue #5): first video keyframe after play and after seek from a
 * 720p H.264 source (p95 ≤ 1 s; baseline: ffmpeg alone producing its first FLV tag), 4
 * simultaneous 720p → 480x272 streams each ≥ 1.0× realtime, and the RTMP layer's own CPU cost
 * per 1 Mbit/s stream (≤ 5 % of a core; baseline: producing and parsing the same FLV without RTMP).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RtmpConnection } from '../../adapters/wii/rtmp/rtmp-connection.js';
import { FlvTagReader } from '../../adapters/wii/flv/flv-reader.js';
import { systemClock } from '../../plugin/index.js';
import { silentLogger } from '../../plugin/log/logger.js';
import { makeClip } from '../support/media.js';
import { duplexPair } from '../support/wii/duplex-pair.js';
import { fakeFlvSource } from '../support/wii/fake-flv-source.js';
import { RtmpTestClient } from '../support/wii/rtmp-test-client.js';
import { entryIdOf } from '../../plugin/library/local-folder/index.js';
import { rtmpPort, startWiiHarness } from '../integration/wii/support/wii-harness.js';
import { quantile, round } from './stats.js';
import type { BenchResult } from './types.js';

const p95 = (values: readonly number[]): number => quantile(values, 0.95);
const isKey = (payload: Buffer): boolean => payload[0]! >> 4 === 1;

/** ffmpeg alone: ms until the first FLV video tag on stdout. */
function ffmpegFirstTag(path: string, start: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const args = ['-nostdin', '-loglevel', 'error', '-ss', String(start), '-i', path, '-map', '0:v:0', '-map', '0:a:0?', '-vf', 'scale=480:272', '-c:v', 'flv', '-b:v', '600k', '-c:a', 'libmp3lame', '-ar', '44100', '-f', 'flv', 'pipe:1'];
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    const reader = new FlvTagReader();
    child.stdout.on('data', (d: Buffer) => {
      if (reader.push(d).some((t) => t.type === 9)) {
        resolve(performance.now() - t0);
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
  });
}

export async function run(): Promise<readonly BenchResult[]> {
  const results: BenchResult[] = [];
  const clip = await makeClip({ duration: 40, width: 1280, height: 720, fps: 25, extraArgs: ['-g', '50'] });
  // The real sidecar (compose() as the CLI) over a one-clip local library.
  const folder = mkdtempSync(join(tmpdir(), 'wii-bench-'));
  mkdirSync(join(folder, 'Bench'));
  copyFileSync(clip, join(folder, 'Bench', 'hd.mp4'));
  const hd = entryIdOf('Bench/hd.mp4');
  const harness = await startWiiHarness({ source: { folder } });
  const port = rtmpPort(harness);
  try {
    const baseline: number[] = [];
    for (const start of [0, 10, 20, 30]) baseline.push(await ffmpegFirstTag(clip, start));

    // Time to first frame: TCP connect → first video keyframe message.
    const play: number[] = [];
    const seek: number[] = [];
    for (const start of [0, 10, 20, 30, 5]) {
      const t0 = performance.now();
      const client = RtmpTestClient.tcp(port);
      await client.connect('wii');
      await client.waitStatus('NetConnection.Connect.Success');
      const id = await client.createStream();
      client.setBuffer(id, 3000);
      client.play(id, hd, start * 1000);
      await client.waitUntil(() => client.media().some((m) => m.type === 9 && isKey(m.payload)), 10_000, 'keyframe');
      play.push(performance.now() - t0);
      const mark = client.messages.length;
      const t1 = performance.now();
      client.seek(id, ((start + 17) % 38) * 1000);
      await client.waitUntil(() => client.messages.slice(mark).some((m) => m.type === 9 && isKey(m.payload)), 10_000, 'keyframe after seek');
      seek.push(performance.now() - t1);
      client.close();
    }
    const base = p95(baseline);
    results.push({ name: 'wii first frame after play, p95 (720p H.264)', value: Math.round(p95(play)), unit: 'ms', baseline: Math.round(base), ratio: p95(play) / base, target: 'p95 ≤ 1000 ms', pass: p95(play) <= 1000 });
    results.push({ name: 'wii first frame after seek, p95 (720p H.264)', value: Math.round(p95(seek)), unit: 'ms', baseline: Math.round(base), ratio: p95(seek) / base, target: 'p95 ≤ 1000 ms', pass: p95(seek) <= 1000 });

    // Concurrency: 4 streams with a large client buffer run as fast as ffmpeg can (lead capped at 30 s).
    const clients = await Promise.all(
      [0, 5, 10, 15].map(async (start) => {
        const c = RtmpTestClient.tcp(port);
        await c.connect('wii');
        await c.waitStatus('NetConnection.Connect.Success');
        const id = await c.createStream();
        c.setBuffer(id, 36_000_000);
        c.play(id, hd, start * 1000);
        return { c, start };
      }),
    );
    const windowMs = 8000;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, windowMs));
    const elapsed = performance.now() - t0;
    const speeds = clients.map(({ c, start }) => ((c.media().at(-1)?.timestamp ?? start * 1000) - start * 1000) / elapsed);
    for (const { c } of clients) c.close();
    const slowest = Math.min(...speeds);
    results.push({ name: 'wii 4 simultaneous 720p → 480x272 streams, slowest', value: round(slowest), unit: '× realtime', target: 'each ≥ 1.0×', pass: slowest >= 1.0, notes: speeds.map((s) => s.toFixed(2)).join(', ') });
  } finally {
    await harness.stop();
    rmSync(folder, { recursive: true, force: true });
  }

  // RTMP layer CPU per 1 Mbit/s stream: 120 s of synthetic 1 Mbit/s FLV through a connection.
  const durationSeconds = 120;
  const source = fakeFlvSource({ durationSeconds, videoTagBytes: 4800 });
  const cpuOf = async (fn: () => Promise<void>): Promise<number> => {
    const before = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  };
  const baselineMs = await cpuOf(async () => {
    const media = source.open(0, new AbortController().signal);
    const reader = new FlvTagReader();
    for await (const chunk of media.output) reader.push(chunk as Buffer);
  });
  const rtmpMs = await cpuOf(async () => {
    const [serverSide, clientSide] = duplexPair();
    const connection = new RtmpConnection(serverSide, {
      clock: systemClock,
      log: silentLogger(),
      host: { connect: () => ({ ok: true, session: { resolveStream: () => Promise.resolve({ ok: true, source }) } }) },
      remoteAddress: '127.0.0.1',
      handshakeTimeoutMs: 5000,
      idleTimeoutMs: 60_000,
      pendingStatusAfterMs: 300,
      pauseReleaseMs: 30_000,
      leadSlackMs: 1000,
      maxLeadMs: 600_000,
      stats: { mediaBytes: 0, runs: 0, activeRuns: 0, failures: 0 },
    });
    const client = new RtmpTestClient(clientSide);
    await client.connect('wii');
    await client.waitStatus('NetConnection.Connect.Success');
    const id = await client.createStream();
    client.setBuffer(id, 36_000_000);
    client.play(id, 'any', 0);
    await client.waitStatus('NetStream.Play.Stop', 60_000);
    client.close();
    connection.destroy();
  });
  // The test client's own parsing is included in rtmpMs; subtract the producer baseline only.
  const layerMs = Math.max(0, rtmpMs - baselineMs);
  const percentOfCore = (layerMs / (durationSeconds * 1000)) * 100;
  results.push({
    name: 'wii RTMP layer CPU per 1 Mbit/s stream (server + test client)',
    value: round(percentOfCore),
    unit: '% of a core',
    baseline: Math.round(baselineMs),
    target: '≤ 5 %',
    pass: percentOfCore <= 5,
    notes: `${Math.round(rtmpMs)} ms CPU for ${durationSeconds} s of media, producer alone ${Math.round(baselineMs)} ms`,
  });
  return results;
}
