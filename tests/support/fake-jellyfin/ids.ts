/** Deterministic Jellyfin-style ids: 32 lower-case hex digits ("N" GUID form, as Jellyfin emits). */
import { createHash } from 'node:crypto';

export function guid(seed: string): string {
  return createHash('md5').update(seed).digest('hex');
}

/** An image/etag tag as Jellyfin emits (32 hex). */
export function tag(seed: string): string {
  return createHash('md5').update(`tag:${seed}`).digest('hex');
}

/** ISO 8601 with Jellyfin's 7-digit fraction and Z. */
export function jellyfinDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}
