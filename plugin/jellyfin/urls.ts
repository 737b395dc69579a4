/**
 * Pure builders for the URLs the sidecar itself fetches from Jellyfin (streams, socket) and a
 * redactor for logging them. Stream URLs carry the API key (`ApiKey`, the non-legacy query
 * form) so transcodes are attributed; they are internal inputs for ffmpeg/HTTP reads and are
 * never handed to a device or logged raw (DESIGN.md §7.2).
 */
import { SidecarError } from '../util/errors.js';
import { secondsToTicks } from './ticks.js';
import type { ServerTranscodeRequest } from '../library/source.js';

export type QueryValue = string | number | boolean | undefined;

/** `baseUrl` (may carry a path prefix such as `/jellyfin`) + path + query. */
export function buildUrl(baseUrl: string, path: string, params: Readonly<Record<string, QueryValue>> = {}): string {
  const base = baseUrl.replace(/\/+$/, '');
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, String(v));
  const qs = search.toString();
  return `${base}${path}${qs === '' ? '' : `?${qs}`}`;
}

/** Original file, byte ranges supported (Jellyfin serves it as a physical file). */
export function staticStreamUrl(baseUrl: string, itemId: string, mediaSourceId: string | undefined, apiKey: string): string {
  return buildUrl(baseUrl, `/Videos/${encodeURIComponent(itemId)}/stream`, {
    static: true,
    mediaSourceId,
    ApiKey: apiKey,
  });
}


/** Containers documented for `/Videos/{id}/stream.{container}` (protocols/jellyfin.md §4.3). */
export const TRANSCODE_CONTAINERS: ReadonlySet<string> = new Set([
  'ts', 'webm', 'asf', 'wmv', 'ogv', 'mp4', 'm4v', 'mkv', 'mpeg', 'mpg', 'avi', '3gp', 'wtv', 'm2ts', 'mov', 'flv',
]);

/** Jellyfin's validation pattern for codec parameters. */
const CODEC = /^[a-zA-Z0-9\-._,|]{1,40}$/;

function positive(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0) {
    throw new SidecarError('ERR_JELLYFIN_TRANSCODE_REQUEST', 'invalid-argument', `${name} must be a positive number`);
  }
  return value;
}

/**
 * Progressive transcode URL: `/Videos/{id}/stream.{container}?videoCodec=…&startTimeTicks=…`.
 * Output is chunked without byte ranges; a seek is a new request with another start.
 */
export function serverTranscodeUrl(
  baseUrl: string,
  itemId: string,
  request: ServerTranscodeRequest,
  context: { readonly mediaSourceId?: string; readonly deviceId: string; readonly apiKey: string },
): string {
  if (!TRANSCODE_CONTAINERS.has(request.container)) {
    throw new SidecarError('ERR_JELLYFIN_TRANSCODE_REQUEST', 'invalid-argument', `unsupported transcode container "${request.container}"`);
  }
  for (const [name, codec] of [['videoCodec', request.videoCodec], ['audioCodec', request.audioCodec]] as const) {
    if (!CODEC.test(codec)) throw new SidecarError('ERR_JELLYFIN_TRANSCODE_REQUEST', 'invalid-argument', `invalid ${name} "${codec}"`);
  }
  const videoKbps = positive('videoBitrateKbps', request.videoBitrateKbps);
  const audioKbps = positive('audioBitrateKbps', request.audioBitrateKbps);
  const start = request.startSeconds;
  if (start !== undefined && (!Number.isFinite(start) || start < 0)) {
    throw new SidecarError('ERR_JELLYFIN_TRANSCODE_REQUEST', 'invalid-argument', 'startSeconds must be ≥ 0');
  }
  return buildUrl(baseUrl, `/Videos/${encodeURIComponent(itemId)}/stream.${request.container}`, {
    mediaSourceId: context.mediaSourceId,
    deviceId: context.deviceId,
    videoCodec: request.videoCodec,
    audioCodec: request.audioCodec,
    videoBitRate: videoKbps === undefined ? undefined : Math.round(videoKbps * 1000),
    audioBitRate: audioKbps === undefined ? undefined : Math.round(audioKbps * 1000),
    maxWidth: positive('maxWidth', request.maxWidth),
    maxHeight: positive('maxHeight', request.maxHeight),
    startTimeTicks: start === undefined || start === 0 ? undefined : secondsToTicks(start),
    ApiKey: context.apiKey,
  });
}

/** `ws(s)://…/socket`; authentication goes in the upgrade's Authorization header, not the URL. */
export function socketUrl(baseUrl: string): string {
  return buildUrl(baseUrl.replace(/^http/i, 'ws'), '/socket');
}

/** Drops userinfo and `ApiKey`/`api_key` values so a URL can be logged. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/)[^/@\s]*@/, '$1***@').replace(/([?&](?:ApiKey|api_key)=)[^&#]*/gi, '$1***');
}
