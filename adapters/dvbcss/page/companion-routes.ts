/**
 * HTTP routes of the companion page under `/dvbcss/` on the device-facing host:
 *
 * - `/` the page (`?session=<id>` preselects a Jellyfin session);
 * - `/companion.js`, `/companion.css` its static assets (no CDN);
 * - `/sessions.json` the sessions this device may follow, for the page's picker;
 * - `/qr.svg` a QR code of the companion link (the admin UI and the page show it).
 *
 * Every request goes through the device registry like the WebSocket endpoints: a held or refused
 * device gets 403, and the session list holds only the sessions its `follow` scope allows.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  SidecarError,
  escapeHtml,
  type DeviceContext,
  type DeviceIdentity,
  type DeviceResolution,
  type PlaybackSession,
  type RequestContext,
  type RequestHandler,
} from '../../../plugin/index.js';
import type { DvbcssDeviceSettings } from '../config.js';
import { requestIdentity } from '../device-identity.js';
import { companionPage } from './companion-html.js';
import { encodeQr, qrToSvg } from './qr-code.js';

export interface CompanionRoutesOptions {
  readonly resolve: (identity: DeviceIdentity) => DeviceResolution<DvbcssDeviceSettings>;
  readonly sessions: () => readonly PlaybackSession[];
  readonly visibility: (device: DeviceContext<DvbcssDeviceSettings>) => (session: PlaybackSession) => boolean;
  /** Bound WebSocket port (after start). */
  readonly wsPort: () => number;
  /** The link handed to phones (after start). */
  readonly companionUrl: () => string;
  readonly serverName: string;
}

/** One entry of `/sessions.json`. */
export interface CompanionSessionEntry {
  readonly id: string;
  readonly deviceName: string;
  readonly client: string;
  readonly userName?: string;
  readonly nowPlaying?: { readonly itemId: string; readonly title: string; readonly seriesName?: string; readonly isPaused: boolean };
}

interface StaticAsset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

const ASSETS: Readonly<Record<string, string>> = { '/companion.js': 'text/javascript; charset=utf-8', '/companion.css': 'text/css; charset=utf-8' };

/** Sessions as the picker shows them: playing ones first, then by name. Pure. */
export function sessionEntries(sessions: readonly PlaybackSession[], visible: (session: PlaybackSession) => boolean): CompanionSessionEntry[] {
  return sessions
    .filter(visible)
    .map((s): CompanionSessionEntry => {
      const playing = s.nowPlaying;
      return {
        id: s.id,
        deviceName: s.deviceName,
        client: s.client,
        ...(s.userName === undefined ? {} : { userName: s.userName }),
        ...(playing === undefined
          ? {}
          : {
              nowPlaying: {
                itemId: playing.item.id,
                title: playing.item.title,
                ...(playing.item.seriesName === undefined ? {} : { seriesName: playing.item.seriesName }),
                isPaused: playing.state.isPaused,
              },
            }),
      };
    })
    .sort((a, b) => Number(b.nowPlaying !== undefined) - Number(a.nowPlaying !== undefined) || a.deviceName.localeCompare(b.deviceName) || a.id.localeCompare(b.id));
}

export function createCompanionRoutes(options: CompanionRoutesOptions): RequestHandler {
  const assets = new Map<string, StaticAsset>();
  const asset = (path: string, type: string): StaticAsset => {
    let found = assets.get(path);
    if (found === undefined) {
      let body: Buffer;
      try {
        body = readFileSync(new URL(`./static${path}`, import.meta.url));
      } catch (error) {
        throw new SidecarError('ERR_DVBCSS_PAGE_ASSET', 'internal', `companion page asset ${path} is missing from the installation`, { cause: error });
      }
      found = { body, type, etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"` };
      assets.set(path, found);
    }
    return found;
  };
  let qr: { readonly url: string; readonly svg: string } | undefined;

  return (req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new SidecarError('ERR_DVBCSS_HTTP_METHOD', 'invalid-argument', 'the companion page answers GET and HEAD only');
    const resolution = options.resolve(requestIdentity(ctx.remoteAddress, req.headers));
    if (resolution.status !== 'allowed') {
      const reason = resolution.status === 'held' ? 'This device is waiting for approval in the Jellybridge admin UI.' : 'This device may not use DVB-CSS companion sync.';
      send(req, res, 403, 'text/html; charset=utf-8', `<!doctype html><meta charset="utf-8"><title>Not allowed</title><p>${escapeHtml(reason)}</p>`);
      return;
    }
    const device = resolution.device;
    const path = ctx.path;
    if (path === '/' || path === '/index.html') {
      const sessionId = ctx.query.get('session') ?? '';
      send(req, res, 200, 'text/html; charset=utf-8', companionPage({ wsPort: options.wsPort(), companionUrl: options.companionUrl(), sessionId, serverName: options.serverName }), { 'Cache-Control': 'no-store' });
      return;
    }
    const assetType = ASSETS[path];
    if (assetType !== undefined) {
      const a = asset(path, assetType);
      if (req.headers['if-none-match'] === a.etag) {
        res.writeHead(304, { ETag: a.etag });
        res.end();
        return;
      }
      send(req, res, 200, a.type, a.body, { ETag: a.etag, 'Cache-Control': 'no-cache' });
      return;
    }
    if (path === '/sessions.json') {
      const body = JSON.stringify({ sessions: sessionEntries(options.sessions(), options.visibility(device)) });
      send(req, res, 200, 'application/json; charset=utf-8', body, { 'Cache-Control': 'no-store' });
      return;
    }
    if (path === '/qr.svg') {
      const url = options.companionUrl();
      if (qr?.url !== url) qr = { url, svg: qrToSvg(encodeQr(url, { errorCorrection: 'M' }), { moduleSize: 4 }) };
      send(req, res, 200, 'image/svg+xml', qr.svg, { 'Cache-Control': 'no-cache' });
      return;
    }
    throw new SidecarError('ERR_HTTP_NOT_FOUND', 'not-found', 'no such path');
  };
}

function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Readonly<Record<string, string>> = {}): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(bytes.length), 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

