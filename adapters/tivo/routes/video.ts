/**
 * `GET /<item>/<name>[?Format=…]`: the transfer (DESIGN.md §4 step 2, protocols/tivo.md §7–8).
 * - copy: a RangeEntity (synthetic header + file) served by the generic range layer with
 *   200 + exact Content-Length + Content-Range (what TiVo Desktop sent);
 * - remux/transcode: 206 chunked from the spool, so any Range inside what was produced resumes
 *   byte-exactly, also after the client left; padding to SourceSize when configured;
 * - a Range at or past the end: 206 chunked with an empty body, at once (range-policy.ts);
 * - every transcode slot busy: the headers and .TiVo header go out, the transfer waits for a
 *   slot, and if none frees up in time the connection closes without the terminator, which a
 *   TiVo retries with a Range (slot-wait.ts).
 */
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import {
  errorMessage,
  parseRangeHeader,
  serveRangeEntity,
  toSidecarError,
  type MediaInput,
  type RangeEntity,
  type RequestContext,
  type TranscodeRequest,
  type TranscodeSession,
} from '../../../plugin/index.js';
import type { ItemDescription } from '../catalog.js';
import { decideStreamRange, deliveredLength, paddingAfter, paddingBytes, type StreamLayout } from '../range-policy.js';
import { param } from '../query.js';
import { isBusy, openWhenFree } from '../slot-wait.js';
import { readSourceRange } from '../source-bytes.js';
import { MIME_PS, transferMime } from '../transfer-plan.js';
import { sendNotFound, type TivoDevice, type TivoServices } from './shared.js';

const PAD_CHUNK = 256 * 1024;

/** The head of every streamed answer: 206, chunked, the transfer's Content-Type, close. */
function writeStreamHead(res: ServerResponse, mime: string): void {
  res.writeHead(206, { 'Content-Type': mime, 'Transfer-Encoding': 'chunked', Connection: 'close' });
}

/** The end-of-transfer answer: the streamed head with an empty body (`0\r\n\r\n`). */
export function sendEndOfStream(res: ServerResponse, mime: string): void {
  writeStreamHead(res, mime);
  res.end();
}

function itemId(path: string): string | undefined {
  const first = path.split('/').filter((p) => p !== '')[0];
  if (first === undefined) return undefined;
  try {
    return decodeURIComponent(first);
  } catch {
    return undefined;
  }
}

export async function handleVideo(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, s: TivoServices, device: TivoDevice): Promise<void> {
  const id = itemId(ctx.path);
  const entry = id === undefined ? undefined : await s.library.getItem(device.userId, id);
  if (entry?.kind !== 'item' || entry.type === 'audio') {
    sendNotFound(res, 'No such item');
    return;
  }
  const mime = transferMime(param(ctx.query, 'Format'), device.caps, device.settings);
  const d = await s.catalog.describe(device.userId, entry, device.caps, device.settings, mime);
  const input = await s.library.getMediaInput(device.userId, entry.id);
  const log = s.log.child({ device: device.id, item: entry.id });
  s.counters['transfers'] = (s.counters['transfers'] ?? 0) + 1;
  if (d.plan.path === 'copy') {
    await sendPassthrough(req, res, ctx, s, d, input, log);
    return;
  }
  await sendStreamed(req, res, ctx, s, device, d, input, log);
}

async function sendPassthrough(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, s: TivoServices, d: ItemDescription, input: MediaInput, log: TivoServices['log']): Promise<void> {
  // A URL source (Jellyfin without a path mapping) is as long as Jellyfin says the file is.
  const fileLength = input.kind === 'file' ? (await stat(input.path)).size : d.media.sizeBytes;
  const header = d.header;
  const length = header.length + fileLength;
  const entity: RangeEntity = {
    length,
    contentType: d.mime,
    etag: `"${d.key}"`,
    read: (start, end) => Readable.from(logged(passthroughBytes(input, header, start, end, ctx.signal), log, ctx.signal)),
  };
  if (parseRangeHeader(req.headers.range, length).kind === 'unsatisfiable') {
    s.counters['endProbes'] = (s.counters['endProbes'] ?? 0) + 1;
    sendEndOfStream(res, d.mime);
    return;
  }
  await serveRangeEntity(req, res, entity, { partialStatus: 200, alwaysContentRange: true, signal: ctx.signal });
}

async function* passthroughBytes(input: MediaInput, header: Buffer, start: number, end: number, signal: AbortSignal): AsyncGenerator<Buffer> {
  if (start < header.length) yield header.subarray(start, Math.min(header.length, end + 1));
  if (end < header.length) return;
  yield* readSourceRange(input, Math.max(0, start - header.length), end - header.length, signal);
}

/** Logs a source read failure once (the range layer only drops the connection, which the TiVo retries). */
async function* logged(bytes: AsyncGenerator<Buffer>, log: TivoServices['log'], signal: AbortSignal): AsyncGenerator<Buffer> {
  try {
    yield* bytes;
  } catch (error) {
    if (!signal.aborted) log.error('passthrough transfer failed; connection dropped', { code: toSidecarError(error).code, error: errorMessage(error) });
    throw error;
  }
}

async function sendStreamed(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
  s: TivoServices,
  device: TivoDevice,
  d: ItemDescription,
  input: MediaInput,
  log: TivoServices['log'],
): Promise<void> {
  const layout: StreamLayout = { headerLength: d.header.length, declaredLength: d.sourceSize, pad: device.settings.padToEstimate && d.mime === MIME_PS };
  const existing = s.transcoder.findSpool(d.key);
  const decision = decideStreamRange(req.headers.range, layout, existing?.finalLength());
  if (decision.kind === 'end') {
    s.counters['endProbes'] = (s.counters['endProbes'] ?? 0) + 1;
    sendEndOfStream(res, d.mime);
    return;
  }
  if (req.method === 'HEAD') {
    sendEndOfStream(res, d.mime);
    return;
  }
  const profile = d.plan.profile;
  if (!profile) throw new Error('streamed transfer without a profile');
  const request: TranscodeRequest = {
    input,
    profile,
    spoolKey: d.key,
    signal: ctx.signal,
    ...(d.guessed ? {} : { media: d.media }),
    label: { adapter: 'tivo', device: device.id, item: d.item.id, title: d.item.title },
  };
  let session: TranscodeSession | undefined;
  try {
    session = s.transcoder.open(request);
  } catch (error) {
    if (!isBusy(error)) throw error; // before any header: the handler maps it to a status
  }
  if (decision.start > 0) s.counters['resumes'] = (s.counters['resumes'] ?? 0) + 1;
  log.info('transfer', { path: d.plan.path, reason: d.plan.reason, mime: d.mime, sourceSize: d.sourceSize, start: decision.start, session: session?.id, waiting: !session });
  writeStreamHead(res, d.mime);
  res.flushHeaders();
  let sent = 0;
  let position = decision.start;
  if (!session) s.counters['busyWaits'] = (s.counters['busyWaits'] ?? 0) + 1;
  try {
    if (position < d.header.length) {
      // The header is known before ffmpeg starts: the TiVo gets its metadata (and a first byte) at once.
      sent += await write(res, d.header.subarray(position));
      position = d.header.length;
    }
    if (!session) {
      session = await openWhenFree({
        transcoder: s.transcoder,
        queue: s.slotQueue,
        request,
        waitMs: s.config.busyWaitSeconds * 1000,
        now: s.now,
        sleep: s.sleep,
        signal: ctx.signal,
      });
      if (!session) {
        if (ctx.signal.aborted || res.destroyed) return;
        s.counters['busyGiveUps'] = (s.counters['busyGiveUps'] ?? 0) + 1;
        log.warn('every transcode slot stayed busy; closing without the chunked terminator so the TiVo retries', { code: 'ERR_TIVO_BUSY', sent, start: decision.start });
        closeUnterminated(res);
        return;
      }
      log.info('transcode slot free; transfer continues', { session: session.id });
    }
    const spool = session.spool;
    if (!spool) throw new Error('transcode service returned no spool for a spooled request');
    for await (const chunk of spool.read(position - d.header.length, undefined, ctx.signal)) {
      sent += await write(res, chunk as Buffer);
    }
    const outputLength = spool.finalLength() ?? spool.bytesWritten();
    const padding = paddingAfter(layout, outputLength, decision.start);
    if (padding) {
      for (let at = padding.from; at < padding.total && !res.destroyed; at += PAD_CHUNK) {
        sent += await write(res, paddingBytes(padding.total, at, Math.min(padding.total, at + PAD_CHUNK)));
      }
    }
    const delivered = deliveredLength(layout, outputLength);
    if (delivered > d.sourceSize) log.warn('transfer larger than advertised', { delivered, sourceSize: d.sourceSize });
  } catch (error) {
    if (res.destroyed || ctx.signal.aborted) {
      log.info('client left the transfer', { sent, start: decision.start });
      return;
    }
    const done = session?.done;
    const result = done && (await Promise.race([done, new Promise<undefined>((r) => setTimeout(() => r(undefined), 2000).unref())]));
    s.counters['failures'] = (s.counters['failures'] ?? 0) + 1;
    log.error('transcode ended early; stream closed with the chunked terminator', {
      code: 'ERR_TIVO_TRANSCODE_FAILED',
      error: errorMessage(error),
      exit: result?.exit,
      exitCode: result?.exitCode,
      stderrTail: result?.stderrTail,
      sent,
    });
  } finally {
    s.counters['bytesSent'] = (s.counters['bytesSent'] ?? 0) + sent;
  }
  if (!res.destroyed) res.end();
}

/**
 * Ends the connection after the bytes already written but without the chunked terminator: to
 * a TiVo that is a transfer cut short, which it retries with a Range (unlike an error status).
 */
function closeUnterminated(res: ServerResponse): void {
  const socket = res.socket;
  if (socket) socket.end();
  else res.destroy();
}

/** Waits for `drain` or `close`, removing both listeners afterwards (no listener build-up). */
function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

async function write(res: ServerResponse, chunk: Buffer): Promise<number> {
  if (chunk.length === 0) return 0;
  if (res.destroyed) throw new Error('client gone');
  if (!res.write(chunk)) await drainOrClose(res);
  if (res.destroyed) throw new Error('client gone');
  return chunk.length;
}
