import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { parseFfprobeJson, parseRational, probeMedia } from '../../../../plugin/transcode/probe.js';
import { SidecarError } from '../../../../plugin/util/errors.js';
import { fixturePath } from '../../../support/paths.js';

const fixture = (name: string): string => readFileSync(fixturePath('library', name), 'utf8');

describe('parseFfprobeJson', () => {
  it('maps an H.264/AAC mp4 to MediaInfo', () => {
    assert.deepEqual(parseFfprobeJson(fixture('ffprobe-h264-aac-mp4.json')), {
      container: 'mov,mp4,m4a,3gp,3g2,mj2',
      sizeBytes: 45625,
      durationSeconds: 1,
      bitRate: 365000,
      streams: [
        { type: 'video', index: 0, codec: 'h264', profile: 'High', level: 13, width: 320, height: 240, aspectRatio: '4:3', frameRate: 25, bitRate: 274896, isInterlaced: false, isDefault: true, pixelFormat: 'yuv420p' },
        { type: 'audio', index: 1, codec: 'aac', profile: 'LC', bitRate: 70280, channels: 1, sampleRate: 44100, isDefault: true },
      ],
    });
  });

  it('maps MPEG-2/AC-3 in Matroska with an NTSC frame rate', () => {
    const info = parseFfprobeJson(fixture('ffprobe-mpeg2-ac3-mkv.json'));
    assert.equal(info.container, 'matroska,webm');
    assert.equal(info.durationSeconds, 15.02);
    const [video, audio] = info.streams;
    assert.equal(video?.codec, 'mpeg2video');
    assert.equal(video?.width, 720);
    assert.equal(video?.height, 480);
    assert.equal(video?.frameRate, 29.97);
    assert.equal(video?.aspectRatio, '16:9');
    assert.equal(audio?.codec, 'ac3');
    assert.equal(audio?.channels, 2);
    assert.equal(audio?.sampleRate, 48000);
  });

  it('marks interlaced video, keeps real languages and turns cover art into a data stream', () => {
    const info = parseFfprobeJson(fixture('ffprobe-interlaced-cover-mp4.json'));
    assert.deepEqual(
      info.streams.map((s) => [s.type, s.codec, s.isInterlaced, s.language, s.level]),
      [
        ['video', 'mpeg2video', true, undefined, 8],
        ['audio', 'mp3', undefined, 'eng', undefined],
        ['data', 'mjpeg', undefined, undefined, undefined],
      ],
    );
  });

  it('accepts already parsed JSON', () => {
    const parsed = JSON.parse(fixture('ffprobe-h264-aac-mp4.json')) as unknown;
    assert.equal(parseFfprobeJson(parsed).streams.length, 2);
  });

  it('takes the longest stream duration when the format has none', () => {
    const info = parseFfprobeJson({ format: { format_name: 'mpegts' }, streams: [{ index: 0, codec_type: 'video', codec_name: 'h264', duration: '12.5' }, { index: 1, codec_type: 'audio', codec_name: 'mp2', duration: '12.7' }] });
    assert.equal(info.durationSeconds, 12.7);
    assert.equal(info.sizeBytes, 0);
  });

  it('rejects output without audio or video as ERR_PROBE_FAILED', () => {
    assert.throws(
      () => parseFfprobeJson({ format: { format_name: 'tty' }, streams: [] }),
      (e: unknown) => e instanceof SidecarError && e.code === 'ERR_PROBE_FAILED' && e.kind === 'invalid-argument',
    );
  });

  it('rejects malformed JSON and missing sections', () => {
    assert.throws(() => parseFfprobeJson('{'), /not JSON/);
    assert.throws(() => parseFfprobeJson('{}'), /no container format/);
    assert.throws(() => parseFfprobeJson(42), /no container format/);
  });
});

describe('parseRational', () => {
  it('divides numerator by denominator and ignores 0/0', () => {
    assert.equal(parseRational('30000/1001')?.toFixed(3), '29.970');
    assert.equal(parseRational('25/1'), 25);
    assert.equal(parseRational('0/0'), undefined);
    assert.equal(parseRational('N/A'), undefined);
  });
});

describe('probeMedia', () => {
  it('reports a missing ffprobe binary as ERR_PROBE_UNAVAILABLE', async () => {
    await assert.rejects(probeMedia('/nonexistent/ffprobe', { kind: 'file', path: '/tmp/x.mp4' }), (e: unknown) => e instanceof SidecarError && e.code === 'ERR_PROBE_UNAVAILABLE');
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(probeMedia('ffprobe', { kind: 'file', path: '/tmp/x.mp4' }, controller.signal), (e: unknown) => e instanceof SidecarError && e.code === 'ERR_PROBE_ABORTED' && e.kind === 'aborted');
  });
});
