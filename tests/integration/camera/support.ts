/** Shared helpers of the camera integration tests: a harness with cameras, waiting, probing. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { cameraAdapter } from '../../../adapters/camera/index.js';
import { startAdapterHarness, type Harness, type HarnessDevice } from '../../support/adapter-harness.js';
import type { FakeJellyfin } from '../../support/fake-jellyfin.js';

export interface CameraDef {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly overrides?: Readonly<Record<string, unknown>>;
}

export function tempLibrary(): string {
  return mkdtempSync(join(tmpdir(), 'jb-camera-lib-'));
}

export async function startCameraSidecar(options: {
  readonly library: string;
  readonly cameras: readonly CameraDef[];
  readonly config?: Readonly<Record<string, unknown>>;
  readonly jellyfin?: FakeJellyfin;
  readonly viewers?: boolean;
  /** Extra core config, e.g. `{ admin: { bind: '127.0.0.1', port: 0, password } }`. */
  readonly core?: Readonly<Record<string, unknown>>;
}): Promise<Harness> {
  const devices: HarnessDevice[] = options.cameras.map((c) => ({ id: c.id, name: c.name, adapters: { camera: { enabled: true, rtspUrl: c.url, ...c.overrides } } }));
  if (options.viewers !== false) devices.push({ id: 'viewer', name: 'Viewer', match: { cidr: ['127.0.0.0/8'] }, adapters: { camera: { enabled: true } } });
  return startAdapterHarness({
    descriptor: cameraAdapter,
    config: { libraryFolder: options.library, segmentSeconds: 2, minBackoffSeconds: 0.5, maxBackoffSeconds: 4, refreshDebounceSeconds: 0.5, ...options.config },
    devices,
    policy: 'refuse',
    ...(options.jellyfin ? { source: { jellyfin: options.jellyfin } } : { mediaRoot: options.library }),
    ...(options.core ? { core: options.core } : {}),
  });
}

/** Every file under `root` (relative paths), hidden ones included. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(root, full));
    }
  };
  walk(root);
  return out.sort();
}

/** Library segment files (outside the staging folder). */
export function librarySegments(root: string, camera?: string): string[] {
  return listFiles(root).filter((f) => f.endsWith('.mp4') && !f.startsWith('.') && (camera === undefined || f.startsWith(`${camera}/`)));
}

export async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000, stepMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** Decode errors of a file: stderr lines of `ffmpeg -v error -i FILE -f null -`. */
export function decodeErrors(path: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-nostdin', '-v', 'error', '-i', path, '-f', 'null', '-'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', reject);
    child.once('close', () => resolve(err.split('\n').filter((l) => l.trim() !== '')));
  });
}

/** A cookie-holding admin session on the harness's admin listener (logs in with `password`). */
export async function adminSession(adminBase: string, password: string): Promise<{ readonly cookie: string; readonly csrf: string }> {
  const res = await fetch(`${adminBase}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Jellybridge-CSRF': 'login' }, body: JSON.stringify({ password }) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}

/** Pids of ffmpeg processes whose command line contains every one of `parts` (from /proc). */
export function ffmpegPids(...parts: readonly string[]): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const args = cmdline.split('\0');
    if (!(args[0] ?? '').endsWith('ffmpeg')) continue;
    if (parts.every((p) => args.some((a) => a.includes(p)))) out.push(Number(name));
  }
  return out;
}
