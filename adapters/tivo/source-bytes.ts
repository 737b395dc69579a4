/**
 * Byte ranges of a source file for passthrough transfers: a local file is read directly; a URL
 * source (Jellyfin's `/Videos/{id}/stream?static=true`, when no path mapping applies) is read
 * with an HTTP `Range` request. A server may answer 206 with the span asked for, 206 starting
 * earlier, or ignore the Range with 200: `planRangeReply` (pure) says which bytes of the reply
 * to skip and keep, so the TiVo always gets exactly the bytes its Content-Length promised, or
 * an aborted connection it will retry, never wrong bytes. URLs carry the API key and never
 * appear in errors.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { SidecarError, type MediaInput } from '../../plugin/index.js';

export type RangeReplyPlan = { readonly kind: 'slice'; readonly skip: number; readonly take: number } | { readonly kind: 'error'; readonly reason: string };

/**
 * Which bytes of a reply to `Range: bytes=<start>-<end>` are the ones wanted (`end` inclusive).
 */
export function planRangeReply(status: number, contentRange: string | null | undefined, start: number, end: number): RangeReplyPlan {
  const take = end - start + 1;
  if (status === 200) return { kind: 'slice', skip: start, take };
  if (status !== 206) return { kind: 'error', reason: `the source answered ${status} to a range read` };
  if (contentRange === null || contentRange === undefined) return { kind: 'slice', skip: 0, take };
  const m = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(contentRange);
  if (!m) return { kind: 'error', reason: 'the source sent an unreadable Content-Range' };
  const first = Number(m[1]);
  const last = Number(m[2]);
  if (first > start || last < end) return { kind: 'error', reason: `the source sent bytes ${first}-${last}, not ${start}-${end}` };
  return { kind: 'slice', skip: start - first, take };
}

function sourceError(reason: string, cause?: unknown): SidecarError {
  return new SidecarError('ERR_TIVO_SOURCE_READ', 'unavailable', `cannot read the source file for a passthrough transfer: ${reason}`, cause === undefined ? {} : { cause });
}

/** Bytes `start`..`end` (inclusive) of a source; throws ERR_TIVO_SOURCE_READ when they cannot all be read. */
export async function* readSourceRange(input: MediaInput, start: number, end: number, signal: AbortSignal): AsyncGenerator<Buffer> {
  if (end < start) return;
  if (input.kind === 'file') {
    for await (const chunk of createReadStream(input.path, { start, end, signal })) yield chunk as Buffer;
    return;
  }
  let response: Response;
  try {
    response = await fetch(input.url, { headers: { Range: `bytes=${start}-${end}` }, signal });
  } catch (error) {
    if (signal.aborted) throw error;
    // fetch errors name no URL, but their causes may: keep only the message.
    throw sourceError(error instanceof Error ? error.message : 'request failed');
  }
  const plan = planRangeReply(response.status, response.headers.get('content-range'), start, end);
  if (plan.kind === 'error' || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw sourceError(plan.kind === 'error' ? plan.reason : 'empty reply');
  }
  let skip = plan.skip;
  let left = plan.take;
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>, { signal });
  try {
    for await (const raw of body) {
      let chunk = raw as Buffer;
      if (skip > 0) {
        const dropped = Math.min(skip, chunk.length);
        skip -= dropped;
        chunk = chunk.subarray(dropped);
      }
      if (chunk.length === 0) continue;
      if (chunk.length >= left) {
        yield chunk.subarray(0, left);
        left = 0;
        break;
      }
      left -= chunk.length;
      yield chunk;
    }
  } finally {
    body.destroy();
  }
  if (left > 0 && !signal.aborted) throw sourceError(`the source ended ${left} bytes early`);
}
