/**
 * Handler types for the sidecar's HTTP listeners. The device-facing host serves adapters under
 * `/<adapter-id>/` (or on a dedicated listener when the protocol needs root paths, as TiVo does);
 * the admin surface is a separate listener.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestContext {
  /** Path relative to the mount point, always starting with `/`, percent-decoding not applied. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Remote IP as a plain address (IPv4-mapped IPv6 normalised). */
  readonly remoteAddress: string;
  /** Fires when the client goes away or the server shuts down. */
  readonly signal: AbortSignal;
  /** `http://host:port` as the client addressed us (Host header), for building URLs. */
  readonly origin: string;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => Promise<void> | void;

export interface AdapterHttp {
  /** Serves requests under `/<adapter-id>/` on the device-facing host. */
  mount(handler: RequestHandler): void;
  /**
   * Asks for a listener of the adapter's own on `port` (root paths). The app opens it before
   * `start()`; the address allow-list applies to it as to every listener.
   */
  listen(port: number, handler: RequestHandler, host?: string): void;
  /** The port of the adapter's own listener once open (0 before; real port when 0 was asked). */
  boundPort(): number;
  /** The device-facing host's port. */
  devicePort(): number;
  /**
   * Serves admin-only requests under `/adapters/<adapter-id>/` on the ADMIN listener (never on
   * a device-facing one). The admin surface checks the session (and CSRF for state changes)
   * before the handler runs; `ctx.path` is relative to that prefix. Optional: absent in
   * harnesses without an admin surface.
   */
  mountAdmin?(handler: RequestHandler): void;
}
