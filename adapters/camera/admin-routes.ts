/**
 * The camera adapter's admin-only routes, mounted with `http.mountAdmin`: the admin listener
 * serves them under `/adapters/camera/` once the admin session (and, for POST, the CSRF token)
 * has been checked, so nothing here is reachable from a device-facing listener.
 *
 * - `GET /live/<camera-id>.mp4`: the camera's live view (live-hub.ts).
 * - `POST /library`: makes sure Jellyfin has a `homevideos` library over each camera library
 *   folder; body optional `{"name": "Cameras"}`.
 */
import type { RequestHandler } from '../../plugin/index.js';
import { SidecarError, readBody, sendJson } from '../../plugin/index.js';
import type { LiveFeedSpec } from './live-feed.js';
import type { LiveHub } from './live-hub.js';

/** One library folder's outcome, as `POST /library` answers it. */
export interface LibraryOutcome {
  /** The folder as the sidecar sees it. */
  readonly folder: string;
  readonly created: boolean;
  readonly name: string;
  /** The folder as Jellyfin sees it. */
  readonly path: string;
}

export interface CameraAdminDeps {
  readonly live: LiveHub;
  /** What to open for a camera's live view; undefined when there is no such camera. */
  liveSpec(camera: string): LiveFeedSpec | undefined;
  ensureLibraries(name: string): Promise<readonly LibraryOutcome[]>;
}

export const DEFAULT_LIBRARY_NAME = 'Cameras';
const MAX_BODY_BYTES = 4096;

export function cameraAdminRoutes(deps: CameraAdminDeps): RequestHandler {
  return async (req, res, ctx) => {
    const live = /^\/live\/([^/]+)\.mp4$/.exec(ctx.path);
    if (live && req.method === 'GET') {
      const spec = deps.liveSpec(decodeSegment(live[1]));
      if (spec === undefined) throw new SidecarError('ERR_CAMERA_UNKNOWN', 'not-found', 'no such camera');
      await deps.live.serve(spec, res, ctx);
      return;
    }
    if (ctx.path === '/library' && req.method === 'POST') {
      const body = await readBody(req, MAX_BODY_BYTES);
      if (body === undefined) throw new SidecarError('ERR_CAMERA_LIBRARY_NAME', 'invalid-argument', 'the request body is too large');
      const name = libraryName(body.toString('utf8'));
      sendJson(res, 200, { libraries: await deps.ensureLibraries(name) }, { 'X-Content-Type-Options': 'nosniff' });
      return;
    }
    throw new SidecarError('ERR_CAMERA_NOT_FOUND_ROUTE', 'not-found', 'no such camera route');
  };
}

function decodeSegment(raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    throw new SidecarError('ERR_CAMERA_UNKNOWN', 'not-found', 'no such camera');
  }
}

/** The library name from an optional JSON body `{"name": "…"}`. */
export function libraryName(body: string): string {
  if (body.trim() === '') return DEFAULT_LIBRARY_NAME;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new SidecarError('ERR_CAMERA_LIBRARY_NAME', 'invalid-argument', 'the body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SidecarError('ERR_CAMERA_LIBRARY_NAME', 'invalid-argument', 'expected {"name": "…"}');
  const keys = Object.keys(value);
  if (keys.some((k) => k !== 'name')) throw new SidecarError('ERR_CAMERA_LIBRARY_NAME', 'invalid-argument', `unknown key ${keys.find((k) => k !== 'name') ?? ''}`);
  const name = (value as { name?: unknown }).name;
  if (name === undefined) return DEFAULT_LIBRARY_NAME;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100 || /[\\/:*?"<>|]/.test(name)) {
    throw new SidecarError('ERR_CAMERA_LIBRARY_NAME', 'invalid-argument', 'name: expected 1 to 100 characters, none of \\ / : * ? " < > |');
  }
  return name.trim();
}
