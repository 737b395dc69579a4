/**
 * RTMP chunk stream layer (Adobe RTMP specification 1.0, §5.3). Pure: no I/O.
 *
 * `ChunkReader` reassembles messages from bytes as they arrive, with hard limits on message
 * length, chunk size and the number of chunk streams (a peer can otherwise make us buffer
 * unbounded data). `ChunkWriter` splits messages into chunks, compressing headers (fmt 1/2/3)
 * only when the previous message on the same chunk stream allows it.
 *
 * Quirks handled: the message stream id in fmt-0 headers is little-endian; a timestamp of
 * 0xFFFFFF announces a 4-byte extended timestamp, which is repeated on fmt-3 continuation
 * chunks (librtmp and ffmpeg both write and read it there); Set Chunk Size and Abort take effect
 * in the middle of a read, so the reader applies them itself.
 */
import { SidecarError } from '../../../plugin/index.js';

/** One RTMP message as the layers above see it. */
export interface RtmpMessage {
  readonly type: number;
  readonly streamId: number;
  /** Milliseconds (32-bit, wraps after ~49.7 days). */
  readonly timestamp: number;
  readonly payload: Buffer;
}

export interface ChunkReaderLimits {
  /** Largest message the peer may send (commands are small; we never accept media). */
  readonly maxMessageLength: number;
  /** Largest chunk size the peer may announce. */
  readonly maxChunkSize: number;
  /** Distinct chunk stream ids with state. */
  readonly maxChunkStreams: number;
}

export const DEFAULT_READER_LIMITS: ChunkReaderLimits = {
  maxMessageLength: 256 * 1024,
  maxChunkSize: 65_536,
  maxChunkStreams: 64,
};

/** Protocol control message types handled by the chunk layer itself. */
export const MSG_SET_CHUNK_SIZE = 1;
export const MSG_ABORT = 2;

const EXTENDED = 0xffffff;

interface InboundStream {
  hasHeader: boolean;
  timestamp: number;
  delta: number;
  length: number;
  type: number;
  streamId: number;
  extended: boolean;
  /** Message being reassembled, or undefined between messages. */
  partial: Buffer | undefined;
  received: number;
}

function protocolError(message: string): SidecarError {
  return new SidecarError('ERR_WII_RTMP_PROTOCOL', 'invalid-argument', `RTMP chunk: ${message}`);
}

/** Incremental chunk parser. Feed bytes with `push`; complete messages come back in order. */
export class ChunkReader {
  private buffer: Buffer = Buffer.alloc(0);
  private chunkSize = 128;
  private readonly streams = new Map<number, InboundStream>();
  private readonly limits: ChunkReaderLimits;

  constructor(limits: Partial<ChunkReaderLimits> = {}) {
    this.limits = { ...DEFAULT_READER_LIMITS, ...limits };
  }

  /** The peer's current chunk size. */
  get inboundChunkSize(): number {
    return this.chunkSize;
  }

  /** Bytes held waiting for the rest of a chunk. */
  get buffered(): number {
    return this.buffer.length;
  }

  /**
   * Adds bytes and returns every message they complete. Throws `ERR_WII_RTMP_PROTOCOL` on
   * malformed input; the reader is unusable afterwards (close the connection).
   */
  push(data: Buffer): RtmpMessage[] {
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    const out: RtmpMessage[] = [];
    for (;;) {
      const consumed = this.readChunk(out);
      if (consumed === 0) break;
      this.buffer = this.buffer.subarray(consumed);
    }
    if (this.buffer.length > this.chunkSize + 18 + 64) throw protocolError('buffer overflow');
    return out;
  }

  /** Reads one chunk at the start of the buffer; returns bytes consumed, 0 if incomplete. */
  private readChunk(out: RtmpMessage[]): number {
    const b = this.buffer;
    if (b.length < 1) return 0;
    const first = b[0] ?? 0;
    const fmt = first >> 6;
    let csid = first & 0x3f;
    let pos = 1;
    if (csid === 0) {
      if (b.length < 2) return 0;
      csid = (b[1] ?? 0) + 64;
      pos = 2;
    } else if (csid === 1) {
      if (b.length < 3) return 0;
      csid = (b[2] ?? 0) * 256 + (b[1] ?? 0) + 64;
      pos = 3;
    }
    const headerLength = fmt === 0 ? 11 : fmt === 1 ? 7 : fmt === 2 ? 3 : 0;
    if (b.length < pos + headerLength) return 0;

    let state = this.streams.get(csid);
    if (!state) {
      if (fmt !== 0) throw protocolError(`fmt ${fmt} chunk on unknown chunk stream ${csid}`);
      if (this.streams.size >= this.limits.maxChunkStreams) throw protocolError('too many chunk streams');
      state = { hasHeader: false, timestamp: 0, delta: 0, length: 0, type: 0, streamId: 0, extended: false, partial: undefined, received: 0 };
      this.streams.set(csid, state);
    }
    if (fmt !== 0 && !state.hasHeader) throw protocolError(`fmt ${fmt} chunk before a full header on chunk stream ${csid}`);
    if (fmt !== 3 && state.partial !== undefined) throw protocolError(`new header in the middle of a message on chunk stream ${csid}`);

    let tsField = 0;
    let length = state.length;
    let type = state.type;
    let streamId = state.streamId;
    if (fmt <= 2) tsField = b.readUIntBE(pos, 3);
    if (fmt <= 1) {
      length = b.readUIntBE(pos + 3, 3);
      type = b[pos + 6] ?? 0;
    }
    if (fmt === 0) streamId = b.readUInt32LE(pos + 7);
    pos += headerLength;

    const extended = fmt === 3 ? state.extended : tsField === EXTENDED;
    let extendedValue = 0;
    if (extended) {
      if (b.length < pos + 4) return 0;
      extendedValue = b.readUInt32BE(pos);
      pos += 4;
    }
    const startsMessage = state.partial === undefined;
    // Checked as soon as the header is here, so an oversized length is never waited for.
    if (startsMessage && length > this.limits.maxMessageLength) throw protocolError(`message of ${length} bytes exceeds ${this.limits.maxMessageLength}`);
    const remaining = startsMessage ? length : state.length - state.received;
    const take = Math.min(this.chunkSize, remaining);
    if (b.length < pos + take) return 0;

    // The whole chunk is here: commit header state.
    if (startsMessage) {
      const value = extended ? extendedValue : tsField;
      if (fmt === 0) {
        state.timestamp = value;
        state.delta = 0;
      } else if (fmt === 1 || fmt === 2) {
        state.delta = value;
        state.timestamp = (state.timestamp + value) >>> 0;
      } else {
        state.timestamp = (state.timestamp + state.delta) >>> 0;
      }
      state.length = length;
      state.type = type;
      state.streamId = streamId;
      state.extended = extended;
      state.hasHeader = true;
      state.partial = Buffer.allocUnsafe(length);
      state.received = 0;
    }
    const partial = state.partial ?? Buffer.alloc(0);
    b.copy(partial, state.received, pos, pos + take);
    state.received += take;
    pos += take;

    if (state.received >= state.length) {
      const message: RtmpMessage = { type: state.type, streamId: state.streamId, timestamp: state.timestamp, payload: partial };
      state.partial = undefined;
      state.received = 0;
      this.applyControl(message);
      out.push(message);
    }
    return pos;
  }

  private applyControl(message: RtmpMessage): void {
    if (message.type === MSG_SET_CHUNK_SIZE) {
      if (message.payload.length < 4) throw protocolError('short Set Chunk Size');
      const size = message.payload.readUInt32BE(0);
      // Top bit must be zero (spec §5.4.1); 0 would stall the stream (nginx goes silent).
      if (size < 1 || size > 0x7fffffff || size > this.limits.maxChunkSize) throw protocolError(`Set Chunk Size ${size} out of range`);
      this.chunkSize = size;
    } else if (message.type === MSG_ABORT) {
      if (message.payload.length < 4) throw protocolError('short Abort');
      const state = this.streams.get(message.payload.readUInt32BE(0));
      if (state) {
        state.partial = undefined;
        state.received = 0;
      }
    }
  }
}

interface OutboundStream {
  readonly timestamp: number;
  readonly length: number;
  readonly type: number;
  readonly streamId: number;
  /**
   * Delta of the last fmt-1/2 header, undefined after fmt 0: ffmpeg adds the last timestamp
   * *field* to a fmt-3 message, so fmt 3 right after fmt 0 would double the timestamp there.
   */
  readonly delta: number | undefined;
}

function basicHeader(fmt: number, csid: number): Buffer {
  if (csid >= 2 && csid <= 63) return Buffer.from([(fmt << 6) | csid]);
  if (csid >= 64 && csid <= 319) return Buffer.from([fmt << 6, csid - 64]);
  if (csid >= 320 && csid <= 65_599) return Buffer.from([(fmt << 6) | 1, (csid - 64) & 0xff, (csid - 64) >> 8]);
  throw new SidecarError('ERR_WII_RTMP_PROTOCOL', 'invalid-argument', `chunk stream id ${csid} out of range`);
}

/**
 * Splits messages into chunks. Keeps the last header per chunk stream so repeated headers
 * shrink to fmt 1, 2 or 3, as Flash servers do.
 */
export class ChunkWriter {
  private chunkSize = 128;
  private readonly streams = new Map<number, OutboundStream>();

  /** Call after sending Set Chunk Size: later messages are split at `size`. */
  setChunkSize(size: number): void {
    if (!Number.isInteger(size) || size < 1 || size > 0x7fffffff) {
      throw new SidecarError('ERR_WII_RTMP_PROTOCOL', 'invalid-argument', `chunk size ${size} out of range`);
    }
    this.chunkSize = size;
  }

  /** Forgets the header state of a chunk stream so the next message gets a full fmt-0 header. */
  reset(csid: number): void {
    this.streams.delete(csid);
  }

  /** Encodes `message` on chunk stream `csid` as one buffer of chunks. */
  write(csid: number, message: RtmpMessage): Buffer {
    const ts = message.timestamp >>> 0;
    const length = message.payload.length;
    const prev = this.streams.get(csid);
    let fmt = 0;
    let tsField = ts;
    // Timestamps at or past 0xFFFFFF always get a fmt-0 header: deltas with an extended field
    // are read inconsistently by clients.
    if (prev && prev.streamId === message.streamId && ts >= prev.timestamp && ts < EXTENDED) {
      const delta = ts - prev.timestamp;
      tsField = delta;
      if (prev.length !== length || prev.type !== message.type) fmt = 1;
      else if (prev.delta === undefined || prev.delta !== delta) fmt = 2;
      else fmt = 3;
    }
    const extended = ts >= EXTENDED;
    const parts: Buffer[] = [basicHeader(fmt, csid)];
    if (fmt <= 2) {
      const h = Buffer.alloc(fmt === 0 ? 11 : fmt === 1 ? 7 : 3);
      h.writeUIntBE(extended ? EXTENDED : tsField, 0, 3);
      if (fmt <= 1) {
        h.writeUIntBE(length, 3, 3);
        h[6] = message.type;
      }
      if (fmt === 0) h.writeUInt32LE(message.streamId, 7);
      parts.push(h);
    }
    let ext: Buffer | undefined;
    if (extended) {
      ext = Buffer.alloc(4);
      ext.writeUInt32BE(ts);
      parts.push(ext);
    }
    const continuation = basicHeader(3, csid);
    let offset = 0;
    do {
      const end = Math.min(length, offset + this.chunkSize);
      if (offset > 0) {
        parts.push(continuation);
        if (ext) parts.push(ext);
      }
      parts.push(message.payload.subarray(offset, end));
      offset = end;
    } while (offset < length);
    this.streams.set(csid, { timestamp: ts, length, type: message.type, streamId: message.streamId, delta: fmt === 0 ? undefined : tsField });
    return Buffer.concat(parts);
  }
}
