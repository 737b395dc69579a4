import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import { HttpHost } from '../../../../plugin/http/http-host.js';
import { silentLogger } from '../../../../plugin/log/logger.js';
import { SidecarError } from '../../../../plugin/util/errors.js';

function get(port: number, path: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (e) => resolve({ error: e.message }));
    req.end();
  });
}

describe('HttpHost', () => {
  it('refuses connections from addresses outside the allow-list', async () => {
    const host = new HttpHost({ name: 'test', allow: ['10.0.0.0/8'], log: silentLogger() });
    host.mount('/', (_req, res) => void res.end('hello'));
    const port = await host.listen(0, '127.0.0.1');
    try {
      const answer = await get(port, '/');
      assert.ok('error' in answer, 'connection dropped');
      assert.equal(host.counters.refused, 1);
    } finally {
      await host.close();
    }
  });

  it('routes by longest prefix and maps SidecarError kinds to statuses', async () => {
    const host = new HttpHost({ name: 'test', allow: ['127.0.0.0/8'], log: silentLogger() });
    host.mount('/', (_req, res, ctx) => void res.end(`root ${ctx.path}`));
    host.mount('/a/', (_req, res, ctx) => void res.end(`a ${ctx.path} ${ctx.query.get('q') ?? ''}`));
    host.mount('/denied/', () => {
      throw new SidecarError('ERR_TEST_DENIED', 'permission-denied', 'no');
    });
    host.mount('/boom/', () => {
      throw new Error('secret detail');
    });
    const port = await host.listen(0, '127.0.0.1');
    try {
      assert.deepEqual(await get(port, '/x'), { status: 200, body: 'root /x' });
      assert.deepEqual(await get(port, '/a/b/c?q=1'), { status: 200, body: 'a /b/c 1' });
      const denied = await get(port, '/denied/');
      assert.ok('status' in denied && denied.status === 403);
      const boom = await get(port, '/boom/');
      assert.ok('status' in boom && boom.status === 500);
      assert.ok(!boom.body.includes('secret detail'), 'internal messages are not leaked');
    } finally {
      await host.close();
    }
  });

  it('aborts the request signal when the client goes away', async () => {
    const host = new HttpHost({ name: 'test', allow: ['127.0.0.0/8'], log: silentLogger() });
    let aborted: Promise<void> | undefined;
    host.mount('/', (_req, res, ctx) => {
      res.writeHead(200);
      res.write('partial');
      aborted = new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
    });
    const port = await host.listen(0, '127.0.0.1');
    try {
      await new Promise<void>((resolve) => {
        const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.end();
      });
      await aborted;
    } finally {
      await host.close();
    }
  });
});
