/**
 * The stand-in's media endpoints: static files with single-range support (Jellyfin serves them
 * as physical files), progressive transcodes by running local ffmpeg with the requested
 * encoders (chunked, `Accept-Ranges: none`, like Jellyfin), and generated JPEG/PNG images.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { param } from './http-helpers.js';

const CODEC = /^[a-zA-Z0-9\-._,|]{0,40}$/;

const MUXERS: Readonly<Record<string, { format: string; mime: string; args?: readonly string[] }>> = {
  ts: { format: 'mpegts', mime: 'video/mp2t' },
  m2ts: { format: 'mpegts', mime: 'video/mp2t' },
  mpeg: { format: 'mpeg', mime: 'video/mpeg' },
  mpg: { format: 'mpeg', mime: 'video/mpeg' },
  mp4: { format: 'mp4', mime: 'video/mp4', args: ['-movflags', 'frag_keyframe+empty_moov'] },
  m4v: { format: 'mp4', mime: 'video/mp4', args: ['-movflags', 'frag_keyframe+empty_moov'] },
  mov: { format: 'mov', mime: 'video/quicktime', args: ['-movflags', 'frag_keyframe+empty_moov'] },
  mkv: { format: 'matroska', mime: 'video/x-matroska' },
  webm: { format: 'webm', mime: 'video/webm' },
  flv: { format: 'flv', mime: 'video/x-flv' },
  avi: { format: 'avi', mime: 'video/x-msvideo' },
  asf: { format: 'asf', mime: 'video/x-ms-asf' },
  wmv: { format: 'asf', mime: 'video/x-ms-wmv' },
  ogv: { format: 'ogg', mime: 'video/ogg' },
};

/** Jellyfin maps h264/mp3 to its configured encoders and passes anything else through. */
const ENCODERS: Readonly<Record<string, string>> = { h264: 'libx264', mp3: 'libmp3lame', hevc: 'libx265' };

export function serveStatic(req: IncomingMessage, res: ServerResponse, file: string): void {
  const size = statSync(file).size;
  const range = req.headers.range;
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Type', 'video/mp4');
  let start = 0;
  let end = size - 1;
  if (range !== undefined) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    if (m === null || (m[1] === '' && m[2] === '')) {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
      return;
    }
    if (m[1] === '') {
      start = Math.max(0, size - Number(m[2]));
    } else {
      start = Number(m[1]);
      end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    }
    if (start >= size || start > end) {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
      return;
    }
    res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': String(end - start + 1) });
  } else {
    res.writeHead(200, { 'Content-Length': String(size) });
  }
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file, { start, end }).pipe(res);
}

function scaleFilter(maxWidth: number | undefined, maxHeight: number | undefined): string | undefined {
  if (maxWidth === undefined && maxHeight === undefined) return undefined;
  const w = maxWidth === undefined ? 'iw' : `min(iw\\,${maxWidth})`;
  const h = maxHeight === undefined ? 'ih' : `min(ih\\,${maxHeight})`;
  return `scale=w=${w}:h=${h}:force_original_aspect_ratio=decrease,scale=trunc(iw/2)*2:trunc(ih/2)*2`;
}

function num(q: URLSearchParams, name: string): number | undefined {
  const v = param(q, name);
  return v === undefined ? undefined : Number(v);
}

/** Progressive transcode with the requested codecs; returns the ffmpeg child (or undefined on 400). */
export function serveTranscode(req: IncomingMessage, res: ServerResponse, file: string, container: string, query: URLSearchParams): ChildProcess | undefined {
  const muxer = MUXERS[container];
  const videoCodec = (param(query, 'videoCodec') ?? 'h264').split(',')[0] ?? 'h264';
  const audioCodec = (param(query, 'audioCodec') ?? (container === 'mp4' || container === 'mkv' ? 'aac' : 'mp3')).split(',')[0] ?? 'aac';
  if (muxer === undefined || !CODEC.test(videoCodec) || !CODEC.test(audioCodec)) {
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Invalid container or codec');
    return undefined;
  }
  const startTicks = num(query, 'startTimeTicks');
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin'];
  if (startTicks !== undefined && startTicks > 0) args.push('-ss', String(startTicks / 10_000_000));
  args.push('-i', file, '-map', '0:v:0?', '-map', '0:a:0?');
  const venc = ENCODERS[videoCodec] ?? videoCodec;
  args.push('-c:v', venc);
  if (venc === 'libx264') args.push('-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
  const vbr = num(query, 'videoBitRate');
  if (vbr !== undefined && vbr > 0) args.push('-b:v', String(Math.round(vbr)));
  const scale = scaleFilter(num(query, 'maxWidth'), num(query, 'maxHeight'));
  if (scale !== undefined) args.push('-vf', scale);
  args.push('-c:a', ENCODERS[audioCodec] ?? audioCodec);
  const abr = num(query, 'audioBitRate');
  if (abr !== undefined && abr > 0) args.push('-b:a', String(Math.round(abr)));
  if (audioCodec === 'mp2' || audioCodec === 'ac3') args.push('-ar', '48000');
  args.push(...(muxer.args ?? []), '-f', muxer.format, 'pipe:1');
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  res.writeHead(200, { 'Content-Type': muxer.mime, 'Accept-Ranges': 'none', 'Cache-Control': 'no-cache' });
  child.stdout.pipe(res);
  child.on('error', () => res.destroy());
  child.on('close', (code) => {
    if (code !== 0 && !res.writableEnded) res.destroy(new Error(`ffmpeg exited ${code ?? 'signal'}: ${stderr}`));
  });
  const kill = (): void => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  res.on('close', kill);
  req.on('aborted', kill);
  return child;
}

const imageCache = new Map<string, Buffer>();

/** A tiny generated image (ffmpeg lavfi colour frame), bounded by maxWidth/maxHeight. */
export async function renderImage(format: 'jpg' | 'png', maxWidth: number | undefined, maxHeight: number | undefined): Promise<Buffer> {
  let w = 200;
  let h = 300;
  const scale = Math.min(1, (maxWidth ?? w) / w, (maxHeight ?? h) / h);
  w = Math.max(2, Math.floor((w * scale) / 2) * 2);
  h = Math.max(2, Math.floor((h * scale) / 2) * 2);
  const key = `${format}:${w}x${h}`;
  const cached = imageCache.get(key);
  if (cached !== undefined) return cached;
  const codec = format === 'png' ? 'png' : 'mjpeg';
  const child = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `color=c=0x3060a0:s=${w}x${h}`, '-frames:v', '1', '-c:v', codec, '-f', 'image2pipe', 'pipe:1'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => chunks.push(d));
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg image exited ${code ?? 'signal'}`))));
  });
  const image = Buffer.concat(chunks);
  imageCache.set(key, image);
  return image;
}
