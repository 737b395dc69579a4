/**
 * TiVo Connect discovery (protocols/tivo.md §2): UDP beacons to the configured targets on port
 * 2190 (every 5 s for the first 30 s, then every `intervalSeconds`), a unicast `connected`
 * beacon back to TiVos that broadcast theirs, and the length-prefixed TCP exchange on 2190.
 * The identity comes from the stable server id, so it survives restarts.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import type { Clock, Logger, TimerHandle } from '../../plugin/index.js';
import { buildBeacon, frameBeacon, parseBeacon, parseTarget, unframeBeacon, type BeaconFields } from './beacon-packet.js';

export interface BeaconOptions {
  /** `host` or `host:port` (port defaults to `port`). */
  readonly targets: readonly string[];
  readonly port: number;
  /** Address the UDP and TCP sockets bind to (default all). */
  readonly bind?: string;
  readonly intervalSeconds: number;
  readonly listenTcp: boolean;
  readonly listenUdp: boolean;
  readonly identity: string;
  readonly machine: string;
  /** The HMO port, read when a beacon is built (the listener may be bound late). */
  readonly httpPort: () => number;
  readonly clock: Clock;
  readonly log: Logger;
  /** A TiVo introduced itself (name for the device registry). */
  readonly onTivo?: (info: TivoIntroduction) => void;
}

/** What a TiVo's beacon says about it: its address, TSN (`identity=`) and name (`machine=`). */
export interface TivoIntroduction {
  readonly ip: string;
  readonly tsn?: string;
  readonly machine?: string;
}

const FAST_PERIOD_MS = 5000;
const FAST_WINDOW_MS = 30_000;
const TCP_TIMEOUT_MS = 5000;

export class BeaconService {
  private udp: Socket | undefined;
  private tcp: Server | undefined;
  private timer: TimerHandle | undefined;
  private startedAt = 0;
  private sent = 0;
  udpPort = 0;
  tcpPort = 0;

  constructor(private readonly o: BeaconOptions) {}

  fields(method: BeaconFields['method']): BeaconFields {
    return { method, identity: this.o.identity, machine: this.o.machine, platform: 'pc/Jellybridge', services: [`TiVoMediaServer:${this.o.httpPort()}/http`], swversion: '1.0' };
  }

  beaconsSent(): number {
    return this.sent;
  }

  async start(): Promise<void> {
    const udp = createSocket({ type: 'udp4', reuseAddr: true });
    this.udp = udp;
    udp.on('error', (err) => this.o.log.warn('beacon socket error', { error: err.message }));
    udp.on('message', (msg, rinfo) => this.onUdp(msg, rinfo.address, rinfo.port));
    await new Promise<void>((resolve) => {
      const bindEphemeral = (): void => {
        udp.bind(0, this.o.bind, () => resolve());
      };
      if (!this.o.listenUdp) {
        bindEphemeral();
        return;
      }
      udp.once('error', (err) => {
        this.o.log.warn('cannot listen for TiVo beacons; sending only', { error: err.message, port: this.o.port });
        bindEphemeral();
      });
      udp.bind(this.o.port, this.o.bind, () => resolve());
    });
    this.udpPort = udp.address().port;
    udp.setBroadcast(true);
    if (this.o.listenTcp) await this.startTcp();
    this.startedAt = this.o.clock.now();
    this.broadcast();
    this.schedule();
  }

  private schedule(): void {
    const fast = this.o.clock.now() - this.startedAt < FAST_WINDOW_MS;
    this.timer = this.o.clock.setTimeout(
      () => {
        this.broadcast();
        this.schedule();
      },
      fast ? FAST_PERIOD_MS : this.o.intervalSeconds * 1000,
    );
  }

  private broadcast(): void {
    const udp = this.udp;
    if (!udp) return;
    const packet = Buffer.from(buildBeacon(this.fields('broadcast')), 'ascii');
    for (const target of this.o.targets) {
      const { host, port } = parseTarget(target, this.o.port);
      udp.send(packet, port, host, (err) => {
        if (err) this.o.log.debug('beacon send failed', { target: host, error: err.message });
        else this.sent++;
      });
    }
  }

  private onUdp(msg: Buffer, ip: string, port: number): void {
    const beacon = parseBeacon(msg.toString('utf8'));
    if (!beacon || !beacon['platform']?.toLowerCase().startsWith('tcd/')) return;
    this.o.onTivo?.({ ip, ...(beacon['identity'] ? { tsn: beacon['identity'] } : {}), ...(beacon['machine'] ? { machine: beacon['machine'] } : {}) });
    if (beacon['method'] === 'broadcast') {
      this.udp?.send(Buffer.from(buildBeacon(this.fields('connected')), 'ascii'), port, ip);
    }
  }

  private async startTcp(): Promise<void> {
    const server = createServer((socket) => {
      let buffer = Buffer.alloc(0);
      socket.setTimeout(TCP_TIMEOUT_MS, () => socket.destroy());
      socket.on('error', () => socket.destroy());
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        const frame = unframeBeacon(buffer);
        if (frame.kind === 'need') return;
        if (frame.kind === 'invalid') {
          socket.destroy();
          return;
        }
        const beacon = parseBeacon(frame.text);
        if (beacon?.['platform']?.toLowerCase().startsWith('tcd/')) {
          this.o.onTivo?.({ ip: socket.remoteAddress ?? '', ...(beacon['identity'] ? { tsn: beacon['identity'] } : {}), ...(beacon['machine'] ? { machine: beacon['machine'] } : {}) });
        }
        socket.end(frameBeacon(buildBeacon(this.fields('connected'))));
      });
    });
    this.tcp = server;
    await new Promise<void>((resolve) => {
      server.once('error', (err) => {
        this.o.log.warn('cannot listen for TCP beacons', { error: err.message, port: this.o.port });
        this.tcp = undefined;
        resolve();
      });
      server.listen(this.o.port, this.o.bind, () => resolve());
    });
    const address = this.tcp?.address();
    this.tcpPort = typeof address === 'object' && address ? address.port : 0;
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    const udp = this.udp;
    this.udp = undefined;
    if (udp) await new Promise<void>((r) => udp.close(() => r()));
    const tcp = this.tcp;
    this.tcp = undefined;
    if (tcp) {
      await new Promise<void>((r) => {
        tcp.close(() => r());
        tcp.unref();
      });
    }
  }
}
