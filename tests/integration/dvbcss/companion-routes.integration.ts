/**
 * The companion page's HTTP routes over a real node:http listener: device gating (403 for held
 * and refused devices), the session list scoped by `follow`, static assets with ETags, and
 * methods. The full page runs in Chromium in companion-page.integration.ts.
 */
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSidecarError } from '../../../plugin/index.js';
import { session } from '../../support/dvbcss/playback-double.js';
import { allowAsUser, startDvbcss, type StartedDvbcss } from '../../support/dvbcss/start-dvbcss.js';

describe('dvbcss companion page routes', () => {
  let css: StartedDvbcss;
  let server: Server;
  let base = '';

  beforeEach(async () => {
    css = await startDvbcss();
    const handler = css.pageHandler();
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname.replace(/^\/dvbcss/, '') || '/';
      Promise.resolve()
        .then(() => handler(req, res, { path, query: url.searchParams, remoteAddress: '127.0.0.1', signal: new AbortController().signal, origin: base }))
        .catch((error: unknown) => {
        res.writeHead(isSidecarError(error) && error.kind === 'not-found' ? 404 : isSidecarError(error) && error.kind === 'invalid-argument' ? 400 : 500);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dvbcss`;
  });
  afterEach(async () => {
    const closed = new Promise((r) => server.close(r));
    server.closeAllConnections();
    await closed;
    await css.stop();
  });

  it('serves the page with the WebSocket port and the preselected session', async () => {
    const res = await fetch(`${base}/?session=abc`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, new RegExp(`data-ws-port="${css.wsPort}"`));
    assert.match(html, /data-session="abc"/);
  });

  it('answers a held or refused device with 403 on every path', async () => {
    for (const status of ['held', 'refused'] as const) {
      css.devices.decide = () => (status === 'held' ? { status, deviceId: 'd1', reason: 'new device' } : { status, reason: 'not enabled', cause: 'not-enabled' });
      for (const path of ['/', '/sessions.json', '/companion.js', '/qr.svg']) assert.equal((await fetch(`${base}${path}`)).status, 403, `${status} ${path}`);
    }
  });

  it('lists only the sessions the device may follow', async () => {
    css.playback.publish([
      session({ id: 'mine', userId: 'u1', playing: { itemId: 'i1', title: 'Mine', positionSeconds: 3, receivedMonotonicNs: 0n } }),
      session({ id: 'theirs', userId: 'u2', playing: { itemId: 'i2', positionSeconds: 3, receivedMonotonicNs: 0n } }),
    ]);
    const own = (await (await fetch(`${base}/sessions.json`)).json()) as { sessions: { id: string }[] };
    assert.deepEqual(own.sessions.map((s) => s.id), ['mine']);
    css.devices.decide = allowAsUser('u1', { follow: 'any-user' });
    const any = (await (await fetch(`${base}/sessions.json`)).json()) as { sessions: { id: string }[] };
    assert.deepEqual(any.sessions.map((s) => s.id).sort(), ['mine', 'theirs']);
  });

  it('serves the script and stylesheet with ETags, 304 on a match, and the QR code as SVG', async () => {
    const js = await fetch(`${base}/companion.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(await js.text(), /simple-elapsed-time:1000/);
    const etag = js.headers.get('etag') ?? '';
    assert.equal((await fetch(`${base}/companion.js`, { headers: { 'If-None-Match': etag } })).status, 304);
    assert.equal((await fetch(`${base}/companion.css`)).status, 200);
    const qr = await fetch(`${base}/qr.svg`);
    assert.equal(qr.headers.get('content-type'), 'image/svg+xml');
    assert.match(await qr.text(), /^<svg [^>]*viewBox/);
  });

  it('answers unknown paths 404 and other methods 400', async () => {
    assert.equal((await fetch(`${base}/nope`)).status, 404);
    assert.equal((await fetch(`${base}/`, { method: 'POST' })).status, 400);
  });
});
