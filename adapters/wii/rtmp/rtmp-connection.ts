/**
 * One RTMP connection over any Duplex (a TCP socket, or an in-memory pair in tests): handshake
 * with a timeout, chunk reassembly with limits, command dispatch (connect, createStream, play,
 * seek, pause, closeStream, deleteStream and the harmless extras clients send) and the
 * connection-level status replies. Malformed input closes this connection only.
 */
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { Clock, Logger, TimerHandle } from '../../../plugin/index.js';
import { errorMessage } from '../../../plugin/index.js';
import { isAmfObject, type AmfValue } from './amf0.js';
import type { RtmpAppSession, RtmpApplicationHost } from './application.js';
import { ChunkReader, ChunkWriter, type ChunkReaderLimits, type RtmpMessage } from './chunk.js';
import { HANDSHAKE_SIZE, buildServerHandshake, checkC0 } from './handshake.js';
import {
  Csid,
  MessageType,
  UserControlEvent,
  acknowledgement,
  command,
  decodeCommand,
  decodeUserControl,
  onStatus,
  setChunkSize,
  setPeerBandwidth,
  status,
  userControl,
  windowAckSize,
  type DecodedCommand,
} from './messages.js';
import { PlayStream, type StreamStats } from './play-stream.js';

export interface RtmpConnectionOptions {
  readonly clock: Clock;
  readonly log: Logger;
  readonly host: RtmpApplicationHost;
  readonly remoteAddress: string;
  readonly handshakeTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly pendingStatusAfterMs: number;
  readonly pauseReleaseMs: number;
  readonly leadSlackMs: number;
  readonly maxLeadMs: number;
  readonly stats: StreamStats & { pingsSent?: number; silentPeersClosed?: number };
  /** See PlayStreamOptions.startDebounceMs (default 0). */
  readonly startDebounceMs?: number;
  /**
   * Send a PingRequest this often once connected (0 = never, the default). A peer that sends
   * nothing at all (no ping response, ack or command) for three intervals is closed: while a
   * stream is paused nothing flows, so this is how a Wii switched off mid-pause is noticed.
   */
  readonly pingIntervalMs?: number;
  readonly readerLimits?: Partial<ChunkReaderLimits>;
  /** Outbound chunk size announced after connect. */
  readonly chunkSize?: number;
}

const WINDOW_ACK_SIZE = 5_000_000;
const MAX_STREAMS = 8;
const FMS_VERSION = 'FMS/3,0,1,123';

type Phase = 'c0c1' | 'c2' | 'open' | 'closed';

export class RtmpConnection {
  private phase: Phase = 'c0c1';
  private pending: Buffer = Buffer.alloc(0);
  private readonly reader: ChunkReader;
  private readonly writer = new ChunkWriter();
  private handshakeTimer: TimerHandle | undefined;
  private idleTimer: TimerHandle | undefined;
  private pingTimer: TimerHandle | undefined;
  private lastReceivedAt: number;
  private readonly openedAt: number;
  private app: RtmpAppSession | undefined;
  private readonly streams = new Map<number, PlayStream>();
  private nextStreamId = 1;
  private bytesIn = 0;
  private lastAckAt = 0;
  private peerWindow = 2_500_000;
  private defaultBufferMs = 1000;
  private readonly bufferByStream = new Map<number, number>();
  private readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  private readonly drainWaiters = new Set<() => void>();

  constructor(
    private readonly socket: Duplex,
    private readonly options: RtmpConnectionOptions,
  ) {
    this.reader = new ChunkReader(options.readerLimits);
    this.openedAt = options.clock.now();
    this.lastReceivedAt = this.openedAt;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', (err) => {
      this.options.log.debug('rtmp socket error', { remote: options.remoteAddress, reason: err.message });
      this.close();
    });
    socket.on('close', () => this.close());
    socket.on('end', () => this.close());
    socket.on('drain', () => this.wakeDrain());
    this.handshakeTimer = options.clock.setTimeout(() => {
      if (this.phase === 'c0c1' || this.phase === 'c2') {
        this.options.log.debug('rtmp handshake timeout', { remote: options.remoteAddress });
        this.close();
      }
    }, options.handshakeTimeoutMs);
  }

  /** Resolves once the connection is closed and its streams stopped. */
  whenClosed(): Promise<void> {
    return this.closed;
  }

  get isClosed(): boolean {
    return this.phase === 'closed';
  }

  /** Closes the connection and stops its streams (idempotent). */
  close(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.handshakeTimer?.cancel();
    this.idleTimer?.cancel();
    this.pingTimer?.cancel();
    for (const stream of this.streams.values()) stream.close();
    this.streams.clear();
    this.wakeDrain();
    if (!this.socket.destroyed) {
      this.socket.end();
      // A peer that never reads would keep the socket open; give it a moment, then destroy.
      this.options.clock.setTimeout(() => this.socket.destroy(), 1000);
    }
    this.resolveClosed();
  }

  /** Closes and drops the socket at once (shutdown). */
  destroy(): void {
    this.close();
    this.socket.destroy();
  }

  private wakeDrain(): void {
    const waiters = [...this.drainWaiters];
    this.drainWaiters.clear();
    for (const w of waiters) w();
  }

  private touch(): void {
    this.idleTimer?.cancel();
    this.idleTimer = this.options.clock.setTimeout(() => {
      const busy = [...this.streams.values()].some((s) => s.isActive);
      if (busy) this.touch();
      else {
        this.options.log.debug('rtmp idle timeout', { remote: this.options.remoteAddress });
        this.close();
      }
    }, this.options.idleTimeoutMs);
  }

  private write(data: Buffer): boolean {
    if (this.phase === 'closed' || this.socket.destroyed || !this.socket.writable) return false;
    return this.socket.write(data);
  }

  private sendMessages(messages: readonly (readonly [number, RtmpMessage])[]): boolean {
    if (messages.length === 0) return true;
    const parts = messages.map(([csid, msg]) => this.writer.write(csid, msg));
    return this.write(parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts));
  }

  private onData(data: Buffer): void {
    if (this.phase === 'closed') return;
    this.lastReceivedAt = this.options.clock.now();
    try {
      this.consume(data);
    } catch (cause) {
      this.options.log.debug('rtmp protocol error, closing', { remote: this.options.remoteAddress, reason: errorMessage(cause) });
      this.close();
    }
  }

  private consume(data: Buffer): void {
    if (this.phase === 'c0c1' || this.phase === 'c2') {
      this.pending = this.pending.length === 0 ? data : Buffer.concat([this.pending, data]);
      if (this.phase === 'c0c1') {
        const c0 = this.pending[0];
        if (c0 === undefined) return;
        // Validate C0 at once: HTTP requests and RTMPE get closed without waiting for 1537 bytes.
        const verdict = checkC0(c0);
        if (verdict !== 'ok') {
          this.options.log.debug('rtmp bad C0, closing', { remote: this.options.remoteAddress, c0, verdict });
          this.socket.destroy();
          this.close();
          return;
        }
        if (this.pending.length < 1 + HANDSHAKE_SIZE) return;
        const c1 = this.pending.subarray(1, 1 + HANDSHAKE_SIZE);
        const hs = buildServerHandshake(Buffer.from(c1), randomBytes(2 * HANDSHAKE_SIZE), 0);
        this.write(hs.response);
        this.pending = this.pending.subarray(1 + HANDSHAKE_SIZE);
        this.phase = 'c2';
      }
      if (this.phase === 'c2') {
        if (this.pending.length < HANDSHAKE_SIZE) return;
        const rest = this.pending.subarray(HANDSHAKE_SIZE);
        this.pending = Buffer.alloc(0);
        this.phase = 'open';
        this.handshakeTimer?.cancel();
        this.handshakeTimer = undefined;
        this.touch();
        if (rest.length > 0) this.consumeChunks(rest);
      }
      return;
    }
    this.touch();
    this.consumeChunks(data);
  }

  private consumeChunks(data: Buffer): void {
    this.bytesIn += data.length;
    if (this.bytesIn - this.lastAckAt >= this.peerWindow) {
      this.lastAckAt = this.bytesIn;
      this.sendMessages([[Csid.control, acknowledgement(this.bytesIn)]]);
    }
    for (const message of this.reader.push(data)) {
      if (this.phase === 'closed') return;
      this.handleMessage(message);
    }
  }

  private handleMessage(message: RtmpMessage): void {
    switch (message.type) {
      case MessageType.setChunkSize:
      case MessageType.abort:
      case MessageType.acknowledgement:
      case MessageType.setPeerBandwidth:
        return; // chunk-layer control (applied by the reader) or nothing to do
      case MessageType.windowAckSize:
        if (message.payload.length >= 4) this.peerWindow = Math.max(1, message.payload.readUInt32BE(0));
        return;
      case MessageType.userControl:
        this.handleUserControl(message.payload);
        return;
      case MessageType.amf0Command:
      case MessageType.amf3Command:
        this.handleCommand(message.streamId, decodeCommand(message));
        return;
      default:
        // Data messages, media and aggregates from a player are ignored: we only serve.
        return;
    }
  }

  private handleUserControl(payload: Buffer): void {
    const uc = decodeUserControl(payload);
    if (uc.event === UserControlEvent.setBufferLength && uc.extra !== undefined) {
      const ms = uc.extra;
      if (uc.value === 0) this.defaultBufferMs = ms;
      this.bufferByStream.set(uc.value, ms);
      this.streams.get(uc.value)?.setBufferLength(ms);
    } else if (uc.event === UserControlEvent.pingRequest) {
      this.sendMessages([[Csid.control, userControl(UserControlEvent.pingResponse, uc.value)]]);
    }
  }

  private reply(txn: number, ...args: readonly AmfValue[]): void {
    if (txn > 0) this.sendMessages([[Csid.command, command(0, '_result', txn, ...args)]]);
  }

  private replyError(txn: number, code: string, description: string): void {
    if (txn > 0) this.sendMessages([[Csid.command, command(0, '_error', txn, null, status('error', code, description))]]);
  }

  private handleCommand(streamId: number, cmd: DecodedCommand): void {
    if (cmd.name === 'connect') {
      void this.handleConnect(cmd);
      return;
    }
    const app = this.app;
    if (!app) {
      // Anything before a successful connect is a protocol violation.
      this.replyError(cmd.transactionId, 'NetConnection.Call.Failed', 'Not connected.');
      this.close();
      return;
    }
    const arg = (i: number): AmfValue => cmd.args[i];
    switch (cmd.name) {
      case 'createStream': {
        if (this.streams.size >= MAX_STREAMS) {
          this.replyError(cmd.transactionId, 'NetConnection.Call.Failed', 'Too many streams.');
          return;
        }
        const id = this.nextStreamId++;
        this.streams.set(id, this.newStream(id));
        this.reply(cmd.transactionId, null, id);
        return;
      }
      case 'play': {
        const name = arg(0);
        if (typeof name !== 'string' || streamId === 0) {
          this.sendMessages([[Csid.stream, onStatus(streamId, 'error', 'NetStream.Play.Failed', 'play needs a stream name on a created stream.')]]);
          return;
        }
        const start = typeof arg(1) === 'number' ? (arg(1) as number) : -2000;
        const duration = typeof arg(2) === 'number' ? (arg(2) as number) : undefined;
        let stream = this.streams.get(streamId);
        if (!stream) {
          stream = this.newStream(streamId);
          this.streams.set(streamId, stream);
        }
        void stream.play(app, name, start, duration).catch((cause: unknown) => {
          this.options.log.warn('play failed', { remote: this.options.remoteAddress, reason: errorMessage(cause) });
        });
        return;
      }
      case 'seek': {
        const ms = arg(0);
        const stream = this.streams.get(streamId);
        if (stream && typeof ms === 'number') stream.seek(ms);
        else this.sendMessages([[Csid.stream, onStatus(streamId, 'error', 'NetStream.Seek.Failed', 'Nothing to seek.')]]);
        return;
      }
      case 'pause':
      case 'pauseRaw': {
        const flag = arg(0);
        const ms = arg(1);
        const stream = this.streams.get(streamId);
        if (stream) {
          // AS2 ns.pause() without an argument toggles.
          const pause = typeof flag === 'boolean' ? flag : !stream.paused;
          stream.pause(pause, typeof ms === 'number' ? ms : undefined);
        }
        return;
      }
      case 'closeStream':
        this.streams.get(streamId)?.close();
        if (this.streams.has(streamId)) this.streams.set(streamId, this.newStream(streamId));
        return;
      case 'deleteStream': {
        const id = typeof arg(0) === 'number' ? (arg(0) as number) : streamId;
        this.streams.get(id)?.close();
        this.streams.delete(id);
        return;
      }
      case 'getStreamLength': {
        const name = arg(0);
        if (typeof name !== 'string') {
          this.replyError(cmd.transactionId, 'NetConnection.Call.Failed', 'getStreamLength needs a name.');
          return;
        }
        const controller = new AbortController();
        void app.resolveStream(name, controller.signal).then((r) => {
          if (r.ok) this.reply(cmd.transactionId, null, r.source.durationSeconds);
          else this.replyError(cmd.transactionId, r.code, r.description);
        });
        return;
      }
      case 'receiveAudio':
      case 'receiveVideo':
      case 'play2':
        return;
      case 'releaseStream':
      case 'FCSubscribe':
      case 'FCUnsubscribe':
      case '_checkbw':
        this.reply(cmd.transactionId, null);
        return;
      case 'publish':
      case 'FCPublish':
        this.sendMessages([[Csid.stream, onStatus(streamId, 'error', 'NetStream.Publish.Denied', 'This server only plays.')]]);
        return;
      default:
        this.replyError(cmd.transactionId, 'NetConnection.Call.Failed', `Method not found (${cmd.name}).`);
    }
  }

  private newStream(id: number): PlayStream {
    const o = this.options;
    const stream = new PlayStream(
      id,
      {
        send: (messages) => this.sendMessages(messages),
        resetChunkStream: (csid) => this.writer.reset(csid),
        waitDrain: (signal) => this.waitDrain(signal),
      },
      {
        clock: o.clock,
        log: o.log,
        pendingStatusAfterMs: o.pendingStatusAfterMs,
        pauseReleaseMs: o.pauseReleaseMs,
        ...(o.startDebounceMs !== undefined ? { startDebounceMs: o.startDebounceMs } : {}),
        slackMs: o.leadSlackMs,
        maxLeadMs: o.maxLeadMs,
        stats: o.stats,
      },
    );
    stream.setBufferLength(this.bufferByStream.get(id) ?? this.defaultBufferMs);
    return stream;
  }

  private startPings(): void {
    const every = this.options.pingIntervalMs ?? 0;
    if (every <= 0) return;
    this.pingTimer = this.options.clock.setInterval(() => {
      if (this.phase === 'closed') return;
      const now = this.options.clock.now();
      if (now - this.lastReceivedAt > 3 * every) {
        this.options.log.info('rtmp peer silent, closing', { remote: this.options.remoteAddress, silentMs: now - this.lastReceivedAt });
        this.options.stats.silentPeersClosed = (this.options.stats.silentPeersClosed ?? 0) + 1;
        this.close();
        return;
      }
      this.options.stats.pingsSent = (this.options.stats.pingsSent ?? 0) + 1;
      // The value is echoed back; ms since the connection opened, as FMS sends.
      this.sendMessages([[Csid.control, userControl(UserControlEvent.pingRequest, (now - this.openedAt) >>> 0)]]);
    }, every);
  }

  private waitDrain(signal: AbortSignal): Promise<void> {
    if (this.phase === 'closed') return Promise.resolve();
    if (!this.socket.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        this.drainWaiters.delete(done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      this.drainWaiters.add(done);
    });
  }

  private async handleConnect(cmd: DecodedCommand): Promise<void> {
    if (this.app) {
      this.replyError(cmd.transactionId, 'NetConnection.Call.Failed', 'Already connected.');
      return;
    }
    const obj = cmd.commandObject;
    const text = (key: string): string | undefined => {
      const v = isAmfObject(obj) ? obj[key] : undefined;
      return typeof v === 'string' ? v : undefined;
    };
    const rawApp = text('app') ?? '';
    const app = (rawApp.split('?')[0] ?? '').replace(/\/+$/, '');
    const request = {
      app,
      remoteAddress: this.options.remoteAddress,
      ...(text('tcUrl') !== undefined ? { tcUrl: text('tcUrl') as string } : {}),
      ...(text('flashVer') !== undefined ? { flashVer: text('flashVer') as string } : {}),
      ...(text('pageUrl') !== undefined ? { pageUrl: text('pageUrl') as string } : {}),
      ...(text('swfUrl') !== undefined ? { swfUrl: text('swfUrl') as string } : {}),
    };
    let decision;
    try {
      decision = await this.options.host.connect(request);
    } catch (cause) {
      this.options.log.warn('connect handler failed', { remote: this.options.remoteAddress, reason: errorMessage(cause) });
      decision = { ok: false as const, code: 'NetConnection.Connect.Rejected' as const, description: 'Connection refused.' };
    }
    if (this.phase === 'closed') return;
    if (!decision.ok) {
      this.options.log.info('rtmp connect refused', { remote: this.options.remoteAddress, app, code: decision.code });
      this.sendMessages([[Csid.command, command(0, '_error', cmd.transactionId, null, status('error', decision.code, decision.description))]]);
      this.close();
      return;
    }
    this.app = decision.session;
    this.startPings();
    const chunkSize = this.options.chunkSize ?? 4096;
    // One write for the whole reply: nginx's separate writes cost a ~40 ms Nagle stall.
    const control = [windowAckSize(WINDOW_ACK_SIZE), setPeerBandwidth(WINDOW_ACK_SIZE, 2), setChunkSize(chunkSize)].map((m) => this.writer.write(Csid.control, m));
    this.writer.setChunkSize(chunkSize);
    const result = this.writer.write(
      Csid.command,
      command(0, '_result', cmd.transactionId, { fmsVer: FMS_VERSION, capabilities: 31, mode: 1 }, status('status', 'NetConnection.Connect.Success', 'Connection succeeded.', { objectEncoding: 0 })),
    );
    this.write(Buffer.concat([...control, result]));
  }
}
