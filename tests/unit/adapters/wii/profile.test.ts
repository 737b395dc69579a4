import { strict as assert } from 'node:assert';
import { wiiConfigSchema, wiiDeviceDefaults } from '../../../../adapters/wii/config.js';
import { clampPosition, wiiProfile, wiiTranscodeRequest } from '../../../../adapters/wii/profile.js';
import type { MediaInfo, MediaInput } from '../../../../plugin/index.js';
import { testItem } from '../../../support/library-fixtures.js';

const settings = wiiDeviceDefaults(wiiConfigSchema.parse({}));
const input: MediaInput = { kind: 'file', path: '/media/clip.mp4' };
const media: MediaInfo = { container: 'mp4', sizeBytes: 1000, durationSeconds: 60, streams: [{ type: 'audio', index: 0, codec: 'aac' }] };
const item = testItem('abc', 'Clip', { durationSeconds: 60 });

describe('wii profile', () => {
  describe('wiiTranscodeRequest', () => {
    const signal = new AbortController().signal;
    it('asks for the wii-flv profile from the start offset with absolute timestamps, labelled for the admin page', () => {
      const request = wiiTranscodeRequest({ adapterId: 'wii', deviceId: 'dev-1', item: { ...item, media }, input, settings, startSeconds: 12.5, signal });
      assert.deepEqual(request, {
        input,
        profile: wiiProfile(settings, { hasVideo: false, hasAudio: true }),
        startSeconds: 12.5,
        keepTimestamps: true,
        signal,
        media,
        label: { adapter: 'wii', device: 'dev-1', item: 'abc', title: 'Clip' },
      });
    });

    it('leaves out a zero start and unknown media', () => {
      const request = wiiTranscodeRequest({ adapterId: 'wii', deviceId: 'dev-1', item, input, settings, startSeconds: 0, signal });
      assert.equal('startSeconds' in request, false);
      assert.equal('media' in request, false);
      assert.deepEqual(request.profile, wiiProfile(settings, { hasVideo: true, hasAudio: true }));
    });
  });

  describe('clampPosition', () => {
    it('keeps a position half a second before the end, and 0 for garbage', () => {
      assert.equal(clampPosition(100, 60), 59.5);
      assert.equal(clampPosition(Number.NaN, 60), 0);
      assert.equal(clampPosition(-3, 60), 0);
      assert.equal(clampPosition(30, 0), 30);
    });
  });
});
