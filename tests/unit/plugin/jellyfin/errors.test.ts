import assert from 'node:assert/strict';
import { badResponse, classifyFailure, serverMessage } from '../../../../plugin/jellyfin/errors.js';

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

describe('serverMessage', () => {
  it('takes ProblemDetails detail, then title, then Message, parsed or as text', () => {
    assert.equal(serverMessage({ title: 'Bad Request', detail: 'no such user' }), 'no such user');
    assert.equal(serverMessage({ title: 'Bad Request' }), 'Bad Request');
    assert.equal(serverMessage({ Message: 'failed' }), 'failed');
    assert.equal(serverMessage('{"title":"Not Found","detail":""}'), 'Not Found');
    assert.equal(serverMessage(Buffer.from('{"detail":"gone"}')), 'gone');
  });
  it('falls back to the trimmed body text and says nothing for an empty body', () => {
    assert.equal(serverMessage(' plain failure\n'), 'plain failure');
    assert.equal(serverMessage('{"other":1}'), '{"other":1}');
    assert.equal(serverMessage(''), undefined);
    assert.equal(serverMessage(Buffer.from('  ')), undefined);
    assert.equal(serverMessage({ other: 1 }), undefined);
    assert.equal(serverMessage(undefined), undefined);
  });
});
