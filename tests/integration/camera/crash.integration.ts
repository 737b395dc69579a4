/**
 * kill -9 of the sidecar mid-segment: the orphaned recorder (ffmpeg ignores SIGPIPE, so it
 * keeps recording into staging) is killed at the next start, which then finalises or removes
 * what was left in staging: the library holds only playable files and everything written so far.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Harness } from '../../support/adapter-harness.js';
import { TestCamera, testCameraMissing } from '../../support/camera/test-camera.js';
import { decodeErrors, librarySegments, listFiles, startCameraSidecar, tempLibrary, waitFor } from './support.js';

// The child runs from source under tsx, or compiled from dist/ as plain JavaScript.
const CHILD = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './sidecar-child.ts' : './sidecar-child.js', import.meta.url));

/** Pids of processes whose command line mentions `text` (ffmpeg recorders of a library). */
function pidsMentioning(text: string): number[] {
  const r = spawnSync('pgrep', ['-f', text], { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(Number);
}

describe('camera adapter after kill -9 (integration)', function () {
  this.timeout(120_000);
  let cam: TestCamera | undefined;
  let harness: Harness | undefined;
  let lib: string | undefined;
  let childDataDir: string | undefined;

  before(function () {
    if (testCameraMissing()) this.skip();
  });

  after(async () => {
    await harness?.stop();
    await cam?.stop();
    if (lib) rmSync(lib, { recursive: true, force: true });
    if (childDataDir) rmSync(childDataDir, { recursive: true, force: true });
  });

  it('kills the orphaned recorder at the next start and finalises everything it left in staging', async () => {
    cam = await TestCamera.start();
    lib = tempLibrary();
    const library = lib;
    const child = spawn(process.execPath, [...(CHILD.endsWith('.ts') ? ['--import', 'tsx'] : []), CHILD, library, cam.url()], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        const m = /ready (\S+)/.exec(d.toString());
        if (m) {
          childDataDir = m[1];
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`sidecar child exited ${code}`)));
    });
    const staging = join(library, '.jellybridge-staging', 'Shed');
    await waitFor('a finalised segment and a growing one in staging', () => {
      const open = listFiles(staging).filter((f) => /^\d{8}-\d{6}\.mp4$/.test(f));
      return librarySegments(library).length >= 1 && open.length === 1 && statSync(join(staging, open[0] ?? '')).size > 0;
    }, 30_000);
    assert.ok(pidsMentioning(staging).length >= 1, 'recorder running');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    assert.ok(pidsMentioning(staging).length >= 1, 'the orphan keeps recording');
    // It closes segments into staging on its own; none reaches the library without us.
    const leftovers = await waitFor('segments the orphan wrote', () => {
      const mp4 = listFiles(staging).filter((f) => f.endsWith('.mp4'));
      return mp4.length >= 2 && mp4;
    }, 15_000);

    const before = librarySegments(library);
    harness = await startCameraSidecar({ library, cameras: [{ id: 'shed', name: 'Shed', url: cam.url() }], viewers: false });
    // The leftover is finalised (or removed) before the new recorder writes anything.
    await waitFor('leftovers handled', () => leftovers.every((f) => !listFiles(staging).includes(f)), 20_000);
    assert.ok(harness.logs().some((l) => l['code'] === 'ERR_TRANSCODE_ORPHAN'), 'the orphan was reaped');
    assert.ok(librarySegments(library).length > before.length, 'what the orphan wrote was kept');
    await waitFor('recording again', () => librarySegments(library).length >= before.length + 2, 30_000);
    for (const f of librarySegments(library)) assert.deepEqual(await decodeErrors(join(library, f)), [], f);
    assert.ok(!listFiles(library).some((f) => !f.startsWith('.jellybridge-staging/') && !f.endsWith('.mp4')));
  });
});
