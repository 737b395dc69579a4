/**
 * Pure argument builders for ffmpeg runs that write files (DESIGN.md §5: no I/O, golden-tested
 * in tests/unit/plugin/transcode/recorder-args.test.ts): the segment recorder and the copy
 * remux that finalises segments and cuts clips. Facts behind the options: protocols/camera.md §5.
 *
 * - `-timeout` (µs, before `-i`) is the RTSP socket timeout: without it a frozen camera hangs
 *   ffmpeg for ever; with it ffmpeg exits (with code 0) once the camera sends nothing.
 * - Segments are fragmented mp4 (`frag_keyframe+empty_moov+default_base_moof`): a SIGKILLed
 *   recorder leaves a file playable up to its last whole fragment; plain mp4 would be lost.
 * - `-segment_atclocktime` aligns cuts to the wall clock; `-segment_list_flags live` appends a
 *   CSV line only once a segment is closed, which is how the caller learns it may move it.
 * - `-progress pipe:2` gives the caller a heartbeat for stall detection. (ffmpeg ignores SIGPIPE,
 *   so an orphaned recorder keeps running: see FileJobService.reap.)
 * - `flush_packets=1` for the segments: every fragment reaches the file when written, so a SIGKILL
 *   leaves whole fragments (with the default 32 KiB buffer a low-bit-rate segment stayed empty
 *   on disk until it closed, measured).
 */
import type { LiveRequest, RecordRequest, RemuxRequest } from './types.js';
import { GLOBAL_ARGS, formatSeconds } from './profiles.js';

/** Global options, then the RTSP transport and socket timeout, which must come before `-i`. */
function rtspInputArgs(request: { readonly url: string; readonly transport?: 'tcp' | 'udp' | undefined; readonly timeoutSeconds: number }): string[] {
  const args = [...GLOBAL_ARGS];
  if (/^rtsps?:/i.test(request.url)) args.push('-rtsp_transport', request.transport ?? 'tcp', '-timeout', String(Math.round(request.timeoutSeconds * 1e6)));
  args.push('-i', request.url);
  return args;
}

/** The recorder's argv (after the binary name). */
export function buildRecorderArgs(request: RecordRequest): string[] {
  if (!(request.segmentSeconds >= 1)) throw new RangeError(`segmentSeconds must be at least 1, got ${request.segmentSeconds}`);
  if (!(request.timeoutSeconds > 0)) throw new RangeError(`timeoutSeconds must be positive, got ${request.timeoutSeconds}`);
  const args = rtspInputArgs(request);
  args.push('-map', '0:v:0');
  if (request.audio !== 'none') args.push('-map', '0:a:0?');
  args.push('-c:v', 'copy');
  if (request.audio === 'none') args.push('-an');
  else if (request.audio === 'copy') args.push('-c:a', 'copy');
  else args.push('-c:a', 'aac', '-b:a', `${request.audioBitrateKbps ?? 64}k`);
  if (request.title !== undefined) args.push('-metadata', `title=${request.title}`);
  args.push(
    '-f',
    'segment',
    '-segment_time',
    formatSeconds(request.segmentSeconds),
    '-segment_atclocktime',
    '1',
    '-segment_format',
    'mp4',
    '-segment_format_options',
    // flush_packets on the inner mp4 muxer: each fragment reaches the file when written (the
    // outer -flush_packets does not reach the segment muxer's inner context in ffmpeg 5.1).
    'movflags=+frag_keyframe+empty_moov+default_base_moof:flush_packets=1',
    '-reset_timestamps',
    '1',
    '-strftime',
    '1',
    '-segment_list',
    `file:${request.listFile}`,
    '-segment_list_type',
    'csv',
    '-segment_list_flags',
    'live',
    `file:${request.directory.replace(/\/+$/, '')}/${request.filePattern}`,
  );
  return args;
}

/**
 * The live view's argv: video copied (no re-encode, no audio: G.711 does not fit mp4 and the
 * view is muted anyway) into fragmented mp4 on stdout, one fragment per key frame, so a viewer
 * can join at any fragment and the browser decodes from a key frame. `flush_packets` hands each
 * fragment to the pipe as soon as it is complete.
 */
export function buildLiveArgs(request: LiveRequest): string[] {
  if (!(request.timeoutSeconds > 0)) throw new RangeError(`timeoutSeconds must be positive, got ${request.timeoutSeconds}`);
  const args = rtspInputArgs(request);
  args.push('-map', '0:v:0', '-c:v', 'copy', '-an', '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-flush_packets', '1', 'pipe:1');
  return args;
}

/** The remux argv: copy only, fast start, metadata; a concat list when there are several inputs. */
export function buildRemuxArgs(request: RemuxRequest, concatListPath?: string): string[] {
  if (request.inputs.length === 0) throw new RangeError('remux needs at least one input');
  if (request.inputs.length > 1 && concatListPath === undefined) throw new RangeError('several inputs need a concat list file');
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error'];
  if (request.startSeconds !== undefined && request.startSeconds > 0) args.push('-ss', formatSeconds(request.startSeconds));
  if (request.inputs.length > 1) args.push('-f', 'concat', '-safe', '0', '-i', `file:${concatListPath ?? ''}`);
  else args.push('-i', `file:${request.inputs[0] ?? ''}`);
  if (request.durationSeconds !== undefined) args.push('-t', formatSeconds(request.durationSeconds));
  args.push('-map', '0:v?', '-map', '0:a?', '-c', 'copy', '-map_metadata', '-1', '-movflags', '+faststart');
  if (request.title !== undefined) args.push('-metadata', `title=${request.title}`);
  if (request.creationTime !== undefined) args.push('-metadata', `creation_time=${request.creationTime}`);
  args.push('-f', 'mp4', '-y', `file:${request.output}`);
  return args;
}

/** The concat demuxer's list file for `paths` (single quotes escaped as the demuxer wants). */
export function concatListText(paths: readonly string[]): string {
  return paths.map((p) => `file '${p.split("'").join("'\\''")}'\n`).join('');
}

/**
 * Strings to cut out of ffmpeg's output for a URL: the URL itself, its userinfo and the
 * password (raw and percent-decoded). Passwords shorter than 3 characters are only removed as
 * part of the URL or userinfo, so scrubbing does not shred every line.
 */
export function secretsOfUrl(url: string): string[] {
  const secrets = new Set<string>([url]);
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^@/?#]*)@/i.exec(url);
  const userinfo = m?.[1];
  if (userinfo !== undefined && userinfo !== '') {
    secrets.add(`${userinfo}@`);
    const colon = userinfo.indexOf(':');
    if (colon !== -1) {
      const password = userinfo.slice(colon + 1);
      let decoded = password;
      try {
        decoded = decodeURIComponent(password);
      } catch {
        // A malformed escape: the raw form is what ffmpeg prints anyway.
      }
      for (const p of [password, decoded]) if (p.length >= 3) secrets.add(p);
    }
  }
  return [...secrets].sort((a, b) => b.length - a.length);
}

/** The URL without userinfo, for logs and the admin UI. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, '$1');
}

/** Replaces every secret in `line` with `***`. */
export function scrubLine(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const s of secrets) if (s !== '' && out.includes(s)) out = out.split(s).join(s.includes('://') ? redactUrl(s) : s.endsWith('@') ? '' : '***');
  return out;
}
