/**
 * Test media generated with ffmpeg's lavfi sources at test time (never committed). Clips are
 * cached per process in a temp folder keyed by their spec, so suites share them.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClipSpec {
  /** Seconds. */
  readonly duration: number;
  readonly width?: number;
  readonly height?: number;
  readonly fps?: number;
  /** Video encoder (libx264, mpeg2video, mpeg4, …). */
  readonly videoCodec?: string;
  /** Audio encoder (aac, ac3, mp2, libmp3lame) or 'none'. */
  readonly audioCodec?: string;
  /** Output extension decides the container: mp4, mkv, mpg, ts, avi. */
  readonly ext?: string;
  /** `testsrc2` is easy to encode; `noise` makes a hard clip for size-estimate tests. */
  readonly pattern?: 'testsrc2' | 'noise' | 'smpte';
  readonly extraArgs?: readonly string[];
}

const CACHE_DIR = join(tmpdir(), `jellybridge-test-media-${process.pid}`);

export function mediaCacheDir(): string {
  mkdirSync(CACHE_DIR, { recursive: true });
  return CACHE_DIR;
}

function keyOf(spec: ClipSpec): string {
  return JSON.stringify(spec).replace(/[^a-zA-Z0-9]+/g, '_').slice(0, 150);
}

function videoSource(spec: ClipSpec): string {
  const size = `${spec.width ?? 320}x${spec.height ?? 240}`;
  const rate = spec.fps ?? 25;
  if (spec.pattern === 'noise') {
    return `nullsrc=s=${size}:r=${rate}:d=${spec.duration},geq=random(1)*255:128:128`;
  }
  return `${spec.pattern ?? 'testsrc2'}=s=${size}:r=${rate}:d=${spec.duration}`;
}

/** Generates (once) a clip matching `spec` and returns its path. */
export async function makeClip(spec: ClipSpec, outPath?: string): Promise<string> {
  const ext = spec.ext ?? 'mp4';
  const target = outPath ?? join(mediaCacheDir(), `${keyOf(spec)}.${ext}`);
  if (existsSync(target)) return target;
  const audio = spec.audioCodec ?? 'aac';
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', videoSource(spec)];
  if (audio !== 'none') args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${spec.duration}`);
  args.push('-c:v', spec.videoCodec ?? 'libx264');
  if ((spec.videoCodec ?? 'libx264') === 'libx264') args.push('-preset', 'veryfast', '-pix_fmt', 'yuv420p');
  if (audio !== 'none') args.push('-c:a', audio);
  args.push(...(spec.extraArgs ?? []));
  args.push('-t', String(spec.duration));
  const partial = `${target}.partial.${ext}`;
  args.push(partial);
  await run('ffmpeg', args, { maxBuffer: 16 * 1024 * 1024 });
  renameSync(partial, target);
  return target;
}

/** Runs ffprobe and returns its JSON (format + streams). */
export async function ffprobeJson(path: string, extra: readonly string[] = []): Promise<FfprobeOutput> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...extra, path], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as FfprobeOutput;
}

export interface FfprobeStream {
  readonly index: number;
  readonly codec_type: string;
  readonly codec_name: string;
  readonly width?: number;
  readonly height?: number;
  readonly sample_rate?: string;
  readonly channels?: number;
  readonly r_frame_rate?: string;
  readonly display_aspect_ratio?: string;
  readonly profile?: string;
  readonly level?: number;
  readonly bit_rate?: string;
  readonly duration?: string;
}

export interface FfprobeOutput {
  readonly format: { readonly format_name: string; readonly duration?: string; readonly size?: string; readonly bit_rate?: string; readonly start_time?: string };
  readonly streams: readonly FfprobeStream[];
}

/** Whether a binary is on PATH (tests skip with the reason named when a peer is missing). */
export async function hasBinary(name: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${name}`]);
    return true;
  } catch {
    return false;
  }
}

/** Copies a clip into a library folder without the scanner seeing a half-written file (hidden names are skipped). */
export function place(clip: string, target: string): void {
  const partial = join(dirname(target), `.partial-${Math.random().toString(36).slice(2)}`);
  copyFileSync(clip, partial);
  renameSync(partial, target);
}
