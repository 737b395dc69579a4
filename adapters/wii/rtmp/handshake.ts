/**
 * RTMP handshake (Adobe RTMP specification 1.0 §5.2, plus the unpublished "digest" variant every
 * Flash Player >= 9 and ffmpeg use). Pure: no I/O; randomness is passed in.
 *
 * - Simple: C1 bytes 4..7 are zero (librtmp/rtmpdump). S1 = time + zero version + random,
 *   S2 = echo of C1.
 * - Digest ("complex"): C1 carries an HMAC-SHA256 digest keyed with the first 30 bytes of the
 *   Flash Player key, at an offset derived from bytes at base 8 (scheme 0) or 772 (scheme 1).
 *   S1 carries our digest at the same scheme keyed with the first 36 bytes of the FMS key; S2 is
 *   random with its last 32 bytes an HMAC of the rest keyed with HMAC(full FMS key, C1 digest).
 *   ffmpeg validates both when S1's version byte is >= 3. When no digest is found we fall back
 *   to the simple answer, as nginx-rtmp and node-media-server do.
 */
import { createHmac } from 'node:crypto';

export const RTMP_VERSION = 3;
export const HANDSHAKE_SIZE = 1536;
const DIGEST_LENGTH = 32;

const KEY_TAIL = Buffer.from([
  0xf0, 0xee, 0xc2, 0x4a, 0x80, 0x68, 0xbe, 0xe8, 0x2e, 0x00, 0xd0, 0xd1, 0x02, 0x9e, 0x7e, 0x57, 0x6e, 0xec, 0x5d, 0x2d, 0x29, 0x80, 0x6f, 0xab, 0x93, 0xb8,
  0xe6, 0x36, 0xcf, 0xeb, 0x31, 0xae,
]);
/** "Genuine Adobe Flash Player 001" + 32 bytes. */
export const PLAYER_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Player 001', 'ascii'), KEY_TAIL]);
/** "Genuine Adobe Flash Media Server 001" + 32 bytes. */
export const SERVER_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Media Server 001', 'ascii'), KEY_TAIL]);
const PLAYER_KEY_OPEN = PLAYER_KEY.subarray(0, 30);
const SERVER_KEY_OPEN = SERVER_KEY.subarray(0, 36);

/** The FMS version we announce in a digest S1 (what nginx-rtmp sends: 13.14.10.13). */
const SERVER_VERSION = Buffer.from([0x0d, 0x0e, 0x0a, 0x0d]);

export type HandshakeKind = 'simple' | 'digest';

/** What C0 says: 3 = plain RTMP; 6/8 = RTMPE (refused); anything else is not RTMP. */
export function checkC0(version: number): 'ok' | 'encrypted' | 'invalid' {
  if (version === RTMP_VERSION) return 'ok';
  if (version === 6 || version === 8) return 'encrypted';
  return 'invalid';
}

function hmac(key: Buffer, ...parts: Buffer[]): Buffer {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** Offset of the digest inside a 1536-byte handshake packet for a scheme base (8 or 772). */
export function digestOffset(packet: Buffer, base: 8 | 772): number {
  const sum = (packet[base] ?? 0) + (packet[base + 1] ?? 0) + (packet[base + 2] ?? 0) + (packet[base + 3] ?? 0);
  return (sum % 728) + base + 4;
}

/** HMAC over the packet without the 32 digest bytes at `offset`. */
function digestAt(packet: Buffer, offset: number, key: Buffer): Buffer {
  return hmac(key, packet.subarray(0, offset), packet.subarray(offset + DIGEST_LENGTH));
}

/** Finds a valid client digest in C1; returns its offset and bytes, or undefined. */
export function findClientDigest(c1: Buffer): { readonly base: 8 | 772; readonly digest: Buffer } | undefined {
  if (c1.length !== HANDSHAKE_SIZE) return undefined;
  for (const base of [8, 772] as const) {
    const offset = digestOffset(c1, base);
    const expected = digestAt(c1, offset, PLAYER_KEY_OPEN);
    const actual = c1.subarray(offset, offset + DIGEST_LENGTH);
    if (expected.equals(actual)) return { base, digest: Buffer.from(actual) };
  }
  return undefined;
}

export interface ServerHandshake {
  readonly kind: HandshakeKind;
  /** S0 + S1 + S2, to send in one write. */
  readonly response: Buffer;
}

/**
 * Builds S0+S1+S2 for a C1. `random` must hold at least 2 × 1536 bytes (S1 and S2 filler);
 * `uptimeMs` goes into S1's time field.
 */
export function buildServerHandshake(c1: Buffer, random: Buffer, uptimeMs = 0): ServerHandshake {
  if (c1.length !== HANDSHAKE_SIZE || random.length < 2 * HANDSHAKE_SIZE) {
    throw new RangeError('buildServerHandshake needs a 1536-byte C1 and 3072 random bytes');
  }
  const s0 = Buffer.from([RTMP_VERSION]);
  const s1 = Buffer.from(random.subarray(0, HANDSHAKE_SIZE));
  s1.writeUInt32BE(uptimeMs >>> 0, 0);
  const clientVersionZero = c1.readUInt32BE(4) === 0;
  const client = clientVersionZero ? undefined : findClientDigest(c1);
  if (!client) {
    s1.writeUInt32BE(0, 4);
    return { kind: 'simple', response: Buffer.concat([s0, s1, c1]) };
  }
  SERVER_VERSION.copy(s1, 4);
  const offset = digestOffset(s1, client.base);
  digestAt(s1, offset, SERVER_KEY_OPEN).copy(s1, offset);
  const s2 = Buffer.from(random.subarray(HANDSHAKE_SIZE, 2 * HANDSHAKE_SIZE));
  const key = hmac(SERVER_KEY, client.digest);
  hmac(key, s2.subarray(0, HANDSHAKE_SIZE - DIGEST_LENGTH)).copy(s2, HANDSHAKE_SIZE - DIGEST_LENGTH);
  return { kind: 'digest', response: Buffer.concat([s0, s1, s2]) };
}

/**
 * Client side, for tests and the bench: builds C1 with a digest at scheme 0 (as ffmpeg does) or
 * with a zero version (as librtmp does).
 */
export function buildClientC1(random: Buffer, kind: HandshakeKind): Buffer {
  const c1 = Buffer.from(random.subarray(0, HANDSHAKE_SIZE));
  c1.writeUInt32BE(0, 0);
  if (kind === 'simple') {
    c1.writeUInt32BE(0, 4);
    return c1;
  }
  Buffer.from([9, 0, 124, 2]).copy(c1, 4);
  const offset = digestOffset(c1, 8);
  digestAt(c1, offset, PLAYER_KEY_OPEN).copy(c1, offset);
  return c1;
}

/** Client side: checks a digest S1/S2 pair the way ffmpeg does; true when both are valid. */
export function verifyServerHandshake(c1: Buffer, s1: Buffer, s2: Buffer): boolean {
  const client = findClientDigest(c1);
  if (!client) return false;
  const offset = digestOffset(s1, client.base);
  if (!digestAt(s1, offset, SERVER_KEY_OPEN).equals(s1.subarray(offset, offset + DIGEST_LENGTH))) return false;
  const key = hmac(SERVER_KEY, client.digest);
  return hmac(key, s2.subarray(0, HANDSHAKE_SIZE - DIGEST_LENGTH)).equals(s2.subarray(HANDSHAKE_SIZE - DIGEST_LENGTH));
}
