import { strict as assert } from 'node:assert';
import type { ServerResponse } from 'node:http';
import { sendError, sendJson } from '../../../../plugin/http/errors-to-http.js';
import { SidecarError } from '../../../../plugin/util/errors.js';

interface Captured {
  status?: number;
  headers?: Record<string, string | number>;
  body?: string;
}

function response(): { readonly res: ServerResponse; readonly out: Captured } {
  const out: Captured = {};
  const res = {
    headersSent: false,
    writeHead(status: number, headers: Record<string, string | number>) {
      out.status = status;
      out.headers = headers;
      return this;
    },
    end(body: string) {
      out.body = body;
      return this;
    },
  };
  return { res: res as unknown as ServerResponse, out };
}

describe('errors-to-http', () => {
  it('sendJson answers uncached JSON with its length', () => {
    const { res, out } = response();
    sendJson(res, 201, { ok: 'é' });
    assert.equal(out.status, 201);
    assert.equal(out.body, '{"ok":"é"}');
    assert.deepEqual(out.headers, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': 11, 'Cache-Control': 'no-store' });
  });

  it('sendJson adds extra headers, which win over its own', () => {
    const { res, out } = response();
    sendJson(res, 200, {}, { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private' });
    assert.equal(out.headers?.['X-Content-Type-Options'], 'nosniff');
    assert.equal(out.headers?.['Cache-Control'], 'private');
  });

  it('sendError maps the kind to a status and hides internal messages', () => {
    const notFound = response();
    sendError(notFound.res, new SidecarError('ERR_X', 'not-found', 'no such thing'));
    assert.equal(notFound.out.status, 404);
    assert.deepEqual(JSON.parse(notFound.out.body ?? ''), { error: { code: 'ERR_X', message: 'no such thing' } });
    assert.equal(notFound.out.headers?.['Cache-Control'], 'no-store');

    const internal = response();
    sendError(internal.res, new Error('secret detail'));
    assert.equal(internal.out.status, 500);
    assert.equal((JSON.parse(internal.out.body ?? '') as { error: { message: string } }).error.message, 'internal error');
  });
});
