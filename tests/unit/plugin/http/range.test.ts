import { strict as assert } from 'node:assert';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { decideRange, formatContentRange, ifRangeMatches, parseRangeHeader, serveRangeEntity, type RangeEntity } from '../../../../plugin/http/range.js';

describe('parseRangeHeader', () => {
  it('returns none without a header', () => {
    assert.deepEqual(parseRangeHeader(undefined, 100), { kind: 'none' });
  });
  it('reads an open-ended span', () => {
    assert.deepEqual(parseRangeHeader('bytes=10-', 100), { kind: 'single', span: { start: 10, end: 99 } });
  });
  it('clamps a closed span to the length', () => {
    assert.deepEqual(parseRangeHeader('bytes=10-1000', 100), { kind: 'single', span: { start: 10, end: 99 } });
  });
  it('reads a suffix span', () => {
    assert.deepEqual(parseRangeHeader('bytes=-30', 100), { kind: 'single', span: { start: 70, end: 99 } });
    assert.deepEqual(parseRangeHeader('bytes=-300', 100), { kind: 'single', span: { start: 0, end: 99 } });
  });
  it('accepts any case and whitespace', () => {
    assert.deepEqual(parseRangeHeader('Bytes = 5 - 9 ', 100), { kind: 'single', span: { start: 5, end: 9 } });
  });
  it('coalesces overlapping and adjacent spans', () => {
    assert.deepEqual(parseRangeHeader('bytes=0-9,10-19,5-12', 100), { kind: 'single', span: { start: 0, end: 19 } });
  });
  it('keeps disjoint spans as multiple', () => {
    assert.deepEqual(parseRangeHeader('bytes=50-59,0-9', 100), {
      kind: 'multiple',
      spans: [
        { start: 0, end: 9 },
        { start: 50, end: 59 },
      ],
    });
  });
  it('says unsatisfiable when every span starts past the end', () => {
    assert.deepEqual(parseRangeHeader('bytes=100-', 100), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRangeHeader('bytes=-0', 100), { kind: 'unsatisfiable' });
  });
  it('ignores garbage, other units and reversed spans', () => {
    for (const h of ['bytes=a-b', 'items=0-1', 'bytes', 'bytes=', 'bytes=9-3', 'bytes=--1', 'bytes=1-2-3', '', 'bytes=1e3-', 'bytes=99999999999999999999-']) {
      assert.deepEqual(parseRangeHeader(h, 100), { kind: 'none' }, h);
    }
  });
  it('ignores an absurdly long list of spans', () => {
    const many = 'bytes=' + Array.from({ length: 100 }, (_, i) => `${i}-${i}`).join(',');
    assert.deepEqual(parseRangeHeader(many, 1000), { kind: 'none' });
  });
});

describe('formatContentRange', () => {
  it('uses the inclusive last byte as the end', () => {
    assert.equal(formatContentRange({ start: 1000000, end: 5370879 }, 5370880), 'bytes 1000000-5370879/5370880');
  });
});

describe('ifRangeMatches', () => {
  const entity = { etag: '"abc"', lastModified: new Date('2026-01-02T03:04:05Z') };
  it('matches a strong etag exactly and never a weak one', () => {
    assert.equal(ifRangeMatches('"abc"', entity), true);
    assert.equal(ifRangeMatches('"abd"', entity), false);
    assert.equal(ifRangeMatches('W/"abc"', entity), false);
  });
  it('matches an equal HTTP date', () => {
    assert.equal(ifRangeMatches('Fri, 02 Jan 2026 03:04:05 GMT', entity), true);
    assert.equal(ifRangeMatches('Fri, 02 Jan 2026 03:04:06 GMT', entity), false);
    assert.equal(ifRangeMatches('not a date', entity), false);
  });
});

describe('decideRange', () => {
  const entity = { length: 100, contentType: 'video/mpeg', etag: '"e"' };
  it('answers 206 with Content-Range for one span', () => {
    const d = decideRange(entity, 'bytes=10-19', undefined);
    assert.equal(d.status, 206);
    assert.equal(d.headers['Content-Range'], 'bytes 10-19/100');
    assert.equal(d.headers['Content-Length'], '10');
  });
  it('can answer a span with 200 and Content-Range (TiVo passthrough)', () => {
    const d = decideRange(entity, 'bytes=10-', undefined, { partialStatus: 200 });
    assert.equal(d.status, 200);
    assert.equal(d.headers['Content-Range'], 'bytes 10-99/100');
  });
  it('answers 416 with bytes */len when unsatisfiable', () => {
    const d = decideRange(entity, 'bytes=200-', undefined);
    assert.equal(d.status, 416);
    assert.equal(d.headers['Content-Range'], 'bytes */100');
  });
  it('sends the full entity when If-Range does not match', () => {
    const d = decideRange(entity, 'bytes=10-19', '"other"');
    assert.equal(d.status, 200);
    assert.deepEqual(d.span, { start: 0, end: 99 });
  });
  it('sends the full entity for multiple disjoint spans', () => {
    const d = decideRange(entity, 'bytes=0-1,50-51', undefined, { alwaysContentRange: true });
    assert.equal(d.status, 200);
    assert.equal(d.headers['Content-Range'], 'bytes 0-99/100');
  });
  it('sends an empty 200 for an empty entity', () => {
    const d = decideRange({ length: 0, contentType: 'x/y' }, undefined, undefined);
    assert.equal(d.status, 200);
    assert.equal(d.span, undefined);
    assert.equal(d.headers['Content-Length'], '0');
  });
});

describe('serveRangeEntity', () => {
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
  const entity: RangeEntity = {
    length: data.length,
    contentType: 'application/octet-stream',
    etag: '"v1"',
    read: (start, end) => Readable.from([data.subarray(start, end + 1)]),
  };
  let server: Server;
  let port: number;
  before(async () => {
    server = createServer((req, res) => void serveRangeEntity(req, res, entity));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => new Promise<void>((r) => server.close(() => r())));

  function get(headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path: '/', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('serves the exact bytes of a span', async () => {
    const r = await get({ range: 'bytes=100-199' });
    assert.equal(r.status, 206);
    assert.deepEqual(r.body, data.subarray(100, 200));
  });
  it('serves the whole entity without a Range', async () => {
    const r = await get({});
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-length'], '1000');
    assert.deepEqual(r.body, data);
  });
  it('answers HEAD with headers only', async () => {
    const r = await get({ range: 'bytes=0-9' }, 'HEAD');
    assert.equal(r.status, 206);
    assert.equal(r.headers['content-length'], '10');
    assert.equal(r.body.length, 0);
  });
  it('answers 416 past the end', async () => {
    const r = await get({ range: 'bytes=5000-' });
    assert.equal(r.status, 416);
    assert.equal(r.headers['content-range'], 'bytes */1000');
  });
});
