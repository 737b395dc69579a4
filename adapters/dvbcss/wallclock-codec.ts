/**
 * CSS-WC packet codec (ETSI TS 103 286-2 clause 8; protocols/dvbcss.md §3). Every message,
 * request or response, is exactly 32 bytes, big-endian. Pure: no I/O, no clock.
 *
 * The originate timevalue is kept as the raw (seconds, nanoseconds) u32 pair and copied
 * byte-for-byte into responses: clients may put anything there, including nanoseconds ≥ 1e9,
 * and they match responses to requests on the exact value.
 */

/** Length of every CSS-WC message. */
export const WC_PACKET_LENGTH = 32;

/** Message types (byte 1). */
export const WC_TYPE = {
  request: 0,
  response: 1,
  responseWithFollowUp: 2,
  followUp: 3,
} as const;

export type WcMessageType = (typeof WC_TYPE)[keyof typeof WC_TYPE];

/** A raw timevalue as it sits on the wire: two unsigned 32-bit words. */
export interface WcTimevalue {
  readonly seconds: number;
  readonly nanoseconds: number;
}

/** A decoded CSS-WC message. */
export interface WcPacket {
  readonly version: number;
  readonly type: number;
  /** Clock precision as log2(seconds) (signed byte). */
  readonly precisionLog2: number;
  /** Maximum frequency error in units of 1/256 ppm (u32). */
  readonly maxFreqError: number;
  readonly originate: WcTimevalue;
  readonly receive: WcTimevalue;
  readonly transmit: WcTimevalue;
}

const NS_PER_S = 1_000_000_000n;

/** Decodes a datagram; undefined when it is not 32 bytes or its version is not 0. */
export function decodeWcPacket(bytes: Uint8Array): WcPacket | undefined {
  if (bytes.length !== WC_PACKET_LENGTH) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(0);
  if (version !== 0) return undefined;
  return {
    version,
    type: view.getUint8(1),
    precisionLog2: view.getInt8(2),
    maxFreqError: view.getUint32(4),
    originate: { seconds: view.getUint32(8), nanoseconds: view.getUint32(12) },
    receive: { seconds: view.getUint32(16), nanoseconds: view.getUint32(20) },
    transmit: { seconds: view.getUint32(24), nanoseconds: view.getUint32(28) },
  };
}

/** Encodes a packet (reserved byte 3 is always written as 0). */
export function encodeWcPacket(packet: WcPacket): Buffer {
  const out = Buffer.alloc(WC_PACKET_LENGTH);
  out.writeUInt8(packet.version, 0);
  out.writeUInt8(packet.type, 1);
  out.writeInt8(packet.precisionLog2, 2);
  out.writeUInt32BE(packet.maxFreqError >>> 0, 4);
  writeTimevalue(out, 8, packet.originate);
  writeTimevalue(out, 16, packet.receive);
  writeTimevalue(out, 24, packet.transmit);
  return out;
}

/** True for a well-formed request (32 bytes, version 0, type 0): the only thing a server answers. */
export function isWcRequest(bytes: Uint8Array): boolean {
  return bytes.length === WC_PACKET_LENGTH && bytes[0] === 0 && bytes[1] === WC_TYPE.request;
}

/**
 * Builds a response to `request` (which must satisfy isWcRequest): the originate field is copied
 * verbatim, receive and transmit come from the server's wall clock in nanoseconds.
 */
export function buildWcResponse(
  request: Uint8Array,
  type: WcMessageType,
  precisionLog2: number,
  maxFreqError: number,
  receiveNs: bigint,
  transmitNs: bigint,
): Buffer {
  const out = Buffer.alloc(WC_PACKET_LENGTH);
  out[1] = type;
  out.writeInt8(precisionLog2, 2);
  out.writeUInt32BE(maxFreqError >>> 0, 4);
  out.set(request.subarray(8, 16), 8);
  writeTimevalue(out, 16, nsToTimevalue(receiveNs));
  writeTimevalue(out, 24, nsToTimevalue(transmitNs));
  return out;
}

/** A follow-up (type 3) for an already built type-2 response: same t2, a later t3. */
export function buildWcFollowUp(response: Uint8Array, transmitNs: bigint): Buffer {
  const out = Buffer.from(response);
  out[1] = WC_TYPE.followUp;
  writeTimevalue(out, 24, nsToTimevalue(transmitNs));
  return out;
}

/** Nanoseconds → (seconds mod 2^32, nanoseconds). */
export function nsToTimevalue(ns: bigint): WcTimevalue {
  const seconds = ns / NS_PER_S;
  const nanoseconds = ns - seconds * NS_PER_S;
  return { seconds: Number(BigInt.asUintN(32, seconds)), nanoseconds: Number(nanoseconds) };
}

/** (seconds, nanoseconds) → nanoseconds, without normalising (nanoseconds may be ≥ 1e9). */
export function timevalueToNs(value: WcTimevalue): bigint {
  return BigInt(value.seconds) * NS_PER_S + BigInt(value.nanoseconds);
}

/** Precision in seconds → the signed log2 byte, ceil(log2(seconds)) clamped to −128…127. */
export function encodePrecision(seconds: number): number {
  if (!(seconds > 0)) return -128;
  return Math.max(-128, Math.min(127, Math.ceil(Math.log2(seconds))));
}

/** The precision byte → seconds. */
export function decodePrecision(log2: number): number {
  return 2 ** log2;
}

/** Maximum frequency error in ppm → wire units (1/256 ppm, rounded up). */
export function encodeMaxFreqError(ppm: number): number {
  return Math.min(0xffffffff, Math.ceil(ppm * 256));
}

/** Wire units → ppm. */
export function decodeMaxFreqError(value: number): number {
  return value / 256;
}

function writeTimevalue(out: Buffer, offset: number, value: WcTimevalue): void {
  out.writeUInt32BE(value.seconds >>> 0, offset);
  out.writeUInt32BE(value.nanoseconds >>> 0, offset + 4);
}
