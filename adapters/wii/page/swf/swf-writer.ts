/**
 * SWF file and tag writer (SWF File Format Specification v19: header §2, RECT §1, tags §3–§9).
 * Pure: builds bytes, no I/O. Only the handful of tags the Wii player needs.
 */

/** Unsigned/signed bit writer for RECT and MATRIX records. */
class BitWriter {
  private readonly bits: number[] = [];
  u(value: number, n: number): void {
    for (let i = n - 1; i >= 0; i--) this.bits.push(Math.floor(value / 2 ** i) % 2);
  }
  s(value: number, n: number): void {
    this.u(value < 0 ? 2 ** n + value : value, n);
  }
  bytes(): Buffer {
    const out = Buffer.alloc(Math.ceil(this.bits.length / 8));
    this.bits.forEach((bit, i) => {
      if (bit) out[i >> 3] = (out[i >> 3] ?? 0) | (0x80 >> (i & 7));
    });
    return out;
  }
}

function signedBits(...values: number[]): number {
  let n = 1;
  for (const v of values) {
    const magnitude = v < 0 ? -v - 1 : v;
    n = Math.max(n, magnitude === 0 ? 1 : Math.floor(Math.log2(magnitude)) + 2);
  }
  return n;
}

/** RECT in twips. */
export function rect(xMin: number, xMax: number, yMin: number, yMax: number): Buffer {
  const n = signedBits(xMin, xMax, yMin, yMax);
  const w = new BitWriter();
  w.u(n, 5);
  for (const v of [xMin, xMax, yMin, yMax]) w.s(v, n);
  return w.bytes();
}

/** A tag record: short header when the body is < 63 bytes, long otherwise. */
export function tag(code: number, body: Buffer = Buffer.alloc(0)): Buffer {
  if (body.length < 63) {
    const h = Buffer.alloc(2);
    h.writeUInt16LE((code << 6) | body.length);
    return Buffer.concat([h, body]);
  }
  const h = Buffer.alloc(6);
  h.writeUInt16LE((code << 6) | 0x3f);
  h.writeUInt32LE(body.length, 2);
  return Buffer.concat([h, body]);
}

export const TagCode = {
  end: 0,
  showFrame: 1,
  setBackgroundColor: 9,
  doAction: 12,
  placeObject2: 26,
  defineVideoStream: 60,
  fileAttributes: 69,
} as const;

/** FileAttributes: UseNetwork only (AS3 bit clear: AVM1). */
export function fileAttributes(useNetwork: boolean): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(useNetwork ? 0x01 : 0);
  return tag(TagCode.fileAttributes, b);
}

export function setBackgroundColor(rgb: number): Buffer {
  return tag(TagCode.setBackgroundColor, Buffer.from([(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff]));
}

/** DefineVideoStream: a NetStream-fed video object (0 frames), smoothing on or off. */
export function defineVideoStream(id: number, width: number, height: number, smoothing: boolean): Buffer {
  const b = Buffer.alloc(10);
  b.writeUInt16LE(id, 0);
  b.writeUInt16LE(0, 2);
  b.writeUInt16LE(width, 4);
  b.writeUInt16LE(height, 6);
  b[8] = smoothing ? 1 : 0;
  b[9] = 0; // codec id: set by the stream
  return tag(TagCode.defineVideoStream, b);
}

/** PlaceObject2 with a character, a translate-only matrix (twips) and an instance name. */
export function placeObject2(characterId: number, depth: number, name: string, x = 0, y = 0): Buffer {
  const flags = 0x20 | 0x04 | 0x02; // HasName | HasMatrix | HasCharacter
  const head = Buffer.alloc(5);
  head[0] = flags;
  head.writeUInt16LE(depth, 1);
  head.writeUInt16LE(characterId, 3);
  const m = new BitWriter();
  m.u(0, 1); // HasScale
  m.u(0, 1); // HasRotate
  const n = x === 0 && y === 0 ? 0 : signedBits(x, y);
  m.u(n, 5);
  if (n > 0) {
    m.s(x, n);
    m.s(y, n);
  }
  return tag(TagCode.placeObject2, Buffer.concat([head, m.bytes(), Buffer.from(`${name}\0`, 'utf8')]));
}

export function doAction(actions: Buffer): Buffer {
  return tag(TagCode.doAction, actions);
}

export interface SwfHeader {
  readonly version: number;
  readonly widthPx: number;
  readonly heightPx: number;
  /** Frames per second (8.8 fixed point). */
  readonly fps: number;
  readonly frameCount: number;
}

/** An uncompressed (`FWS`) SWF file from its tags. */
export function swfFile(header: SwfHeader, tags: readonly Buffer[]): Buffer {
  const frame = Buffer.alloc(4);
  frame.writeUInt16LE(Math.round(header.fps * 256), 0);
  frame.writeUInt16LE(header.frameCount, 2);
  const body = Buffer.concat([rect(0, header.widthPx * 20, 0, header.heightPx * 20), frame, ...tags]);
  const head = Buffer.alloc(8);
  head.write('FWS', 0, 'latin1');
  head[3] = header.version;
  head.writeUInt32LE(8 + body.length, 4);
  return Buffer.concat([head, body]);
}
