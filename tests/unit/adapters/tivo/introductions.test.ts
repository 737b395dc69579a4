import { strict as assert } from 'node:assert';
import { cleanMachineName, INTRODUCTION_REPEAT_MS, TivoIntroductions } from '../../../../adapters/tivo/introductions.js';
import type { TivoDeviceSettings } from '../../../../adapters/tivo/config.js';
import type { AdapterDevices, DeviceIdentity } from '../../../../plugin/index.js';
import { silentLogger } from '../../../../plugin/log/logger.js';

function recordingDevices(): { devices: AdapterDevices<TivoDeviceSettings>; seen: DeviceIdentity[] } {
  const seen: DeviceIdentity[] = [];
  const devices: AdapterDevices<TivoDeviceSettings> = {
    resolve(identity) {
      seen.push(identity);
      return { status: 'held', deviceId: 'tivo-1', reason: 'waiting' };
    },
    listEnabled: () => [],
    onChange: () => () => undefined,
  };
  return { devices, seen };
}

describe('cleanMachineName', () => {
  it('trims, drops control characters and caps the length', () => {
    assert.equal(cleanMachineName('  Den\u0000 TiVo\r\n'), 'Den  TiVo');
    assert.equal(cleanMachineName('x'.repeat(100))?.length, 64);
  });

  it('gives nothing for an empty or missing name', () => {
    assert.equal(cleanMachineName(' \t '), undefined);
    assert.equal(cleanMachineName(undefined), undefined);
  });
});

describe('TivoIntroductions', () => {
  describe('#seen', () => {
    it('resolves the TiVo with its normalised TSN, address and announced name', () => {
      const { devices, seen } = recordingDevices();
      new TivoIntroductions(devices, () => 0, silentLogger()).seen({ ip: '10.0.0.5', tsn: 'tsn:652-0001-802a-0b1c', machine: 'Den TiVo' });
      assert.deepEqual(seen, [{ ip: '10.0.0.5', tsn: '6520001802A0B1C', announcedName: 'Den TiVo' }]);
    });

    it('ignores beacons without a usable TSN', () => {
      const { devices, seen } = recordingDevices();
      const intro = new TivoIntroductions(devices, () => 0, silentLogger());
      intro.seen({ ip: '10.0.0.5', machine: 'No TSN' });
      intro.seen({ ip: '10.0.0.5', tsn: '{not-a-tsn}', machine: 'PC' });
      assert.equal(seen.length, 0);
    });

    it('passes the same beacon on once per repeat period, and a changed name at once', () => {
      const { devices, seen } = recordingDevices();
      let now = 0;
      const intro = new TivoIntroductions(devices, () => now, silentLogger());
      const beacon = { ip: '10.0.0.5', tsn: '540000000000001', machine: 'Kitchen' };
      intro.seen(beacon);
      now += INTRODUCTION_REPEAT_MS - 1;
      intro.seen(beacon);
      assert.equal(seen.length, 1);
      intro.seen({ ...beacon, machine: 'Kitchen 2' });
      assert.equal(seen.length, 2);
      now += 1;
      intro.seen(beacon);
      assert.equal(seen.length, 3);
    });
  });
});
