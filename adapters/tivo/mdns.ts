/**
 * mDNS / DNS-SD responder for `_tivo-videos._tcp` (protocols/tivo.md §2.3; RFC 6762, RFC 6763)
 * through the `multicast-dns` library:
 * - at start it announces the service with unsolicited responses (RFC 6762 §8.3: two, one second
 *   apart, as pyTivo's zeroconf and TiVos do), and sends a goodbye (TTL 0) at stop;
 * - it answers queries for the service type, the instance, its host name and the DNS-SD service
 *   enumeration; legacy unicast queries (source port ≠ 5353) and QU questions get a unicast reply.
 *
 * One entry per server (not pyTivo's one per share): the shares a TiVo sees depend on the
 * device's user, and an mDNS announcement goes to every device on the LAN, so the entry points
 * at the root container and the listing does the per-device filtering (README "Discovery").
 *
 * Loopback mode: with `interface` set to a loopback address the socket binds there, joins no
 * multicast group, and announcements go only to `announceTo` (tests; nothing reaches the LAN).
 */
import { createSocket, type Socket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import makeMdns from 'multicast-dns';
import type { Clock, Logger, TimerHandle } from '../../plugin/index.js';
import { parseTarget } from './beacon-packet.js';

export const TIVO_VIDEOS_SERVICE = '_tivo-videos._tcp.local';
const SERVICE_ENUMERATION = '_services._dns-sd._udp.local';
export const MDNS_PORT = 5353;
export const MDNS_GROUP = '224.0.0.251';

/** RFC 6762 §10: records naming a host live 120 s, the others 75 minutes. */
const HOST_TTL = 120;
const OTHER_TTL = 4500;
/** RFC 6762 §6.7: legacy unicast answers carry TTLs of at most 10 s. */
const LEGACY_TTL = 10;
const ANNOUNCE_INTERVAL_MS = 1000;

export interface MdnsOptions {
  readonly instanceName: string;
  readonly httpPort: () => number;
  readonly identity: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** UDP port the responder listens on (5353; 0 = any, for tests in loopback mode). */
  readonly port: number;
  /** Interface address to bind and join the group on; a loopback address selects loopback mode. */
  readonly interface?: string;
  /** Where announcements and goodbyes go (`host:port`); default the mDNS group. */
  readonly announceTo: readonly string[];
  /** Unsolicited announcements at start (RFC 6762 asks for at least two). */
  readonly announcements: number;
  /** Address announced in the A record (default: the interface, else the first non-internal IPv4). */
  readonly address?: string;
}

function firstLanAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** TXT strings a TiVo reads (TiVo Desktop / pyTivo style; the path opens the server root). */
export function tivoTxt(identity: string): string[] {
  return ['protocol=http', 'path=/TiVoConnect?Command=QueryContainer&Container=%2F', 'platform=pc/Jellybridge', `tsn=${identity}`, 'swversion=1.0'];
}

/** A DNS label made of the server name (host part of the A/SRV records). */
export function hostLabel(name: string): string {
  const label = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  return label === '' ? 'jellybridge' : label;
}

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address.startsWith('127.') || address === '::1');
}

/** The records of the service (RFC 6763 §4–6), with the given TTLs. */
export function serviceRecords(o: { readonly instanceName: string; readonly port: number; readonly identity: string; readonly address: string }, ttl?: number): ServiceRecords {
  const instance = `${o.instanceName}.${TIVO_VIDEOS_SERVICE}`;
  const host = `${hostLabel(o.instanceName)}.local`;
  return {
    instance,
    host,
    ptr: { name: TIVO_VIDEOS_SERVICE, type: 'PTR', ttl: ttl ?? OTHER_TTL, data: instance },
    srv: { name: instance, type: 'SRV', ttl: ttl ?? HOST_TTL, flush: true, data: { port: o.port, target: host, priority: 0, weight: 0 } },
    txt: { name: instance, type: 'TXT', ttl: ttl ?? OTHER_TTL, flush: true, data: tivoTxt(o.identity) },
    a: { name: host, type: 'A', ttl: ttl ?? HOST_TTL, flush: true, data: o.address },
    enumeration: { name: SERVICE_ENUMERATION, type: 'PTR', ttl: ttl ?? OTHER_TTL, data: TIVO_VIDEOS_SERVICE },
  };
}

type Answer = makeMdns.ResponseOutgoingPacket['answers'][number];

export interface ServiceRecords {
  readonly instance: string;
  readonly host: string;
  readonly ptr: Answer;
  readonly srv: Answer;
  readonly txt: Answer;
  readonly a: Answer;
  readonly enumeration: Answer;
}

/** QU bit (RFC 6762 §5.4): dns-packet leaves it in the class, reported as `UNKNOWN_<n>`. */
function wantsUnicast(klass: unknown): boolean {
  const m = typeof klass === 'string' ? /^UNKNOWN_(\d+)$/.exec(klass) : null;
  return m !== null && (Number(m[1]) & 0x8000) !== 0;
}

export class MdnsAnnouncer {
  private mdns: ReturnType<typeof makeMdns> | undefined;
  private socket: Socket | undefined;
  private timer: TimerHandle | undefined;
  private announced = 0;
  private answered = 0;
  boundPort = 0;
  /** Lower-cased names this responder answers for (DNS names compare case-insensitively). */
  private readonly ourInstance: string;
  private readonly ourHost: string;

  constructor(private readonly o: MdnsOptions) {
    this.ourInstance = `${o.instanceName}.${TIVO_VIDEOS_SERVICE}`.toLowerCase();
    this.ourHost = `${hostLabel(o.instanceName)}.local`.toLowerCase();
  }

  /** Announcements sent and queries answered so far (health counters). */
  counts(): { readonly announcements: number; readonly answers: number } {
    return { announcements: this.announced, answers: this.answered };
  }

  private address(): string {
    return this.o.address ?? (this.o.interface !== undefined && this.o.interface !== '0.0.0.0' ? this.o.interface : firstLanAddress());
  }

  private records(ttl?: number): ServiceRecords {
    return serviceRecords({ instanceName: this.o.instanceName, port: this.o.httpPort(), identity: this.o.identity, address: this.address() }, ttl);
  }

  async start(): Promise<void> {
    const loopback = isLoopback(this.o.interface);
    let mdns: ReturnType<typeof makeMdns>;
    if (loopback) {
      // Bound by hand so port 0 works (the library skips binding for port 0) and no group is joined.
      const socket = createSocket({ type: 'udp4', reuseAddr: true });
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('error', reject);
          socket.bind(this.o.port, this.o.interface, () => {
            socket.off('error', reject);
            resolve();
          });
        });
      } catch (error) {
        socket.close();
        throw error;
      }
      this.socket = socket;
      this.boundPort = socket.address().port;
      mdns = makeMdns({ socket, bind: false, multicast: false, port: this.boundPort, ip: this.o.interface });
    } else {
      mdns = makeMdns({ port: this.o.port, reuseAddr: true, ...(this.o.interface !== undefined ? { interface: this.o.interface } : {}) });
      try {
        await new Promise<void>((resolve, reject) => {
          mdns.once('ready', () => resolve());
          mdns.once('error', (err: Error) => reject(err));
        });
      } catch (error) {
        mdns.destroy();
        throw error;
      }
      this.boundPort = this.o.port;
    }
    this.mdns = mdns;
    mdns.on('error', (err: Error) => this.o.log.warn('mDNS error', { error: err.message }));
    mdns.on('warning', (err: Error) => this.o.log.debug('mDNS warning', { error: err.message }));
    mdns.on('query', (query, rinfo) => this.onQuery(query, rinfo));
    this.announce(this.o.announcements);
  }

  private announce(left: number): void {
    if (left <= 0 || !this.mdns) return;
    const r = this.records();
    this.sendToTargets({ answers: [r.ptr, r.srv, r.txt, r.a] });
    this.announced++;
    if (left > 1) this.timer = this.o.clock.setTimeout(() => this.announce(left - 1), ANNOUNCE_INTERVAL_MS);
  }

  private sendToTargets(packet: makeMdns.ResponseOutgoingPacket): void {
    const mdns = this.mdns;
    if (!mdns) return;
    for (const target of this.o.announceTo) {
      const { host, port } = parseTarget(target, MDNS_PORT);
      mdns.respond(packet, { port, address: host }, (err) => {
        if (err) this.o.log.debug('mDNS announcement failed', { target: host, error: err.message });
      });
    }
  }

  /** Whether a question names the service type, the instance, the host or the enumeration. */
  private concernsUs(q: { readonly name: string }): boolean {
    const name = q.name.toLowerCase();
    return name === TIVO_VIDEOS_SERVICE || name === this.ourInstance || name === this.ourHost || name === SERVICE_ENUMERATION;
  }

  /** The records answering one question (empty when it is not about this service). */
  private answersFor(q: { readonly name: string; readonly type: string }, r: ServiceRecords): Answer[] {
    const name = q.name.toLowerCase();
    const wants = (type: string): boolean => q.type === 'ANY' || q.type === type;
    if (name === TIVO_VIDEOS_SERVICE) return wants('PTR') ? [r.ptr] : [];
    if (name === this.ourInstance) return [...(wants('SRV') ? [r.srv] : []), ...(wants('TXT') ? [r.txt] : [])];
    if (name === this.ourHost) return wants('A') ? [r.a] : [];
    if (name === SERVICE_ENUMERATION) return wants('PTR') ? [r.enumeration] : [];
    return [];
  }

  private onQuery(query: makeMdns.QueryPacket, rinfo: { readonly address: string; readonly port: number }): void {
    const mdns = this.mdns;
    if (!mdns) return;
    const questions = query.questions ?? [];
    // Most queries on a LAN are about other services: drop them before building any record.
    if (!questions.some((q) => this.concernsUs(q))) return;
    const legacy = rinfo.port !== MDNS_PORT;
    const r = this.records(legacy ? LEGACY_TTL : undefined);
    const answers = new Set<Answer>();
    let unicast = legacy;
    for (const q of questions) {
      const found = this.answersFor(q, r);
      for (const a of found) answers.add(a);
      if (found.length > 0 && wantsUnicast(q.class)) unicast = true;
    }
    if (answers.size === 0) return;
    // Additional records save the TiVo a second query (RFC 6763 §12); not for a bare enumeration.
    const additionals = answers.has(r.ptr) || answers.has(r.srv) ? [r.srv, r.txt, r.a].filter((rec) => !answers.has(rec)) : [];
    const packet: makeMdns.ResponseOutgoingPacket = { answers: [...answers], additionals };
    this.answered++;
    if (legacy) {
      // Legacy unicast replies echo the id and the questions (RFC 6762 §6.7).
      mdns.respond({ ...packet, id: query.id, questions: query.questions }, { port: rinfo.port, address: rinfo.address });
    } else if (unicast) mdns.respond(packet, { port: rinfo.port, address: rinfo.address });
    else this.sendToTargets(packet);
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    const mdns = this.mdns;
    if (!mdns) return;
    // Goodbye (RFC 6762 §10.1): the same records with TTL 0, so TiVos drop the entry at once.
    if (this.announced > 0) {
      const r = this.records(0);
      await new Promise<void>((resolve) => {
        let left = this.o.announceTo.length;
        if (left === 0) resolve();
        for (const target of this.o.announceTo) {
          const { host, port } = parseTarget(target, MDNS_PORT);
          mdns.respond({ answers: [r.ptr, r.srv, r.txt, r.a] }, { port, address: host }, () => {
            if (--left === 0) resolve();
          });
        }
      });
    }
    this.mdns = undefined;
    await new Promise<void>((resolve) => mdns.destroy(() => resolve()));
    this.socket = undefined;
  }
}
