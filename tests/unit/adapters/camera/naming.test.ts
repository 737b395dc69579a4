import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { cameraFolderName, parseStagingName, segmentRelativePath, segmentTitle, stampToMs, msToStamp } from '../../../../adapters/camera/naming.js';

describe('camera naming', () => {
  describe('#cameraFolderName', () => {
    it('keeps an ordinary name', () => {
      deepStrictEqual(cameraFolderName('Front Door'), { ok: true, name: 'Front Door' });
    });

    it('replaces separators and reserved characters and drops leading dots', () => {
      deepStrictEqual(cameraFolderName('..Garage/Left: "cam"'), { ok: true, name: 'Garage Left cam' });
    });

    it('refuses names Jellyfin ignores', () => {
      for (const name of ['Sample Street', 'metadata', 'Subs', '@eaDir', 'x.trickplay', 'Minta kamera']) strictEqual(cameraFolderName(name).ok, false, name);
    });

    it('refuses a name with nothing usable', () => {
      strictEqual(cameraFolderName('///').ok, false);
    });
  });

  describe('#parseStagingName', () => {
    it('reads the strftime stamp', () => {
      deepStrictEqual(parseStagingName('20261103-140502.mp4'), { year: 2026, month: 11, day: 3, hour: 14, minute: 5, second: 2 });
    });

    it('ignores other files', () => {
      strictEqual(parseStagingName('run-1.csv'), undefined);
      strictEqual(parseStagingName('20261103-140502.tmp.mp4'), undefined);
      strictEqual(parseStagingName('20261303-140502.mp4'), undefined);
    });
  });

  describe('#segmentRelativePath', () => {
    const stamp = { year: 2026, month: 1, day: 9, hour: 7, minute: 3, second: 0 };

    it('files a segment under camera and day', () => {
      deepStrictEqual(segmentRelativePath('Front Door', stamp), { dir: 'Front Door/2026-01-09', file: 'Front Door 2026-01-09 07-03-00.mp4' });
    });

    it('numbers a second segment in the same second', () => {
      strictEqual(segmentRelativePath('Cam', stamp, 1).file, 'Cam 2026-01-09 07-03-00 (2).mp4');
    });

    it('titles the segment like its file', () => {
      strictEqual(segmentTitle('Cam', stamp), 'Cam 2026-01-09 07-03-00');
    });

    it('round-trips local time', () => {
      deepStrictEqual(msToStamp(stampToMs(stamp)), stamp);
    });
  });
});
