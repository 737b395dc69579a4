/**
 * Adapters' admin-only routes (`AdapterHttp.mountAdmin`, AdminDeps.adapterRoute): served under
 * `/adapters/<id>/…` only after the admin session is checked, and for state changes only with
 * the session's CSRF token; the handler sees the path below its prefix.
 */
import { strict as assert } from 'node:assert';
import type { RequestHandler } from '../../../plugin/http/types.js';
import { AdminClient, adminFixture, type AdminFixture } from './admin-fixture.js';

const PASSWORD = 'adapter routes password';

describe('admin API: adapter routes', function () {
  this.timeout(30_000);
  let fixture: AdminFixture | undefined;
  const calls: { adapter: string; method: string; path: string; query: string }[] = [];

  const handlerFor = (adapter: string): RequestHandler => (req, res, ctx) => {
    calls.push({ adapter, method: req.method ?? '', path: ctx.path, query: ctx.query.toString() });
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`${adapter}${ctx.path}`);
  };

  beforeEach(async () => {
    calls.length = 0;
    fixture = await adminFixture({ password: PASSWORD, adapterRoute: (id) => (id === 'camera' ? handlerFor('camera') : undefined) });
  });

  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it('answers 401 without a session and never calls the adapter', async () => {
    const client = new AdminClient(fixture?.base ?? '');
    const get = await client.request('GET', '/adapters/camera/live/front.mp4');
    assert.equal(get.status, 401);
    assert.equal((get.json as { error: { code: string } }).error.code, 'ERR_ADMIN_UNAUTHENTICATED');
    const post = await client.request('POST', '/adapters/camera/library');
    assert.equal(post.status, 401);
    assert.deepEqual(calls, []);
  });

  it('passes an authenticated request with the path below /adapters/<id>', async () => {
    const client = new AdminClient(fixture?.base ?? '');
    await client.login(PASSWORD);
    const r = await client.request('GET', '/adapters/camera/live/front.mp4?x=1');
    assert.equal(r.status, 200);
    assert.equal(r.text, 'camera/live/front.mp4');
    assert.deepEqual(calls, [{ adapter: 'camera', method: 'GET', path: '/live/front.mp4', query: 'x=1' }]);
  });

  it('needs the CSRF token and the same origin for state changes', async () => {
    const client = new AdminClient(fixture?.base ?? '');
    await client.login(PASSWORD);
    assert.equal((await client.request('POST', '/adapters/camera/library', { csrf: false })).status, 403);
    assert.equal((await client.request('POST', '/adapters/camera/library', { headers: { 'X-Jellybridge-CSRF': 'wrong' } })).status, 403);
    assert.equal((await client.request('POST', '/adapters/camera/library', { headers: { Origin: 'http://evil.example' } })).status, 403);
    assert.equal(calls.length, 0);
    assert.equal((await client.request('POST', '/adapters/camera/library')).status, 200);
    assert.deepEqual(calls.map((c) => [c.method, c.path]), [['POST', '/library']]);
  });

  it('answers 404 for an adapter without admin routes and for malformed prefixes', async () => {
    const client = new AdminClient(fixture?.base ?? '');
    await client.login(PASSWORD);
    for (const path of ['/adapters/tivo/x', '/adapters/camera', '/adapters/Camera/x', '/adapters//x']) {
      const r = await client.request('GET', path);
      assert.equal(r.status, 404, path);
    }
    assert.deepEqual(calls, []);
  });
});
