/**
 * A message-level RTMP play client for the Wii adapter's tests (a TypeScript port of the
 * reference `rtmp_probe.py`): handshake (simple or digest), connect, createStream, play, seek,
 * pause, SetBufferLength; records every message the server sends with its arrival time.
 */
import { randomBytes } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { decodeAmf0, isAmfObject, type AmfValue } from '../../../adapters/wii/rtmp/amf0.js';
import { ChunkReader, ChunkWriter, type RtmpMessage } from '../../../adapters/wii/rtmp/chunk.js';
import { HANDSHAKE_SIZE, buildClientC1, verifyServerHandshake, type HandshakeKind } from '../../../adapters/wii/rtmp/handshake.js';
import { MessageType, UserControlEvent, command, decodeUserControl, setChunkSize, userControl } from '../../../adapters/wii/rtmp/messages.js';

export interface ReceivedMessage extends RtmpMessage {
  /** ms since the client was created (Date.now based). */
  readonly at: number;
  /** Decoded AMF values of command/data messages. */
  readonly values?: readonly AmfValue[];
  /** Decoded user control event. */
  readonly event?: { readonly event: number; readonly value: number };
}

export class RtmpTestClient {
  readonly messages: ReceivedMessage[] = [];
  private readonly reader = new ChunkReader({ maxMessageLength: 16 * 1024 * 1024, maxChunkSize: 1 << 24 });
  private readonly writer = new ChunkWriter();
  private readonly t0 = Date.now();
  private buffer = Buffer.alloc(0);
  private phase: 's0s1s2' | 'open' = 's0s1s2';
  private txn = 1;
  /** One per pending waitUntil, removed when it settles; called after every change. */
  private readonly listeners = new Set<() => void>();
  closed = false;
  handshakeValid: boolean | undefined;
  /** Answer the server's PingRequests (every Flash player does); false plays a vanished peer. */
  answerPings = true;
  private c1: Buffer;

  constructor(
    readonly socket: Duplex,
    readonly handshake: HandshakeKind = 'simple',
  ) {
    this.c1 = buildClientC1(randomBytes(HANDSHAKE_SIZE), handshake);
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('close', () => this.markClosed());
    socket.on('end', () => this.markClosed());
    socket.on('error', () => this.markClosed());
    socket.write(Buffer.concat([Buffer.from([3]), this.c1]));
  }

  static tcp(port: number, handshake: HandshakeKind = 'simple'): RtmpTestClient {
    return new RtmpTestClient(netConnect({ host: '127.0.0.1', port }), handshake);
  }

  private markClosed(): void {
    this.closed = true;
    this.notify();
  }

  private notify(): void {
    for (const f of this.listeners) f();
  }

  private onData(d: Buffer): void {
    if (this.phase === 's0s1s2') {
      this.buffer = Buffer.concat([this.buffer, d]);
      if (this.buffer.length < 1 + 2 * HANDSHAKE_SIZE) return;
      const s1 = this.buffer.subarray(1, 1 + HANDSHAKE_SIZE);
      const s2 = this.buffer.subarray(1 + HANDSHAKE_SIZE, 1 + 2 * HANDSHAKE_SIZE);
      this.handshakeValid = this.handshake === 'digest' ? verifyServerHandshake(this.c1, s1, s2) : s2.equals(this.c1);
      const rest = this.buffer.subarray(1 + 2 * HANDSHAKE_SIZE);
      this.socket.write(Buffer.from(s1));
      this.phase = 'open';
      this.notify();
      if (rest.length === 0) return;
      d = rest;
    }
    for (const m of this.reader.push(d)) {
      const at = Date.now() - this.t0;
      if (m.type === MessageType.amf0Command || m.type === MessageType.amf0Data) {
        this.messages.push({ ...m, at, values: decodeAmf0(m.payload) });
      } else if (m.type === MessageType.userControl) {
        const uc = decodeUserControl(m.payload);
        this.messages.push({ ...m, at, event: { event: uc.event, value: uc.value } });
        if (uc.event === UserControlEvent.pingRequest && this.answerPings) this.send(2, userControl(UserControlEvent.pingResponse, uc.value));
      } else {
        this.messages.push({ ...m, at });
      }
    }
    this.notify();
  }

  send(csid: number, message: RtmpMessage): void {
    this.socket.write(this.writer.write(csid, message));
  }

  /** Sends raw bytes (malformed-input tests). */
  raw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  async waitHandshake(timeoutMs = 5000): Promise<void> {
    await this.waitUntil(() => this.phase === 'open', timeoutMs, 'handshake');
  }

  /** Resolves when `predicate` holds, checking after every message. */
  waitUntil(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(poll);
        this.listeners.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = (): void => {
        if (settled) return;
        if (predicate()) finish();
        else if (this.closed) finish(new Error(`connection closed while waiting for ${what}`));
      };
      const timer = setTimeout(() => finish(new Error(`timed out waiting for ${what}`)), timeoutMs);
      // Also poll: some conditions (a producer stopping) come with no message.
      const poll = setInterval(check, 25);
      this.listeners.add(check);
      check();
    });
  }

  /** Waits for a status object with this code (onStatus, _result, _error or onPlayStatus). */
  async waitStatus(code: string, timeoutMs = 10_000): Promise<ReceivedMessage> {
    await this.waitUntil(() => this.findStatus(code) !== undefined, timeoutMs, code);
    return this.findStatus(code) as ReceivedMessage;
  }

  findStatus(code: string, after = 0): ReceivedMessage | undefined {
    for (let i = after; i < this.messages.length; i++) {
      const m = this.messages[i];
      if (m?.values?.some((v) => isAmfObject(v) && v['code'] === code)) return m;
    }
    return undefined;
  }

  statusCodes(): string[] {
    const out: string[] = [];
    for (const m of this.messages) {
      for (const v of m.values ?? []) if (isAmfObject(v) && typeof v['code'] === 'string') out.push(v['code']);
    }
    return out;
  }

  /** PingRequests received from the server. */
  pingRequests(): number {
    return this.messages.filter((m) => m.event?.event === UserControlEvent.pingRequest).length;
  }

  media(): ReceivedMessage[] {
    return this.messages.filter((m) => m.type === MessageType.audio || m.type === MessageType.video);
  }

  async connect(app: string, tcUrl = `rtmp://127.0.0.1/${app}`): Promise<void> {
    await this.waitHandshake();
    this.send(2, setChunkSize(4096));
    this.writer.setChunkSize(4096);
    this.send(3, command(0, 'connect', this.txn++, { app, flashVer: 'LNX 9,0,124,2', tcUrl, fpad: false, capabilities: 15, audioCodecs: 4071, videoCodecs: 252, videoFunction: 1, objectEncoding: 0 }));
  }

  async createStream(): Promise<number> {
    const txn = this.txn++;
    this.send(3, command(0, 'createStream', txn, null));
    await this.waitUntil(() => this.resultFor(txn) !== undefined, 10_000, 'createStream result');
    const values = this.resultFor(txn)?.values ?? [];
    return values[3] as number;
  }

  private resultFor(txn: number): ReceivedMessage | undefined {
    return this.messages.find((m) => m.values?.[0] === '_result' && m.values[1] === txn);
  }

  setBuffer(streamId: number, ms: number): void {
    this.send(2, userControl(UserControlEvent.setBufferLength, streamId, ms));
  }

  play(streamId: number, name: string, startMs = -2000, durationMs?: number): void {
    const args: AmfValue[] = [name, startMs];
    if (durationMs !== undefined) args.push(durationMs);
    this.send(8, { ...command(streamId, 'play', 0, null, ...args), streamId });
  }

  seek(streamId: number, ms: number): void {
    this.send(8, { ...command(streamId, 'seek', 0, null, ms), streamId });
  }

  pause(streamId: number, pause: boolean, ms: number): void {
    this.send(8, { ...command(streamId, 'pause', 0, null, pause, ms), streamId });
  }

  deleteStream(streamId: number): void {
    this.send(3, command(0, 'deleteStream', 0, null, streamId));
  }

  close(): void {
    this.socket.destroy();
  }
}
