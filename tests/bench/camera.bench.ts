/**
 * Camera recording costs (issue #7): CPU and memory (PSS) per copy-recording ffmpeg for a 720p25
 * 2 Mbit/s camera, 8 recorders at once with 0 decode errors, and the reconnect gap once a dead
 * camera is back. One GStreamer test camera (shared pipeline) feeds every recorder, so the
 * camera's own encoding is not counted. Baseline: a bare `ffmpeg -c copy` of the same stream
 * into one mp4, measured in the same run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TestCamera, testCameraMissing } from '../support/camera/test-camera.js';
import { decodeErrors, librarySegments, startCameraSidecar, tempLibrary, waitFor } from '../integration/camera/support.js';
import type { BenchResult } from './types.js';

const TICKS = 100; // USER_HZ on Linux
const WINDOW_MS = 15_000;

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

function pssMb(pid: number): number {
  const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

function recorderPids(text: string): number[] {
  return spawnSync('pgrep', ['-f', text], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((l) => l.trim() !== '')
    .map(Number);
}

async function measure(pids: readonly number[], ms: number): Promise<{ cpuPct: number; pss: number }> {
  const before = pids.map(cpuSeconds);
  await new Promise((r) => setTimeout(r, ms));
  const after = pids.map(cpuSeconds);
  const pss = Math.max(...pids.map(pssMb));
  const used = after.reduce((sum, a, i) => sum + a - (before[i] ?? 0), 0);
  return { cpuPct: (100 * used) / (ms / 1000) / pids.length, pss };
}

export async function run(): Promise<readonly BenchResult[]> {
  const missing = testCameraMissing();
  if (missing) return [{ name: 'camera bench', value: 0, unit: '', target: 'skipped', pass: true, notes: missing }];
  const results: BenchResult[] = [];
  const cam = await TestCamera.start({ width: 1280, height: 720, fps: 25, bitrateKbps: 2000, keyInt: 50, pattern: 'smpte' });
  const libs: string[] = [];
  try {
    // Baseline: bare ffmpeg copy into one mp4.
    const out = join(tempLibrary(), 'baseline.mp4');
    libs.push(join(out, '..'));
    const bare = spawn('ffmpeg', ['-nostdin', '-loglevel', 'error', '-rtsp_transport', 'tcp', '-timeout', '5000000', '-i', cam.url(), '-c', 'copy', '-y', out], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 3000));
    const base = await measure([bare.pid ?? 0], WINDOW_MS);
    bare.kill('SIGINT');
    await new Promise((r) => bare.once('exit', r));

    // One camera through the adapter.
    const lib1 = tempLibrary();
    libs.push(lib1);
    const one = await startCameraSidecar({ library: lib1, cameras: [{ id: 'c1', name: 'C1', url: cam.url() }], config: { segmentSeconds: 10 }, viewers: false });
    await waitFor('recording', () => recorderPids(lib1).length === 1, 20_000);
    await new Promise((r) => setTimeout(r, 3000));
    const single = await measure(recorderPids(lib1), WINDOW_MS);
    results.push({ name: 'copy recording CPU per 720p25 2 Mbit/s camera', value: single.cpuPct, unit: '% of a core', baseline: base.cpuPct, ratio: single.cpuPct / Math.max(base.cpuPct, 0.01), target: '≤ 2 %', pass: single.cpuPct <= 2 });
    results.push({ name: 'recorder memory (PSS) per camera', value: single.pss, unit: 'MB', baseline: base.pss, target: '≤ 40 MB', pass: single.pss <= 40 });

    // Reconnect gap: camera dies, comes back; time until the recorder records again.
    await cam.kill();
    await waitFor('disconnect seen', () => one.logs().some((l) => l['code'] === 'ERR_CAMERA_DISCONNECTED' || l['code'] === 'ERR_CAMERA_UNREACHABLE'), 20_000);
    await new Promise((r) => setTimeout(r, 3000));
    await cam.restart();
    const backAt = Date.now();
    const recorders = (): readonly { state: string }[] => (one.adapter as unknown as { recorders(): readonly { state: string }[] }).recorders();
    await waitFor('recording again', () => recorders()[0]?.state === 'recording', 40_000, 50);
    const gap = (Date.now() - backAt) / 1000;
    results.push({ name: 'reconnect gap after the camera is back', value: gap, unit: 's', target: '< 3 s', pass: gap < 3 });
    await one.stop();

    // Eight recorders at once, for the 60 s.
    const lib8 = tempLibrary();
    libs.push(lib8);
    const cams = Array.from({ length: 8 }, (_, i) => ({ id: `c${i}`, name: `Cam ${i}`, url: cam.url() }));
    const eight = await startCameraSidecar({ library: lib8, cameras: cams, config: { segmentSeconds: 10 }, viewers: false });
    await waitFor('8 recorders', () => recorderPids(lib8).length === 8, 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    const many = await measure(recorderPids(lib8), 60_000);
    await eight.stop();
    const files = librarySegments(lib8);
    let errors = 0;
    for (const f of files) errors += (await decodeErrors(join(lib8, f))).length;
    results.push({ name: '8 concurrent 720p cameras for 60 s: CPU per recorder', value: many.cpuPct, unit: '% of a core', baseline: single.cpuPct, target: '≤ 2 % each', pass: many.cpuPct <= 2, notes: `${files.length} segments` });
    results.push({ name: '8 concurrent cameras for 60 s: decode errors', value: errors, unit: 'errors', target: '0', pass: errors === 0, notes: `${files.length} files checked` });
  } finally {
    await cam.stop();
    for (const l of libs) rmSync(l, { recursive: true, force: true });
  }
  return results;
}
