/**
 * Secrets: random tokens (256-bit, URL-safe), their SHA-256 for storage, HMAC-derived tokens
 * (feed and CSRF tokens that can be recomputed, so they need not be stored), and a
 * constant-time compare.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function randomId(): string {
  return randomBytes(9).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function deriveToken(secret: string, purpose: string): string {
  return createHmac('sha256', secret).update(purpose, 'utf8').digest('base64url');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A token as it may appear in a URL path segment (base64url, bounded length). */
export function looksLikeToken(text: string): boolean {
  return /^[A-Za-z0-9_-]{16,128}$/.test(text);
}
