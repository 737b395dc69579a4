/**
 * Small HTTP helpers of the admin surface: JSON bodies (JSON only, size-limited), cookies,
 * security headers, and error bodies that name the offending field.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpStatusOf } from '../http/errors-to-http.js';
import { SidecarError, toSidecarError } from '../util/errors.js';

const MAX_BODY = 64 * 1024;

/**
 * Headers on every admin answer: no framing, no sniffing, no referrer, scripts only from us.
 * `media-src blob:` lets the camera live view play through Media Source Extensions. The admin
 * handler sets them once per request, so adapters' admin routes get them too.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function badRequest(field: string, message: string): SidecarError {
  return new SidecarError('ERR_ADMIN_BAD_REQUEST', 'invalid-argument', `${field}: ${message}`, { detail: { field } });
}

/**
 * Reads a JSON body. Empty body → undefined. Anything but `application/json` → 400; malformed
 * JSON → 400 naming `body`; over 64 KiB → 400.
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw badRequest('body', `larger than ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw badRequest('body', 'expected Content-Type: application/json');
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest('body', `not valid JSON (${error instanceof Error ? error.message : 'parse error'})`);
  }
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Readonly<Record<string, string | readonly string[]>> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(body);
}

export function sendNoContent(res: ServerResponse, headers: Readonly<Record<string, string | readonly string[]>> = {}): void {
  res.writeHead(204, { 'Cache-Control': 'no-store', ...headers });
  res.end();
}

export function sendText(res: ServerResponse, status: number, contentType: string, body: string, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': 0 });
  res.end();
}

/**
 * The admin error body: `{ error: { code, message, field?, issues? } }` with the status from the
 * error's kind. Internal errors hide their message.
 */
export function sendAdminError(res: ServerResponse, error: unknown): SidecarError {
  const err = toSidecarError(error);
  if (res.headersSent) {
    res.destroy();
    return err;
  }
  const body: Record<string, unknown> = { code: err.code, message: err.kind === 'internal' ? 'internal error' : err.message };
  const field = err.detail['field'];
  if (typeof field === 'string') body['field'] = field;
  const issues = err.detail['issues'];
  if (Array.isArray(issues)) body['issues'] = issues;
  sendJson(res, httpStatusOf(err.kind), { error: body });
  return err;
}
