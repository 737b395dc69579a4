import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import type { LogFields, Logger } from '../../../../plugin/log/logger.js';
import { LineTail, ProgressParser, inputScrubber, isProgressLine, stderrLineHandler, type ProgressSnapshot } from '../../../../plugin/transcode/progress.js';

// A block as ffmpeg 5.1 prints it with `-progress pipe:2` (captured).
const BLOCK = [
  'frame=90',
  'fps=45.50',
  'stream_0_0_q=2.0',
  'bitrate=3087.9kbits/s',
  'total_size=1167360',
  'out_time_us=3024389',
  'out_time_ms=3024389',
  'out_time=00:00:03.024389',
  'dup_frames=0',
  'drop_frames=0',
  'speed=  38x',
];

describe('isProgressLine', () => {
  it('recognises every key of a progress block', () => {
    for (const line of [...BLOCK, 'progress=continue', 'progress=end']) strictEqual(isProgressLine(line), true, line);
  });

  it('leaves ffmpeg log lines alone', () => {
    for (const line of [
      'Input #0, mov,mp4,m4a,3gp,3g2,mj2, from \'file:a.mp4\':',
      '  Stream #0:0[0x1](und): Video: h264 (High)',
      'frame=   90 fps=0.0 q=2.0 Lsize=    1140kB time=00:00:03.02 bitrate=3087.9kbits/s speed=  38x    ',
      '[mpeg2video @ 0x55] something=odd',
      'encoder=Lavf59',
    ]) {
      strictEqual(isProgressLine(line), false, line);
    }
  });
});

describe('ProgressParser', () => {
  describe('#push', () => {
    it('returns a snapshot when the block ends', () => {
      const parser = new ProgressParser();
      for (const line of BLOCK) strictEqual(parser.push(line), undefined);
      deepStrictEqual(parser.push('progress=continue'), { outSeconds: 3.024389, totalSize: 1167360, speed: 38, fps: 45.5, frame: 90, ended: false });
    });

    it('marks the last block and keeps earlier figures for N/A values', () => {
      const parser = new ProgressParser();
      for (const line of BLOCK) parser.push(line);
      parser.push('progress=continue');
      parser.push('out_time_us=N/A');
      parser.push('total_size=N/A');
      parser.push('speed=N/A');
      deepStrictEqual(parser.push('progress=end'), { outSeconds: 3.024389, totalSize: 1167360, speed: 0, fps: 45.5, frame: 90, ended: true });
    });

    it('clamps the slightly negative start time of some streams to zero', () => {
      const parser = new ProgressParser();
      parser.push('out_time_us=-23220');
      strictEqual(parser.push('progress=continue')?.outSeconds, 0);
    });
  });
});

describe('LineTail', () => {
  it('keeps only the last lines', () => {
    const tail = new LineTail(3);
    for (const l of ['a', 'b', 'c', 'd', 'e']) tail.push(l);
    strictEqual(tail.text(), 'c\nd\ne');
  });
});

describe('stderrLineHandler', () => {
  it('feeds progress blocks to onProgress and keeps, scrubs and logs the other non-blank lines', () => {
    const tail = new LineTail(10);
    const logged: LogFields[] = [];
    const log: Logger = { debug: (_msg, fields) => void logged.push(fields ?? {}), info: () => undefined, warn: () => undefined, error: () => undefined, child: () => log };
    const snapshots: ProgressSnapshot[] = [];
    const handle = stderrLineHandler({ tail, scrub: (line) => line.replace('secret', '***'), log, onProgress: (s) => snapshots.push(s) });
    for (const line of ['Input #0 from secret', '', '   ', ...BLOCK, 'progress=continue', 'Stream mapping:']) handle(line);
    strictEqual(snapshots.length, 1);
    strictEqual(snapshots[0]?.frame, 90);
    strictEqual(tail.text(), 'Input #0 from ***\nStream mapping:');
    deepStrictEqual(logged, [{ line: 'Input #0 from ***' }, { line: 'Stream mapping:' }]);
  });
});

describe('inputScrubber', () => {
  it('replaces the input URL and cuts its credentials out of the rest', () => {
    const scrub = inputScrubber({ kind: 'url', url: 'rtsp://admin:hunter2@cam/stream?ApiKey=k3y', seekable: false });
    strictEqual(scrub("Input #0, rtsp, from 'rtsp://admin:hunter2@cam/stream?ApiKey=k3y':"), "Input #0, rtsp, from '<url>':");
    strictEqual(scrub('[rtsp @ 0x1] method DESCRIBE failed for rtsp://admin:hunter2@cam/'), '[rtsp @ 0x1] method DESCRIBE failed for rtsp://cam/');
    strictEqual(scrub('auth hunter2 refused'), 'auth *** refused');
  });
  it('leaves file inputs alone', () => {
    strictEqual(inputScrubber({ kind: 'file', path: '/media/a.mkv' })('from /media/a.mkv'), 'from /media/a.mkv');
  });
});

