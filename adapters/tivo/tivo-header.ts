/**
 * The synthetic ".TiVo" file header put in front of `video/x-tivo-mpeg` streams (protocols/tivo.md
 * §7.2; byte layout checked against pyTivo transcripts 20 and 22), so the TiVo gets the full
 * metadata. Big-endian:
 *   "TiVo", u16 4, u16 flags (13 = PS), u16 0, u32 total header length (multiple of 1024),
 *   u16 chunk count 2; then per chunk: u32 chunk size (padded payload + 12), u32 payload length,
 *   u16 id (1, 2), u16 type 0, payload (the TvBus XML) NUL-padded to 4 bytes plus 4 NULs;
 *   then NULs up to the 1024 boundary.
 * Pure.
 */

/** Flags for an MPEG-2 program stream payload (pyTivo sends 13). */
export const TIVO_HEADER_FLAGS_PS = 13;

/** Builds the header for the TvBus details XML (used for both chunks, as pyTivo does). */
export function buildTivoHeader(detailsXml: string): Buffer {
  const payload = Buffer.from(detailsXml, 'utf8');
  const padded = Math.ceil(payload.length / 4) * 4 + 4;
  const chunkSize = padded + 12;
  const raw = 16 + 2 * chunkSize;
  const total = Math.ceil(raw / 1024) * 1024;
  const out = Buffer.alloc(total); // zero-filled: padding is NULs
  out.write('TiVo', 0, 'ascii');
  out.writeUInt16BE(4, 4);
  out.writeUInt16BE(TIVO_HEADER_FLAGS_PS, 6);
  out.writeUInt16BE(0, 8);
  out.writeUInt32BE(total, 10);
  out.writeUInt16BE(2, 14);
  let at = 16;
  for (const id of [1, 2]) {
    out.writeUInt32BE(chunkSize, at);
    out.writeUInt32BE(payload.length, at + 4);
    out.writeUInt16BE(id, at + 8);
    out.writeUInt16BE(0, at + 10);
    payload.copy(out, at + 12);
    at += chunkSize;
  }
  return out;
}

/** Parsed header fields (for tests and diagnostics). */
export interface TivoHeaderInfo {
  readonly flags: number;
  readonly length: number;
  readonly chunks: readonly { readonly id: number; readonly type: number; readonly payload: string }[];
}

/** Reads a header back; undefined when `data` does not start with one. */
export function parseTivoHeader(data: Buffer): TivoHeaderInfo | undefined {
  if (data.length < 16 || data.toString('ascii', 0, 4) !== 'TiVo') return undefined;
  const length = data.readUInt32BE(10);
  const count = data.readUInt16BE(14);
  const chunks: { id: number; type: number; payload: string }[] = [];
  let at = 16;
  for (let i = 0; i < count && at + 12 <= data.length; i++) {
    const size = data.readUInt32BE(at);
    const payloadLength = data.readUInt32BE(at + 4);
    chunks.push({ id: data.readUInt16BE(at + 8), type: data.readUInt16BE(at + 10), payload: data.toString('utf8', at + 12, Math.min(data.length, at + 12 + payloadLength)) });
    at += size;
  }
  return { flags: data.readUInt16BE(6), length, chunks };
}
