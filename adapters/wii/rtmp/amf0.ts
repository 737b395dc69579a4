/**
 * AMF0 codec (Adobe "Action Message Format -- AMF 0", 2007, §2). Pure: no I/O.
 *
 * Covers what RTMP command and data messages carry: number, boolean, string, long string,
 * object, null, undefined, ECMA array, strict array, date, and the object-end marker. Decoding is
 * defensive (hard depth and length limits) because it runs on bytes from the network; anything
 * malformed throws `ERR_WII_AMF_DECODE` and the connection that sent it is closed.
 */
import { SidecarError } from '../../../plugin/index.js';

/** An AMF0 value as JavaScript sees it. Objects and ECMA arrays decode to plain records. */
export type AmfValue = number | boolean | string | null | undefined | Date | AmfObject | readonly AmfValue[];
export interface AmfObject {
  readonly [key: string]: AmfValue;
}

/** Marks a record that must be written as an ECMA array (type 8) instead of an object (onMetaData). */
export class AmfEcmaArray {
  constructor(readonly entries: AmfObject) {}
}

export type AmfEncodable = AmfValue | AmfEcmaArray | { readonly [key: string]: AmfEncodable } | readonly AmfEncodable[];

const MARKER = {
  number: 0x00,
  boolean: 0x01,
  string: 0x02,
  object: 0x03,
  null: 0x05,
  undefined: 0x06,
  reference: 0x07,
  ecmaArray: 0x08,
  objectEnd: 0x09,
  strictArray: 0x0a,
  date: 0x0b,
  longString: 0x0c,
  unsupported: 0x0d,
  xmlDocument: 0x0f,
  typedObject: 0x10,
  avmPlus: 0x11,
} as const;

/** Nesting deeper than this is refused (a connect object is 1–2 levels deep). */
export const AMF_MAX_DEPTH = 32;
/** Elements of a strict array or properties of an object, per container. */
export const AMF_MAX_ELEMENTS = 65_536;

function decodeError(message: string): SidecarError {
  return new SidecarError('ERR_WII_AMF_DECODE', 'invalid-argument', `AMF0: ${message}`);
}

class Reader {
  offset = 0;
  constructor(private readonly buf: Buffer) {}
  get remaining(): number {
    return this.buf.length - this.offset;
  }
  need(n: number): void {
    if (this.remaining < n) throw decodeError(`truncated value at byte ${this.offset}`);
  }
  u8(): number {
    this.need(1);
    return this.buf.readUInt8(this.offset++);
  }
  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  f64(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.offset);
    this.offset += 8;
    return v;
  }
  utf8(n: number): string {
    this.need(n);
    const s = this.buf.toString('utf8', this.offset, this.offset + n);
    this.offset += n;
    return s;
  }
}

function readProperties(r: Reader, depth: number): Record<string, AmfValue> {
  const out: Record<string, AmfValue> = Object.create(null) as Record<string, AmfValue>;
  for (let count = 0; ; count++) {
    if (count > AMF_MAX_ELEMENTS) throw decodeError('too many properties');
    const keyLength = r.u16();
    if (keyLength === 0) {
      // Empty key followed by the object-end marker closes the object.
      r.need(1);
      const marker = r.u8();
      if (marker === MARKER.objectEnd) return out;
      r.offset -= 1;
      out[''] = readValue(r, depth + 1);
      continue;
    }
    const key = r.utf8(keyLength);
    out[key] = readValue(r, depth + 1);
  }
}

function readValue(r: Reader, depth: number): AmfValue {
  if (depth > AMF_MAX_DEPTH) throw decodeError('nesting too deep');
  const marker = r.u8();
  switch (marker) {
    case MARKER.number:
      return r.f64();
    case MARKER.boolean:
      return r.u8() !== 0;
    case MARKER.string:
      return r.utf8(r.u16());
    case MARKER.longString:
      return r.utf8(r.u32());
    case MARKER.xmlDocument:
      return r.utf8(r.u32());
    case MARKER.object:
      return readProperties(r, depth);
    case MARKER.typedObject: {
      r.utf8(r.u16()); // class name: irrelevant to us
      return readProperties(r, depth);
    }
    case MARKER.ecmaArray:
      r.u32(); // advisory count; the terminator is authoritative
      return readProperties(r, depth);
    case MARKER.null:
      return null;
    case MARKER.undefined:
    case MARKER.unsupported:
      return undefined;
    case MARKER.strictArray: {
      const n = r.u32();
      if (n > AMF_MAX_ELEMENTS || n > r.remaining) throw decodeError(`strict array of ${n} elements`);
      const out: AmfValue[] = [];
      for (let i = 0; i < n; i++) out.push(readValue(r, depth + 1));
      return out;
    }
    case MARKER.date: {
      const ms = r.f64();
      r.u16(); // time zone: reserved, ignored by every player
      return new Date(ms);
    }
    default:
      throw decodeError(`unsupported marker 0x${marker.toString(16).padStart(2, '0')} at byte ${r.offset - 1}`);
  }
}

/** Decodes every AMF0 value in `buf` (a command or data message body). */
export function decodeAmf0(buf: Buffer): AmfValue[] {
  const r = new Reader(buf);
  const out: AmfValue[] = [];
  while (r.remaining > 0) out.push(readValue(r, 0));
  return out;
}

/** Decodes one value at `offset`; returns it with the offset after it. */
export function decodeAmf0Value(buf: Buffer, offset = 0): { value: AmfValue; next: number } {
  const r = new Reader(buf);
  r.offset = offset;
  const value = readValue(r, 0);
  return { value, next: r.offset };
}

function writeUtf8Key(parts: Buffer[], key: string): void {
  const k = Buffer.from(key, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(k.length);
  parts.push(len, k);
}

function writeProperties(parts: Buffer[], record: { readonly [key: string]: AmfEncodable }): void {
  for (const [key, value] of Object.entries(record)) {
    writeUtf8Key(parts, key);
    writeValue(parts, value);
  }
  parts.push(Buffer.from([0x00, 0x00, MARKER.objectEnd]));
}

function writeValue(parts: Buffer[], value: AmfEncodable): void {
  if (value === null) {
    parts.push(Buffer.from([MARKER.null]));
  } else if (value === undefined) {
    parts.push(Buffer.from([MARKER.undefined]));
  } else if (typeof value === 'number') {
    const b = Buffer.alloc(9);
    b[0] = MARKER.number;
    b.writeDoubleBE(value, 1);
    parts.push(b);
  } else if (typeof value === 'boolean') {
    parts.push(Buffer.from([MARKER.boolean, value ? 1 : 0]));
  } else if (typeof value === 'string') {
    const s = Buffer.from(value, 'utf8');
    if (s.length <= 0xffff) {
      const h = Buffer.alloc(3);
      h[0] = MARKER.string;
      h.writeUInt16BE(s.length, 1);
      parts.push(h, s);
    } else {
      const h = Buffer.alloc(5);
      h[0] = MARKER.longString;
      h.writeUInt32BE(s.length, 1);
      parts.push(h, s);
    }
  } else if (value instanceof Date) {
    const b = Buffer.alloc(11);
    b[0] = MARKER.date;
    b.writeDoubleBE(value.getTime(), 1);
    parts.push(b);
  } else if (value instanceof AmfEcmaArray) {
    const h = Buffer.alloc(5);
    h[0] = MARKER.ecmaArray;
    h.writeUInt32BE(Object.keys(value.entries).length, 1);
    parts.push(h);
    writeProperties(parts, value.entries);
  } else if (Array.isArray(value)) {
    const list = value as readonly AmfEncodable[];
    const h = Buffer.alloc(5);
    h[0] = MARKER.strictArray;
    h.writeUInt32BE(list.length, 1);
    parts.push(h);
    for (const v of list) writeValue(parts, v);
  } else {
    parts.push(Buffer.from([MARKER.object]));
    writeProperties(parts, value as { readonly [key: string]: AmfEncodable });
  }
}

/** Encodes values back to back, as a command or data message body. */
export function encodeAmf0(...values: readonly AmfEncodable[]): Buffer {
  const parts: Buffer[] = [];
  for (const v of values) writeValue(parts, v);
  return Buffer.concat(parts);
}

/** Narrowing helper: an AMF object (not an array, date or null). */
export function isAmfObject(value: AmfValue): value is AmfObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
