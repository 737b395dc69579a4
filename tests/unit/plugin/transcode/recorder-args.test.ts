import { deepStrictEqual, strictEqual, throws } from 'node:assert/strict';
import { buildLiveArgs, buildRecorderArgs, buildRemuxArgs, concatListText, redactUrl, scrubLine, secretsOfUrl } from '../../../../plugin/transcode/recorder-args.js';
import type { RecordRequest } from '../../../../plugin/transcode/types.js';

const BASE: RecordRequest = {
  url: 'rtsp://admin:p%40ss:word@10.0.0.5:554/stream1',
  timeoutSeconds: 5,
  audio: 'copy',
  segmentSeconds: 60,
  directory: '/lib/.jellybridge-staging/Front Door/',
  filePattern: '%Y%m%d-%H%M%S.mp4',
  listFile: '/lib/.jellybridge-staging/Front Door/run-1.csv',
  title: 'Front Door',
};

const SEGMENT_TAIL = [
  '-f',
  'segment',
  '-segment_time',
  '60',
  '-segment_atclocktime',
  '1',
  '-segment_format',
  'mp4',
  '-segment_format_options',
  'movflags=+frag_keyframe+empty_moov+default_base_moof:flush_packets=1',
  '-reset_timestamps',
  '1',
  '-strftime',
  '1',
  '-segment_list',
  'file:/lib/.jellybridge-staging/Front Door/run-1.csv',
  '-segment_list_type',
  'csv',
  '-segment_list_flags',
  'live',
  'file:/lib/.jellybridge-staging/Front Door/%Y%m%d-%H%M%S.mp4',
];

describe('recorder-args', () => {
  describe('#buildRecorderArgs', () => {
    it('copies video and AAC audio over TCP with the RTSP timeout before the input', () => {
      deepStrictEqual(buildRecorderArgs(BASE), [
        '-hide_banner',
        '-nostats',
        '-loglevel',
        'info',
        '-progress',
        'pipe:2',
        '-rtsp_transport',
        'tcp',
        '-timeout',
        '5000000',
        '-i',
        BASE.url,
        '-map',
        '0:v:0',
        '-map',
        '0:a:0?',
        '-c:v',
        'copy',
        '-c:a',
        'copy',
        '-metadata',
        'title=Front Door',
        ...SEGMENT_TAIL,
      ]);
    });

    it('converts audio to AAC at the asked bit rate over UDP', () => {
      const args = buildRecorderArgs({ ...BASE, audio: 'aac', audioBitrateKbps: 32, transport: 'udp' });
      deepStrictEqual(args.slice(6, 10), ['-rtsp_transport', 'udp', '-timeout', '5000000']);
      deepStrictEqual(args.slice(args.indexOf('-c:a'), args.indexOf('-c:a') + 4), ['-c:a', 'aac', '-b:a', '32k']);
    });

    it('drops audio without mapping it', () => {
      const args = buildRecorderArgs({ ...BASE, audio: 'none' });
      strictEqual(args.includes('0:a:0?'), false);
      strictEqual(args.includes('-an'), true);
    });

    it('refuses a segment length under one second', () => {
      throws(() => buildRecorderArgs({ ...BASE, segmentSeconds: 0.5 }), RangeError);
    });
  });

  describe('#buildLiveArgs', () => {
    it('copies the video of an RTSP camera into fragmented mp4 on stdout, with the socket timeout before -i', () => {
      deepStrictEqual(buildLiveArgs({ url: BASE.url, timeoutSeconds: 5 }), [
        '-hide_banner',
        '-nostats',
        '-loglevel',
        'info',
        '-progress',
        'pipe:2',
        '-rtsp_transport',
        'tcp',
        '-timeout',
        '5000000',
        '-i',
        BASE.url,
        '-map',
        '0:v:0',
        '-c:v',
        'copy',
        '-an',
        '-f',
        'mp4',
        '-movflags',
        '+frag_keyframe+empty_moov+default_base_moof',
        '-flush_packets',
        '1',
        'pipe:1',
      ]);
    });

    it('uses the configured transport and no RTSP options for other URLs', () => {
      deepStrictEqual(buildLiveArgs({ url: 'rtsp://cam/x', transport: 'udp', timeoutSeconds: 2.5 }).slice(6, 10), ['-rtsp_transport', 'udp', '-timeout', '2500000']);
      strictEqual(buildLiveArgs({ url: 'file:/tmp/a.mp4', timeoutSeconds: 1 }).includes('-rtsp_transport'), false);
    });

    it('refuses a timeout that is not positive', () => {
      throws(() => buildLiveArgs({ url: 'rtsp://cam/x', timeoutSeconds: 0 }), RangeError);
    });
  });

  describe('#buildRemuxArgs', () => {
    it('remuxes one file to fast-start mp4 with title and creation time', () => {
      deepStrictEqual(buildRemuxArgs({ inputs: ['/s/a.mp4'], output: '/s/a.tmp.mp4', title: 'Cam 2026-11-03 14-00-00', creationTime: '2026-11-03T13:00:00.000Z' }), [
        '-hide_banner',
        '-nostdin',
        '-nostats',
        '-loglevel',
        'error',
        '-i',
        'file:/s/a.mp4',
        '-map',
        '0:v?',
        '-map',
        '0:a?',
        '-c',
        'copy',
        '-map_metadata',
        '-1',
        '-movflags',
        '+faststart',
        '-metadata',
        'title=Cam 2026-11-03 14-00-00',
        '-metadata',
        'creation_time=2026-11-03T13:00:00.000Z',
        '-f',
        'mp4',
        '-y',
        'file:/s/a.tmp.mp4',
      ]);
    });

    it('concatenates several inputs through a list file with a seek and a duration', () => {
      const args = buildRemuxArgs({ inputs: ['/a.mp4', '/b.mp4'], output: '/c.mp4', startSeconds: 1.5, durationSeconds: 90 }, '/c.mp4.concat.txt');
      deepStrictEqual(args.slice(5, 15), ['-ss', '1.5', '-f', 'concat', '-safe', '0', '-i', 'file:/c.mp4.concat.txt', '-t', '90']);
    });

    it('needs a list file for several inputs', () => {
      throws(() => buildRemuxArgs({ inputs: ['/a.mp4', '/b.mp4'], output: '/c.mp4' }), RangeError);
    });
  });

  describe('#concatListText', () => {
    it('quotes paths and escapes single quotes', () => {
      strictEqual(concatListText(["/x/it's.mp4", '/y.mp4']), "file '/x/it'\\''s.mp4'\nfile '/y.mp4'\n");
    });
  });

  describe('#scrubLine', () => {
    const secrets = secretsOfUrl(BASE.url);

    it('replaces the URL with its credential-free form', () => {
      strictEqual(scrubLine(`${BASE.url}: Server returned 401 Unauthorized`, secrets), 'rtsp://10.0.0.5:554/stream1: Server returned 401 Unauthorized');
    });

    it('removes the userinfo and the password wherever they appear', () => {
      strictEqual(scrubLine('Opening rtsp://admin:p%40ss:word@10.0.0.5/other', secrets), 'Opening rtsp://10.0.0.5/other');
      strictEqual(scrubLine('password p@ss:word rejected', secrets), 'password *** rejected');
    });

    it('leaves lines without secrets alone', () => {
      strictEqual(scrubLine('frame=1 fps=0', secrets), 'frame=1 fps=0');
    });
  });

  describe('#redactUrl', () => {
    it('drops the userinfo', () => {
      strictEqual(redactUrl('rtsp://u:p@h:554/x?y=1'), 'rtsp://h:554/x?y=1');
      strictEqual(redactUrl('rtsp://h/x'), 'rtsp://h/x');
    });
  });
});
