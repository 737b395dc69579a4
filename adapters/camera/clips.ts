/**
 * `GET /camera/clips/<camera>.mp4?start=…&end=…`: a time range across segments exported as one
 * mp4 (copy, fast start; Moonfire's `view.mp4`), served with Range support by the core's range
 * layer. The clip is cut once into the adapter's data folder and reused for the same range and
 * segments. Gated by the device registry like every adapter request (DESIGN.md §3): the asking
 * device must be allowed and enabled for `camera`.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdapterDevices, FileJobService, Logger, RequestHandler } from '../../plugin/index.js';
import { SidecarError, serveRangeEntity } from '../../plugin/index.js';
import { parseTime, planClip } from './clip-plan.js';
import type { CameraDeviceSettings } from './config.js';
import type { SegmentStore } from './segment-store.js';

export interface ClipRouteOptions {
  readonly devices: AdapterDevices<CameraDeviceSettings>;
  readonly store: SegmentStore;
  readonly files: () => FileJobService;
  readonly clipDir: string;
  readonly maxClipMs: number;
  readonly log: Logger;
  /** Cameras by id (configured now or with recordings in the index). */
  readonly cameraName: (id: string) => string | undefined;
}

const MAX_CACHED_CLIPS = 8;

export function clipRoute(options: ClipRouteOptions): RequestHandler {
  const making = new Map<string, Promise<string>>();

  const make = async (key: string, inputs: readonly string[], startSeconds: number, durationSeconds: number, title: string): Promise<string> => {
    const name = `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.mp4`;
    const path = join(options.clipDir, name);
    if (await stat(path).then(() => true, () => false)) return path;
    await mkdir(options.clipDir, { recursive: true });
    const tmp = `${path}.tmp.mp4`;
    const result = await options.files().remux({ inputs, output: tmp, startSeconds, durationSeconds, title });
    if (!result.ok) {
      await rm(tmp, { force: true });
      throw new SidecarError('ERR_CAMERA_CLIP', 'internal', 'the clip could not be cut', { detail: { stderrTail: result.stderrTail } });
    }
    await rename(tmp, path);
    await prune(options.clipDir, name);
    return path;
  };

  return async (req, res, ctx) => {
    const m = /^\/clips\/([^/]+)\.mp4$/.exec(ctx.path);
    if (!m || (req.method !== 'GET' && req.method !== 'HEAD')) throw new SidecarError('ERR_CAMERA_NOT_FOUND_ROUTE', 'not-found', 'no such camera route');
    const resolution = options.devices.resolve({ ip: ctx.remoteAddress, headers: req.headers as Readonly<Record<string, string | undefined>>, ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}) });
    if (resolution.status !== 'allowed') throw new SidecarError('ERR_CAMERA_FORBIDDEN', 'permission-denied', 'this device may not export camera clips');
    const camera = decodeURIComponent(m[1] ?? '');
    const name = options.cameraName(camera);
    if (name === undefined) throw new SidecarError('ERR_CAMERA_UNKNOWN', 'not-found', 'no such camera');
    const from = parseTime(ctx.query.get('start'));
    const to = parseTime(ctx.query.get('end'));
    if (from === undefined || to === undefined || to <= from) throw new SidecarError('ERR_CAMERA_CLIP_RANGE', 'invalid-argument', 'start and end (ISO 8601 or epoch ms) are required, end after start');
    if (to - from > options.maxClipMs) throw new SidecarError('ERR_CAMERA_CLIP_RANGE', 'invalid-argument', `a clip may be at most ${Math.round(options.maxClipMs / 60000)} minutes long`);
    const plan = planClip(camera, options.store.overlapping(camera, from, to), from, to);
    if (plan === undefined) throw new SidecarError('ERR_CAMERA_CLIP_EMPTY', 'not-found', 'no recording in that time range');
    let pending = making.get(plan.key);
    if (pending === undefined) {
      pending = make(plan.key, plan.inputs, plan.startSeconds, plan.durationSeconds, `${name} ${new Date(from).toISOString()}`);
      making.set(plan.key, pending);
      void pending.finally(() => making.delete(plan.key)).catch(() => undefined);
    }
    const path = await pending;
    const info = await stat(path);
    const etag = `"clip-${createHash('sha256').update(plan.key).digest('hex').slice(0, 16)}-v1"`;
    await serveRangeEntity(
      req,
      res,
      {
        length: info.size,
        etag,
        contentType: 'video/mp4',
        lastModified: info.mtime,
        read: (start, end) => createReadStream(path, { start, end }),
      },
      { signal: ctx.signal, headers: { 'Content-Disposition': `attachment; filename="${name.replace(/"/g, '')} clip.mp4"`, 'Cache-Control': 'private, max-age=3600' } },
    );
  };
}

/** Keeps the newest few clips (the cache is for repeated range requests, not an archive). */
async function prune(dir: string, keep: string): Promise<void> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.mp4') && !n.endsWith('.tmp.mp4'));
  if (names.length <= MAX_CACHED_CLIPS) return;
  const withTimes = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
  withTimes.sort((a, b) => b.t - a.t);
  for (const { n } of withTimes.slice(MAX_CACHED_CLIPS)) if (n !== keep) await rm(join(dir, n), { force: true });
}
