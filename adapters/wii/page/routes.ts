/**
 * HTTP routes under `/wii/` on the device-facing host: library pages, posters, the player SWF
 * and (when enabled) a progressive-FLV debug path. Every request is gated by the device
 * registry; a held or refused device gets 403.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdapterContext, RequestContext, RequestHandler } from '../../../plugin/index.js';
import { SidecarError } from '../../../plugin/index.js';
import type { WiiConfig, WiiDeviceSettings } from '../config.js';
import { gate } from '../device-gate.js';
import { clampPosition, itemDuration, wiiTranscodeRequest } from '../profile.js';
import { folderPage, isWiiUserAgent, itemPage, librariesPage, playPage, refusedPage, type PageOptions } from './html.js';
import { PLAYER_HEIGHT, PLAYER_WIDTH, buildPlayerSwf } from './swf/player.js';

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Readonly<Record<string, string>> = {}): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(bytes.length), ...headers });
  res.end(bytes);
}

const HTML = 'text/html; charset=utf-8';

/** The RTMP URL devices use: configured public host, else the host they used for HTTP. */
export function rtmpUrlFor(origin: string, publicHost: string | undefined, port: number, app: string): string {
  let host = publicHost;
  if (host === undefined) {
    try {
      host = new URL(origin).hostname;
    } catch {
      host = '127.0.0.1';
    }
  }
  return `rtmp://${host}:${port}/${app}`;
}

export interface RoutesOptions {
  readonly context: AdapterContext<WiiConfig, WiiDeviceSettings>;
  /** The bound RTMP port (known after start). */
  readonly rtmpPort: () => number;
}

export function createRoutes(options: RoutesOptions): RequestHandler {
  const { context } = options;
  const base = `/${context.id}/`;
  let swf: { readonly bytes: Buffer; readonly etag: string } | undefined;
  const player = (): { readonly bytes: Buffer; readonly etag: string } => {
    swf ??= (() => {
      const bytes = buildPlayerSwf();
      return { bytes, etag: `"${createHash('sha1').update(bytes).digest('hex').slice(0, 16)}"` };
    })();
    return swf;
  };

  return async (req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new SidecarError('ERR_WII_HTTP_METHOD', 'invalid-argument', 'only GET');
    const userAgent = req.headers['user-agent'];
    const pageOptions: PageOptions = { base, wii: isWiiUserAgent(userAgent) };
    const headers: Record<string, string> = {};
    for (const [k, val] of Object.entries(req.headers)) if (typeof val === 'string') headers[k] = val;
    const verdict = gate(context.devices.resolve({ ip: ctx.remoteAddress, headers, ...(userAgent !== undefined ? { userAgent } : {}) }));
    if (verdict.kind !== 'allowed') {
      send(res, 403, HTML, refusedPage(verdict.reason, pageOptions));
      return;
    }
    const device = verdict.device;
    const settings = device.settings;
    const segments = ctx.path.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
    const [route, id] = segments;

    if (route === undefined) {
      const roots = await context.library.listRoots(device.userId);
      send(res, 200, HTML, librariesPage(roots, pageOptions));
      return;
    }
    if (route === 'player.swf') {
      const { bytes, etag } = player();
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { ETag: etag });
        res.end();
        return;
      }
      send(res, 200, 'application/x-shockwave-flash', bytes, { 'Cache-Control': 'public, max-age=86400', ETag: etag });
      return;
    }
    if (id === undefined) throw new SidecarError('ERR_WII_NOT_FOUND', 'not-found', 'no such page');

    if (route === 'browse') {
      const entry = await context.library.getItem(device.userId, id);
      if (!entry || entry.kind !== 'folder') throw new SidecarError('ERR_WII_NOT_FOUND', 'not-found', 'no such folder');
      const pageSize = settings.pageSize;
      const requested = Number.parseInt(ctx.query.get('page') ?? '1', 10);
      const page = Number.isFinite(requested) && requested > 0 ? requested : 1;
      const result = await context.library.listChildren(device.userId, id, {
        offset: (page - 1) * pageSize,
        limit: pageSize,
        sort: entry.folderType === 'season' || entry.folderType === 'series' ? [{ by: 'episode' }, { by: 'title' }] : [{ by: 'title' }],
      });
      const pageCount = Math.max(1, Math.ceil(result.total / pageSize));
      send(res, 200, HTML, folderPage({ folder: entry, entries: result.items, page, pageCount, total: result.total }, pageOptions));
      return;
    }
    if (route === 'item' || route === 'play') {
      const entry = await context.library.getItem(device.userId, id);
      if (!entry) throw new SidecarError('ERR_WII_NOT_FOUND', 'not-found', 'no such item');
      if (entry.kind === 'folder') {
        res.writeHead(302, { Location: `${base}browse/${encodeURIComponent(entry.id)}` });
        res.end();
        return;
      }
      if (route === 'item') {
        send(res, 200, HTML, itemPage(entry, pageOptions));
        return;
      }
      const start = clampPosition(Number(ctx.query.get('start') ?? '0'), itemDuration(entry));
      const useFlv = context.config.httpFlv && ctx.query.get('mode') === 'flv';
      // Progressive mode cannot seek on the server, so the start offset travels in the FLV URL.
      const flvUrl = `${base}flv/${encodeURIComponent(entry.id)}${start > 0 ? `?start=${start}` : ''}`;
      send(
        res,
        200,
        HTML,
        playPage(
          entry,
          {
            swfUrl: `${base}player.swf`,
            rtmpUrl: rtmpUrlFor(ctx.origin, context.config.publicHost, options.rtmpPort(), context.config.app),
            stream: entry.id,
            startSeconds: start,
            durationSeconds: itemDuration(entry),
            bufferSeconds: settings.bufferSeconds,
            ...(useFlv ? { flvUrl } : {}),
            width: PLAYER_WIDTH,
            height: PLAYER_HEIGHT,
          },
          pageOptions,
        ),
      );
      return;
    }
    if (route === 'image') {
      const image = await context.library.getImage(id, { maxWidth: 200, format: 'jpg' });
      if (!image) throw new SidecarError('ERR_WII_NOT_FOUND', 'not-found', 'no image');
      send(res, 200, image.contentType, image.body, { 'Cache-Control': 'public, max-age=3600' });
      return;
    }
    if (route === 'flv' && context.config.httpFlv) {
      const entry = await context.library.getItem(device.userId, id);
      if (!entry || entry.kind !== 'item' || !entry.playable) throw new SidecarError('ERR_WII_NOT_FOUND', 'not-found', 'no such item');
      const input = await context.library.getMediaInput(device.userId, id);
      const startSeconds = clampPosition(Number(ctx.query.get('start') ?? '0'), itemDuration(entry));
      const session = context.transcoder.open(wiiTranscodeRequest({ adapterId: context.id, deviceId: device.id, item: entry, input, settings, startSeconds, signal: ctx.signal }));
      res.writeHead(200, { 'Content-Type': 'video/x-flv', 'Cache-Control': 'no-store' });
      session.output.pipe(res);
      await new Promise<void>((resolve) => {
        res.on('close', () => {
          void session.stop();
          resolve();
        });
      });
      return;
    }
    throw new SidecarError('ERR_WII_NOT_FOUND', 'not-found', 'no such page');
  };
}
