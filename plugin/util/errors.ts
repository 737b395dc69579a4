/**
 * One error type for the whole sidecar (DESIGN.md §7.2). `code` is stable and documented in
 * docs/errors.md; `kind` alone decides the HTTP status (plugin/http/errors-to-http.ts) and each
 * adapter maps it to its protocol's signal.
 */
export type ErrorKind =
  | 'invalid-argument'
  | 'not-found'
  | 'permission-denied'
  | 'unauthenticated'
  | 'failed-precondition'
  | 'resource-exhausted'
  | 'unavailable'
  | 'aborted'
  | 'internal';

export interface SidecarErrorOptions {
  readonly cause?: unknown;
  /** Extra structured detail (e.g. the ffmpeg stderr tail); logged, never sent to devices. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

export class SidecarError extends Error {
  override readonly name = 'SidecarError';
  readonly code: string;
  readonly kind: ErrorKind;
  readonly detail: Readonly<Record<string, unknown>>;

  constructor(code: string, kind: ErrorKind, message: string, options: SidecarErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.kind = kind;
    this.detail = options.detail ?? {};
  }
}

export function isSidecarError(value: unknown): value is SidecarError {
  return value instanceof SidecarError;
}

/** Wraps anything thrown into a SidecarError, keeping the original as `cause`. */
export function toSidecarError(value: unknown, code = 'ERR_INTERNAL', kind: ErrorKind = 'internal'): SidecarError {
  if (value instanceof SidecarError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new SidecarError(code, kind, message, { cause: value });
}

export function errorMessage(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}
