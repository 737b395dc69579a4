/**
 * mDNS / DNS-SD announcement `_tivo-videos._tcp` (protocols/tivo.md §2.3), answering queries
 * with PTR, SRV, TXT (`path`, `platform`, `protocol`, `tsn`) and A records through the
 * `multicast-dns` library. Unicast-port queries get a unicast answer as well (RFC 6762 §6.7).
 */
import { networkInterfaces } from 'node:os';
import makeMdns from 'multicast-dns';
import type { Logger } from '../../plugin/index.js';

export const TIVO_VIDEOS_SERVICE = '_tivo-videos._tcp.local';

export interface MdnsOptions {
  readonly instanceName: string;
  readonly httpPort: () => number;
  readonly identity: string;
  readonly log: Logger;
  /** For tests: port, multicast group/address and interface of the mDNS socket. */
  readonly socket?: { readonly port?: number; readonly ip?: string; readonly interface?: string; readonly multicast?: boolean; readonly bind?: string };
  /** Address announced in the A record (default: first non-internal IPv4). */
  readonly address?: string;
}

function localAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** TXT strings a TiVo reads. */
export function tivoTxt(identity: string): string[] {
  return ['path=/TiVoConnect?Command=QueryContainer&Container=%2F', 'platform=pc/Jellybridge', 'protocol=http', `tsn=${identity}`, 'swversion=1.0'];
}

export class MdnsAnnouncer {
  private mdns: ReturnType<typeof makeMdns> | undefined;

  constructor(private readonly o: MdnsOptions) {}

  start(): void {
    const socket = this.o.socket ?? {};
    const mdns = makeMdns({ ...socket, reuseAddr: true });
    this.mdns = mdns;
    const host = `${this.o.instanceName.replace(/[^A-Za-z0-9-]/g, '-')}.local`;
    const instance = `${this.o.instanceName}.${TIVO_VIDEOS_SERVICE}`;
    mdns.on('error', (err: Error) => this.o.log.warn('mDNS error', { error: err.message }));
    mdns.on('query', (query, rinfo) => {
      const asked = (query.questions ?? []).some((q) => q.name.toLowerCase() === TIVO_VIDEOS_SERVICE || q.name.toLowerCase() === instance.toLowerCase());
      if (!asked) return;
      const answer = {
        answers: [{ name: TIVO_VIDEOS_SERVICE, type: 'PTR' as const, ttl: 120, data: instance }],
        additionals: [
          { name: instance, type: 'SRV' as const, ttl: 120, data: { port: this.o.httpPort(), target: host, priority: 0, weight: 0 } },
          { name: instance, type: 'TXT' as const, ttl: 120, data: tivoTxt(this.o.identity) },
          { name: host, type: 'A' as const, ttl: 120, data: this.o.address ?? localAddress() },
        ],
      };
      if (rinfo.port !== 5353) mdns.respond(answer, rinfo);
      else mdns.respond(answer);
    });
  }

  async stop(): Promise<void> {
    const mdns = this.mdns;
    this.mdns = undefined;
    if (mdns) await new Promise<void>((r) => mdns.destroy(() => r()));
  }
}
