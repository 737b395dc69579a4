/**
 * Downloads a subscribed feed with a conditional GET (If-None-Match / If-Modified-Since), a
 * timeout and a size cap (protocols/rsstv.md §5.1). The body is read as bytes and stopped as
 * soon as it passes the cap, so a huge or endless body costs at most `maxBytes`.
 */
import { SidecarError, type Clock } from '../../../plugin/index.js';

export interface FetchRequest {
  readonly url: string;
  readonly etag?: string;
  readonly lastModified?: string;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly userAgent: string;
  readonly signal: AbortSignal;
}

export type FetchResult =
  | { readonly kind: 'not-modified' }
  | { readonly kind: 'body'; readonly body: Uint8Array; readonly etag?: string; readonly lastModified?: string };

function tooLarge(max: number): SidecarError {
  return new SidecarError('ERR_RSSTV_FEED_TOO_LARGE', 'resource-exhausted', `feed body is over the ${max}-byte cap`);
}

export async function fetchFeed(request: FetchRequest, clock: Clock): Promise<FetchResult> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(request.signal.reason);
  request.signal.addEventListener('abort', onAbort, { once: true });
  const timer = clock.setTimeout(() => controller.abort(new SidecarError('ERR_RSSTV_FETCH_FAILED', 'unavailable', `no answer within ${request.timeoutMs} ms`)), request.timeoutMs);
  try {
    const headers: Record<string, string> = { 'User-Agent': request.userAgent, Accept: 'application/rss+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1' };
    if (request.etag !== undefined) headers['If-None-Match'] = request.etag;
    if (request.lastModified !== undefined) headers['If-Modified-Since'] = request.lastModified;
    let response: Response;
    try {
      response = await fetch(request.url, { headers, signal: controller.signal, redirect: 'follow' });
    } catch (cause) {
      const reason: unknown = controller.signal.reason;
      if (reason instanceof SidecarError) throw reason;
      throw new SidecarError('ERR_RSSTV_FETCH_FAILED', 'unavailable', `feed request failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
    if (response.status === 304) {
      await response.body?.cancel();
      return { kind: 'not-modified' };
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new SidecarError('ERR_RSSTV_FETCH_FAILED', 'unavailable', `feed answered HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > request.maxBytes) {
      await response.body?.cancel();
      throw tooLarge(request.maxBytes);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (response.body !== null) {
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          size += value.byteLength;
          if (size > request.maxBytes) {
            await reader.cancel();
            throw tooLarge(request.maxBytes);
          }
          chunks.push(value);
        }
      } catch (cause) {
        if (cause instanceof SidecarError) throw cause;
        const reason: unknown = controller.signal.reason;
        if (reason instanceof SidecarError) throw reason;
        throw new SidecarError('ERR_RSSTV_FETCH_FAILED', 'unavailable', 'feed body could not be read', { cause });
      }
    }
    const body = Buffer.concat(chunks, size);
    const etag = response.headers.get('etag') ?? undefined;
    const lastModified = response.headers.get('last-modified') ?? undefined;
    return { kind: 'body', body, ...(etag === undefined ? {} : { etag }), ...(lastModified === undefined ? {} : { lastModified }) };
  } finally {
    timer.cancel();
    request.signal.removeEventListener('abort', onAbort);
  }
}
