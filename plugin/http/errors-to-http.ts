/**
 * The one place where an error's `kind` becomes an HTTP status (DESIGN.md §7.2).
 */
import type { ServerResponse } from 'node:http';
import { toSidecarError, type ErrorKind, type SidecarError } from '../util/errors.js';

const STATUS: Record<ErrorKind, number> = {
  'invalid-argument': 400,
  unauthenticated: 401,
  'permission-denied': 403,
  'not-found': 404,
  'failed-precondition': 409,
  'resource-exhausted': 503,
  aborted: 499,
  unavailable: 503,
  internal: 500,
};

export function httpStatusOf(kind: ErrorKind): number {
  return STATUS[kind];
}

/**
 * Answers with a JSON error body when headers were not sent yet; otherwise aborts the socket
 * (a stream that failed mid-way must never get a second set of headers).
 */
export function sendError(res: ServerResponse, error: unknown): SidecarError {
  const err = toSidecarError(error);
  if (res.headersSent) {
    res.destroy();
    return err;
  }
  sendJson(res, httpStatusOf(err.kind), { error: { code: err.code, message: err.kind === 'internal' ? 'internal error' : err.message } });
  return err;
}

/** Sends a JSON body with the given status, uncached; `extraHeaders` are added last (and win). */
export function sendJson(res: ServerResponse, status: number, value: unknown, extraHeaders: Readonly<Record<string, string>> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...extraHeaders });
  res.end(body);
}
