/**
 * Reads a request body with a size cap, for adapters' small JSON and form posts.
 */
import type { IncomingMessage } from 'node:http';

/**
 * The whole body, or undefined once it is (or declares itself) larger than `maxBytes`; the
 * caller answers that with its own error. Stops reading at the cap, so a huge body costs no
 * more than `maxBytes` of memory.
 */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
