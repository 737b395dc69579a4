import { strict as assert } from 'node:assert';
import { request as httpRequest } from 'node:http';
import { systemClock, type Clock } from '../../../plugin/util/clock.js';
import { AdminClient, adminFixture, type AdminFixture } from './admin-fixture.js';

const PASSWORD = 'correct horse battery';

/** fetch() will not send a foreign Host header; node:http will. */
function postWithHost(base: string, path: string, host: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const url = new URL(path, base);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { Host: host, 'Content-Type': 'application/json', 'X-Jellybridge-CSRF': '1', 'Content-Length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

interface ErrorBody {
  error: { code: string; message: string; field?: string; issues?: string[] };
}
const errorOf = (json: unknown): ErrorBody['error'] => (json as ErrorBody).error;

async function deviceRequest(fixture: AdminFixture, headers: Record<string, string> = {}): Promise<{ status: number; body: { status: string; deviceId?: string } }> {
  const res = await fetch(fixture.deviceBase + '/video', { headers });
  return { status: res.status, body: (await res.json()) as { status: string; deviceId?: string } };
}

describe('admin API', function () {
  this.timeout(30_000);
  let fixture: AdminFixture;
  let client: AdminClient;

  afterEach(async () => {
    await fixture.close();
  });

  describe('first-start setup', () => {
    beforeEach(async () => {
      fixture = await adminFixture();
      client = new AdminClient(fixture.base);
    });

    it('sends a browser to the setup page, sets the password once and stores only a hash', async () => {
      const auth = await client.request('GET', '/api/auth');
      assert.deepEqual(auth.json, { authenticated: false, passwordFrom: 'unset', setupAllowed: true });
      const root = await client.request('GET', '/');
      assert.equal(root.status, 303);
      assert.equal(root.headers.get('location'), '/setup');
      assert.equal((await client.request('GET', '/setup')).status, 200);

      const login = await client.request('POST', '/api/login', { body: { password: PASSWORD } });
      assert.equal(login.status, 409);
      assert.equal(errorOf(login.json).code, 'ERR_ADMIN_SETUP_REQUIRED');

      const short = await client.request('POST', '/api/setup', { body: { password: 'short' } });
      assert.equal(short.status, 400);
      assert.equal(errorOf(short.json).field, 'password');

      const setup = await client.request('POST', '/api/setup', { body: { password: PASSWORD } });
      assert.equal(setup.status, 200);
      const cookie = setup.headers.get('set-cookie') ?? '';
      assert.match(cookie, /^jb_admin_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=\d+$/);
      assert.equal((await client.request('GET', '/api/devices')).status, 200);

      const again = await new AdminClient(fixture.base).request('POST', '/api/setup', { body: { password: 'another password' } });
      assert.equal(again.status, 409);
      const row = fixture.db.get<{ password_hash: string }>('SELECT password_hash FROM admin_credentials');
      assert.ok(row?.password_hash.startsWith('scrypt$'));
      assert.equal(row?.password_hash.includes(PASSWORD), false);
      assert.equal((await new AdminClient(fixture.base).request('GET', '/setup')).status, 303);
    });

    it('refuses setup when the Host is not loopback (DNS rebinding)', async () => {
      const r = await postWithHost(fixture.base, '/api/setup', 'evil.example:8098', { password: PASSWORD });
      assert.equal(r.status, 403);
      assert.equal(errorOf(r.json).code, 'ERR_ADMIN_SETUP_FORBIDDEN');
    });

    it('refuses setup without the CSRF header or from another origin', async () => {
      assert.equal((await client.request('POST', '/api/setup', { body: { password: PASSWORD }, csrf: false })).status, 403);
      const cross = await client.request('POST', '/api/setup', { body: { password: PASSWORD }, headers: { Origin: 'http://evil.example' } });
      assert.equal(cross.status, 403);
      assert.equal(errorOf(cross.json).code, 'ERR_ADMIN_CSRF');
    });
  });

  describe('setup from the LAN', () => {
    it('is refused: the first password can only be set from loopback', async () => {
      fixture = await adminFixture({ remoteAddress: '192.168.1.50' });
      client = new AdminClient(fixture.base);
      assert.equal((await client.request('GET', '/setup')).status, 303);
      const r = await client.request('POST', '/api/setup', { body: { password: PASSWORD } });
      assert.equal(r.status, 403);
      assert.equal(((await client.request('GET', '/api/auth')).json as { setupAllowed: boolean }).setupAllowed, false);
    });
  });

  describe('login', () => {
    const sleeps: number[] = [];
    const recordingClock: Clock = { ...systemClock, sleep: (ms, signal) => (sleeps.push(ms), systemClock.sleep(ms, signal)) };

    beforeEach(async () => {
      sleeps.length = 0;
      fixture = await adminFixture({ password: PASSWORD, clock: recordingClock, options: { failureDelayMs: 25, maxLoginAttempts: 3 } });
      client = new AdminClient(fixture.base);
    });

    it('answers a wrong password with 401 after the delay, without saying what was wrong', async () => {
      const r = await client.request('POST', '/api/login', { body: { password: 'wrong password' } });
      assert.equal(r.status, 401);
      assert.deepEqual(errorOf(r.json), { code: 'ERR_ADMIN_UNAUTHENTICATED', message: 'wrong credentials' });
      assert.equal(r.headers.get('set-cookie'), null);
      assert.deepEqual(sleeps, [25]);
      assert.equal((await client.request('GET', '/api/devices')).status, 401);
    });

    it('rate-limits attempts per address with 429 and Retry-After, even for the right password', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await client.request('POST', '/api/login', { body: { password: `wrong ${i}` } })).status, 401);
      const limited = await client.request('POST', '/api/login', { body: { password: PASSWORD } });
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
    });

    it('logs in with the config password, and disables setup', async () => {
      assert.equal(((await client.request('GET', '/api/auth')).json as { passwordFrom: string }).passwordFrom, 'config');
      assert.equal((await client.request('POST', '/api/setup', { body: { password: 'another password' } })).status, 409);
      await client.login(PASSWORD);
      const session = await client.request('GET', '/api/session');
      assert.equal((session.json as { csrfToken: string }).csrfToken, client.csrf);
      assert.equal((await client.request('GET', '/')).status, 200);
    });

    it('ends the session on logout', async () => {
      await client.login(PASSWORD);
      const cookie = client.cookie;
      const out = await client.request('POST', '/api/logout');
      assert.equal(out.status, 204);
      assert.match(out.headers.get('set-cookie') ?? '', /Max-Age=0/);
      client.cookie = cookie;
      assert.equal((await client.request('GET', '/api/devices')).status, 401);
    });

    it('rejects malformed login bodies naming the field', async () => {
      const bad = await client.request('POST', '/api/login', { rawBody: '{"password":' });
      assert.equal(bad.status, 400);
      assert.equal(errorOf(bad.json).field, 'body');
      const form = await client.request('POST', '/api/login', { rawBody: 'password=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      assert.equal(form.status, 400);
      const missing = await client.request('POST', '/api/login', { body: { pass: 'x' } });
      assert.equal(errorOf(missing.json).field, 'pass');
    });
  });

  describe('authenticated routes', () => {
    beforeEach(async () => {
      fixture = await adminFixture({ password: PASSWORD, withRecorders: true });
      client = new AdminClient(fixture.base);
    });

    it('require a session on every API route and on the app page', async () => {
      const routes = ['/api/health', '/api/adapters', '/api/devices', '/api/users', '/api/transcodes', '/api/recorders', '/api/library', '/api/logs', '/api/session'];
      for (const path of routes) assert.equal((await client.request('GET', path)).status, 401, path);
      assert.equal((await client.request('GET', '/')).headers.get('location'), '/login');
      const forged = await client.request('GET', '/api/devices', { headers: { Cookie: 'jb_admin_session=forged' } });
      assert.equal(forged.status, 401);
      await client.login(PASSWORD);
      for (const path of routes) assert.equal((await client.request('GET', path)).status, 200, path);
    });

    it('serves the UI assets without a session, with a strict CSP', async () => {
      for (const path of ['/login', '/assets/app.js', '/assets/login.js', '/assets/app.css']) {
        const r = await client.request('GET', path);
        assert.equal(r.status, 200, path);
        assert.match(r.headers.get('content-security-policy') ?? '', /script-src 'self'/);
        assert.equal(r.headers.get('x-frame-options'), 'DENY');
      }
      assert.equal((await client.request('GET', '/nope')).status, 404);
    });

    it('needs the session CSRF token and a same-origin request for state changes', async () => {
      await client.login(PASSWORD);
      fixture.registry.forAdapter('x').resolve({ ip: '10.0.0.5' });
      const id = fixture.registry.list()[0]?.id ?? '';
      const noToken = await client.request('PATCH', `/api/devices/${id}`, { body: { name: 'A' }, headers: { 'X-Jellybridge-CSRF': '1' } });
      assert.equal(noToken.status, 403);
      assert.equal(errorOf(noToken.json).code, 'ERR_ADMIN_CSRF');
      const cross = await client.request('PATCH', `/api/devices/${id}`, { body: { name: 'A' }, headers: { Origin: 'http://evil.example' } });
      assert.equal(cross.status, 403);
      const siteHeader = await client.request('PATCH', `/api/devices/${id}`, { body: { name: 'A' }, headers: { 'Sec-Fetch-Site': 'cross-site' } });
      assert.equal(siteHeader.status, 403);
      const ok = await client.request('PATCH', `/api/devices/${id}`, { body: { name: 'Den Wii' }, headers: { Origin: fixture.base } });
      assert.equal(ok.status, 200);
      assert.equal((ok.json as { name: string }).name, 'Den Wii');
    });

    it('approves a held device and toggles an adapter, with effect on its next request', async () => {
      await client.login(PASSWORD);
      const first = await deviceRequest(fixture, { 'User-Agent': 'Opera/9.30 (Nintendo Wii)' });
      assert.equal(first.status, 403);
      assert.equal(first.body.status, 'held');
      const id = first.body.deviceId ?? '';
      const listed = (await client.request('GET', '/api/devices')).json as { adapters: string[]; devices: { id: string; approval: string; userAgent: string; foundBy: string }[] };
      assert.deepEqual(listed.adapters, ['x', 'y']);
      assert.deepEqual(
        listed.devices.map((d) => [d.id, d.approval, d.userAgent, d.foundBy]),
        [[id, 'held', 'Opera/9.30 (Nintendo Wii)', 'x']],
      );

      const approved = await client.request('POST', `/api/devices/${id}/approve`);
      assert.equal((approved.json as { approval: string }).approval, 'approved');
      assert.equal((await deviceRequest(fixture)).status, 403, 'approved but x not enabled');

      const on = await client.request('PUT', `/api/devices/${id}/adapters/x`, { body: { enabled: true, overrides: { bitrateKbps: 2500 } } });
      assert.equal(on.status, 200);
      const allowed = await deviceRequest(fixture);
      assert.equal(allowed.status, 200);
      assert.deepEqual((allowed.body as unknown as { device: { settings: unknown } }).device.settings, { bitrateKbps: 2500 });

      await client.request('PUT', `/api/devices/${id}/adapters/x`, { body: { enabled: false } });
      assert.equal((await deviceRequest(fixture)).status, 403);

      await client.request('PATCH', `/api/devices/${id}`, { body: { userId: 'u2' } });
      await client.request('PUT', `/api/devices/${id}/adapters/x`, { body: { enabled: null } });
      await client.request('POST', `/api/devices/${id}/approve`, { body: { enable: ['x'] } });
      const back = await deviceRequest(fixture);
      assert.equal((back.body as unknown as { device: { userId: string } }).device.userId, 'u2');

      await client.request('POST', `/api/devices/${id}/refuse`);
      assert.equal((await deviceRequest(fixture)).body.status, 'refused');
    });

    it('answers bad bodies with 400 naming the field, unknown ids with 404', async () => {
      await client.login(PASSWORD);
      fixture.registry.forAdapter('x').resolve({ ip: '10.0.0.5' });
      const id = fixture.registry.list()[0]?.id ?? '';
      const cases: [string, string, { body?: unknown; rawBody?: string }, number, string | undefined][] = [
        ['PATCH', `/api/devices/${id}`, { rawBody: '{"name": "A",}' }, 400, 'body'],
        ['PATCH', `/api/devices/${id}`, { body: { name: 42 } }, 400, 'name'],
        ['PATCH', `/api/devices/${id}`, { body: { approval: 'maybe' } }, 400, 'approval'],
        ['PATCH', `/api/devices/${id}`, { body: { colour: 'red' } }, 400, 'colour'],
        ['PATCH', `/api/devices/${id}`, { body: [1, 2] }, 400, 'body'],
        ['PUT', `/api/devices/${id}/adapters/x`, { body: { enabled: 'yes' } }, 400, 'enabled'],
        ['PUT', `/api/devices/${id}/adapters/x`, { body: { overrides: 'fast' } }, 400, 'overrides'],
        ['POST', `/api/devices/${id}/approve`, { body: { enable: 'x' } }, 400, 'enable'],
        ['POST', `/api/devices/${id}/approve`, { body: { enable: ['zzz'] } }, 400, 'enable'],
        ['GET', '/api/logs?limit=0', {}, 400, 'limit'],
        ['POST', '/api/library/test', { body: { url: 'http://user:pw@jf.lan' } }, 400, 'url'],
        ['PUT', '/api/library/source', { body: { kind: 'ftp' } }, 400, 'kind'],
        ['PUT', '/api/library/source', { body: { kind: 'local' } }, 400, 'path'],
        ['GET', '/api/devices/nope', {}, 404, undefined],
        ['PATCH', '/api/devices/nope', { body: { name: 'x' } }, 404, undefined],
        ['POST', '/api/devices/nope/approve', {}, 404, undefined],
        ['DELETE', '/api/devices/nope', {}, 404, undefined],
        ['PUT', `/api/devices/${id}/adapters/zzz`, { body: { enabled: true } }, 404, undefined],
        ['POST', '/api/transcodes/nope/stop', {}, 404, undefined],
      ];
      for (const [method, path, options, status, field] of cases) {
        const r = await client.request(method, path, options);
        assert.equal(r.status, status, `${method} ${path} ${JSON.stringify(options)}`);
        assert.equal(errorOf(r.json).field, field, `${method} ${path} field`);
      }
      const invalid = await client.request('PUT', `/api/devices/${id}/adapters/x`, { body: { overrides: { bitrateKbps: 'fast' } } });
      assert.equal(invalid.status, 400);
      assert.equal(errorOf(invalid.json).code, 'ERR_DEVICES_INVALID_OVERRIDES');
      assert.deepEqual(errorOf(invalid.json).issues, ['bitrateKbps: expected number']);
      assert.equal((await client.request('DELETE', '/api/devices')).status, 400, 'wrong method');
    });

    it('deletes a recorded device', async () => {
      await client.login(PASSWORD);
      const first = await deviceRequest(fixture);
      const r = await client.request('DELETE', `/api/devices/${first.body.deviceId ?? ''}`);
      assert.equal(r.status, 204);
      assert.deepEqual(((await client.request('GET', '/api/devices')).json as { devices: unknown[] }).devices, []);
    });

    it('lists and stops active transcodes', async () => {
      await client.login(PASSWORD);
      fixture.transcodes.push({
        id: 't1',
        profile: 'tivo-mpeg2-ps',
        label: { adapter: 'x', device: 'den', title: 'Clip' },
        startedAt: new Date().toISOString(),
        progress: { outSeconds: 3, bytes: 1000, speed: 1.5, fps: 30 },
        durationSeconds: 10,
        spooled: true,
      });
      const list = (await client.request('GET', '/api/transcodes')).json as { transcodes: { id: string }[] };
      assert.deepEqual(list.transcodes.map((t) => t.id), ['t1']);
      assert.equal((await client.request('POST', '/api/transcodes/t1/stop')).status, 204);
      assert.deepEqual(fixture.stopped, ['t1']);
    });

    it('shows and changes the library source without a restart, never echoing the key', async () => {
      await client.login(PASSWORD);
      assert.deepEqual(((await client.request('GET', '/api/library')).json as { kind: string; path: string }).path, '/srv/media');
      const test = await client.request('POST', '/api/library/test', { body: { url: 'http://jf.lan:8096/', apiKey: 'good-key' } });
      assert.deepEqual((test.json as { ok: boolean }).ok, true);
      assert.deepEqual(fixture.connectionTests, [{ url: 'http://jf.lan:8096', apiKey: 'good-key' }]);
      const set = await client.request('PUT', '/api/library/source', { body: { kind: 'jellyfin', url: 'http://jf.lan:8096', apiKey: 'good-key' } });
      assert.equal(set.status, 200);
      assert.equal(set.text.includes('good-key'), false);
      assert.deepEqual(fixture.sourcesSet, [{ kind: 'jellyfin', url: 'http://jf.lan:8096', apiKey: 'good-key' }]);
      assert.equal((await client.request('POST', '/api/library/rescan')).status, 200);
      assert.equal(fixture.rescans, 1);
      const logs = (await client.request('GET', '/api/logs?limit=50&level=info')).json as { records: { msg: string }[] };
      assert.ok(logs.records.some((r) => r.msg === 'library source changed from the admin UI'));
      assert.equal(JSON.stringify(logs).includes('good-key'), false);
    });

    it('reports adapters, users, recorders and health', async () => {
      await client.login(PASSWORD);
      const adapters = (await client.request('GET', '/api/adapters')).json as { adapters: { id: string }[] };
      assert.deepEqual(adapters.adapters.map((a) => a.id), ['x', 'y']);
      const users = (await client.request('GET', '/api/users')).json as { users: { name: string }[] };
      assert.deepEqual(users.users.map((u) => u.name), ['Alice', 'Kids']);
      assert.deepEqual((await client.request('GET', '/api/recorders')).json, { available: true, recorders: [{ id: 'porch', name: 'Porch', state: 'recording', bytes: 2048 }] });
      assert.deepEqual((await client.request('GET', '/api/health')).json, { state: 'ready', adapters: { x: 'ready' } });
    });
  });

  describe('password change', () => {
    it('replaces a stored password and ends other sessions', async () => {
      fixture = await adminFixture();
      client = new AdminClient(fixture.base);
      await client.request('POST', '/api/setup', { body: { password: PASSWORD } });
      client.csrf = ((await client.request('GET', '/api/session')).json as { csrfToken: string }).csrfToken;
      const other = new AdminClient(fixture.base);
      await other.login(PASSWORD);
      const wrong = await client.request('POST', '/api/password', { body: { current: 'nope nope', next: 'new password 1' } });
      assert.equal(wrong.status, 401);
      assert.equal((await client.request('POST', '/api/password', { body: { current: PASSWORD, next: 'new password 1' } })).status, 204);
      assert.equal((await other.request('GET', '/api/devices')).status, 401);
      assert.equal((await client.request('GET', '/api/devices')).status, 200);
      await new AdminClient(fixture.base).login('new password 1');
    });
  });
});
