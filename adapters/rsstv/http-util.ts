/**
 * Small HTTP helpers for the adapter's routes: capped body reading, JSON/HTML answers with the
 * security headers every page and API answer carries, and the rate-limit answer (429 with
 * Retry-After). Errors thrown as SidecarError reach the host, which maps their kind to a status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SidecarError, readBody, sendJson as sendCoreJson } from '../../plugin/index.js';

/** No framing, no referrer (invite tokens are in page URLs), no sniffing, no caching. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

/** Strict CSP for the pages: scripts, styles and fetches only from this origin, no inline code. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The core's JSON answer with the security headers. */
export function sendJson(res: ServerResponse, status: number, value: unknown, extra: Readonly<Record<string, string>> = {}): void {
  sendCoreJson(res, status, value, { ...SECURITY_HEADERS, ...extra });
}

export function sendHtml(res: ServerResponse, html: string): void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(html)),
    'Content-Security-Policy': PAGE_CSP,
  });
  res.end(html);
}

export function sendAsset(res: ServerResponse, contentType: string, body: string, method: string): void {
  res.writeHead(200, {
    'X-Content-Type-Options': 'nosniff',
    'Content-Type': `${contentType}; charset=utf-8`,
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'public, max-age=300',
  });
  res.end(method === 'HEAD' ? undefined : body);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, extra: Readonly<Record<string, string>> = {}): void {
  sendJson(res, status, { error: { code, message } }, extra);
}

/** 429 with Retry-After in whole seconds (at least 1). */
export function sendRateLimited(res: ServerResponse, retryAfterMs: number, message: string): void {
  sendError(res, 429, 'ERR_RSSTV_RATE_LIMITED', message, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) });
}

export function methodNotAllowed(res: ServerResponse, allow: readonly string[]): void {
  sendError(res, 405, 'ERR_RSSTV_METHOD', 'method not allowed', { Allow: allow.join(', ') });
}

/** A JSON object or a urlencoded form as string fields; anything else is a 400. */
export async function readFields(req: IncomingMessage, maxBytes: number): Promise<Readonly<Record<string, string>>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const body = await readBody(req, maxBytes);
  if (body === undefined) throw new SidecarError('ERR_RSSTV_BODY_TOO_LARGE', 'invalid-argument', 'request body too large');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (cause) {
    throw new SidecarError('ERR_RSSTV_BAD_REQUEST', 'invalid-argument', 'body is not UTF-8', { cause });
  }
  const out: Record<string, string> = {};
  if (type === 'application/json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new SidecarError('ERR_RSSTV_BAD_REQUEST', 'invalid-argument', 'body is not JSON', { cause });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SidecarError('ERR_RSSTV_BAD_REQUEST', 'invalid-argument', 'body must be a JSON object');
    for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
      if (typeof field === 'string') out[key] = field;
      else if (typeof field === 'number' || typeof field === 'boolean') out[key] = String(field);
    }
    return out;
  }
  if (type === 'application/x-www-form-urlencoded') {
    for (const [key, field] of new URLSearchParams(text)) out[key] = field;
    return out;
  }
  throw new SidecarError('ERR_RSSTV_BAD_REQUEST', 'invalid-argument', 'expected application/json or a form');
}

/** Path segments after the mount, percent-decoded; undefined when decoding fails. */
export function segments(path: string): string[] | undefined {
  try {
    return path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

/** Rejects control characters (other than newline and tab) and markup-looking input is kept as text. */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029]/;
