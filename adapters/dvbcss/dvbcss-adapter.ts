/**
 * The DVB-CSS adapter at run time: one HTTP listener carrying the CII, TS and WC-over-WebSocket
 * endpoints (endpoints.ts), the UDP wall clock, and the session tracker that turns Jellyfin
 * playback into presentations. The constructor opens nothing; start() opens, stop() closes.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { networkInterfaces } from 'node:os';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  SidecarError,
  errorMessage,
  normalizeIp,
  type Adapter,
  type AdapterContext,
  type AdapterHealth,
  type AdapterState,
  type DeviceContext,
  type PlaybackSession,
} from '../../plugin/index.js';
import { serveCii, type CiiEndpointInfo } from './cii-server.js';
import type { TimelineOption } from './cii-message.js';
import type { DvbcssConfig, DvbcssDeviceSettings } from './config.js';
import { requestIdentity } from './device-identity.js';
import { clientFacingHost, endpointPath, parseEndpoint, type Endpoint } from './endpoints.js';
import { companionHost, companionUrl } from './page/companion-link.js';
import { createCompanionRoutes } from './page/companion-routes.js';
import type { FollowSpec } from './presentation.js';
import { SessionTracker } from './session-tracker.js';
import { DEFAULT_TIMELINE_SELECTOR } from './timeline.js';
import { serveTs } from './ts-server.js';
import { wallClockParameters, type WallClockParameters } from './wallclock-responder.js';
import { createWallClockUdp, type WallClockUdp } from './wallclock-udp.js';
import { serveWallClockWs } from './wallclock-ws.js';

type Context = AdapterContext<DvbcssConfig, DvbcssDeviceSettings>;

interface Counters {
  ciiConnections: number;
  tsConnections: number;
  wcWsConnections: number;
  refusedConnections: number;
  ciiMessages: number;
  controlTimestamps: number;
  invalidMessages: number;
  wcWsRequests: number;
  wcWsIgnored: number;
}

export class DvbcssAdapter implements Adapter {
  private state: AdapterState = 'starting';
  private since = new Date().toISOString();
  private detail = 'not started';
  private lastError: AdapterHealth['lastError'];
  private readonly counters: Counters = {
    ciiConnections: 0,
    tsConnections: 0,
    wcWsConnections: 0,
    refusedConnections: 0,
    ciiMessages: 0,
    controlTimestamps: 0,
    invalidMessages: 0,
    wcWsRequests: 0,
    wcWsIgnored: 0,
  };
  private readonly tracker: SessionTracker;
  private http: Server | undefined;
  private wss: WebSocketServer | undefined;
  private udp: WallClockUdp | undefined;
  private parameters: WallClockParameters | undefined;
  private wsPort = 0;
  private companionLink = '';
  private offDevices: (() => void) | undefined;
  private started = false;
  private stopped = false;

  constructor(private readonly context: Context) {
    const { config } = context;
    this.tracker = new SessionTracker(context.playback, context.clock, {
      serverId: context.server.serverId,
      transitionMs: config.transitionMs,
      seekToleranceMs: config.driftToleranceMs,
      settleMs: config.settleMs,
    });
    context.http.mount(
      createCompanionRoutes({
        resolve: (identity) => context.devices.resolve(identity),
        sessions: () => this.tracker.sessions(),
        visibility: (device) => this.visibility(device),
        wsPort: () => this.wsPort,
        companionUrl: () => this.companionPageUrl(),
        serverName: context.server.serverName,
      }),
    );
  }

  /**
   * The companion page link for phones (`http://<LAN host>:<device port>/dvbcss/`), shown in
   * health detail so the admin UI can link it and render its QR code (`…/dvbcss/qr.svg`).
   */
  companionPageUrl(): string {
    if (this.companionLink !== '') return this.companionLink;
    const host = companionHost({ companionHost: this.context.config.companionHost, bind: this.context.config.bind }, networkInterfaces());
    const link = companionUrl(host, this.context.http.devicePort(), this.context.id);
    // Cached once the device host listens (its port is 0 before).
    if (this.context.http.devicePort() !== 0) this.companionLink = link;
    return link;
  }

  /** Bound UDP wall-clock port (0 before start). */
  wallClockPort(): number {
    return this.udp?.port() ?? 0;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const { config, clock, log } = this.context;
    try {
      this.parameters = wallClockParameters(clock, { precisionLog2: config.wcPrecisionLog2, maxFreqErrorPpm: config.wcMaxFreqErrorPpm, followUp: config.wcFollowUp });
      this.offDevices = this.context.devices.onChange(() => this.udp?.forgetDecisions());
      this.tracker.start();
      this.wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes, clientTracking: true, perMessageDeflate: false });
      const http = createServer((req, res) => {
        res.writeHead(426, { 'content-type': 'text/plain; charset=utf-8', connection: 'close', upgrade: 'websocket' });
        res.end('DVB-CSS endpoints: WebSocket upgrade required on /cii, /ts or /wc\n');
      });
      this.http = http;
      http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
      http.on('clientError', (_err, socket) => socket.destroy());
      this.wsPort = await listen(http, config.wsPort, config.bind);
      const wallClock = createWallClockUdp(config.wcResponder, { clock, log, host: config.bind, port: config.wcPort, parameters: this.parameters, allow: (a) => this.allowUdp(a) });
      if (wallClock.fallbackReason !== undefined) log.info('dvbcss wall clock answered from JS', { reason: wallClock.fallbackReason });
      this.udp = wallClock.server;
      const wcPort = await this.udp.start();
      const responder = this.udp.kind;
      this.setState('ready', `companion page: ${this.companionPageUrl()} · CII/TS on ws ${config.bind}:${this.wsPort}, wall clock on udp ${config.bind}:${wcPort} (${responder} responder)`);
      log.info('dvbcss listening', { wsPort: this.wsPort, wcPort, wcResponder: responder, precisionLog2: this.parameters.precisionLog2 });
    } catch (err) {
      const error = new SidecarError('ERR_DVBCSS_LISTEN', 'unavailable', `DVB-CSS cannot listen: ${errorMessage(err)}`, { cause: err });
      this.lastError = { code: error.code, message: error.message, at: new Date(clock.now()).toISOString() };
      this.setState('failed', error.message);
      throw error;
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.offDevices?.();
    this.tracker.stop();
    for (const ws of this.wss?.clients ?? []) ws.close(1001, 'server stopping');
    const wss = this.wss;
    const http = this.http;
    const udp = this.udp;
    await Promise.all([
      udp?.stop(),
      wss === undefined ? undefined : new Promise<void>((resolve) => wss.close(() => resolve())),
      http === undefined
        ? undefined
        : new Promise<void>((resolve) => {
            http.close(() => resolve());
            http.closeAllConnections();
          }),
    ]);
    for (const ws of wss?.clients ?? []) ws.terminate();
    this.setState('stopped', 'stopped');
  }

  health(): AdapterHealth {
    const udp = this.udp?.counters;
    const counters: Record<string, number> = {
      ...this.counters,
      sessions: this.wss?.clients.size ?? 0,
      sessionUpdates: this.tracker.updateCount(),
      wcRequests: udp?.requests ?? 0,
      wcIgnored: udp?.ignored ?? 0,
      wcRefused: udp?.refused ?? 0,
      wcSendErrors: udp?.sendErrors ?? 0,
      wcOverflow: udp?.overflow ?? 0,
    };
    return {
      state: this.state,
      since: this.since,
      detail: this.detail,
      counters,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
      ports: { ws: this.wsPort, wc: this.wallClockPort() },
      ...(this.state === 'ready' ? { links: [{ label: 'Companion page (open on a phone)', url: this.companionPageUrl(), qr: `${this.companionPageUrl()}qr.svg` }] } : {}),
    };
  }

  /** Which sessions a device may follow (its settings' `follow` scope). */
  visibility(device: DeviceContext<DvbcssDeviceSettings>): (session: PlaybackSession) => boolean {
    if (device.settings.follow === 'any-user') return () => true;
    const userId = device.userId;
    return (session) => userId !== undefined && session.userId === userId;
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const endpoint = parseEndpoint(req.url ?? '/');
    const wss = this.wss;
    if (endpoint === undefined) return rejectUpgrade(socket, 404, 'Not Found');
    if (wss === undefined || this.stopped) return rejectUpgrade(socket, 503, 'Service Unavailable');
    if (wss.clients.size >= this.context.config.maxConnections) return rejectUpgrade(socket, 503, 'Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req, endpoint));
  }

  private onConnection(ws: WebSocket, req: IncomingMessage, endpoint: Endpoint): void {
    ws.on('error', (err) => this.context.log.debug('dvbcss socket error', { error: err.message }));
    const resolution = this.context.devices.resolve(requestIdentity(normalizeIp(req.socket.remoteAddress ?? ''), req.headers));
    if (resolution.status !== 'allowed') {
      this.counters.refusedConnections++;
      ws.close(1008, resolution.status === 'held' ? 'device awaiting approval' : 'device not allowed');
      return;
    }
    const device = resolution.device;
    const { clock } = this.context;
    const parameters = this.parameters;
    if (endpoint.service === 'wc') {
      if (parameters === undefined) return;
      this.counters.wcWsConnections++;
      serveWallClockWs(ws, {
        clock,
        parameters,
        onRequest: (answered) => {
          if (answered) this.counters.wcWsRequests++;
          else this.counters.wcWsIgnored++;
        },
      });
      return;
    }
    const visible = this.visibility(device);
    if (!this.specAllowed(endpoint.spec, device, visible)) {
      this.counters.refusedConnections++;
      ws.close(1008, 'not allowed to follow that session');
      return;
    }
    const follower = this.tracker.follow(endpoint.spec, visible);
    if (endpoint.service === 'cii') {
      this.counters.ciiConnections++;
      serveCii(ws, follower, this.ciiInfo(req, endpoint.spec, device), { onMessageSent: () => this.counters.ciiMessages++ });
      return;
    }
    this.counters.tsConnections++;
    serveTs(ws, follower, {
      clock,
      toleranceNs: BigInt(Math.round(device.settings.driftToleranceMs * 1e6)),
      onControlTimestamp: () => this.counters.controlTimestamps++,
      onInvalidMessage: () => this.counters.invalidMessages++,
    });
  }

  /** A user endpoint for another user, or a known session of another user, is refused up front. */
  private specAllowed(spec: FollowSpec, device: DeviceContext<DvbcssDeviceSettings>, visible: (s: PlaybackSession) => boolean): boolean {
    if (device.settings.follow === 'any-user') return true;
    if (spec.kind === 'user') return spec.userId === device.userId;
    if (spec.kind === 'session') {
      const session = this.tracker.sessions().find((s) => s.id === spec.sessionId);
      return session === undefined || visible(session);
    }
    return true;
  }

  private ciiInfo(req: IncomingMessage, spec: FollowSpec, device: DeviceContext<DvbcssDeviceSettings>): CiiEndpointInfo {
    const host = clientFacingHost(req.headers.host, req.socket.localAddress);
    const accuracy = (device.settings.driftToleranceMs + this.context.config.reportLatencyMs) / 1000;
    const timelines: TimelineOption[] = [{ timelineSelector: DEFAULT_TIMELINE_SELECTOR, timelineProperties: { unitsPerTick: 1, unitsPerSecond: 1000, accuracy } }];
    return {
      wcUrl: `udp://${host.hostname}:${this.wallClockPort()}`,
      tsUrl: `ws://${host.hostname}:${host.port ?? this.wsPort}${endpointPath('ts', spec)}`,
      timelines,
    };
  }

  /**
   * UDP has no handshake, so each source address is checked against the device registry like a
   * connection would be; only `allowed` is answered (held and refused addresses get silence).
   * The responder caches the answer per address (WC_DECISION_TTL_MS).
   */
  private allowUdp(address: string): boolean {
    const ip = normalizeIp(address);
    return this.context.devices.resolve({ ip, key: ip }).status === 'allowed';
  }

  private setState(state: AdapterState, detail: string): void {
    this.state = state;
    this.detail = detail;
    this.since = new Date(this.context.clock.now()).toISOString();
  }
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}
