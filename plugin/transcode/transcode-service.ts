/**
 * The transcode service (DESIGN.md §3 `transcoder`, §7.2): the only part of the sidecar that
 * runs ffmpeg. Adapters open sessions from TranscodeProfiles; this file owns the concurrency
 * limit, spool joining, the admin view and shutdown.
 *
 * What callers can rely on:
 * - `open()` throws at once for a bad profile (ERR_TRANSCODE_PROFILE), a full house
 *   (ERR_TRANSCODE_BUSY) or an already aborted signal (ERR_TRANSCODE_ABORTED); everything
 *   later is reported by `done` (never rejects; `result.error` on failure, already logged).
 * - Unspooled: `output` is ffmpeg's stdout with backpressure (read it or ffmpeg waits). It ends
 *   normally only when the transcode completed; after a stop or failure it closes without an
 *   end (pipeline() rejects with a premature close). The request signal, or destroying
 *   `output`, stops ffmpeg (`q`, SIGKILL after `stopGraceMs`).
 * - Spooled (`spoolKey`): ffmpeg runs to completion even when every reader left; the signal
 *   only ends the `output` reader. `output` is created on first access, so a caller that reads
 *   with `spool.read(offset)` only should not touch it. Another `open()` with the key of a live
 *   or complete spool joins it (same session id, no new ffmpeg; `stop()` stops the shared run).
 * - `stopAll()` stops every ffmpeg, waits for the exits and deletes unread spools.
 */
import type { Readable } from 'node:stream';
import type { MediaInfo, MediaInput } from '../library/model.js';
import type { Logger } from '../log/logger.js';
import type { Clock } from '../util/clock.js';
import { SidecarError, toSidecarError } from '../util/errors.js';
import { ffmpegCapabilities } from './ffmpeg-process.js';
import { createFileJobService } from './file-jobs.js';
import { probeMedia } from './probe.js';
import { buildFfmpegArgs } from './profiles.js';
import { Session, specOf } from './session.js';
import { SpoolStore, type Spool } from './spool.js';
import type { ActiveTranscode, SpoolReader, TranscodeRequest, TranscodeService, TranscodeSession } from './types.js';

export interface TranscodeServiceOptions {
  /** ffmpeg binary, or a wrapper with the same command line (rffmpeg, a GPU host script). */
  readonly ffmpegPath: string;
  readonly ffprobePath: string;
  /** ffmpeg processes allowed at once; `open()` beyond it throws ERR_TRANSCODE_BUSY. */
  readonly maxConcurrent: number;
  /** Folder for spool files (created; stale spool files in it are deleted at creation). */
  readonly spoolDir: string;
  /** Finished spools are deleted, least recently used first, while all spools exceed this. */
  readonly spoolMaxBytes: number;
  /** Finished spools unused for this long are deleted. */
  readonly spoolMaxAgeMs: number;
  /** Time between `q` on stdin and SIGKILL (default 2000). */
  readonly stopGraceMs?: number;
  readonly clock: Clock;
  readonly log: Logger;
}

const DEFAULT_STOP_GRACE_MS = 2000;

/** Creates the transcode service. Synchronous file work: the spool folder is created and swept. */
export function createTranscodeService(options: TranscodeServiceOptions): TranscodeService {
  const log = options.log.child({ component: 'transcode' });
  const spools = new SpoolStore({
    dir: options.spoolDir,
    maxBytes: options.spoolMaxBytes,
    maxAgeMs: options.spoolMaxAgeMs,
    clock: options.clock,
    log,
  });
  spools.prepare();
  const sessions = new Map<string, Session>();
  /** Session that writes (or wrote) each spool, to join it. */
  const spoolOwners = new WeakMap<Spool, Session>();
  let capabilities: Promise<{ encoders: ReadonlySet<string>; muxers: ReadonlySet<string> }> | undefined;

  const deps = {
    ffmpegPath: options.ffmpegPath,
    stopGraceMs: options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS,
    clock: options.clock,
    log,
    probe: (input: MediaInput, signal: AbortSignal): Promise<MediaInfo> => probeMedia(options.ffprobePath, input, signal),
  };

  function join(spool: Spool, owner: Session, request: TranscodeRequest): TranscodeSession {
    log.debug('joining spool', { spool: spool.key, session: owner.id });
    let output: Readable | undefined;
    return {
      id: owner.id,
      profile: owner.profile,
      startedAt: owner.startedAt,
      // Created on first access, like Session#output, so an unused reader never pins the spool.
      get output() {
        output ??= spool.read(0, undefined, request.signal);
        return output;
      },
      spool: spool.reader,
      progress: () => owner.progress(),
      done: owner.done,
      stop: () => owner.stop(),
    };
  }

  const files = createFileJobService({ ffmpegPath: options.ffmpegPath, clock: options.clock, log, stopGraceMs: deps.stopGraceMs });

  return {
    files,

    open(request) {
      if (request.signal?.aborted) {
        throw new SidecarError('ERR_TRANSCODE_ABORTED', 'aborted', 'the transcode request was aborted before it started');
      }
      if (request.spoolKey !== undefined) {
        const existing = spools.find(request.spoolKey);
        const owner = existing && spoolOwners.get(existing);
        if (existing && owner) return join(existing, owner, request);
      }
      const running = sessions.size;
      if (running >= options.maxConcurrent) {
        throw new SidecarError(
          'ERR_TRANSCODE_BUSY',
          'resource-exhausted',
          `all ${options.maxConcurrent} transcode slots are busy (${running} running); try again when one finishes`,
          { detail: { running, maxConcurrent: options.maxConcurrent } },
        );
      }
      // Build the arguments now so a bad profile throws here rather than inside the session.
      const args = buildFfmpegArgs(specOf(request));
      const spool = request.spoolKey === undefined ? undefined : spools.create(request.spoolKey);
      const session = new Session(request, args, deps, spool);
      sessions.set(session.id, session);
      if (spool) spoolOwners.set(spool, session);
      void session.done.then(() => {
        sessions.delete(session.id);
        spools.cleanup();
      });
      return session;
    },

    findSpool(key): SpoolReader | undefined {
      return spools.find(key)?.reader;
    },

    probe(input, signal) {
      return probeMedia(options.ffprobePath, input, signal);
    },

    active(): readonly ActiveTranscode[] {
      return [...sessions.values()].map((s) => {
        const request = s.requestInfo();
        return {
          id: s.id,
          profile: s.profile.id,
          label: request.label,
          startedAt: s.startedAt,
          progress: s.progress(),
          ...(request.durationSeconds === undefined ? {} : { durationSeconds: request.durationSeconds }),
          spooled: s.isSpooled(),
        };
      });
    },

    async stopSession(id) {
      const session = sessions.get(id);
      if (!session) return false;
      await session.stop();
      return true;
    },

    async stopAll() {
      const running = [...sessions.values()];
      if (running.length > 0) log.info('stopping all transcodes', { count: running.length });
      await Promise.all([...running.map((s) => s.stop()), files.stopAll()]);
      // Spools cannot be joined after a restart (the folder is swept at start); free the disk now.
      spools.cleanup(true);
      spools.stopTimer();
    },

    capabilities() {
      capabilities ??= ffmpegCapabilities(options.ffmpegPath).catch((err: unknown) => {
        capabilities = undefined;
        throw new SidecarError('ERR_TRANSCODE_START', 'unavailable', `cannot list ffmpeg capabilities (${options.ffmpegPath})`, {
          cause: toSidecarError(err),
        });
      });
      return capabilities;
    },
  };
}
