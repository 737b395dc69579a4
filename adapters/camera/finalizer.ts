/**
 * Moves closed staging segments into the library (Retina's `.partial` → rename idea,
 * protocols/camera.md §7): copy-remux to fast-start with the segment's own title and creation
 * time, check with ffprobe that it holds video, then `rename()` into
 * `<library>/<Camera>/<YYYY-MM-DD>/` (atomic: same filesystem). A segment that cannot be made
 * playable (a recorder killed before its first fragment) is deleted, so nothing unplayable
 * ever appears in the library. Segments are finalised one at a time per camera, in order.
 */
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileJobService, Logger, TranscodeService } from '../../plugin/index.js';
import { errorMessage } from '../../plugin/index.js';
import { parseStagingName, segmentRelativePath, segmentTitle, stampToMs } from './naming.js';
import type { SegmentStore } from './segment-store.js';

export interface FinalizerOptions {
  /** Camera key in the index (the device id). */
  readonly camera: string;
  /** Folder and file name of the camera in the library. */
  readonly cameraName: string;
  readonly libraryFolder: string;
  readonly stagingDir: string;
  readonly files: FileJobService;
  readonly transcoder: TranscodeService;
  readonly store: SegmentStore;
  readonly log: Logger;
  /** A segment reached the library (absolute path). */
  readonly onFinalized: (path: string) => void;
}

/** Staging entries that are not segments: lists and half-written remux outputs. */
const TMP_SUFFIX = '.tmp.mp4';

export class Finalizer {
  private queue: Promise<void> = Promise.resolve();
  private readonly queued = new Set<string>();

  constructor(private readonly options: FinalizerOptions) {}

  /** Queues a closed staging file (by name); duplicates are ignored. */
  enqueue(name: string, status: 'partial' | 'complete'): Promise<void> {
    if (this.queued.has(name)) return this.queue;
    this.queued.add(name);
    this.queue = this.queue.then(() => this.finalize(name, status)).finally(() => this.queued.delete(name));
    return this.queue;
  }

  /**
   * Finalises everything left in staging (after a crash, a kill -9 or a recorder exit: ffmpeg
   * is gone, so every file is closed) and removes lists and temporary files.
   */
  async sweep(): Promise<void> {
    const names = await readdir(this.options.stagingDir).catch(() => [] as string[]);
    const segments: string[] = [];
    for (const name of names.sort()) {
      const path = join(this.options.stagingDir, name);
      if (name.endsWith('.csv') || name.endsWith(TMP_SUFFIX) || name.endsWith('.concat.txt')) await rm(path, { force: true });
      else if (parseStagingName(name)) segments.push(name);
      else if (name !== 'recorder.pid') await rm(path, { force: true, recursive: true });
    }
    // Queued only once the stale temporary files are gone: finalising writes new ones.
    for (const name of segments) void this.enqueue(name, 'partial');
    await this.queue;
  }

  private async finalize(name: string, status: 'partial' | 'complete'): Promise<void> {
    const { stagingDir, log } = this.options;
    const source = join(stagingDir, name);
    const tmp = join(stagingDir, `${name.slice(0, -4)}${TMP_SUFFIX}`);
    try {
      const stamp = parseStagingName(name);
      const size = await stat(source).then((s) => s.size, () => -1);
      if (size < 0) return;
      if (stamp === undefined || size === 0) {
        await this.drop(source, tmp, name, 'empty or misnamed');
        return;
      }
      const startMs = stampToMs(stamp);
      const result = await this.options.files.remux({
        inputs: [source],
        output: tmp,
        title: segmentTitle(this.options.cameraName, stamp),
        creationTime: new Date(startMs).toISOString(),
      });
      if (!result.ok) {
        await this.drop(source, tmp, name, `remux failed: ${result.stderrTail.split('\n').at(-1) ?? ''}`);
        return;
      }
      const info = await this.options.transcoder.probe({ kind: 'file', path: tmp }).catch(() => undefined);
      if (!info || !info.streams.some((s) => s.type === 'video') || !(info.durationSeconds > 0)) {
        await this.drop(source, tmp, name, 'no playable video');
        return;
      }
      const target = await this.targetPath(stamp);
      await mkdir(join(target, '..'), { recursive: true });
      await rename(tmp, target);
      await rm(source, { force: true });
      const bytes = (await stat(target)).size;
      this.options.store.add({ camera: this.options.camera, path: target, startMs, endMs: startMs + Math.round(info.durationSeconds * 1000), bytes, status });
      log.debug('segment finalised', { file: target, bytes, seconds: info.durationSeconds, status });
      this.options.onFinalized(target);
    } catch (error) {
      // Disk trouble: keep the staging file for the next sweep rather than losing it.
      log.warn('cannot finalise segment; kept in staging', { code: 'ERR_CAMERA_FINALIZE', file: name, error: errorMessage(error) });
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  private async drop(source: string, tmp: string, name: string, why: string): Promise<void> {
    this.options.log.warn('dropping an unplayable segment', { code: 'ERR_CAMERA_SEGMENT_UNPLAYABLE', file: name, reason: why });
    await rm(source, { force: true });
    await rm(tmp, { force: true });
  }

  /** The library path; a second segment in the same second gets ` (2)`. */
  private async targetPath(stamp: NonNullable<ReturnType<typeof parseStagingName>>): Promise<string> {
    for (let dup = 0; ; dup += 1) {
      const rel = segmentRelativePath(this.options.cameraName, stamp, dup);
      const path = join(this.options.libraryFolder, rel.dir, rel.file);
      const exists = await stat(path).then(() => true, () => false);
      if (!exists) return path;
    }
  }
}
