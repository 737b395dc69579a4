/**
 * Runs the built CLI (`dist/plugin/main.js`) as a child process for end-to-end tests: free ports,
 * a temp data folder, stdout/stderr captured, and a stop that checks nothing is left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function mainScript(): string {
  return join(repoRoot(), 'dist', 'plugin', 'main.js');
}

export interface CliRun {
  readonly child: ChildProcess;
  readonly dir: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, wait for exit (SIGKILL after `ms`), remove the temp folder. */
  stop(ms?: number): Promise<number | null>;
}

export function runCli(args: readonly string[], env: Readonly<Record<string, string>> = {}, config?: unknown): CliRun {
  const dir = mkdtempSync(join(tmpdir(), 'jb-cli-'));
  const fullArgs = [...args];
  if (config !== undefined) {
    const path = join(dir, 'config.json');
    writeFileSync(path, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
    fullArgs.push('--config', path);
  }
  const child = spawn(process.execPath, [mainScript(), ...fullArgs], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    dir,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop(ms = 10_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      const code = await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

/** Polls `fn` every 50 ms until it returns a value other than undefined, or throws after `ms`. */
export async function waitFor<T>(fn: () => Promise<T | undefined> | T | undefined, ms = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Pids of the live ffmpeg processes whose parent is `pid` (from /proc). */
export function ffmpegChildren(pid: number): number[] {
  if (!existsSync('/proc')) return [];
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const m = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
      if (m && m[1] === 'ffmpeg' && Number(m[2]) === pid) found.push(Number(entry));
    } catch {
      // the process went away
    }
  }
  return found;
}
