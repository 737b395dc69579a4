/**
 * The `files` member of the transcode service: segment recorders and copy remuxes. Recorders
 * are not counted against the transcode slots (a copy recorder costs < 1 % of a core,
 * protocols/camera.md §5.2); `stopAll` stops whatever is still running at shutdown.
 */
import { writeFileSync } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../log/logger.js';
import type { Clock } from '../util/clock.js';
import { startFileJob } from './file-job.js';
import { SidecarError } from '../util/errors.js';
import { buildLiveArgs, buildRecorderArgs, buildRemuxArgs, concatListText, redactUrl, secretsOfUrl } from './recorder-args.js';
import type { FileJobService, LiveRequest, LiveRun, RecordingRun, RemuxResult } from './types.js';

export interface FileJobServiceOptions {
  readonly ffmpegPath: string;
  readonly clock: Clock;
  readonly log: Logger;
  readonly stopGraceMs: number;
}

export interface FileJobs extends FileJobService {
  live(request: LiveRequest): LiveRun;
  /** Stops every recorder and remux still running. */
  stopAll(): Promise<void>;
  running(): number;
}

export function createFileJobService(options: FileJobServiceOptions): FileJobs {
  const runs = new Set<RecordingRun>();
  const track = (run: RecordingRun): RecordingRun => {
    runs.add(run);
    void run.done.then(() => runs.delete(run));
    return run;
  };

  return {
    record(request) {
      const argv = buildRecorderArgs(request);
      const log = options.log.child({
        component: 'recorder',
        ...(request.label ? { adapter: request.label.adapter, ...(request.label.device === undefined ? {} : { device: request.label.device }) } : {}),
      });
      const secrets = secretsOfUrl(request.url);
      log.debug('recorder starting', { url: redactUrl(request.url), args: argv.map((a) => (a === request.url ? redactUrl(a) : a)) });
      const run = track(startFileJob({ ffmpegPath: options.ffmpegPath, argv, secrets, clock: options.clock, log, stopGraceMs: options.stopGraceMs, interactive: true }));
      const { pidFile } = request;
      const pid = run.pid();
      if (pidFile !== undefined && pid !== undefined) {
        try {
          writeFileSync(pidFile, `${pid}\n`);
        } catch (error) {
          log.warn('cannot write the recorder pid file', { error: error instanceof Error ? error.message : String(error) });
        }
        void run.done.then(() => rm(pidFile, { force: true }));
      }
      return run;
    },

    live(request) {
      const argv = buildLiveArgs(request);
      const log = options.log.child({
        component: 'live',
        ...(request.label ? { adapter: request.label.adapter, ...(request.label.device === undefined ? {} : { device: request.label.device }) } : {}),
      });
      log.debug('live view starting', { url: redactUrl(request.url) });
      const run = startFileJob({ ffmpegPath: options.ffmpegPath, argv, secrets: secretsOfUrl(request.url), clock: options.clock, log, stopGraceMs: options.stopGraceMs, interactive: true, pipeOutput: true });
      track(run);
      const { output } = run;
      if (output === null) {
        void run.stop();
        throw new SidecarError('ERR_TRANSCODE_START', 'unavailable', 'ffmpeg gave no output pipe');
      }
      return { ...run, output };
    },

    async reap(pidFile) {
      const text = await readFile(pidFile, 'utf8').catch(() => undefined);
      if (text === undefined) return false;
      await rm(pidFile, { force: true });
      const pid = Number(text.trim());
      if (!Number.isInteger(pid) || pid <= 1) return false;
      // Only a process that is really that recorder: pids are reused.
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (!cmdline.split('\0').some((arg) => arg.includes(dirname(pidFile)))) return false;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        return false;
      }
      for (let i = 0; i < 50; i += 1) {
        const alive = await stat(`/proc/${pid}`).then(() => true, () => false);
        if (!alive) break;
        await options.clock.sleep(100);
      }
      options.log.warn('killed a recorder left running by an earlier sidecar', { pid, code: 'ERR_TRANSCODE_ORPHAN' });
      return true;
    },

    async remux(request): Promise<RemuxResult> {
      if (request.signal?.aborted) return { ok: false, exitCode: null, stderrTail: 'aborted' };
      const listPath = request.inputs.length > 1 ? `${request.output}.concat.txt` : undefined;
      try {
        if (listPath !== undefined) await writeFile(listPath, concatListText(request.inputs));
        const argv = buildRemuxArgs(request, listPath);
        const run = track(
          startFileJob({ ffmpegPath: options.ffmpegPath, argv, secrets: [], clock: options.clock, log: options.log.child({ component: 'remux' }), stopGraceMs: options.stopGraceMs, interactive: false }),
        );
        const onAbort = (): void => void run.stop();
        request.signal?.addEventListener('abort', onAbort, { once: true });
        const result = await run.done;
        request.signal?.removeEventListener('abort', onAbort);
        const size = await stat(request.output).then((s) => s.size, () => 0);
        return { ok: result.exit === 'exited' && result.exitCode === 0 && size > 0, exitCode: result.exitCode, stderrTail: result.stderrTail };
      } finally {
        if (listPath !== undefined) await rm(listPath, { force: true });
      }
    },

    async stopAll() {
      await Promise.all([...runs].map((r) => r.stop()));
    },

    running: () => runs.size,
  };
}
