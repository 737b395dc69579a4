/**
 * One connection to Jellyfin's `/socket`, opened with `ws` so the upgrade carries the full
 * `Authorization: MediaBrowser …` header (the socket then has the sidecar's own device
 * identity; protocols/jellyfin.md §3, §4.6). Answers ForceKeepAlive with KeepAlive every
 * Data/2 seconds, subscribes to Sessions ("0,1000") and hands each Sessions payload up.
 * Never throws out of socket callbacks: every failure ends in one `onClose(reason)`.
 */
import WebSocket from 'ws';
import type { Clock, TimerHandle } from '../util/clock.js';
import type { SessionInfoDto } from './client.js';

export interface SessionSocketHandlers {
  onOpen(): void;
  onSessions(sessions: readonly SessionInfoDto[]): void;
  /** Called exactly once, when the socket is gone (or never opened). */
  onClose(reason: string): void;
}

interface Envelope {
  readonly MessageType?: unknown;
  readonly Data?: unknown;
}

const HANDSHAKE_TIMEOUT_MS = 10_000;

export class SessionSocket {
  private socket: WebSocket | undefined;
  private keepAlive: TimerHandle | undefined;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly authorization: string,
    private readonly clock: Clock,
    private readonly handlers: SessionSocketHandlers,
  ) {}

  open(): void {
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url, { headers: { Authorization: this.authorization }, handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
    } catch (error) {
      this.finish(error instanceof Error ? error.message : String(error));
      return;
    }
    this.socket = socket;
    socket.on('open', () => {
      this.send({ MessageType: 'SessionsStart', Data: '0,1000' });
      this.safely(() => this.handlers.onOpen());
    });
    socket.on('message', (data: WebSocket.RawData) => this.onMessage(data));
    socket.on('unexpected-response', (_req, res) => {
      this.finish(`upgrade refused (HTTP ${res.statusCode ?? '?'})`);
      socket.terminate();
    });
    socket.on('error', (error: Error) => this.finish(error.message));
    socket.on('close', (code: number) => this.finish(`closed (${code})`));
  }

  /** Sends SessionsStop and closes; no onClose callback afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.keepAlive?.cancel();
    const socket = this.socket;
    if (socket === undefined) return;
    if (socket.readyState === WebSocket.OPEN) {
      this.send({ MessageType: 'SessionsStop' });
      socket.close(1000);
    } else {
      socket.terminate();
    }
  }

  private onMessage(data: WebSocket.RawData): void {
    let message: Envelope;
    try {
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      message = JSON.parse(text) as Envelope;
    } catch {
      return; // Not JSON: ignore rather than drop a working socket.
    }
    switch (message.MessageType) {
      case 'ForceKeepAlive': {
        const seconds = typeof message.Data === 'number' && message.Data > 0 ? message.Data : 60;
        this.keepAlive?.cancel();
        this.send({ MessageType: 'KeepAlive' });
        this.keepAlive = this.clock.setInterval(() => this.send({ MessageType: 'KeepAlive' }), (seconds * 1000) / 2);
        break;
      }
      case 'Sessions':
        if (Array.isArray(message.Data)) {
          const sessions = message.Data as SessionInfoDto[];
          this.safely(() => this.handlers.onSessions(sessions));
        }
        break;
      default:
        break;
    }
  }

  private send(message: { MessageType: string; Data?: string }): void {
    const socket = this.socket;
    if (socket?.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify(message), () => undefined);
  }

  private finish(reason: string): void {
    this.keepAlive?.cancel();
    if (this.closed) return;
    this.closed = true;
    this.safely(() => this.handlers.onClose(reason));
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch {
      // A listener bug must not kill the socket's event loop callbacks.
    }
  }
}
