/**
 * Stable, URL-safe ids for local entries: a hash of the path relative to the library root
 * (POSIX separators, Unicode NFC), so the same file keeps its id across restarts and rescans
 * and an id reveals nothing about the file system.
 */
import { createHash } from 'node:crypto';

function shortHash(prefix: string, text: string): string {
  return createHash('sha256').update(`${prefix}\u0000${text.normalize('NFC')}`).digest('base64url').slice(0, 16);
}

/** Id of a folder or item from its root-relative POSIX path. */
export function entryIdOf(relPath: string): string {
  return shortHash('entry', relPath);
}

/** Id of an XMLTV channel from its guide id. */
export function channelIdOf(xmltvId: string): string {
  return shortHash('channel', xmltvId);
}

/** Id of an XMLTV programme from its channel and start instant. */
export function programIdOf(xmltvChannelId: string, startMs: number): string {
  return shortHash('programme', `${xmltvChannelId}|${startMs}`);
}

/** A cache tag that changes when the file changes. */
export function fileTag(relPath: string, size: number, mtimeMs: number): string {
  return shortHash('tag', `${relPath}|${size}|${mtimeMs}`).slice(0, 12);
}
