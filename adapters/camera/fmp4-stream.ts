/**
 * Splits a fragmented mp4 byte stream (ffmpeg `-movflags +frag_keyframe+empty_moov+
 * default_base_moof` on a pipe, ISO/IEC 14496-12 §4.2 box framing) into the init segment
 * (`ftyp` + `moov`) and media fragments (`moof` + `mdat`, each starting at a key frame), so one
 * camera connection can feed several live viewers: a viewer joining late gets the init segment
 * and then the next whole fragment. Pure: no I/O; byte-tested in
 * tests/unit/adapters/camera/fmp4-stream.test.ts.
 */

/** What the stream yields: the init segment once, then whole fragments. */
export type Fmp4Event =
  | { readonly kind: 'init'; readonly bytes: Buffer; readonly codecs: string | undefined }
  | { readonly kind: 'fragment'; readonly bytes: Buffer };

/** A box larger than this is taken for a corrupt stream (a live fragment is one GOP). */
export const MAX_BOX_BYTES = 64 * 1024 * 1024;

type BoxHeader = { readonly type: string; readonly size: number };

export class Fmp4Stream {
  /**
   * Bytes received but not yet cut into boxes, as the pipe delivered them: a fragment's `mdat`
   * arrives in many chunks, so they are joined once, when the whole box is there (joining on
   * every chunk would copy a large box over and over).
   */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The header of the box at the front of `pending`, once read. */
  private head: BoxHeader | undefined;
  private initParts: Buffer[] = [];
  private fragmentParts: Buffer[] = [];
  private initDone = false;

  /** Feeds bytes; returns the init segment and fragments completed by them. Throws RangeError on a corrupt stream. */
  push(chunk: Buffer): Fmp4Event[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const events: Fmp4Event[] = [];
    for (;;) {
      this.head ??= this.pendingBytes < 8 ? undefined : boxHeader(this.joined());
      if (this.head === undefined || this.pendingBytes < this.head.size) break;
      const { type, size } = this.head;
      this.head = undefined;
      this.take(type, this.cut(size), events);
    }
    return events;
  }

  /** The pending bytes as one buffer: joined once for a box header, once for the whole box. */
  private joined(): Buffer {
    const all = (this.pending.length === 1 ? this.pending[0] : undefined) ?? Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [all];
    return all;
  }

  /** Removes and returns the first `size` bytes; what follows stays pending. */
  private cut(size: number): Buffer {
    const all = this.joined();
    const rest = all.subarray(size);
    this.pending = rest.length === 0 ? [] : [rest];
    this.pendingBytes = rest.length;
    return all.subarray(0, size);
  }

  private take(type: string, bytes: Buffer, events: Fmp4Event[]): void {
    if (!this.initDone) {
      if (type !== 'moof') {
        this.initParts.push(bytes);
        return;
      }
      const init = Buffer.concat(this.initParts);
      this.initParts = [];
      this.initDone = true;
      events.push({ kind: 'init', bytes: init, codecs: codecsOf(init) });
    }
    // `mfra` (the index ffmpeg appends at the end) and anything else between fragments is dropped.
    if (type === 'moof') this.fragmentParts = [bytes];
    else if (this.fragmentParts.length > 0) {
      this.fragmentParts.push(bytes);
      if (type === 'mdat') {
        events.push({ kind: 'fragment', bytes: Buffer.concat(this.fragmentParts) });
        this.fragmentParts = [];
      }
    }
  }
}

/** The next whole box at the start of `buf`, or undefined when more bytes are needed. */
export function nextBox(buf: Buffer): { readonly type: string; readonly size: number; readonly bytes: Buffer } | undefined {
  const head = boxHeader(buf);
  if (head === undefined || buf.length < head.size) return undefined;
  return { ...head, bytes: buf.subarray(0, head.size) };
}

/** Type and size of the box starting `buf`, or undefined when the header is not all there yet. */
function boxHeader(buf: Buffer): BoxHeader | undefined {
  if (buf.length < 8) return undefined;
  let size = buf.readUInt32BE(0);
  const type = buf.toString('latin1', 4, 8);
  if (size === 1) {
    if (buf.length < 16) return undefined;
    const large = buf.readBigUInt64BE(8);
    if (large > BigInt(MAX_BOX_BYTES)) throw new RangeError(`box ${type} of ${large} bytes is too large`);
    size = Number(large);
    if (size < 16) throw new RangeError(`box ${type} declares ${size} bytes`);
  } else if (size === 0) {
    throw new RangeError(`box ${type} runs to the end of the stream (not a fragmented stream)`);
  } else if (size < 8) {
    throw new RangeError(`box ${type} declares ${size} bytes`);
  }
  if (size > MAX_BOX_BYTES) throw new RangeError(`box ${type} of ${size} bytes is too large`);
  return { type, size };
}

/**
 * The RFC 6381 codecs value of an H.264 init segment (`avc1.PPCCLL` from the `avcC` record),
 * for `MediaSource.isTypeSupported`; undefined for other codecs (the browser then gets the
 * stream as a plain progressive `<video src>`).
 */
export function codecsOf(init: Buffer): string | undefined {
  for (let at = init.indexOf('avcC', 0, 'latin1'); at >= 4; at = init.indexOf('avcC', at + 4, 'latin1')) {
    const size = init.readUInt32BE(at - 4);
    // avcC: size, 'avcC', configurationVersion (1), profile, compatibility, level, ...
    if (size < 15 || at - 4 + size > init.length || init[at + 4] !== 1) continue;
    const hex = (n: number | undefined): string => (n ?? 0).toString(16).padStart(2, '0').toUpperCase();
    // `avc1.` also stands for avc3 entries as far as isTypeSupported is concerned.
    return `avc1.${hex(init[at + 5])}${hex(init[at + 6])}${hex(init[at + 7])}`;
  }
  return undefined;
}
