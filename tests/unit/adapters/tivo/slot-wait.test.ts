import { strict as assert } from 'node:assert';
import { openWhenFree, SlotQueue } from '../../../../adapters/tivo/slot-wait.js';
import { SidecarError, type TranscodeService, type TranscodeSession } from '../../../../plugin/index.js';

const busy = (): never => {
  throw new SidecarError('ERR_TRANSCODE_BUSY', 'resource-exhausted', 'all slots busy');
};

/** A transcoder whose `open` answers from a script; only `open` and `findSpool` are used. */
function scripted(open: () => TranscodeSession, spool = false): TranscodeService {
  return { open, findSpool: () => (spool ? ({} as never) : undefined) } as unknown as TranscodeService;
}

function timeline(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    now: () => t,
    slept,
    sleep: (ms) => {
      slept.push(ms);
      t += ms;
      return Promise.resolve();
    },
  };
}

const session = { id: 's1' } as TranscodeSession;
const request = { input: { kind: 'file' as const, path: '/x' }, profile: { id: 'p', format: 'vob', video: 'none' as const, audio: 'none' as const }, spoolKey: 'k' };

describe('openWhenFree', () => {
  it('opens the transcode once a slot frees up', async () => {
    let calls = 0;
    const clock = timeline();
    const got = await openWhenFree({ transcoder: scripted(() => (++calls < 3 ? busy() : session)), queue: new SlotQueue(), request, waitMs: 10_000, signal: new AbortController().signal, ...clock });
    assert.equal(got, session);
    assert.equal(calls, 3);
  });

  it('gives up after waitMs without sleeping past it', async () => {
    const clock = timeline();
    const got = await openWhenFree({ transcoder: scripted(busy), queue: new SlotQueue(), request, waitMs: 600, signal: new AbortController().signal, ...clock });
    assert.equal(got, undefined);
    assert.equal(clock.slept.reduce((a, b) => a + b, 0), 600);
  });

  it('lets only the first in the queue take a slot, unless it can join a spool', async () => {
    const queue = new SlotQueue();
    const first = queue.join();
    let calls = 0;
    const clock = timeline();
    const got = await openWhenFree({ transcoder: scripted(() => (++calls, session)), queue, request, waitMs: 500, signal: new AbortController().signal, ...clock });
    assert.equal(got, undefined);
    assert.equal(calls, 0);
    const joined = await openWhenFree({ transcoder: scripted(() => session, true), queue, request, waitMs: 500, signal: new AbortController().signal, ...clock });
    assert.equal(joined, session);
    first.leave();
    assert.equal(queue.size(), 0);
  });

  it('stops waiting when the client leaves', async () => {
    const abort = new AbortController();
    const got = await openWhenFree({
      transcoder: scripted(busy),
      queue: new SlotQueue(),
      request,
      waitMs: 10_000,
      signal: abort.signal,
      now: () => 0,
      sleep: () => {
        abort.abort();
        return Promise.reject(new Error('aborted'));
      },
    });
    assert.equal(got, undefined);
  });

  it('rethrows errors other than busy', async () => {
    const clock = timeline();
    const failing = scripted(() => {
      throw new SidecarError('ERR_TRANSCODE_PROFILE', 'invalid-argument', 'bad');
    });
    await assert.rejects(openWhenFree({ transcoder: failing, queue: new SlotQueue(), request, waitMs: 1000, signal: new AbortController().signal, ...clock }), /bad/);
  });
});
