import { strict as assert } from 'node:assert';
import { planRangeReply } from '../../../../adapters/tivo/source-bytes.js';

describe('planRangeReply', () => {
  it('keeps a 206 reply with exactly the span asked for', () => {
    assert.deepEqual(planRangeReply(206, 'bytes 100-199/1000', 100, 199), { kind: 'slice', skip: 0, take: 100 });
  });

  it('skips the leading bytes of a 206 reply that starts earlier', () => {
    assert.deepEqual(planRangeReply(206, 'bytes 0-999/1000', 100, 199), { kind: 'slice', skip: 100, take: 100 });
  });

  it('skips to the start of a 200 reply from a server that ignored the Range', () => {
    assert.deepEqual(planRangeReply(200, null, 100, 199), { kind: 'slice', skip: 100, take: 100 });
  });

  it('trusts a 206 reply without Content-Range to start where asked', () => {
    assert.deepEqual(planRangeReply(206, null, 5, 9), { kind: 'slice', skip: 0, take: 5 });
  });

  it('refuses a 206 reply that starts after or ends before the span', () => {
    assert.equal(planRangeReply(206, 'bytes 150-199/1000', 100, 199).kind, 'error');
    assert.equal(planRangeReply(206, 'bytes 100-150/1000', 100, 199).kind, 'error');
  });

  it('refuses error statuses and unreadable Content-Range values', () => {
    assert.equal(planRangeReply(416, 'bytes */1000', 100, 199).kind, 'error');
    assert.equal(planRangeReply(404, null, 0, 9).kind, 'error');
    assert.equal(planRangeReply(206, 'items 0-9/10', 0, 9).kind, 'error');
  });
});
