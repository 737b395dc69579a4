/**
 * TiVo-specific Range policy (protocols/tivo.md §8.3–8.4), pure byte arithmetic:
 * - a streamed transfer (remux/transcode) is one virtual stream: [synthetic header][ffmpeg
 *   output][MPEG-PS padding up to SourceSize, when padding is on];
 * - a Range at or past what will be delivered (or past SourceSize) is the "end probe": 206 +
 *   an empty chunked body, never 404/416;
 * - a Range inside the stream resumes byte-exactly at that virtual offset (from the spool).
 */
import { parseRangeHeader } from '../../plugin/index.js';

export interface StreamLayout {
  /** Synthetic header bytes in front (0 for TS). */
  readonly headerLength: number;
  /** Advertised SourceSize (header included). */
  readonly declaredLength: number;
  /** Pad the output to `declaredLength` once ffmpeg ends. */
  readonly pad: boolean;
}

export type StreamDecision = { readonly kind: 'stream'; readonly start: number } | { readonly kind: 'end' };

/**
 * Total bytes the virtual stream will have once ffmpeg finished with `outputLength` bytes:
 * header + output, raised to the declared length when padding is on (never truncated).
 */
export function deliveredLength(layout: StreamLayout, outputLength: number): number {
  const natural = layout.headerLength + outputLength;
  return layout.pad ? Math.max(natural, layout.declaredLength) : natural;
}

/**
 * Where a streamed transfer starts for a Range header. `finalOutputLength` is the ffmpeg
 * output length when the transcode has finished (undefined while it runs or before it started).
 * Garbage and multi-range headers start at 0 (a TiVo only ever sends `bytes=N-`).
 */
export function decideStreamRange(rangeHeader: string | undefined, layout: StreamLayout, finalOutputLength?: number): StreamDecision {
  const total = finalOutputLength === undefined ? undefined : deliveredLength(layout, finalOutputLength);
  const start = requestedStart(rangeHeader, total ?? layout.declaredLength);
  if (start === 0) return total === 0 ? { kind: 'end' } : { kind: 'stream', start: 0 };
  if (total !== undefined && start >= total) return { kind: 'end' };
  // Past the advertised size: nothing a TiVo should wait for, even if ffmpeg overshot it.
  if (total === undefined && start >= layout.declaredLength) return { kind: 'end' };
  return { kind: 'stream', start };
}

/** First byte asked for; suffix ranges count from `length`; unparsable or multi-range → 0. */
export function requestedStart(rangeHeader: string | undefined, length: number): number {
  // At least 1, so that on an empty stream any start past 0 is still the end probe.
  const bound = Math.max(1, length);
  const parsed = parseRangeHeader(rangeHeader, bound);
  if (parsed.kind === 'single') return parsed.span.start;
  // Past-the-end starts are the end probe: report them at the end.
  if (parsed.kind === 'unsatisfiable') return bound;
  return 0;
}

/** Padding needed after the output: its start offset inside the padding and its total size. */
export function paddingAfter(layout: StreamLayout, outputLength: number, virtualStart: number): { readonly total: number; readonly from: number } | undefined {
  if (!layout.pad) return undefined;
  const total = layout.declaredLength - layout.headerLength - outputLength;
  if (total <= 0) return undefined;
  const paddingStart = layout.headerLength + outputLength;
  return { total, from: Math.max(0, virtualStart - paddingStart) };
}

/** MPEG-PS padding packets are 2048 bytes (one DVD pack) except the tail. */
export const PADDING_PACKET = 2048;

/** Sizes of the padding packets filling `total` bytes (each ≥ 6 bytes, the packet header). */
export function paddingLayout(total: number): readonly number[] {
  if (total <= 0) return [];
  if (total < 6) return [total]; // too small for a packet: raw 0xFF stuffing (demuxers skip it)
  const n = Math.floor(total / PADDING_PACKET);
  const rem = total % PADDING_PACKET;
  const sizes = new Array<number>(n).fill(PADDING_PACKET);
  if (rem === 0) return sizes;
  if (rem >= 6) return [...sizes, rem];
  // Fold a tail under 6 bytes into the last two packets.
  sizes.pop();
  return [...sizes, PADDING_PACKET + rem - 6, 6];
}

/**
 * Padding bytes `from`..`to` (exclusive) of a padding run of `total` bytes: packets
 * `00 00 01 BE <u16 length>` followed by 0xFF. Deterministic, so resumed bytes are identical.
 */
export function paddingBytes(total: number, from: number, to: number): Buffer {
  const end = Math.min(to, total);
  if (from >= end) return Buffer.alloc(0);
  const out = Buffer.alloc(end - from, 0xff);
  let at = 0;
  for (const size of paddingLayout(total)) {
    if (at >= end) break;
    if (size >= 6 && at + 6 > from) {
      const header = Buffer.from([0x00, 0x00, 0x01, 0xbe, ((size - 6) >> 8) & 0xff, (size - 6) & 0xff]);
      for (let i = 0; i < 6; i++) {
        const pos = at + i;
        if (pos >= from && pos < end) out[pos - from] = header[i] ?? 0xff;
      }
    }
    at += size;
  }
  return out;
}
