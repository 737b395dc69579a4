/**
 * Raw ffmpeg, the baseline of the transcode benches: the same argv as the service would run, with
 * stdout and stderr (where `-progress pipe:2` goes) to /dev/null.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/** Runs ffmpeg to its end; rejects unless it exits 0 (a failed run would make a meaningless baseline). */
export async function runRawFfmpeg(args: readonly string[]): Promise<void> {
  const devNull = openSync('/dev/null', 'w');
  try {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', devNull, devNull] });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`raw ffmpeg exited with ${code}`);
  } finally {
    closeSync(devNull);
  }
}
