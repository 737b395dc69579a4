/**
 * Transcode pipeline overhead: bytes/s through the transcode service to a loopback TCP socket
 * vs raw `ffmpeg … > /dev/null` with the same arguments (profiles.ts), target ratio ≥ 0.95;
 * unspooled and spooled (ffmpeg → spool file → spool reader → socket).
 *
 * Source: a 20 s 1280x720 H.264/AAC clip generated once. Profile: the TiVo MPEG-2 PS one.
 * Runs alternate (raw, service, spooled, then reversed); each round's service runs are compared
 * with that round's raw run and the median ratio counts, so load from other work on the shared
 * machine hurts both sides alike.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { silentLogger } from '../../plugin/log/logger.js';
import { buildFfmpegArgs, flattenFfmpegArgs } from '../../plugin/transcode/profiles.js';
import { createTranscodeService } from '../../plugin/transcode/transcode-service.js';
import type { TranscodeProfile, TranscodeRequest, TranscodeService } from '../../plugin/transcode/types.js';
import { systemClock } from '../../plugin/util/clock.js';
import { makeClip } from '../support/media.js';
import type { BenchResult } from './types.js';

const CLIP_SECONDS = 20;
const ROUNDS = 3;

const PROFILE: TranscodeProfile = {
  id: 'tivo-mpeg2-ps',
  format: 'vob',
  video: { codec: 'mpeg2video', width: 720, height: 480, pad: true, aspect: '4:3', fps: 29.97, bitrateKbps: 4096, maxBitrateKbps: 30000, bufferKbits: 1024, pixelFormat: 'yuv420p' },
  audio: { codec: 'ac3', bitrateKbps: 448, sampleRate: 48000, channels: 2 },
};

interface Run {
  readonly seconds: number;
  readonly bytes: number;
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Raw ffmpeg with the same argv, stdout to /dev/null. */
async function runRaw(args: readonly string[]): Promise<number> {
  const devNull = openSync('/dev/null', 'w');
  try {
    const started = process.hrtime.bigint();
    const child = spawn('ffmpeg', args, { stdio: ['ignore', devNull, 'ignore'] });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`raw ffmpeg exited with ${code}`);
    return seconds(started);
  } finally {
    closeSync(devNull);
  }
}

/** A loopback sink that reads and discards; resolves each connection's byte count at its end. */
function discardServer(): Promise<{ server: Server; port: number; next: () => Promise<number> }> {
  const waiting: ((bytes: number) => void)[] = [];
  const server = createServer((socket) => {
    let bytes = 0;
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    socket.on('end', () => {
      socket.end();
      waiting.shift()?.(bytes);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({ server, port, next: () => new Promise<number>((r) => waiting.push(r)) });
    });
  });
}

async function runService(service: TranscodeService, request: TranscodeRequest, port: number, next: () => Promise<number>): Promise<Run> {
  const received = next();
  const started = process.hrtime.bigint();
  const session = service.open(request);
  const socket = connect(port, '127.0.0.1');
  await pipeline(session.output, socket);
  const bytes = await received;
  const elapsed = seconds(started);
  const result = await session.done;
  if (result.exit !== 'completed' || result.bytes !== bytes) throw new Error(`service run ${result.exit}: ${result.bytes} produced, ${bytes} received`);
  return { seconds: elapsed, bytes };
}

export async function run(): Promise<readonly BenchResult[]> {
  const clip = await makeClip({ duration: CLIP_SECONDS, width: 1280, height: 720, fps: 30 });
  const input = { kind: 'file', path: clip } as const;
  const args = flattenFfmpegArgs(buildFfmpegArgs({ input, profile: PROFILE }));
  const spoolDir = mkdtempSync(join(tmpdir(), 'jb-bench-spool-'));
  const service = createTranscodeService({
    ffmpegPath: 'ffmpeg',
    ffprobePath: 'ffprobe',
    maxConcurrent: 2,
    spoolDir,
    spoolMaxBytes: 2e9,
    spoolMaxAgeMs: 60_000,
    clock: systemClock,
    log: silentLogger(),
  });
  const { server, port, next } = await discardServer();
  const raw: number[] = [];
  const direct: Run[] = [];
  const spooled: Run[] = [];
  try {
    // Warm-up: fluent-ffmpeg lists formats/encoders once per process; the page cache gets the clip.
    await runService(service, { input, profile: PROFILE, durationSeconds: 1 }, port, next);
    for (let round = 0; round < ROUNDS; round++) {
      const steps = [
        async () => raw.push(await runRaw(args)),
        async () => direct.push(await runService(service, { input, profile: PROFILE }, port, next)),
        async () => spooled.push(await runService(service, { input, profile: PROFILE, spoolKey: `bench-${round}` }, port, next)),
      ];
      if (round % 2 === 1) steps.reverse();
      for (const step of steps) await step();
    }
  } finally {
    await service.stopAll();
    await new Promise((resolve) => server.close(resolve));
    rmSync(spoolDir, { recursive: true, force: true });
  }

  // Each round's service run is compared with the raw run of the same round (similar machine
  // load); the median of those ratios is reported.
  const bytes = Math.max(...direct.map((r) => r.bytes));
  const rawRate = bytes / median(raw) / 1e6;
  const result = (name: string, runs: readonly Run[]): BenchResult => {
    const ratios = runs.map((r, i) => (raw[i] ?? Number.NaN) / r.seconds);
    const ratio = median(ratios);
    const typical = median(runs.map((r) => r.seconds));
    return {
      name,
      value: round3(bytes / typical / 1e6),
      unit: 'MB/s',
      baseline: round3(rawRate),
      ratio: round3(ratio),
      target: 'ratio ≥ 0.95 (service / raw ffmpeg > /dev/null)',
      pass: ratio >= 0.95,
      notes:
        `service ${round3(CLIP_SECONDS / typical)}× realtime vs raw ${round3(CLIP_SECONDS / median(raw))}× realtime; ${bytes} bytes; ` +
        `per-round ratios ${ratios.map((r) => r.toFixed(3)).join('/')}; runs ${runs.map((r) => r.seconds.toFixed(2)).join('/')} s vs raw ${raw.map((t) => t.toFixed(2)).join('/')} s`,
    };
  };
  return [
    result('Transcode pipeline overhead: service → loopback socket vs raw ffmpeg (720p H.264 → MPEG-2 PS)', direct),
    result('Transcode pipeline overhead, spooled: service → spool → reader → loopback socket vs raw ffmpeg', spooled),
  ];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
