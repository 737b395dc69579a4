/**
 * Jellyfin-path → local-path prefix mapping, so the sidecar reads media files directly when it
 * shares storage with Jellyfin (containers often mount the same files under other paths).
 */
export interface PathMapping {
  readonly from: string;
  readonly to: string;
}

function trimSep(p: string): string {
  return p.replace(/[/\\]+$/, '');
}

/**
 * Maps `path` with the longest matching `from` prefix; undefined when none applies. A prefix
 * matches only at a path-segment boundary (`/media` does not match `/media2/x`). Windows-style
 * Jellyfin paths (`D:\Media\x.mkv`) get forward slashes after the prefix.
 */
export function mapPath(path: string, mappings: readonly PathMapping[]): string | undefined {
  const sorted = [...mappings].sort((a, b) => trimSep(b.from).length - trimSep(a.from).length);
  for (const m of sorted) {
    const from = trimSep(m.from);
    if (from === '' && m.from === '') continue;
    const windows = /^[A-Za-z]:|\\/.test(from);
    const matches = windows ? path.toLowerCase().startsWith(from.toLowerCase()) : path.startsWith(from);
    if (!matches) continue;
    const rest = path.slice(from.length);
    if (rest !== '' && !/^[/\\]/.test(rest)) continue;
    const tail = rest.replace(/\\/g, '/').replace(/^\/+/, '');
    const to = trimSep(m.to);
    return tail === '' ? (to === '' ? '/' : to) : `${to}/${tail}`;
  }
  return undefined;
}

/**
 * The reverse of `mapPath`: a local path as Jellyfin sees it (longest matching `to` prefix, at a
 * path-segment boundary), for telling Jellyfin about a folder the sidecar writes. Undefined when
 * no mapping applies. A Windows-style `from` gets backslashes after the prefix.
 */
export function unmapPath(path: string, mappings: readonly PathMapping[]): string | undefined {
  const sorted = [...mappings].sort((a, b) => trimSep(b.to).length - trimSep(a.to).length);
  for (const m of sorted) {
    const to = trimSep(m.to);
    if ((to === '' && m.to === '') || !path.startsWith(to)) continue;
    const rest = path.slice(to.length);
    if (rest !== '' && !rest.startsWith('/')) continue;
    const tail = rest.replace(/^\/+/, '').replace(/\/+$/, '');
    const from = trimSep(m.from);
    const windows = /^[A-Za-z]:|\\/.test(from);
    const sep = windows ? '\\' : '/';
    if (tail === '') return from === '' ? sep : from;
    return `${from}${sep}${windows ? tail.split('/').join('\\') : tail}`;
  }
  return undefined;
}
