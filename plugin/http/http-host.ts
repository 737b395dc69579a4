/**
 * A node:http listener with prefix mounts, an address allow-list, per-request abort signals and
 * graceful close. The device-facing host, the admin surface and adapters' own listeners (TiVo's
 * root paths) are all HttpHosts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../log/logger.js';
import { IpAllowList, normalizeIp } from '../util/cidr.js';
import { SidecarError } from '../util/errors.js';
import { sendError } from './errors-to-http.js';
import type { RequestContext, RequestHandler } from './types.js';

export interface HttpHostOptions {
  readonly name: string;
  readonly allow: readonly string[];
  readonly log: Logger;
  /** Overrides the origin handed to handlers (public URL behind NAT/proxy). */
  readonly publicOrigin?: string;
}

interface Mount {
  readonly prefix: string;
  readonly handler: RequestHandler;
}

export class HttpHost {
  private readonly server: Server;
  private readonly mounts: Mount[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly allowList: IpAllowList;
  private port = 0;
  private closing = false;
  /** Counters for /health. */
  readonly counters = { requests: 0, refused: 0, errors: 0 };

  constructor(private readonly options: HttpHostOptions) {
    this.allowList = new IpAllowList(options.allow);
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      const remote = normalizeIp(socket.remoteAddress ?? '');
      if (!this.allowList.allows(remote)) {
        // Refused everywhere: outside the allow-list nobody gets an answer worth having.
        this.counters.refused++;
        options.log.warn('connection refused: address not allowed', { listener: options.name, ip: remote });
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    // Slow or broken clients must not pin sockets forever.
    this.server.headersTimeout = 20_000;
    this.server.requestTimeout = 0;
    this.server.keepAliveTimeout = 5_000;
  }

  /**
   * Routes requests whose path starts with `prefix` (e.g. `/tivo/`, or `/` for everything) to
   * `handler`. Longest prefix wins.
   */
  mount(prefix: string, handler: RequestHandler): void {
    this.mounts.push({ prefix, handler });
    this.mounts.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(new SidecarError('ERR_HTTP_LISTEN', 'failed-precondition', `${this.options.name}: cannot listen on ${host}:${port}: ${error.message}`, { cause: error }));
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    return this.port;
  }

  boundPort(): number {
    return this.port;
  }

  /** Stops accepting, lets in-flight requests finish for `graceMs`, then destroys the rest. */
  async close(graceMs = 2000): Promise<void> {
    if (this.closing || !this.server.listening) return;
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, graceMs);
    timer.unref();
    await closed;
    clearTimeout(timer);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.counters.requests++;
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new SidecarError('ERR_HTTP_CLIENT_GONE', 'aborted', 'client went away'));
    });
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const mount = this.mounts.find((m) => url.pathname.startsWith(m.prefix) || url.pathname === m.prefix.replace(/\/$/, ''));
      if (!mount) throw new SidecarError('ERR_HTTP_NOT_FOUND', 'not-found', 'no such path');
      const rest = url.pathname.slice(mount.prefix.length - (mount.prefix.endsWith('/') ? 1 : 0));
      const context: RequestContext = {
        path: rest.startsWith('/') ? rest : `/${rest}`,
        query: url.searchParams,
        remoteAddress: normalizeIp(req.socket.remoteAddress ?? ''),
        signal: controller.signal,
        origin: this.options.publicOrigin ?? originOf(req, this.port),
      };
      await mount.handler(req, res, context);
    } catch (error) {
      const err = sendError(res, error);
      if (err.kind === 'internal') {
        this.counters.errors++;
        this.options.log.error('request failed', { listener: this.options.name, code: err.code, error: err.cause ?? err, path: req.url?.split('?')[0] });
      }
    }
  }
}

function originOf(req: IncomingMessage, port: number): string {
  const host = req.headers.host;
  if (host && /^[a-zA-Z0-9.\-[\]:]+$/.test(host)) return `http://${host}`;
  const local = req.socket.localAddress ? normalizeIp(req.socket.localAddress) : '127.0.0.1';
  return `http://${local.includes(':') ? `[${local}]` : local}:${port}`;
}
