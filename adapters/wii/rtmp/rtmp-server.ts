/**
 * The RTMP TCP listener: accepts sockets, wraps each in an RtmpConnection, caps the number of
 * connections, and closes everything on stop.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Clock, Logger } from '../../../plugin/index.js';
import { SidecarError, normalizeIp } from '../../../plugin/index.js';
import type { RtmpApplicationHost } from './application.js';
import { RtmpConnection } from './rtmp-connection.js';
import type { StreamStats } from './play-stream.js';

export interface RtmpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly clock: Clock;
  readonly log: Logger;
  readonly app: RtmpApplicationHost;
  readonly maxConnections: number;
  readonly handshakeTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly pendingStatusAfterMs: number;
  readonly pauseReleaseMs: number;
  readonly leadSlackMs: number;
  readonly maxLeadMs: number;
  readonly startDebounceMs?: number;
  readonly pingIntervalMs?: number;
}

export interface RtmpServerStats extends StreamStats {
  /** PingRequests sent, and connections closed because the peer went silent. */
  pingsSent: number;
  silentPeersClosed: number;
  connections: number;
  connectionsTotal: number;
  refusedConnections: number;
}

export class RtmpServer {
  private server: Server | undefined;
  private readonly connections = new Set<RtmpConnection>();
  readonly stats: RtmpServerStats = { connections: 0, connectionsTotal: 0, refusedConnections: 0, mediaBytes: 0, runs: 0, activeRuns: 0, failures: 0, pingsSent: 0, silentPeersClosed: 0 };

  constructor(private readonly options: RtmpServerOptions) {}

  /** Listens; resolves with the bound port. */
  async listen(): Promise<number> {
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => {
        reject(new SidecarError('ERR_WII_RTMP_LISTEN', 'unavailable', `cannot listen for RTMP on ${this.options.host}:${this.options.port}: ${err.message}`, { cause: err }));
      };
      server.once('error', onError);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    server.on('error', (err) => this.options.log.error('rtmp listener error', { code: 'ERR_WII_RTMP_LISTEN', reason: err.message }));
    return this.port();
  }

  port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  private accept(socket: Socket): void {
    if (this.connections.size >= this.options.maxConnections) {
      this.stats.refusedConnections++;
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const o = this.options;
    const connection = new RtmpConnection(socket, {
      clock: o.clock,
      log: o.log,
      host: o.app,
      remoteAddress: normalizeIp(socket.remoteAddress ?? ''),
      handshakeTimeoutMs: o.handshakeTimeoutMs,
      idleTimeoutMs: o.idleTimeoutMs,
      pendingStatusAfterMs: o.pendingStatusAfterMs,
      pauseReleaseMs: o.pauseReleaseMs,
      leadSlackMs: o.leadSlackMs,
      maxLeadMs: o.maxLeadMs,
      ...(o.startDebounceMs !== undefined ? { startDebounceMs: o.startDebounceMs } : {}),
      ...(o.pingIntervalMs !== undefined ? { pingIntervalMs: o.pingIntervalMs } : {}),
      stats: this.stats,
    });
    this.connections.add(connection);
    this.stats.connections = this.connections.size;
    this.stats.connectionsTotal++;
    void connection.whenClosed().then(() => {
      this.connections.delete(connection);
      this.stats.connections = this.connections.size;
    });
  }

  /** Stops listening and closes every connection (their streams stop their producers). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const c of this.connections) c.destroy();
    if (server) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}
