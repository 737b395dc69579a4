/**
 * The Wii adapter instance: mounts the pages at creation (no sockets), opens the RTMP listener
 * in start(), reports health with counters and the bound port, and stops everything in stop().
 */
import type { Adapter, AdapterContext, AdapterHealth, AdapterState } from '../../plugin/index.js';
import { errorMessage, isSidecarError } from '../../plugin/index.js';
import type { WiiConfig, WiiDeviceSettings } from './config.js';
import { createRoutes } from './page/routes.js';
import { RtmpServer } from './rtmp/rtmp-server.js';
import { WiiRtmpHost } from './wii-rtmp-host.js';

export function createWiiAdapter(context: AdapterContext<WiiConfig, WiiDeviceSettings>): Adapter {
  const config = context.config;
  let state: AdapterState = 'starting';
  let since = new Date(context.clock.now()).toISOString();
  let detail = 'not started';
  let lastError: AdapterHealth['lastError'];
  let server: RtmpServer | undefined;
  let rtmpPort = 0;

  const setState = (next: AdapterState, text: string): void => {
    state = next;
    detail = text;
    since = new Date(context.clock.now()).toISOString();
  };

  context.http.mount(createRoutes({ context, rtmpPort: () => rtmpPort || config.rtmpPort }));

  return {
    async start() {
      if (server) return;
      const s = new RtmpServer({
        host: config.rtmpHost,
        port: config.rtmpPort,
        clock: context.clock,
        log: context.log,
        app: new WiiRtmpHost(context),
        maxConnections: config.maxConnections,
        handshakeTimeoutMs: config.handshakeTimeoutMs,
        idleTimeoutMs: config.idleTimeoutMs,
        pendingStatusAfterMs: config.pendingStatusAfterMs,
        pauseReleaseMs: config.pauseReleaseMs,
        leadSlackMs: config.leadSlackMs,
        maxLeadMs: config.maxLeadMs,
        startDebounceMs: config.startDebounceMs,
        pingIntervalMs: config.pingIntervalMs,
      });
      server = s;
      try {
        rtmpPort = await s.listen();
      } catch (cause) {
        const code = isSidecarError(cause) ? cause.code : 'ERR_WII_RTMP_LISTEN';
        lastError = { code, message: errorMessage(cause), at: new Date(context.clock.now()).toISOString() };
        setState('failed', errorMessage(cause));
        server = undefined;
        throw cause;
      }
      context.log.info('rtmp listening', { host: config.rtmpHost, port: rtmpPort, app: config.app });
      setState('ready', `RTMP on ${config.rtmpHost}:${rtmpPort}/${config.app}`);
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s) await s.close();
      if (state !== 'failed') setState('stopped', 'stopped');
    },
    health(): AdapterHealth {
      const stats = server?.stats;
      return {
        state,
        since,
        detail,
        counters: {
          connections: stats?.connections ?? 0,
          connectionsTotal: stats?.connectionsTotal ?? 0,
          connectionsRefused: stats?.refusedConnections ?? 0,
          sessions: stats?.activeRuns ?? 0,
          bytes: stats?.mediaBytes ?? 0,
          ffmpegRestarts: stats?.runs ?? 0,
          failures: stats?.failures ?? 0,
          pingsSent: stats?.pingsSent ?? 0,
          silentPeersClosed: stats?.silentPeersClosed ?? 0,
        },
        ...(lastError ? { lastError } : {}),
        ...(rtmpPort ? { ports: { rtmp: rtmpPort } } : {}),
      };
    },
  };
}
