/**
 * Secrets never reach logs (DESIGN.md §7.2): URLs lose their userinfo and API keys, and
 * `Token="…"` values in Authorization headers are masked.
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi;
const KEY_PARAM = /([?&](?:api_?key|token|access_token|password|pass|pwd)=)[^&\s"']*/gi;
const TOKEN_ATTR = /(Token=")[^"]*(")/g;

export function redactSecrets(text: string): string {
  return text.replace(URL_USERINFO, '$1***@').replace(KEY_PARAM, '$1***').replace(TOKEN_ATTR, '$1***$2');
}

const SECRET_FIELD = /^(api_?key|password|secret|token|authorization|cookie)$/i;

/** Deep-copies a log record, redacting secret-looking fields and strings. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: redactSecrets(value.message) };
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) ? '***' : redactValue(v, depth + 1);
  }
  return out;
}
