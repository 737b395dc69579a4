/** Process-table helpers (Linux /proc) to prove no ffmpeg is left behind. */
import { readFileSync, readdirSync } from 'node:fs';

interface ProcEntry {
  readonly pid: number;
  readonly comm: string;
  readonly state: string;
  readonly ppid: number;
}

function entry(pid: number): ProcEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    const [state, ppid] = stat.slice(close + 2).split(' ');
    return { pid, comm: stat.slice(open + 1, close), state: state ?? '?', ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** Live (not zombie) processes whose parent is `ppid`, optionally only those named `comm`. */
export function childPids(ppid: number, comm?: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const e = entry(Number(name));
    if (e && e.ppid === ppid && (comm === undefined || e.comm === comm) && e.state !== 'Z') pids.push(e.pid);
  }
  return pids;
}

/** Live (not zombie) ffmpeg processes whose parent is `ppid`. */
export function ffmpegChildren(ppid = process.pid): number[] {
  return childPids(ppid, 'ffmpeg');
}

/** Live ffmpeg children running a transcode (not fluent-ffmpeg's `-formats`/`-encoders` checks). */
export function transcodeChildren(ppid = process.pid): number[] {
  return ffmpegChildren(ppid).filter((pid) => {
    try {
      return commandLine(pid).includes('-progress');
    } catch {
      return false;
    }
  });
}

/** Whether `pid` is a running process (zombies count as gone: they no longer run). */
export function isAlive(pid: number): boolean {
  const e = entry(pid);
  return e !== undefined && e.state !== 'Z';
}

/** The argv of a running process. */
export function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
}

/** Polls `check` until it is true (bounded; for process exits that follow a signal). */
export async function eventually(check: () => boolean, attempts = 400, stepMs = 10): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return check();
}
