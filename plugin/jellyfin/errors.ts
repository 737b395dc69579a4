/**
 * Classifies a failed Jellyfin call into a SidecarError (pure). Every message names the
 * endpoint ("GET /Items: …") so a log line says which call failed. The transport error itself
 * is not kept as `cause`: axios errors carry the request headers, i.e. the API key.
 */
import { SidecarError } from '../util/errors.js';

export interface HttpFailure {
  /** HTTP status when Jellyfin answered; undefined when it could not be reached. */
  readonly status?: number;
  /** Transport error code (ECONNREFUSED, ETIMEDOUT, ERR_CANCELED, …). */
  readonly code?: string;
  readonly message: string;
  /** Jellyfin's error text (problem details or plain text), when it sent one. */
  readonly serverMessage?: string;
}

export function classifyFailure(endpoint: string, failure: HttpFailure): SidecarError {
  const server = failure.serverMessage ? `: ${failure.serverMessage.slice(0, 200)}` : '';
  const status = failure.status;
  if (failure.code === 'ERR_CANCELED') {
    return new SidecarError('ERR_JELLYFIN_ABORTED', 'aborted', `${endpoint}: request aborted`);
  }
  if (status === undefined) {
    const why = failure.code ?? failure.message;
    return new SidecarError('ERR_JELLYFIN_UNAVAILABLE', 'unavailable', `${endpoint}: Jellyfin unreachable (${why})`, {
      detail: { endpoint, code: failure.code },
    });
  }
  const detail = { endpoint, status };
  if (status === 401 || status === 403) {
    return new SidecarError('ERR_JELLYFIN_AUTH', 'failed-precondition', `${endpoint}: Jellyfin refused the API key (HTTP ${status})${server}`, { detail });
  }
  if (status === 404) {
    return new SidecarError('ERR_JELLYFIN_NOT_FOUND', 'not-found', `${endpoint}: not found (HTTP 404)${server}`, { detail });
  }
  if (status >= 500) {
    return new SidecarError('ERR_JELLYFIN_UNAVAILABLE', 'unavailable', `${endpoint}: Jellyfin failed (HTTP ${status})${server}`, { detail });
  }
  return new SidecarError('ERR_JELLYFIN_REJECTED', 'failed-precondition', `${endpoint}: Jellyfin rejected the request (HTTP ${status})${server}`, { detail });
}

/**
 * Jellyfin's error text from an error body: ProblemDetails `detail` or `title`, or a `Message`,
 * else the body's text (undefined when empty). Bodies may arrive parsed or as text/bytes.
 */
export function serverMessage(body: unknown): string | undefined {
  if (Buffer.isBuffer(body)) return serverMessage(body.toString('utf8'));
  if (typeof body !== 'string') return messageField(body);
  const text = body.trim();
  if (text === '') return undefined;
  try {
    return messageField(JSON.parse(text)) ?? text;
  } catch {
    return text;
  }
}

function messageField(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { title?: unknown; detail?: unknown; Message?: unknown };
  for (const v of [b.detail, b.title, b.Message]) if (typeof v === 'string' && v !== '') return v;
  return undefined;
}

/** An answer that is not what the endpoint promises (not JSON, missing Items, …). */
export function badResponse(endpoint: string, what: string): SidecarError {
  return new SidecarError('ERR_JELLYFIN_BAD_RESPONSE', 'unavailable', `${endpoint}: unexpected answer from Jellyfin (${what})`, {
    detail: { endpoint },
  });
}

export function describeBody(body: unknown): string {
  if (typeof body === 'string') return body.trim() === '' ? 'empty body' : 'not JSON';
  if (body === null || body === undefined) return 'empty body';
  if (Array.isArray(body)) return 'an array';
  return typeof body;
}
