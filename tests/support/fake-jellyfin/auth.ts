/**
 * Authentication as Jellyfin 12.x does it by default (EnableLegacyAuthorization = false): only
 * `Authorization: MediaBrowser …, Token="…"` or the `ApiKey` query parameter. Legacy forms
 * (X-Emby-Token, X-MediaBrowser-Token, X-Emby-Authorization, api_key, the `Emby` scheme) do not
 * authenticate.
 */
export type AuthOutcome =
  | { readonly ok: true; readonly via: 'header' | 'query'; readonly fields: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly reason: string };

/** Parses `MediaBrowser Client="…", Token="…"` into its (URI-decoded) fields. */
export function parseMediaBrowser(value: string): Record<string, string> | undefined {
  const m = /^\s*MediaBrowser\s+(.*)$/i.exec(value);
  if (m === null) return undefined;
  const fields: Record<string, string> = {};
  for (const part of (m[1] ?? '').matchAll(/([A-Za-z]+)="([^"]*)"/g)) {
    try {
      fields[part[1]!] = decodeURIComponent(part[2]!);
    } catch {
      fields[part[1]!] = part[2]!;
    }
  }
  return fields;
}

export function authenticate(headers: Readonly<Record<string, string | undefined>>, query: URLSearchParams, apiKey: string): AuthOutcome {
  const header = headers['authorization'];
  if (header !== undefined) {
    const fields = parseMediaBrowser(header);
    if (fields === undefined) return { ok: false, reason: 'unsupported authorization scheme' };
    if (fields['Token'] === apiKey) return { ok: true, via: 'header', fields };
    if (fields['Token'] !== undefined) return { ok: false, reason: 'invalid token' };
  }
  for (const [k, v] of query) {
    if (k.toLowerCase() === 'apikey') return v === apiKey ? { ok: true, via: 'query', fields: header === undefined ? {} : (parseMediaBrowser(header) ?? {}) } : { ok: false, reason: 'invalid token' };
  }
  return { ok: false, reason: 'Token is required' };
}
