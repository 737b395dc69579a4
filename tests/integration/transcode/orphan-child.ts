/**
 * Child process for the "no orphans" test: starts a paced transcode, prints the ffmpeg pid and
 * waits to be killed. Usage: orphan-child <clip> <spoolDir>
 */
import { createTranscodeService } from '../../../plugin/transcode/transcode-service.js';
import { silentLogger } from '../../../plugin/log/logger.js';
import { systemClock } from '../../../plugin/util/clock.js';
import { transcodeChildren } from './processes.js';

const [clip, spoolDir] = process.argv.slice(2);
if (clip === undefined || spoolDir === undefined) throw new Error('usage: orphan-child <clip> <spoolDir>');
const service = createTranscodeService({
  ffmpegPath: 'ffmpeg',
  ffprobePath: 'ffprobe',
  maxConcurrent: 1,
  spoolDir,
  spoolMaxBytes: 1e9,
  spoolMaxAgeMs: 60_000,
  clock: systemClock,
  log: silentLogger(),
});
const session = service.open({
  input: { kind: 'file', path: clip },
  profile: { id: 'paced', format: 'mpegts', realtime: true, video: { codec: 'mpeg2video', bitrateKbps: 2000 }, audio: { codec: 'mp2' } },
});
session.output.resume();
const poll = setInterval(() => {
  const [pid] = transcodeChildren();
  if (pid !== undefined) {
    clearInterval(poll);
    process.stdout.write(`${pid}\n`);
  }
}, 10);
// Stay alive until the parent kills us.
setInterval(() => undefined, 60_000);
