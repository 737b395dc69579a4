import { strict as assert } from 'node:assert';
import type { MediaInfo } from '../../../../plugin/index.js';
import { tivoDeviceDefaults, tivoConfigSchema } from '../../../../adapters/tivo/config.js';
import { capabilitiesForTsn } from '../../../../adapters/tivo/models.js';
import { listingMime, MIME_PS, MIME_TS, planTransfer } from '../../../../adapters/tivo/transfer-plan.js';

const settings = tivoDeviceDefaults(tivoConfigSchema.parse({}));
const S2 = capabilitiesForTsn('540000000000001');
const HD = capabilitiesForTsn('652000000000001');
const TS = capabilitiesForTsn('746000000000001');
const S2DT = capabilitiesForTsn('649000000000001');

const h264mp4: MediaInfo = {
  container: 'mov,mp4,m4a,3gp,3g2,mj2',
  sizeBytes: 1_000_000,
  durationSeconds: 20,
  streams: [
    { type: 'video', index: 0, codec: 'h264', width: 640, height: 360, frameRate: 30, level: 30, bitRate: 400_000, pixelFormat: 'yuv420p', aspectRatio: '16:9' },
    { type: 'audio', index: 1, codec: 'aac', channels: 1, sampleRate: 48000, bitRate: 69_000 },
  ],
};
const compatMpg: MediaInfo = {
  container: 'mpeg',
  sizeBytes: 5_363_712,
  durationSeconds: 10.02,
  streams: [
    { type: 'video', index: 0, codec: 'mpeg2video', width: 720, height: 480, frameRate: 29.97 },
    { type: 'audio', index: 1, codec: 'ac3', channels: 2, sampleRate: 48000, bitRate: 192_000 },
  ],
};

describe('planTransfer', () => {
  it('passes a TiVo-compatible MPEG-2 PS through unchanged (transcript 22)', () => {
    const p = planTransfer({ media: compatMpg, caps: S2, settings, mime: MIME_PS });
    assert.equal(p.path, 'copy');
    assert.equal(p.header, true);
  });
  it('transcodes H.264 for a Series 2, letterboxed into 4:3 at 544x480, constant rate', () => {
    const p = planTransfer({ media: h264mp4, caps: S2, settings, mime: MIME_PS });
    assert.equal(p.path, 'transcode');
    const video = p.profile?.video;
    assert.ok(video && video !== 'none');
    assert.equal(video.codec, 'mpeg2video');
    assert.deepEqual([video.width, video.height, video.aspect, video.pad], [544, 480, '4:3', true]);
    assert.equal(video.bitrateKbps, 4096);
    assert.equal(video.maxBitrateKbps, 4096);
    assert.ok(p.profile?.extraOutputArgs?.includes('-minrate'));
    assert.equal(p.profile?.format, 'vob');
  });
  it('keeps 16:9 for the Series 2 DT (649), which pads itself', () => {
    const video = planTransfer({ media: h264mp4, caps: S2DT, settings, mime: MIME_PS }).profile?.video;
    assert.ok(video && video !== 'none');
    assert.equal(video.aspect, '16:9');
  });
  it('keeps the source size on HD units at the HD rate', () => {
    const video = planTransfer({ media: h264mp4, caps: HD, settings, mime: MIME_PS }).profile?.video;
    assert.ok(video && video !== 'none');
    assert.deepEqual([video.width, video.height, video.bitrateKbps], [640, 360, 12000]);
  });
  it('remuxes compatible H.264 into TS for a Premiere, audio to AC-3 (transcript 25)', () => {
    const p = planTransfer({ media: h264mp4, caps: TS, settings, mime: MIME_TS });
    assert.equal(p.path, 'remux');
    assert.equal(p.header, false);
    assert.deepEqual(p.profile?.video, { codec: 'copy', bitstreamFilter: 'h264_mp4toannexb' });
    assert.equal(p.profile?.audio !== 'none' && p.profile?.audio.codec, 'ac3');
    assert.equal(p.profile?.format, 'mpegts');
  });
  it('transcodes H.264 above level 4.1 or above 1080 lines even for TS units', () => {
    const high = { ...h264mp4, streams: [{ ...h264mp4.streams[0]!, level: 51, width: 3840, height: 2160 }, h264mp4.streams[1]!] };
    assert.equal(planTransfer({ media: high, caps: TS, settings, mime: MIME_TS }).path, 'transcode');
    assert.equal(listingMime(high, TS, settings), MIME_PS);
  });
  it('honours per-device overrides for bit rate, width and audio language', () => {
    const p = planTransfer({ media: h264mp4, caps: S2, settings: { ...settings, videoBitrateKbps: 6000, maxWidth: 720, audioLanguage: 'fra' }, mime: MIME_PS });
    const video = p.profile?.video;
    assert.ok(video && video !== 'none');
    assert.deepEqual([video.width, video.bitrateKbps], [720, 6000]);
    assert.equal(p.profile?.audio !== 'none' && p.profile?.audio.language, 'fra');
  });
});

describe('listingMime', () => {
  it('lists H.264 as TS only for TS-capable units', () => {
    assert.equal(listingMime(h264mp4, TS, settings), MIME_TS);
    assert.equal(listingMime(h264mp4, HD, settings), MIME_PS);
    assert.equal(listingMime(h264mp4, TS, { ...settings, allowTs: false }), MIME_PS);
    assert.equal(listingMime(undefined, TS, settings), MIME_PS);
  });
});
