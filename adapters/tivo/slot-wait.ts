/**
 * Waiting for a transcode slot when the transcode service is at its `maxConcurrent` limit
 * (README "Busy transcoder"). A TiVo copes badly with an error status on a transfer but well
 * with a transfer that stops short without the chunked terminator: it waits and asks again
 * with `Range: bytes=<received>-` (protocols/tivo.md §1 step 5, §8.1). So a busy transfer
 * keeps its connection open for a while, retrying first come first served, and gives up by
 * closing the connection; the TiVo's own retry then comes back later.
 */
import { toSidecarError, type TranscodeRequest, type TranscodeService, type TranscodeSession } from '../../plugin/index.js';

/** How often a waiting transfer retries (a free slot is taken within this time). */
export const SLOT_POLL_MS = 250;

/** First come, first served among transfers waiting for a slot. */
export class SlotQueue {
  private readonly waiting: object[] = [];

  /** Joins the end of the queue. */
  join(): { readonly first: () => boolean; readonly leave: () => void } {
    const ticket = {};
    this.waiting.push(ticket);
    return {
      first: () => this.waiting[0] === ticket,
      leave: () => {
        const at = this.waiting.indexOf(ticket);
        if (at >= 0) this.waiting.splice(at, 1);
      },
    };
  }

  size(): number {
    return this.waiting.length;
  }
}

export function isBusy(error: unknown): boolean {
  return toSidecarError(error).code === 'ERR_TRANSCODE_BUSY';
}

export interface SlotWaitOptions {
  readonly transcoder: TranscodeService;
  readonly queue: SlotQueue;
  readonly request: TranscodeRequest;
  readonly waitMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly signal: AbortSignal;
}

/**
 * Opens the transcode once a slot is free (or a spool for the same key appears to join);
 * undefined when `waitMs` passed first or the client left. Other errors are thrown.
 */
export async function openWhenFree(o: SlotWaitOptions): Promise<TranscodeSession | undefined> {
  const deadline = o.now() + o.waitMs;
  const ticket = o.queue.join();
  try {
    for (;;) {
      if (o.signal.aborted) return undefined;
      // Joining a live or finished spool of the same transfer needs no slot: no need to queue.
      const joinable = o.request.spoolKey !== undefined && o.transcoder.findSpool(o.request.spoolKey) !== undefined;
      if (ticket.first() || joinable) {
        try {
          return o.transcoder.open(o.request);
        } catch (error) {
          if (!isBusy(error)) throw error;
        }
      }
      const left = deadline - o.now();
      if (left <= 0) return undefined;
      try {
        await o.sleep(Math.min(SLOT_POLL_MS, left), o.signal);
      } catch {
        return undefined; // the client went away
      }
    }
  } finally {
    ticket.leave();
  }
}
