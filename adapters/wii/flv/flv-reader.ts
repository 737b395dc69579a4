/**
 * Incremental FLV tag parser for ffmpeg's `-f flv pipe:1` output (Adobe FLV specification
 * v10.1, annex E). Pure: no I/O. Audio/video/script tag bodies are handed on unchanged: an
 * RTMP audio (8) / video (9) message body is exactly an FLV tag body.
 */
import { SidecarError } from '../../../plugin/index.js';

export const FLV_TAG_AUDIO = 8;
export const FLV_TAG_VIDEO = 9;
export const FLV_TAG_SCRIPT = 18;

export interface FlvTag {
  readonly type: number;
  /** Milliseconds, 32 bits (the extended byte is the high 8 bits). */
  readonly timestamp: number;
  readonly data: Buffer;
}

const HEADER_MIN = 9;
const TAG_HEADER = 11;

function flvError(message: string): SidecarError {
  return new SidecarError('ERR_WII_FLV_INVALID', 'internal', `FLV: ${message}`);
}

export class FlvTagReader {
  private buffer: Buffer = Buffer.alloc(0);
  private headerDone = false;

  /** Bytes waiting for the rest of a tag. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Adds bytes; returns the complete tags they finish. */
  push(data: Buffer): FlvTag[] {
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    const tags: FlvTag[] = [];
    let pos = 0;
    const b = this.buffer;
    if (!this.headerDone) {
      if (b.length < HEADER_MIN + 4) return tags;
      if (b.toString('latin1', 0, 3) !== 'FLV') throw flvError('missing FLV signature');
      const headerSize = b.readUInt32BE(5);
      if (headerSize < HEADER_MIN || headerSize > 1024) throw flvError(`bad header size ${headerSize}`);
      if (b.length < headerSize + 4) return tags;
      pos = headerSize + 4; // header + PreviousTagSize0
      this.headerDone = true;
    }
    while (b.length - pos >= TAG_HEADER) {
      const type = (b[pos] ?? 0) & 0x1f;
      const size = b.readUIntBE(pos + 1, 3);
      if (b.length - pos < TAG_HEADER + size + 4) break;
      const timestamp = (b.readUIntBE(pos + 4, 3) | ((b[pos + 7] ?? 0) << 24)) >>> 0;
      // A view, not a copy: the chunk writer copies the body into its output anyway.
      const data = b.subarray(pos + TAG_HEADER, pos + TAG_HEADER + size);
      tags.push({ type, timestamp, data });
      pos += TAG_HEADER + size + 4;
    }
    this.buffer = b.subarray(pos);
    return tags;
  }
}

/** True for a video tag body whose frame type is 1 (keyframe). */
export function isKeyframe(tag: FlvTag): boolean {
  return tag.type === FLV_TAG_VIDEO && tag.data.length > 0 && ((tag.data[0] ?? 0) >> 4) === 1;
}

/** Writes an FLV header; with `flvTag`, builds FLV streams for tests. */
export function flvHeader(hasAudio: boolean, hasVideo: boolean): Buffer {
  const b = Buffer.alloc(13);
  b.write('FLV', 0, 'latin1');
  b[3] = 1;
  b[4] = (hasAudio ? 4 : 0) | (hasVideo ? 1 : 0);
  b.writeUInt32BE(9, 5);
  return b;
}

/** Writes one FLV tag with its PreviousTagSize. */
export function flvTag(tag: FlvTag): Buffer {
  const b = Buffer.alloc(TAG_HEADER + tag.data.length + 4);
  b[0] = tag.type;
  b.writeUIntBE(tag.data.length, 1, 3);
  b.writeUIntBE(tag.timestamp & 0xffffff, 4, 3);
  b[7] = (tag.timestamp >>> 24) & 0xff;
  tag.data.copy(b, TAG_HEADER);
  b.writeUInt32BE(TAG_HEADER + tag.data.length, TAG_HEADER + tag.data.length);
  return b;
}
