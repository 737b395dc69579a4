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
