import { deepStrictEqual, strictEqual, throws } from 'node:assert/strict';
import type { MediaInfo, MediaStreamInfo } from '../../../../plugin/library/model.js';
import {
  buildFfmpegArgs,
  flattenFfmpegArgs,
  formatSeconds,
  frameRate,
  redactedFfmpegArgs,
} from '../../../../plugin/transcode/profiles.js';
import type { TranscodeProfile } from '../../../../plugin/transcode/types.js';
import { isSidecarError } from '../../../../plugin/util/errors.js';

const GLOBAL = ['-hide_banner', '-nostats', '-loglevel', 'info', '-progress', 'pipe:2'];
const FILE = { kind: 'file', path: '/media/Show S01E01.mkv' } as const;

const TIVO_PS: TranscodeProfile = {
  id: 'tivo-mpeg2-ps',
  format: 'vob',
  video: {
    codec: 'mpeg2video',
    width: 720,
    height: 480,
    pad: true,
    aspect: '4:3',
    fps: 29.97,
    gop: 15,
    bitrateKbps: 4096,
    maxBitrateKbps: 30000,
    bufferKbits: 1024,
    pixelFormat: 'yuv420p',
  },
  audio: { codec: 'ac3', bitrateKbps: 448, sampleRate: 48000, channels: 2 },
};

const TS_COPY: TranscodeProfile = {
  id: 'tivo-h264-ts',
  format: 'mpegts',
  video: { codec: 'copy', bitstreamFilter: 'h264_mp4toannexb' },
  audio: { codec: 'ac3', bitrateKbps: 448, sampleRate: 48000 },
  extraOutputArgs: ['-muxdelay', '0'],
};

const WII_FLV: TranscodeProfile = {
  id: 'wii-flv',
  format: 'flv',
  video: { codec: 'flv', width: 480, height: 272, pad: true, fps: 20, gop: 40, bitrateKbps: 700 },
  audio: { codec: 'libmp3lame', bitrateKbps: 128, sampleRate: 44100, channels: 2 },
  extraOutputArgs: ['-flvflags', 'no_duration_filesize'],
};

function audio(index: number, extra: Partial<MediaStreamInfo> = {}): MediaStreamInfo {
  return { type: 'audio', index, codec: 'aac', ...extra };
}

function media(streams: MediaStreamInfo[]): MediaInfo {
  return { container: 'matroska,webm', sizeBytes: 1, durationSeconds: 60, streams: [{ type: 'video', index: 0, codec: 'h264' }, ...streams] };
}

function expectProfileError(fn: () => unknown, pattern: RegExp): void {
  throws(fn, (err: unknown) => isSidecarError(err) && err.code === 'ERR_TRANSCODE_PROFILE' && err.kind === 'invalid-argument' && pattern.test(err.message));
}

describe('buildFfmpegArgs', () => {
  describe('golden argument lists', () => {
    it('builds the TiVo MPEG-2 program stream (720x480, 4:3, padded, NTSC rate) for the vob muxer', () => {
      deepStrictEqual(flattenFfmpegArgs(buildFfmpegArgs({ input: FILE, profile: TIVO_PS })), [
        ...GLOBAL,
        '-i',
        'file:/media/Show S01E01.mkv',
        '-map',
        '0:V:0',
        '-map',
        '0:a:0?',
        '-vf',
        "fps=30000/1001,scale=w='if(gt(dar,(4/3)),720,trunc(720*dar/(4/3)/2)*2)':h='if(gt(dar,(4/3)),trunc(480*(4/3)/dar/2)*2,480)',setsar=8/9,pad=720:480:(ow-iw)/2:(oh-ih)/2",
        '-c:v',
        'mpeg2video',
        '-pix_fmt',
        'yuv420p',
        '-b:v',
        '4096k',
        '-maxrate',
        '30000k',
        '-bufsize',
        '1024k',
        '-g',
        '15',
        '-aspect',
        '4:3',
        '-c:a',
        'ac3',
        '-b:a',
        '448k',
        '-ar',
        '48000',
        '-ac',
        '2',
        '-f',
        'vob',
        'pipe:1',
      ]);
    });

    it('copies H.264 into MPEG-TS with the Annex B filter and the muxer flags last', () => {
      deepStrictEqual(flattenFfmpegArgs(buildFfmpegArgs({ input: FILE, profile: TS_COPY })), [
        ...GLOBAL,
        '-i',
        'file:/media/Show S01E01.mkv',
        '-map',
        '0:V:0',
        '-map',
        '0:a:0?',
        '-c:v',
        'copy',
        '-bsf:v',
        'h264_mp4toannexb',
        '-c:a',
        'ac3',
        '-b:a',
        '448k',
        '-ar',
        '48000',
        '-muxdelay',
        '0',
        '-f',
        'mpegts',
        'pipe:1',
      ]);
    });

    it('builds the Wii FLV1 + MP3 44.1 kHz stream with an input-side seek and absolute timestamps', () => {
      deepStrictEqual(flattenFfmpegArgs(buildFfmpegArgs({ input: FILE, profile: WII_FLV, startSeconds: 62.5, keepTimestamps: true })), [
        ...GLOBAL,
        '-ss',
        '62.5',
        '-i',
        'file:/media/Show S01E01.mkv',
        '-map',
        '0:V:0',
        '-map',
        '0:a:0?',
        '-vf',
        "fps=20,scale=w='if(gt(dar,(30/17)),480,trunc(480*dar/(30/17)/2)*2)':h='if(gt(dar,(30/17)),trunc(272*(30/17)/dar/2)*2,272)',setsar=1/1,pad=480:272:(ow-iw)/2:(oh-ih)/2",
        '-c:v',
        'flv',
        '-b:v',
        '700k',
        '-g',
        '40',
        '-c:a',
        'libmp3lame',
        '-b:a',
        '128k',
        '-ar',
        '44100',
        '-ac',
        '2',
        '-output_ts_offset',
        '62.5',
        '-flvflags',
        'no_duration_filesize',
        '-f',
        'flv',
        'pipe:1',
      ]);
    });
  });

  describe('input side', () => {
    it('seeks without offsetting timestamps unless keepTimestamps is set', () => {
      const args = flattenFfmpegArgs(buildFfmpegArgs({ input: FILE, profile: WII_FLV, startSeconds: 10 }));
      strictEqual(args.indexOf('-ss') < args.indexOf('-i'), true);
      strictEqual(args.includes('-output_ts_offset'), false);
    });

    it('adds no seek for a zero start offset', () => {
      const args = flattenFfmpegArgs(buildFfmpegArgs({ input: FILE, profile: WII_FLV, startSeconds: 0, keepTimestamps: true }));
      strictEqual(args.includes('-ss'), false);
      strictEqual(args.includes('-output_ts_offset'), false);
    });

    it('paces realtime profiles with -re and tells ffmpeg a URL cannot seek', () => {
      const built = buildFfmpegArgs({
        input: { kind: 'url', url: 'http://127.0.0.1:8096/Videos/1/stream?ApiKey=secret', seekable: false },
        profile: { ...WII_FLV, realtime: true },
      });
      deepStrictEqual(built.inputOptions, [...GLOBAL, '-re', '-seekable', '0']);
      strictEqual(built.input, 'http://127.0.0.1:8096/Videos/1/stream?ApiKey=secret');
    });

    it('keeps a URL out of the argument list meant for logs', () => {
      const input = { kind: 'url', url: 'http://h/x?ApiKey=secret', seekable: true } as const;
      const logged = redactedFfmpegArgs(buildFfmpegArgs({ input, profile: TS_COPY }), input);
      strictEqual(logged.join(' ').includes('secret'), false);
      strictEqual(logged[logged.indexOf('-i') + 1], '<url>');
    });

    it('limits the output duration with -t', () => {
      const args = flattenFfmpegArgs(buildFfmpegArgs({ input: FILE, profile: TS_COPY, durationSeconds: 30 }));
      strictEqual(args[args.indexOf('-t') + 1], '30');
    });
  });

  describe('stream selection', () => {
    const french = { ...TIVO_PS, audio: { codec: 'ac3', language: 'fre' } };

    it('maps the first audio stream in the preferred language', () => {
      const args = flattenFfmpegArgs(
        buildFfmpegArgs({ input: FILE, profile: french, media: media([audio(1, { language: 'eng', isDefault: true }), audio(2, { language: 'FRE' })]) }),
      );
      deepStrictEqual(args.slice(args.indexOf('-map'), args.indexOf('-map') + 4), ['-map', '0:V:0', '-map', '0:2']);
    });

    it('falls back to the default audio stream when no stream has the language', () => {
      const args = flattenFfmpegArgs(
        buildFfmpegArgs({ input: FILE, profile: french, media: media([audio(1, { language: 'eng' }), audio(2, { language: 'ger', isDefault: true })]) }),
      );
      strictEqual(args[args.lastIndexOf('-map') + 1], '0:2');
    });

    it('falls back to the first audio stream when none is flagged default', () => {
      const args = flattenFfmpegArgs(buildFfmpegArgs({ input: FILE, profile: french, media: media([audio(3), audio(4)]) }));
      strictEqual(args[args.lastIndexOf('-map') + 1], '0:3');
    });

    it('maps no audio for a source without audio streams', () => {
      const args = flattenFfmpegArgs(buildFfmpegArgs({ input: FILE, profile: french, media: media([]) }));
      deepStrictEqual(args.filter((a) => a === '-map').length, 1);
    });

    it('drops video or audio for profiles that say none', () => {
      const audioOnly = flattenFfmpegArgs(buildFfmpegArgs({ input: FILE, profile: { id: 'a', format: 'mp3', video: 'none', audio: { codec: 'libmp3lame' } } }));
      strictEqual(audioOnly.includes('-vn'), true);
      strictEqual(audioOnly.includes('0:V:0'), false);
      const videoOnly = flattenFfmpegArgs(buildFfmpegArgs({ input: FILE, profile: { ...TIVO_PS, audio: 'none' } }));
      strictEqual(videoOnly.includes('-an'), true);
      strictEqual(videoOnly.includes('-c:a'), false);
    });
  });

  describe('scaling', () => {
    it('scales to a width alone keeping the pixel aspect', () => {
      const args = flattenFfmpegArgs(buildFfmpegArgs({ input: FILE, profile: { ...TIVO_PS, video: { codec: 'mpeg2video', width: 640 } } }));
      strictEqual(args[args.indexOf('-vf') + 1], 'scale=w=640:h=-2');
    });

    it('fits without padding when pad is not set', () => {
      const args = flattenFfmpegArgs(buildFfmpegArgs({ input: FILE, profile: { ...WII_FLV, video: { codec: 'flv', width: 400, height: 224 } } }));
      const filters = args[args.indexOf('-vf') + 1] ?? '';
      strictEqual(filters.includes('pad='), false);
      strictEqual(filters.endsWith('setsar=1/1'), true);
    });
  });

  describe('profile validation', () => {
    it('refuses to scale a copied video stream', () => {
      expectProfileError(() => buildFfmpegArgs({ input: FILE, profile: { ...TS_COPY, video: { codec: 'copy', width: 640, height: 480 } } }), /copy/);
    });

    it('refuses padding without both sizes, odd sizes and bad aspects', () => {
      expectProfileError(() => buildFfmpegArgs({ input: FILE, profile: { ...TIVO_PS, video: { codec: 'mpeg2video', width: 720, pad: true } } }), /pad/);
      expectProfileError(() => buildFfmpegArgs({ input: FILE, profile: { ...TIVO_PS, video: { codec: 'mpeg2video', width: 721, height: 480 } } }), /even/);
      expectProfileError(() => buildFfmpegArgs({ input: FILE, profile: { ...TIVO_PS, video: { codec: 'mpeg2video', aspect: 'wide' } } }), /aspect/);
    });

    it('refuses a format that is not a muxer name and a profile with neither stream', () => {
      expectProfileError(() => buildFfmpegArgs({ input: FILE, profile: { ...TS_COPY, format: 'mpegts pipe:1' } }), /format/);
      expectProfileError(() => buildFfmpegArgs({ input: FILE, profile: { id: 'x', format: 'nut', video: 'none', audio: 'none' } }), /video or audio/);
    });

    it('refuses negative offsets and non-positive durations', () => {
      expectProfileError(() => buildFfmpegArgs({ input: FILE, profile: TS_COPY, startSeconds: -1 }), /start/);
      expectProfileError(() => buildFfmpegArgs({ input: FILE, profile: TS_COPY, durationSeconds: 0 }), /duration/);
    });
  });
});

describe('formatSeconds', () => {
  it('writes whole seconds without a fraction and rounds to the millisecond', () => {
    deepStrictEqual([0, 60, 12.5, 0.0004, 1.23456, 1e-7, 3599.999].map(formatSeconds), ['0', '60', '12.5', '0', '1.235', '0', '3599.999']);
  });
});

describe('frameRate', () => {
  it('turns NTSC rates into exact rationals and keeps others', () => {
    deepStrictEqual([29.97, 23.976, 59.94, 25, 30, 12.5].map(frameRate), ['30000/1001', '24000/1001', '60000/1001', '25', '30', '12.5']);
  });
});
