/**
 * Generic HTTP byte-range serving (RFC 9110 §14) over a virtual file, the "RangeEntity"
 * (after moonfire-nvr's `get_range`): an entity knows its length, validator and how to read a
 * byte span; this layer does all Range / If-Range / HEAD / 200 / 206 / 416 work, so adapters
 * never hand-write Content-Range.
 *
 * `parseRangeHeader` is pure and total: any header string gives a defined answer, never a throw.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A virtual file served with byte ranges. */
export interface RangeEntity {
  /** Exact length in bytes. */
  readonly length: number;
  /** Strong validator (quoted, e.g. `"item-profile-v1"`), when the bytes are stable. */
  readonly etag?: string;
  readonly contentType: string;
  readonly lastModified?: Date;
  /** Streams bytes `start`..`end` inclusive (0 ≤ start ≤ end < length). */
  read(start: number, end: number, signal?: AbortSignal): Readable | Promise<Readable>;
}

/** One satisfiable byte span, both ends inclusive. */
export interface ByteSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * Result of reading a Range header against an entity length:
 * - `none`: no header, or one we must ignore (not `bytes`, syntactically invalid) → full 200;
 * - `single`: one satisfiable span (overlapping/adjacent spans are coalesced);
 * - `multiple`: several disjoint spans (this layer answers those with the full entity);
 * - `unsatisfiable`: valid syntax, but no span overlaps the entity → 416.
 */
export type RangeRequest =
  | { readonly kind: 'none' }
  | { readonly kind: 'single'; readonly span: ByteSpan }
  | { readonly kind: 'multiple'; readonly spans: readonly ByteSpan[] }
  | { readonly kind: 'unsatisfiable' };

/** Limit on specs in one header: a longer list is treated as abusive and ignored. */
const MAX_SPECS = 64;
const DIGITS = /^\d{1,16}$/;

/**
 * Parses a `Range` header value for an entity of `length` bytes (RFC 9110 §14.1.2).
 * Never throws. Whitespace around specs is allowed; unit names are case-insensitive.
 */
export function parseRangeHeader(header: string | undefined, length: number): RangeRequest {
  if (header === undefined) return { kind: 'none' };
  const eq = header.indexOf('=');
  if (eq < 0 || header.slice(0, eq).trim().toLowerCase() !== 'bytes') return { kind: 'none' };
  const specs = header.slice(eq + 1).split(',');
  if (specs.length > MAX_SPECS) return { kind: 'none' };
  const spans: ByteSpan[] = [];
  let sawValid = false;
  for (const raw of specs) {
    const spec = raw.trim();
    if (spec === '') continue; // "bytes=0-1,,2-3": empty list elements are allowed
    const dash = spec.indexOf('-');
    if (dash < 0) return { kind: 'none' };
    const first = spec.slice(0, dash).trim();
    const last = spec.slice(dash + 1).trim();
    if (first === '') {
      // suffix-range: the last N bytes
      if (!DIGITS.test(last)) return { kind: 'none' };
      sawValid = true;
      const n = Number(last);
      if (n === 0 || length === 0) continue;
      spans.push({ start: Math.max(0, length - n), end: length - 1 });
      continue;
    }
    if (!DIGITS.test(first) || (last !== '' && !DIGITS.test(last))) return { kind: 'none' };
    const start = Number(first);
    if (last !== '' && Number(last) < start) return { kind: 'none' };
    const end = last === '' ? length - 1 : Number(last);
    sawValid = true;
    if (start >= length) continue;
    spans.push({ start, end: Math.min(end, length - 1) });
  }
  if (!sawValid) return { kind: 'none' };
  if (spans.length === 0) return { kind: 'unsatisfiable' };
  const merged = coalesce(spans);
  const only = merged[0];
  if (merged.length === 1 && only) return { kind: 'single', span: only };
  return { kind: 'multiple', spans: merged };
}

/** Sorts and merges overlapping or adjacent spans. */
function coalesce(spans: readonly ByteSpan[]): ByteSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: ByteSpan[] = [];
  for (const s of sorted) {
    const prev = out[out.length - 1];
    if (prev && s.start <= prev.end + 1) out[out.length - 1] = { start: prev.start, end: Math.max(prev.end, s.end) };
    else out.push(s);
  }
  return out;
}

/** `bytes <start>-<end>/<length>` (correct end: the inclusive last byte). */
export function formatContentRange(span: ByteSpan, length: number): string {
  return `bytes ${span.start}-${span.end}/${length}`;
}

/**
 * Whether an `If-Range` validator still matches the entity (RFC 9110 §13.1.5): a strong ETag
 * compared exactly, or an HTTP date equal to `lastModified`. No header → true.
 */
export function ifRangeMatches(ifRange: string | undefined, entity: Pick<RangeEntity, 'etag' | 'lastModified'>): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) {
    return !value.startsWith('W/') && entity.etag !== undefined && value === entity.etag;
  }
  const date = Date.parse(value);
  if (Number.isNaN(date) || entity.lastModified === undefined) return false;
  return Math.floor(entity.lastModified.getTime() / 1000) === Math.floor(date / 1000);
}

/** The decision `serveRangeEntity` takes, exposed for tests and for adapters with own policies. */
export interface RangeDecision {
  readonly status: 200 | 206 | 416;
  /** Span to send; undefined for 416 and for an empty entity. */
  readonly span?: ByteSpan;
  readonly headers: Readonly<Record<string, string>>;
}

export interface RangeServeOptions {
  /**
   * Status for a satisfiable partial answer. Default 206; TiVo passthrough uses 200 with a
   * Content-Range, as TiVo Desktop did (documented in adapters/tivo/README.md).
   */
  readonly partialStatus?: 200 | 206;
  /** Also send Content-Range on full answers (`bytes 0-<len-1>/<len>`). Default false. */
  readonly alwaysContentRange?: boolean;
  /** Extra headers for every answer. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Decides status and headers for a request against an entity (pure). */
export function decideRange(
  entity: Pick<RangeEntity, 'length' | 'etag' | 'lastModified' | 'contentType'>,
  rangeHeader: string | undefined,
  ifRange: string | undefined,
  options: RangeServeOptions = {},
): RangeDecision {
  const { length } = entity;
  const base: Record<string, string> = { 'Content-Type': entity.contentType, 'Accept-Ranges': 'bytes', ...options.headers };
  if (entity.etag !== undefined) base['ETag'] = entity.etag;
  if (entity.lastModified !== undefined) base['Last-Modified'] = entity.lastModified.toUTCString();
  const request = ifRangeMatches(ifRange, entity) ? parseRangeHeader(rangeHeader, length) : { kind: 'none' as const };
  if (request.kind === 'unsatisfiable') {
    return { status: 416, headers: { ...base, 'Content-Range': `bytes */${length}`, 'Content-Length': '0' } };
  }
  if (request.kind === 'single') {
    const { span } = request;
    return {
      status: options.partialStatus ?? 206,
      span,
      headers: { ...base, 'Content-Length': String(span.end - span.start + 1), 'Content-Range': formatContentRange(span, length) },
    };
  }
  const full = length > 0 ? { start: 0, end: length - 1 } : undefined;
  const headers: Record<string, string> = { ...base, 'Content-Length': String(length) };
  if (options.alwaysContentRange && full) headers['Content-Range'] = formatContentRange(full, length);
  return full ? { status: 200, span: full, headers } : { status: 200, headers };
}

/**
 * Serves `entity` for `req` on `res`: GET and HEAD, Range (single span; multiple disjoint spans
 * get the full entity, which RFC 9110 permits), If-Range, 416 with `bytes * /len`. Resolves when
 * the body is sent or the client went away; a read error mid-body destroys the socket (headers
 * are never sent twice).
 */
export async function serveRangeEntity(
  req: IncomingMessage,
  res: ServerResponse,
  entity: RangeEntity,
  options: RangeServeOptions & { readonly signal?: AbortSignal } = {},
): Promise<void> {
  const rangeHeader = headerValue(req.headers['range']);
  const ifRange = headerValue(req.headers['if-range']);
  const decision = decideRange(entity, rangeHeader, ifRange, options);
  res.writeHead(decision.status, decision.headers);
  if (req.method === 'HEAD' || decision.span === undefined) {
    res.end();
    return;
  }
  const body = await entity.read(decision.span.start, decision.span.end, options.signal);
  try {
    await pipeline(body, res);
  } catch {
    // Client gone or read failure: the socket is already destroyed by pipeline.
    if (!res.destroyed) res.destroy();
  }
}

function headerValue(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(',');
}
