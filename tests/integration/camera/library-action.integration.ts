/**
 * "Create library in Jellyfin" from the admin surface: `POST /adapters/camera/library` (admin
 * session + CSRF) asks the Jellyfin stand-in for a `homevideos` library over the camera folder as
 * Jellyfin sees it (core path mapping applied in reverse), once; requests valid per the specs.
 * Needs no camera and no binaries.
 */
import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import type { Harness } from '../../support/adapter-harness.js';
import { FakeJellyfin } from '../../support/fake-jellyfin.js';
import { specValidator } from '../../support/jellyfin-openapi-validator.js';
import { adminSession, startCameraSidecar, tempLibrary } from './support.js';

const ADMIN_PASSWORD = 'library action password';

interface Outcome {
  readonly folder: string;
  readonly created: boolean;
  readonly name: string;
  readonly path: string;
}

describe('camera: create the Jellyfin library from the admin surface (integration)', function () {
  this.timeout(60_000);
  let harness: Harness | undefined;
  let jellyfin: FakeJellyfin | undefined;
  let library: string | undefined;

  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
    await jellyfin?.close();
    jellyfin = undefined;
    if (library) rmSync(library, { recursive: true, force: true });
    library = undefined;
  });

  async function post(admin: string, session: { cookie: string; csrf: string }, body?: unknown): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${admin}/adapters/camera/library`, {
      method: 'POST',
      headers: { Cookie: session.cookie, 'X-Jellybridge-CSRF': session.csrf, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as unknown };
  }

  it('creates a homevideos library over the folder as Jellyfin sees it, and only once', async () => {
    jellyfin = await FakeJellyfin.start();
    library = tempLibrary();
    harness = await startCameraSidecar({
      library,
      cameras: [],
      viewers: false,
      jellyfin,
      core: {
        admin: { bind: '127.0.0.1', port: 0, password: ADMIN_PASSWORD },
        jellyfin: { url: jellyfin.url, sessionPollSeconds: 1, pathMappings: [{ from: '/media/cameras', to: library }] },
      },
    });
    const admin = `http://127.0.0.1:${harness.adminPort()}`;
    const session = await adminSession(admin, ADMIN_PASSWORD);

    const noCsrf = await fetch(`${admin}/adapters/camera/library`, { method: 'POST', headers: { Cookie: session.cookie } });
    assert.equal(noCsrf.status, 403);
    await noCsrf.arrayBuffer();

    const first = await post(admin, session);
    assert.equal(first.status, 200);
    assert.deepEqual((first.json as { libraries: Outcome[] }).libraries, [{ folder: library, created: true, name: 'Cameras', path: '/media/cameras' }]);
    const created = jellyfin.state.virtualFolders as { Name?: string; Locations?: string[]; CollectionType?: string }[];
    assert.deepEqual(
      created.map((f) => [f.Name, f.Locations, f.CollectionType]),
      [['Cameras', ['/media/cameras'], 'homevideos']],
    );
    const request = jellyfin.requests.find((r) => r.method === 'POST' && r.path === '/Library/VirtualFolders');
    const body = jellyfin.requestBodies.find((r) => r.path === '/Library/VirtualFolders')?.body;
    for (const version of ['10.11.11', '12.0.0'] as const) {
      assert.equal(specValidator(version).validateRequest('POST', '/Library/VirtualFolders', new URLSearchParams(request?.query ?? ''), body).errors, '', version);
    }

    const again = await post(admin, session, { name: 'Other name' });
    assert.deepEqual((again.json as { libraries: Outcome[] }).libraries, [{ folder: library, created: false, name: 'Cameras', path: '/media/cameras' }]);
    assert.equal(jellyfin.state.virtualFolders.length, 1, 'nothing created twice');

    const bad = await post(admin, session, { name: 'a/b' });
    assert.equal(bad.status, 400);
    assert.equal((bad.json as { error: { code: string } }).error.code, 'ERR_CAMERA_LIBRARY_NAME');
  });

  it('explains that a local-folder source has no Jellyfin library to create', async () => {
    library = tempLibrary();
    harness = await startCameraSidecar({ library, cameras: [], viewers: false, core: { admin: { bind: '127.0.0.1', port: 0, password: ADMIN_PASSWORD } } });
    const admin = `http://127.0.0.1:${harness.adminPort()}`;
    const r = await post(admin, await adminSession(admin, ADMIN_PASSWORD));
    assert.equal(r.status, 409);
    assert.equal((r.json as { error: { code: string } }).error.code, 'ERR_LIBRARY_NO_LIBRARIES');
  });
});
