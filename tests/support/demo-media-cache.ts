/**
 * One demo library per test process (generated with ffmpeg on first use), shared by suites
 * that just need "a library with a few real clips".
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../plugin/log/logger.js';
import { ensureDemoLibrary } from '../../plugin/transcode/demo-media.js';

let pending: Promise<string> | undefined;

export function ensureDemoMedia(): Promise<string> {
  pending ??= (async () => {
    const root = join(tmpdir(), `jellybridge-demo-media-${process.pid}`);
    mkdirSync(root, { recursive: true });
    await ensureDemoLibrary(root, 'ffmpeg', silentLogger());
    return root;
  })();
  return pending;
}
