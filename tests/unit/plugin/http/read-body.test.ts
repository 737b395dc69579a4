import { strict as assert } from 'node:assert';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { readBody } from '../../../../plugin/http/read-body.js';

function request(chunks: readonly string[], headers: Record<string, string> = {}): IncomingMessage & Readable {
  return Object.assign(Readable.from(chunks.map((c) => Buffer.from(c))), { headers }) as unknown as IncomingMessage & Readable;
}

describe('readBody', () => {
  it('returns the whole body joined from its chunks', async () => {
    assert.equal((await readBody(request(['{"na', 'me":', '"x"}']), 100))?.toString('utf8'), '{"name":"x"}');
  });

  it('returns an empty buffer for an empty body', async () => {
    assert.equal((await readBody(request([]), 10))?.length, 0);
  });

  it('accepts a body of exactly the cap', async () => {
    assert.equal((await readBody(request(['12345', '67890']), 10))?.toString('utf8'), '1234567890');
  });

  it('returns undefined once the body passes the cap, and stops reading', async () => {
    const req = request(['12345', '67890', 'x', 'never read']);
    assert.equal(await readBody(req, 10), undefined);
    assert.ok(req.destroyed);
  });

  it('returns undefined without reading when Content-Length declares too much', async () => {
    const req = request(['small'], { 'content-length': '11' });
    assert.equal(await readBody(req, 10), undefined);
    assert.equal(req.readableDidRead, false);
  });
});
