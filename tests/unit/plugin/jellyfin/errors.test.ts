import assert from 'node:assert/strict';
import { badResponse, classifyFailure } from '../../../../plugin/jellyfin/errors.js';

describe('classifyFailure', () => {
  it('maps an unreachable server to ERR_JELLYFIN_UNAVAILABLE naming the endpoint', () => {
    const e = classifyFailure('GET /Items', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' });
    assert.equal(e.code, 'ERR_JELLYFIN_UNAVAILABLE');
    assert.equal(e.kind, 'unavailable');
    assert.match(e.message, /^GET \/Items: /);
  });
  it('maps 401 and 403 to ERR_JELLYFIN_AUTH', () => {
    for (const status of [401, 403]) assert.equal(classifyFailure('GET /Users', { status, message: 'x' }).code, 'ERR_JELLYFIN_AUTH');
  });
  it('maps 404, 400 and 5xx', () => {
    assert.equal(classifyFailure('e', { status: 404, message: '' }).kind, 'not-found');
    const rejected = classifyFailure('POST /LiveTv/Timers', { status: 400, message: '', serverMessage: 'A scheduled recording already exists for this program.' });
    assert.equal(rejected.code, 'ERR_JELLYFIN_REJECTED');
    assert.match(rejected.message, /already exists/);
    assert.equal(classifyFailure('e', { status: 503, message: '' }).code, 'ERR_JELLYFIN_UNAVAILABLE');
  });
  it('maps a cancelled request to aborted', () => {
    assert.equal(classifyFailure('e', { code: 'ERR_CANCELED', message: 'canceled' }).kind, 'aborted');
  });
});

describe('badResponse', () => {
  it('is ERR_JELLYFIN_BAD_RESPONSE naming the endpoint', () => {
    const e = badResponse('GET /Items', 'not JSON');
    assert.equal(e.code, 'ERR_JELLYFIN_BAD_RESPONSE');
    assert.equal(e.message, 'GET /Items: unexpected answer from Jellyfin (not JSON)');
  });
});
