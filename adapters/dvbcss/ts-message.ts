/**
 * CSS-TS messages (ETSI TS 103 286-2 clause 5.7; protocols/dvbcss.md §4). Pure. Timeline and
 * wall-clock values are arbitrary-precision decimal strings on the wire, so they are BigInt here:
 * never JS numbers.
 */
import type { CiiPrivate } from './cii-message.js';

/** The client's first message. */
export interface SetupData {
  readonly contentIdStem: string;
  readonly timelineSelector: string;
  readonly private?: readonly CiiPrivate[];
}

/** A Control Timestamp; contentTime and speed are both null when the timeline is unavailable. */
export interface ControlTimestamp {
  readonly contentTime: bigint | null;
  readonly wallClockTime: bigint;
  readonly timelineSpeedMultiplier: number | null;
}

export type InfiniteTime = 'minusinfinity' | 'plusinfinity';

export interface TimestampPair {
  readonly contentTime: bigint;
  readonly wallClockTime: bigint | InfiniteTime;
}

/** Actual, earliest and latest presentation timestamps (informative; the server may ignore them). */
export interface AptEptLpt {
  readonly actual?: TimestampPair;
  readonly earliest: TimestampPair;
  readonly latest: TimestampPair;
}

export type TsClientMessage =
  | { readonly kind: 'setup'; readonly setup: SetupData }
  | { readonly kind: 'apt-ept-lpt'; readonly timestamps: AptEptLpt }
  | { readonly kind: 'invalid'; readonly reason: string };

const INTEGER = /^-?\d+$/;

/** Formats a Control Timestamp exactly as the spec does (integers as strings, speed a number). */
export function serialiseControlTimestamp(ct: ControlTimestamp): string {
  const contentTime = ct.contentTime === null ? 'null' : `"${ct.contentTime.toString()}"`;
  const speed = ct.timelineSpeedMultiplier === null ? 'null' : JSON.stringify(ct.timelineSpeedMultiplier);
  return `{"contentTime":${contentTime},"wallClockTime":"${ct.wallClockTime.toString()}","timelineSpeedMultiplier":${speed}}`;
}

/** Parses a Control Timestamp (client side and tests). Throws on a malformed message. */
export function parseControlTimestamp(text: string): ControlTimestamp {
  const o = parseObject(text);
  if (o === undefined) throw new TypeError('Control Timestamp must be a JSON object');
  const wallClockTime = parseBigInt(o['wallClockTime']);
  if (wallClockTime === undefined) throw new TypeError('wallClockTime must be an integer string');
  const rawContent = o['contentTime'];
  const rawSpeed = o['timelineSpeedMultiplier'];
  if (rawContent === null && rawSpeed === null) return { contentTime: null, wallClockTime, timelineSpeedMultiplier: null };
  const contentTime = parseBigInt(rawContent);
  if (contentTime === undefined || typeof rawSpeed !== 'number' || !Number.isFinite(rawSpeed)) {
    throw new TypeError('contentTime must be an integer string and timelineSpeedMultiplier a number, or both null');
  }
  return { contentTime, wallClockTime, timelineSpeedMultiplier: rawSpeed };
}

/** Serialises SetupData (client side and tests). */
export function serialiseSetupData(setup: SetupData): string {
  return JSON.stringify(setup);
}

/**
 * Classifies a text message from a TS client. Before setup only SetupData is valid; after it,
 * only AptEptLpt. Anything else is `invalid` (the server ignores it and keeps the connection).
 */
export function parseTsClientMessage(text: string, awaitingSetup: boolean): TsClientMessage {
  const o = parseObject(text);
  if (o === undefined) return { kind: 'invalid', reason: 'not a JSON object' };
  if (awaitingSetup) {
    const setup = toSetupData(o);
    return setup === undefined ? { kind: 'invalid', reason: 'not a valid SetupData message' } : { kind: 'setup', setup };
  }
  const timestamps = toAptEptLpt(o);
  return timestamps === undefined ? { kind: 'invalid', reason: 'not a valid AptEptLpt message' } : { kind: 'apt-ept-lpt', timestamps };
}

function toSetupData(o: Record<string, unknown>): SetupData | undefined {
  const stem = o['contentIdStem'];
  const selector = o['timelineSelector'];
  if (typeof stem !== 'string' || typeof selector !== 'string' || selector.length === 0) return undefined;
  const priv = o['private'];
  if (priv === undefined) return { contentIdStem: stem, timelineSelector: selector };
  if (!Array.isArray(priv) || !priv.every(isPrivateEntry)) return undefined;
  return { contentIdStem: stem, timelineSelector: selector, private: priv };
}

function isPrivateEntry(value: unknown): value is CiiPrivate {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as Record<string, unknown>)['type'] === 'string';
}

function toAptEptLpt(o: Record<string, unknown>): AptEptLpt | undefined {
  const earliest = toPair(o['earliest']);
  const latest = toPair(o['latest']);
  if (earliest === undefined || latest === undefined) return undefined;
  if (o['actual'] === undefined) return { earliest, latest };
  const actual = toPair(o['actual']);
  return actual === undefined ? undefined : { actual, earliest, latest };
}

function toPair(value: unknown): TimestampPair | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const contentTime = parseBigInt(v['contentTime']);
  const rawWall = v['wallClockTime'];
  const wallClockTime = rawWall === 'minusinfinity' || rawWall === 'plusinfinity' ? rawWall : parseBigInt(rawWall);
  if (contentTime === undefined || wallClockTime === undefined) return undefined;
  return { contentTime, wallClockTime };
}

function parseBigInt(value: unknown): bigint | undefined {
  return typeof value === 'string' && INTEGER.test(value) ? BigInt(value) : undefined;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
