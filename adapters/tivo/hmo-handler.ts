/**
 * The HMO request handler on the TiVo listener: device gate (TSN/IP through the registry,
 * `tsn` or `TiVo_TCD_ID`), `/TiVoConnect?Command=…` dispatch, and the video paths. Errors map
 * from SidecarError kind to a status here, once; an error after the headers went out closes
 * the socket instead of sending a second set of headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage, toSidecarError, type AdapterDevices, type ErrorKind, type RequestContext, type RequestHandler } from '../../plugin/index.js';
import type { TivoDeviceSettings } from './config.js';
import { capabilitiesForTsn, normaliseTsn } from './models.js';
import { param } from './query.js';
import { handleQueryContainer, handleTvBusQuery } from './routes/query-container.js';
import { escapeHtml, sendText, sendXml, type TivoDevice, type TivoServices } from './routes/shared.js';
import { handleVideo } from './routes/video.js';
import { MIME_PS, MIME_TS } from './transfer-plan.js';
import { buildQueryFormats, buildQueryServer } from './xml/server-builder.js';

const STATUS: Readonly<Record<ErrorKind, number>> = {
  'invalid-argument': 400,
  'not-found': 404,
  'permission-denied': 403,
  unauthenticated: 403,
  'failed-precondition': 409,
  'resource-exhausted': 503,
  unavailable: 503,
  aborted: 503,
  internal: 500,
};

/** HTTP status for an error kind on the TiVo listener. */
export function tivoStatusFor(kind: ErrorKind): number {
  return STATUS[kind];
}

export function createHmoHandler(s: TivoServices, devices: AdapterDevices<TivoDeviceSettings>, isStopping: () => boolean): RequestHandler {
  return async (req, res, ctx) => {
    try {
      if (isStopping()) {
        sendText(res, 503, 'text/plain', 'Stopping.');
        return;
      }
      // Node gives lower-case names already; only repeated headers (arrays) need joining.
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
      // Either header may carry the TSN (pyTivo reads TiVo_TCD_ID first in places, tsn in others).
      const tsn = normaliseTsn(headers['tsn']) ?? normaliseTsn(headers['tivo_tcd_id']);
      const resolution = devices.resolve({ ip: ctx.remoteAddress, headers, ...(headers['user-agent'] ? { userAgent: headers['user-agent'] } : {}), ...(tsn ? { tsn } : {}) });
      if (resolution.status !== 'allowed') {
        s.counters['refused'] = (s.counters['refused'] ?? 0) + 1;
        sendText(res, 403, 'text/plain', 'Unauthorized.');
        return;
      }
      const d = resolution.device;
      const deviceTsn = tsn ?? normaliseTsn(d.tsn);
      const device: TivoDevice = {
        id: d.id,
        name: d.name,
        ...(d.userId !== undefined ? { userId: d.userId } : {}),
        ...(deviceTsn !== undefined ? { tsn: deviceTsn } : {}),
        caps: capabilitiesForTsn(deviceTsn, d.settings.model),
        settings: d.settings,
      };
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Length': '0' });
        res.end();
        return;
      }
      await route(req, res, ctx, s, device);
    } catch (error) {
      const e = toSidecarError(error);
      const status = tivoStatusFor(e.kind);
      s.log.error('request failed', { code: e.code, error: errorMessage(error), path: ctx.path, status });
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendText(res, status, 'text/plain', status === 404 ? 'Not found.' : 'Server error.');
    }
  };
}

async function route(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, s: TivoServices, device: TivoDevice): Promise<void> {
  const path = ctx.path.replace(/\/+$/, '');
  if (path.toLowerCase() !== '/tivoconnect') {
    if (path === '') {
      sendText(res, 200, 'text/html; charset=utf-8', `<html><body><h3>${escapeHtml(s.serverName)}</h3><p>TiVo HMO server (Jellybridge).</p></body></html>`, req);
      return;
    }
    await handleVideo(req, res, ctx, s, device);
    return;
  }
  const command = (param(ctx.query, 'Command') ?? '').toLowerCase();
  switch (command) {
    case 'queryserver':
      sendXml(res, buildQueryServer({ name: s.serverName, version: s.serverVersion }), req);
      return;
    case 'querycontainer':
      await handleQueryContainer(req, res, ctx.query, s, device);
      return;
    case 'tvbusquery':
      await handleTvBusQuery(req, res, ctx.query, s, device);
      return;
    case 'queryformats':
      sendXml(res, buildQueryFormats(device.caps.ts && device.settings.allowTs ? [MIME_PS, MIME_TS] : [MIME_PS]), req);
      return;
    case 'flushserver':
    case 'resetserver':
      s.listings.clear();
      s.catalog.clear();
      res.writeHead(200, { 'Content-Length': '0' });
      res.end();
      return;
    default:
      sendText(res, 404, 'text/html; charset=utf-8', '<html><body><h3>Unsupported Command</h3></body></html>', req);
  }
}
