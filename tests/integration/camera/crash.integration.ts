/**
 * kill -9 of the sidecar mid-segment: the orphaned recorder dies on its own (SIGPIPE on its
 * progress output), and the next start finalises or removes what was left in staging, so the
 * library holds only playable files and keeps everything written so far.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Harness } from '../../support/adapter-harness.js';
import { TestCamera, testCameraMissing } from '../../support/camera/test-camera.js';
import { decodeErrors, librarySegments, listFiles, startCameraSidecar, tempLibrary, waitFor } from './support.js';

const CHILD = fileURLToPath(new URL('./sidecar-child.ts', import.meta.url));

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

  before(function () {
    if (testCameraMissing() || !CHILD.endsWith('.ts')) this.skip();
  });

  after(async () => {
    await harness?.stop();
    await cam?.stop();
    if (lib) rmSync(lib, { recursive: true, force: true });
  });

  it('leaves no orphan recorder and finalises the leftovers at the next start', async () => {
    cam = await TestCamera.start();
    lib = tempLibrary();
    const library = lib;
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, library, cam.url()], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
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
    const leftovers = listFiles(staging).filter((f) => f.endsWith('.mp4'));
    assert.ok(leftovers.length >= 1, 'a segment was left in staging');
    await waitFor('the orphaned recorder to die', () => pidsMentioning(staging).length === 0, 10_000);

    const before = librarySegments(library);
    harness = await startCameraSidecar({ library, cameras: [{ id: 'shed', name: 'Shed', url: cam.url() }], viewers: false });
    // The leftover is finalised (or removed) before the new recorder writes anything.
    await waitFor('leftovers handled', () => leftovers.every((f) => !listFiles(staging).includes(f)), 20_000);
    await waitFor('recording again', () => librarySegments(library).length >= before.length + 2, 30_000);
    for (const f of librarySegments(library)) assert.deepEqual(await decodeErrors(join(library, f)), [], f);
    assert.ok(!listFiles(library).some((f) => !f.startsWith('.jellybridge-staging/') && !f.endsWith('.mp4')));
  });
});
