/**
 * The paths of the WebSocket listener. CII and TS share a follow target so a companion that
 * reads `tsUrl` from CII ends up on the same session:
 *
 * - `/cii`, `/ts`: the most recently active session the device may follow;
 * - `/cii/session/<id>`, `/ts/session/<id>`: one Jellyfin session;
 * - `/cii/user/<userId>`, `/cii/device/<deviceId>` (and `/ts/…`): the most recently active
 *   session of that Jellyfin user or playing device;
 * - `/wc`: the wall clock over WebSocket (binary 32-byte packets, or BBC's JSON form).
 */
import { normalizeIp } from '../../plugin/index.js';
import { followSpecPath, parseFollowSpecPath, type FollowSpec } from './presentation.js';

export type Endpoint =
  | { readonly service: 'cii' | 'ts'; readonly spec: FollowSpec }
  | { readonly service: 'wc' };

/** Parses a request path (query ignored); undefined for paths we do not serve. */
export function parseEndpoint(url: string): Endpoint | undefined {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path === '/wc' || path === '/wc/') return { service: 'wc' };
  for (const service of ['cii', 'ts'] as const) {
    const prefix = `/${service}`;
    if (path !== prefix && !path.startsWith(`${prefix}/`)) continue;
    const spec = parseFollowSpecPath(path.slice(prefix.length));
    return spec === undefined ? undefined : { service, spec };
  }
  return undefined;
}

/** The path of an endpoint. */
export function endpointPath(service: 'cii' | 'ts', spec: FollowSpec): string {
  return `/${service}${followSpecPath(spec)}`;
}

/**
 * Host part for URLs handed to the client: the host it used (Host header), so the URLs name an
 * interface it can reach (pydvbcss#14); the socket's local address when the header is missing.
 */
export function clientFacingHost(hostHeader: string | undefined, localAddress: string | undefined): { readonly hostname: string; readonly port?: number } {
  if (hostHeader !== undefined && hostHeader.length > 0) {
    const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(hostHeader);
    if (m !== null && m[1] !== undefined) return m[2] === undefined ? { hostname: m[1] } : { hostname: m[1], port: Number(m[2]) };
  }
  const local = normalizeIp(localAddress ?? '127.0.0.1');
  return { hostname: local.includes(':') ? `[${local}]` : local };
}
