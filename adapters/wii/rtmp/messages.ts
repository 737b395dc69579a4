/**
 * RTMP message types and builders (Adobe RTMP specification 1.0 §5.4, §6, §7). Pure: no I/O.
 * Builders return `RtmpMessage`s; the connection picks the chunk stream (nginx-rtmp's layout:
 * 2 control, 3 connection commands, 5 stream commands/data, 6 audio, 7 video).
 */
import { SidecarError } from '../../../plugin/index.js';
import { decodeAmf0, encodeAmf0, type AmfEncodable, type AmfValue } from './amf0.js';
import type { RtmpMessage } from './chunk.js';

export const MessageType = {
  setChunkSize: 1,
  abort: 2,
  acknowledgement: 3,
  userControl: 4,
  windowAckSize: 5,
  setPeerBandwidth: 6,
  audio: 8,
  video: 9,
  amf3Data: 15,
  amf3Command: 17,
  amf0Data: 18,
  amf0Command: 20,
  aggregate: 22,
} as const;

export const UserControlEvent = {
  streamBegin: 0,
  streamEof: 1,
  streamDry: 2,
  setBufferLength: 3,
  streamIsRecorded: 4,
  pingRequest: 6,
  pingResponse: 7,
  bufferEmpty: 31,
  bufferReady: 32,
} as const;

export const Csid = { control: 2, command: 3, stream: 5, audio: 6, video: 7 } as const;

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}

export function setChunkSize(size: number): RtmpMessage {
  return { type: MessageType.setChunkSize, streamId: 0, timestamp: 0, payload: u32(size & 0x7fffffff) };
}

export function windowAckSize(size: number): RtmpMessage {
  return { type: MessageType.windowAckSize, streamId: 0, timestamp: 0, payload: u32(size) };
}

/** Limit type 2 = dynamic, as nginx-rtmp sends. */
export function setPeerBandwidth(size: number, limitType = 2): RtmpMessage {
  return { type: MessageType.setPeerBandwidth, streamId: 0, timestamp: 0, payload: Buffer.concat([u32(size), Buffer.from([limitType])]) };
}

export function acknowledgement(sequence: number): RtmpMessage {
  return { type: MessageType.acknowledgement, streamId: 0, timestamp: 0, payload: u32(sequence) };
}

/** User control message with a 32-bit argument (stream id or ping timestamp). */
export function userControl(event: number, value: number, extra?: number): RtmpMessage {
  const b = Buffer.alloc(extra === undefined ? 6 : 10);
  b.writeUInt16BE(event, 0);
  b.writeUInt32BE(value >>> 0, 2);
  if (extra !== undefined) b.writeUInt32BE(extra >>> 0, 6);
  return { type: MessageType.userControl, streamId: 0, timestamp: 0, payload: b };
}

export function command(streamId: number, name: string, transactionId: number, ...args: readonly AmfEncodable[]): RtmpMessage {
  return { type: MessageType.amf0Command, streamId, timestamp: 0, payload: encodeAmf0(name, transactionId, ...args) };
}

export function dataMessage(streamId: number, name: string, ...args: readonly AmfEncodable[]): RtmpMessage {
  return { type: MessageType.amf0Data, streamId, timestamp: 0, payload: encodeAmf0(name, ...args) };
}

/** A status object for onStatus / _error / _result. */
export function status(level: 'status' | 'error' | 'warning', code: string, description: string, extra: Readonly<Record<string, AmfEncodable>> = {}): Record<string, AmfEncodable> {
  return { level, code, description, ...extra };
}

/** `onStatus(0, null, {level, code, description, …})` on a message stream. */
export function onStatus(streamId: number, level: 'status' | 'error' | 'warning', code: string, description: string, extra: Readonly<Record<string, AmfEncodable>> = {}): RtmpMessage {
  return command(streamId, 'onStatus', 0, null, status(level, code, description, extra));
}

export interface DecodedCommand {
  readonly name: string;
  readonly transactionId: number;
  /** The command object (usually null except for connect). */
  readonly commandObject: AmfValue;
  readonly args: readonly AmfValue[];
}

/** Decodes an AMF0 (type 20) or AMF3-wrapped (type 17) command message. */
export function decodeCommand(message: RtmpMessage): DecodedCommand {
  // Type 17 starts with a 0 byte, then AMF0 values (AMF3 switches happen only inside values,
  // which we reject as unsupported markers).
  const body = message.type === MessageType.amf3Command ? message.payload.subarray(1) : message.payload;
  const values = decodeAmf0(body);
  const [name, txn, cmdObject, ...args] = values;
  if (typeof name !== 'string') throw new SidecarError('ERR_WII_AMF_DECODE', 'invalid-argument', 'AMF0: command without a name');
  return { name, transactionId: typeof txn === 'number' ? txn : 0, commandObject: cmdObject ?? null, args };
}

export interface UserControlMessage {
  readonly event: number;
  readonly value: number;
  readonly extra?: number;
}

export function decodeUserControl(payload: Buffer): UserControlMessage {
  if (payload.length < 6) throw new SidecarError('ERR_WII_RTMP_PROTOCOL', 'invalid-argument', 'RTMP: short user control message');
  const event = payload.readUInt16BE(0);
  const value = payload.readUInt32BE(2);
  return payload.length >= 10 ? { event, value, extra: payload.readUInt32BE(6) } : { event, value };
}
