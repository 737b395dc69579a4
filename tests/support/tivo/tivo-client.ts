/**
 * A TiVo-like HTTP client for tests (protocols/tivo.md §13): raw sockets so chunk framing and
 * the terminator are checked byte for byte, `tsn:` on every request, `Connection: close`.
 */
import { connect } from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Body as sent (chunk framing included when chunked). */
  readonly raw: Buffer;
  /** De-chunked body. */
  readonly body: Buffer;
  /** For chunked replies: whether `0\r\n\r\n` ended the body. */
  readonly terminated: boolean;
}

export function dechunk(raw: Buffer): { readonly body: Buffer; readonly terminated: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) return { body: Buffer.concat(parts), terminated: false };
    const size = parseInt(raw.toString('ascii', at, eol), 16);
    if (Number.isNaN(size)) throw new Error(`bad chunk size line at ${at}`);
    if (size === 0) return { body: Buffer.concat(parts), terminated: raw.subarray(eol + 2, eol + 4).toString('ascii') === '\r\n' };
    if (eol + 2 + size > raw.length) {
      parts.push(raw.subarray(eol + 2));
      return { body: Buffer.concat(parts), terminated: false };
    }
    parts.push(raw.subarray(eol + 2, eol + 2 + size));
    if (raw.toString('ascii', eol + 2 + size, eol + 4 + size) !== '\r\n') throw new Error('chunk not followed by CRLF');
    at = eol + 4 + size;
  }
}

/**
 * GETs `path` and reads until the server closes (or until `dropAfter` body bytes arrived, then
 * drops the connection like a TiVo losing the network). `onBody` hears how many raw body bytes
 * (chunk framing included) arrived so far.
 */
export function tivoGet(
  port: number,
  path: string,
  headers: Readonly<Record<string, string>> = {},
  options: { dropAfter?: number; method?: string; onBody?: (rawBodyBytes: number) => void } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let total = 0;
    let headerEnd = -1;
    const lines = [`${options.method ?? 'GET'} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'User-Agent: TvHttpClient', 'Connection: close'];
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    socket.write(lines.join('\r\n') + '\r\n\r\n');
    const finish = (): void => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) {
        reject(new Error('no response head'));
        return;
      }
      const head = all.toString('latin1', 0, end).split('\r\n');
      const status = Number(head[0]?.split(' ')[1]);
      const h: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const c = line.indexOf(':');
        h[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
      }
      const raw = all.subarray(end + 4);
      const chunked = h['transfer-encoding']?.toLowerCase() === 'chunked';
      const d = chunked ? dechunk(raw) : { body: raw, terminated: false };
      resolve({ status, headers: h, raw, body: d.body, terminated: d.terminated });
    };
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      total += c.length;
      if (headerEnd < 0) {
        const idx = Buffer.concat(chunks).indexOf('\r\n\r\n');
        if (idx >= 0) headerEnd = idx + 4;
      }
      if (headerEnd >= 0 && total > headerEnd) options.onBody?.(total - headerEnd);
      if (options.dropAfter !== undefined && headerEnd >= 0 && total - headerEnd >= options.dropAfter) {
        socket.destroy();
        finish();
      }
    });
    socket.on('end', finish);
    socket.on('error', (e) => (options.dropAfter !== undefined ? undefined : reject(e)));
  });
}
