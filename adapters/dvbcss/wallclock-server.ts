/**
 * CSS-WC over UDP answered in JS: the fallback where the native responder (wallclock-native.ts)
 * is not built or not wanted. t2 is read first thing in the datagram handler, t3 just before the
 * send (or, in follow-up mode, again after the send completes for the type-3 follow-up). Anything but a
 * 32-byte version-0 type-0 request is dropped without a reply, as are requests from addresses
 * the device registry does not allow: a bad datagram costs one length check and never throws.
 */
import { createSocket, type RemoteInfo, type Socket, type SocketOptions } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import { buildWcFollowUp, buildWcResponse, isWcRequest, WC_TYPE } from './wallclock-codec.js';
import { WC_DECISION_TTL_MS, type WallClockUdp, type WallClockUdpCounters, type WallClockUdpOptions } from './wallclock-udp.js';

/** Cached decisions at most; the whole cache is dropped when full (a new address costs one registry lookup). */
const DECISION_CACHE_MAX = 4096;

/**
 * Resolves an IP literal synchronously. A reply goes to `rinfo.address`, always a literal, but
 * dgram's default path sends it through dns.lookup, which answers a literal on the next tick:
 * time after t3 that the client counts as round trip, so as dispersion (measured on loopback:
 * 40–70 µs off the median round trip). Anything else still goes to dns.lookup.
 */
const literalLookup: NonNullable<SocketOptions['lookup']> = (hostname, options, callback) => {
  const family = isIP(hostname);
  if (family !== 0) callback(null, hostname, family);
  else dnsLookup(hostname, options, callback);
};

export class WallClockUdpServer implements WallClockUdp {
  readonly kind = 'js';
  readonly counters: WallClockUdpCounters = { requests: 0, ignored: 0, refused: 0, sendErrors: 0, overflow: 0 };
  private socket: Socket | undefined;
  private boundPort = 0;
  /** Registry decisions per source address, so a 200 requests/s client costs one map lookup. */
  private readonly decisions = new Map<string, { readonly allowed: boolean; readonly until: number }>();

  constructor(private readonly options: WallClockUdpOptions) {}

  /** Binds the socket; resolves with the bound port. */
  async start(): Promise<number> {
    const { host, port } = this.options;
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', lookup: literalLookup });
    this.socket = socket;
    socket.on('message', (msg, rinfo) => this.onMessage(socket, msg, rinfo));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', (err) => this.options.log.warn('wall clock socket error', { code: 'ERR_DVBCSS_WC_SOCKET', error: err.message }));
    this.boundPort = socket.address().port;
    return this.boundPort;
  }

  port(): number {
    return this.socket === undefined ? 0 : this.boundPort;
  }

  forgetDecisions(): void {
    this.decisions.clear();
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket === undefined) return;
    await new Promise<void>((resolve) => {
      try {
        socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }

  private onMessage(socket: Socket, msg: Buffer, rinfo: RemoteInfo): void {
    const t2 = this.options.clock.monotonicNs();
    if (!isWcRequest(msg)) {
      this.counters.ignored++;
      return;
    }
    if (!this.allowed(rinfo.address)) {
      this.counters.refused++;
      return;
    }
    this.counters.requests++;
    const { precisionLog2, maxFreqError, followUp } = this.options.parameters;
    const clock = this.options.clock;
    const response = buildWcResponse(msg, followUp ? WC_TYPE.responseWithFollowUp : WC_TYPE.response, precisionLog2, maxFreqError, t2, clock.monotonicNs());
    socket.send(response, rinfo.port, rinfo.address, (err) => {
      if (err) {
        this.counters.sendErrors++;
        return;
      }
      if (followUp && this.socket === socket) {
        socket.send(buildWcFollowUp(response, clock.monotonicNs()), rinfo.port, rinfo.address, (e) => {
          if (e) this.counters.sendErrors++;
        });
      }
    });
  }

  private allowed(address: string): boolean {
    const now = this.options.clock.now();
    const cached = this.decisions.get(address);
    if (cached !== undefined && cached.until > now) return cached.allowed;
    const allowed = this.options.allow(address);
    if (this.decisions.size >= DECISION_CACHE_MAX) this.decisions.clear();
    this.decisions.set(address, { allowed, until: now + WC_DECISION_TTL_MS });
    return allowed;
  }
}
