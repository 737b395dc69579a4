/** What every TiVo route gets: the resolved device and the adapter's services. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LibraryFacade, Logger, TranscodeService } from '../../../plugin/index.js';
import type { Catalog } from '../catalog.js';
import type { TivoConfig, TivoDeviceSettings } from '../config.js';
import type { TivoCapabilities } from '../models.js';
import type { SlotQueue } from '../slot-wait.js';

export interface TivoDevice {
  readonly id: string;
  readonly name: string;
  readonly userId?: string;
  readonly tsn?: string;
  readonly caps: TivoCapabilities;
  readonly settings: TivoDeviceSettings;
}

export interface TivoServices {
  readonly config: TivoConfig;
  readonly serverName: string;
  readonly serverVersion: string;
  readonly library: LibraryFacade;
  readonly transcoder: TranscodeService;
  readonly catalog: Catalog;
  readonly log: Logger;
  readonly listings: ListingCache;
  readonly counters: Record<string, number>;
  /** Transfers waiting for a transcode slot, first come first served. */
  readonly slotQueue: SlotQueue;
  readonly now: () => number;
  /** The context clock's sleep (rejects when the signal fires). */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Short-lived cache of full, sorted container listings (TiVos page through them quickly). */
export interface ListingCache {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  clear(): void;
}

export function sendText(res: ServerResponse, status: number, contentType: string, body: string, req?: IncomingMessage): void {
  const buf = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(buf.length), Expires: '0', 'Cache-Control': 'no-cache' });
  res.end(req?.method === 'HEAD' ? undefined : buf);
}

export function sendXml(res: ServerResponse, xml: string, req?: IncomingMessage): void {
  sendText(res, 200, 'text/xml; charset=utf-8', xml, req);
}

export function sendNotFound(res: ServerResponse, what: string): void {
  sendText(res, 404, 'text/html; charset=utf-8', `<html><body><h3>Not found</h3><p>${escapeHtml(what)}</p></body></html>`);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Content URL of an item: `/<id>/<slug>.<ext>` (the slug only helps humans reading logs). */
export function contentUrl(id: string, title: string, mime: string): string {
  const slug =
    title
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/\s+/g, '-')
      .slice(0, 60) || 'video';
  return `/${encodeURIComponent(id)}/${encodeURIComponent(slug)}.${mime.endsWith('-ts') ? 'ts' : 'mpg'}`;
}

export function detailsUrl(container: string, id: string): string {
  return `/TiVoConnect?Command=TVBusQuery&Container=${encodeURIComponent(container)}&File=${encodeURIComponent('/' + id)}`;
}
