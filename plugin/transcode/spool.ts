/**
 * On-disk spool of a transcode's output (TiVo resume, protocols/tivo.md §8.3/§8.4): ffmpeg's
 * stdout is written to a file while any number of readers stream any byte range already
 * produced and wait for bytes not produced yet. The file outlives the caller, so a device that
 * reconnects minutes later resumes byte-exactly.
 *
 * Reads go through positional `fs.read` in 256 KiB chunks (the data is still in the page cache);
 * no per-byte work anywhere. Cleanup (SpoolStore) goes by age and total size, oldest use first,
 * and never touches a spool that is being written or read.
 */
import { randomUUID } from 'node:crypto';
import { close, closeSync, mkdirSync, open, openSync, read, readdirSync, rmSync, unlink, writev } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { Logger } from '../log/logger.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import type { SpoolReader, TranscodeExit } from './types.js';

const READ_CHUNK = 256 * 1024;
/** Smallest read from a spool that is still growing (ffmpeg's pipe writes are often ~4 KiB). */
const MIN_LIVE_READ = 64 * 1024;
const WRITE_HIGH_WATER_MARK = 1024 * 1024;
const FILE_PREFIX = 'jb-';
const FILE_SUFFIX = '.spool';

/** One spool file: written once by its transcode, read by any number of readers. */
export class Spool {
  readonly path: string;
  /** What ffmpeg's stdout is piped into. */
  readonly sink: Writable;
  /** The public view handed to callers. */
  readonly reader: SpoolReader;
  private fd: number | undefined;
  private written = 0;
  private exit: TranscodeExit | undefined;
  private activeReaders = 0;
  private usedAt: number;
  private sinkFinished = false;
  private readonly waiters = new Set<() => void>();
  private readonly finishWaiters: (() => void)[] = [];
  private deleted = false;

  constructor(
    readonly key: string,
    dir: string,
    private readonly clock: Clock,
    private readonly onIdle: () => void,
  ) {
    this.path = join(dir, `${FILE_PREFIX}${randomUUID()}${FILE_SUFFIX}`);
    this.fd = openSync(this.path, 'wx', 0o600);
    this.usedAt = clock.now();
    this.sink = new Writable({
      highWaterMark: WRITE_HIGH_WATER_MARK,
      emitClose: false,
      writev: (chunks, callback) => {
        this.append(
          chunks.map((c) => c.chunk as Buffer),
          callback,
        );
      },
      final: (callback) => {
        this.endSink();
        callback();
      },
    });
    // A failed write (disk full) ends the sink too: the session must not wait for it forever.
    this.sink.on('error', () => this.endSink());
    this.reader = {
      key,
      bytesWritten: () => this.written,
      finalLength: () => (this.exit === 'completed' ? this.written : undefined),
      isFinished: () => this.exit !== undefined,
      read: (start, end, signal) => this.read(start, end, signal),
    };
  }

  /** Bytes on disk. */
  size(): number {
    return this.written;
  }

  /** Still being written (ffmpeg running or its last bytes in flight). */
  isLive(): boolean {
    return this.exit === undefined;
  }

  isComplete(): boolean {
    return this.exit === 'completed';
  }

  readers(): number {
    return this.activeReaders;
  }

  /** Last time the spool was finished or read (cleanup age and order). */
  lastUsed(): number {
    return this.usedAt;
  }

  private endSink(): void {
    this.sinkFinished = true;
    for (const w of this.finishWaiters.splice(0)) w();
  }

  /** Resolves when ffmpeg's stdout ended and every byte is in the file (or writing failed). */
  sinkDone(): Promise<void> {
    if (this.sinkFinished) return Promise.resolve();
    return new Promise((resolve) => this.finishWaiters.push(resolve));
  }

  /** Marks the spool finished: no more bytes will come; readers at the end stop waiting. */
  finish(exit: TranscodeExit): void {
    if (this.exit !== undefined) return;
    this.exit = exit;
    this.usedAt = this.clock.now();
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    this.notify();
  }

  /** Removes the file (callers check it is neither live nor read). */
  delete(): void {
    if (this.deleted) return;
    this.deleted = true;
    unlink(this.path, () => undefined);
  }

  /** Streams bytes `start`..`end` (inclusive), waiting for bytes not produced yet. */
  read(start: number, end?: number, signal?: AbortSignal): Readable {
    return new SpoolReadStream(this, start, end, signal);
  }

  /** @internal used by SpoolReadStream */
  attachReader(): void {
    this.activeReaders++;
    this.usedAt = this.clock.now();
  }

  /** @internal used by SpoolReadStream */
  detachReader(): void {
    this.activeReaders--;
    this.usedAt = this.clock.now();
    if (this.activeReaders === 0) this.onIdle();
  }

  /** @internal used by SpoolReadStream */
  available(): number {
    return this.written;
  }

  /** @internal used by SpoolReadStream: whether no more bytes will ever come, and why. */
  ending(): TranscodeExit | undefined {
    return this.exit;
  }

  /** @internal used by SpoolReadStream */
  wait(waiter: () => void): void {
    this.waiters.add(waiter);
  }

  /** @internal used by SpoolReadStream */
  unwait(waiter: () => void): void {
    this.waiters.delete(waiter);
  }

  private notify(): void {
    if (this.waiters.size === 0) return;
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const w of waiting) w();
  }

  private append(buffers: Buffer[], callback: (error?: Error | null) => void): void {
    const fd = this.fd;
    if (fd === undefined) {
      callback(new Error('spool is closed'));
      return;
    }
    writev(fd, buffers, this.written, (err, bytes) => {
      if (err) {
        callback(err);
        return;
      }
      this.written += bytes;
      this.notify();
      const total = buffers.reduce((n, b) => n + b.length, 0);
      if (bytes < total) this.append(remainder(buffers, bytes), callback);
      else callback();
    });
  }
}

function remainder(buffers: Buffer[], skip: number): Buffer[] {
  const rest: Buffer[] = [];
  let left = skip;
  for (const b of buffers) {
    if (left >= b.length) left -= b.length;
    else {
      rest.push(left > 0 ? b.subarray(left) : b);
      left = 0;
    }
  }
  return rest;
}

/**
 * A reader over a (possibly growing) spool file. Ends normally at `end` or at the end of a
 * completed transcode; if the transcode stopped or failed before `end`, it closes without an
 * end (premature close) so the consumer cannot mistake the truncated output for a whole one.
 */
class SpoolReadStream extends Readable {
  private position: number;
  private readonly limit: number;
  private fd: number | undefined;
  private reading = false;
  private readonly onAbort = (): void => {
    this.destroy();
  };
  private readonly onMore = (): void => {
    this.pump();
  };

  constructor(
    private readonly spool: Spool,
    start: number,
    end: number | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {
    super({ highWaterMark: READ_CHUNK * 2 });
    if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`invalid spool read start ${start}`);
    if (end !== undefined && (!Number.isSafeInteger(end) || end < -1)) throw new RangeError(`invalid spool read end ${end}`);
    this.position = start;
    this.limit = end === undefined ? Number.POSITIVE_INFINITY : end + 1;
    spool.attachReader();
    if (signal?.aborted) queueMicrotask(this.onAbort);
    else signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.spool.path, 'r', (err, fd) => {
      if (err) {
        callback(err);
        return;
      }
      this.fd = fd;
      callback();
    });
  }

  override _read(): void {
    this.pump();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.spool.unwait(this.onMore);
    this.signal?.removeEventListener('abort', this.onAbort);
    this.spool.detachReader();
    const fd = this.fd;
    this.fd = undefined;
    if (fd === undefined) callback(error);
    else close(fd, () => callback(error));
  }

  private pump(): void {
    if (this.reading || this.destroyed || this.fd === undefined) return;
    if (this.position >= this.limit) {
      this.push(null);
      return;
    }
    const exit = this.spool.ending();
    const written = this.spool.available();
    const available = Math.min(this.limit, written);
    // While ffmpeg writes small packets, wait for a useful amount instead of one read per write.
    const worthReading = exit !== undefined || available === this.limit || available - this.position >= MIN_LIVE_READ;
    if (this.position < available && worthReading) {
      this.readChunk(this.fd, Math.min(available - this.position, READ_CHUNK));
      return;
    }
    if (exit === undefined) this.spool.wait(this.onMore);
    else if (exit === 'completed') this.push(null);
    else this.destroy();
  }

  private readChunk(fd: number, length: number): void {
    this.reading = true;
    const buffer = Buffer.allocUnsafe(length);
    read(fd, buffer, 0, length, this.position, (err, bytesRead) => {
      this.reading = false;
      if (this.destroyed) return;
      if (err) {
        this.destroy(err);
        return;
      }
      if (bytesRead === 0) {
        // Cannot happen for bytes already written; treat as the file vanishing under us.
        this.destroy(new Error(`spool file ended early at ${this.position}`));
        return;
      }
      this.position += bytesRead;
      if (this.push(bytesRead === length ? buffer : buffer.subarray(0, bytesRead))) this.pump();
    });
  }
}

export interface SpoolStoreOptions {
  readonly dir: string;
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * All spools of a service: the current spool per key, cleanup by age and total size, and a
 * sweep of files a previous process left behind.
 */
export class SpoolStore {
  private readonly byKey = new Map<string, Spool>();
  private readonly all = new Set<Spool>();
  private timer: TimerHandle | undefined;

  constructor(private readonly options: SpoolStoreOptions) {}

  /** Creates the folder and deletes spool files left by an earlier run (they cannot be joined). */
  prepare(): void {
    mkdirSync(this.options.dir, { recursive: true });
    for (const name of readdirSync(this.options.dir)) {
      if (name.startsWith(FILE_PREFIX) && name.endsWith(FILE_SUFFIX)) rmSync(join(this.options.dir, name), { force: true });
    }
  }

  /** The spool for `key` if it is live or complete. */
  find(key: string): Spool | undefined {
    const spool = this.byKey.get(key);
    return spool !== undefined && (spool.isLive() || spool.isComplete()) ? spool : undefined;
  }

  /** A new spool for `key`; an older stopped/failed one for the key is dropped once unread. */
  create(key: string): Spool {
    const spool = new Spool(key, this.options.dir, this.options.clock, () => this.cleanup());
    const previous = this.byKey.get(key);
    this.byKey.set(key, spool);
    this.all.add(spool);
    if (previous !== undefined) this.cleanup();
    this.timer ??= this.options.clock.setInterval(() => this.cleanup(), cleanupInterval(this.options.maxAgeMs));
    return spool;
  }

  /** Total bytes of all spool files on disk. */
  totalBytes(): number {
    let total = 0;
    for (const s of this.all) total += s.size();
    return total;
  }

  /**
   * Deletes finished, unread spools: stopped/failed ones at once (they can be neither joined
   * nor found), complete ones past the age limit, then the least recently used complete ones
   * while the total is over the size limit. `everything` (shutdown) deletes all that may go.
   */
  cleanup(everything = false): void {
    const now = this.options.clock.now();
    const deletable = [...this.all].filter((s) => !s.isLive() && s.readers() === 0);
    const keep: Spool[] = [];
    for (const s of deletable) {
      if (everything) this.remove(s, 'shutdown');
      else if (!s.isComplete() || this.byKey.get(s.key) !== s) this.remove(s, 'unusable');
      else if (now - s.lastUsed() >= this.options.maxAgeMs) this.remove(s, 'age');
      else keep.push(s);
    }
    let total = this.totalBytes();
    keep.sort((a, b) => a.lastUsed() - b.lastUsed());
    for (const s of keep) {
      if (total <= this.options.maxBytes) break;
      total -= s.size();
      this.remove(s, 'size');
    }
    if (this.all.size === 0) this.stopTimer();
  }

  stopTimer(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private remove(spool: Spool, reason: string): void {
    this.all.delete(spool);
    if (this.byKey.get(spool.key) === spool) this.byKey.delete(spool.key);
    spool.delete();
    this.options.log.debug('spool deleted', { spool: spool.key, bytes: spool.size(), reason });
  }
}

function cleanupInterval(maxAgeMs: number): number {
  return Math.min(60_000, Math.max(1_000, Math.floor(maxAgeMs / 2)));
}
