/**
 * The companion plugin's configuration as the sidecar reads and writes it. The fixture is the
 * contract the C# xunit tests check from the other side (plugin/jellyfin-companion/tests).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { companionDeviceJson, companionUpdate, parseCompanionConfiguration } from '../../../../plugin/devices/companion-table.js';
import { repoRoot } from '../../../support/paths.js';

const fixture = JSON.parse(readFileSync(join(repoRoot(), 'tests/fixtures/jellyfin-companion/configuration.json'), 'utf8')) as Record<string, unknown>;

describe('companion-table', () => {
  describe('parseCompanionConfiguration', () => {
    it('reads the shared fixture into devices with match criteria, user and adapters', () => {
      const { config, issues } = parseCompanionConfiguration(fixture);
      assert.deepEqual(issues, []);
      assert.equal(config.sidecarUrl, 'http://192.168.1.10:8097');
      assert.equal(config.adminUrl, 'http://127.0.0.1:8098');
      assert.deepEqual(config.knownAdapters, ['tivo', 'wii', 'rsstv', 'camera', 'dvbcss']);
      assert.deepEqual(config.devices[0], {
        id: 'living-room-tivo',
        name: 'Living room TiVo',
        match: { cidr: ['192.168.1.20/32'], tsn: ['6520001802A1B2C'] },
        userId: '4f0a1b2c3d4e5f60718293a4b5c6d7e8',
        enabledAdapters: ['tivo'],
        approved: true,
      });
      assert.deepEqual(config.devices[1]!.match, { cidr: ['192.168.1.0/24'], userAgent: 'Nintendo Wii' });
      assert.equal(config.devices[1]!.approved, false);
    });

    it('writes each device back exactly as the fixture has it', () => {
      const { config } = parseCompanionConfiguration(fixture);
      assert.deepEqual(config.devices.map(companionDeviceJson), fixture['Devices']);
    });

    it('takes the C# defaults for missing or mistyped fields and drops rows without a usable id', () => {
      const { config, issues } = parseCompanionConfiguration({
        SidecarUrl: 42,
        Devices: [{ Id: ' Den-TV ', EnabledAdapters: ['TiVo', 'tivo', 7], Approved: 'yes' }, { Name: 'no id' }, { Id: 'den-tv' }, 'junk'],
      });
      assert.equal(config.sidecarUrl, '');
      assert.deepEqual(config.knownAdapters, []);
      assert.deepEqual(config.devices, [{ id: 'den-tv', name: '', match: {}, userId: '', enabledAdapters: ['tivo'], approved: true }]);
      assert.deepEqual(issues, [
        { field: 'Devices[1].Id', message: 'missing' },
        { field: 'Devices[2].Id', message: 'duplicate id "den-tv"' },
        { field: 'Devices[3]', message: 'not an object' },
      ]);
    });

    it('refuses a body that is not an object', () => {
      assert.throws(() => parseCompanionConfiguration([]), TypeError);
      assert.throws(() => parseCompanionConfiguration('<html>'), TypeError);
    });
  });

  describe('companionUpdate', () => {
    it('publishes the adapter list and keeps devices and unknown keys untouched', () => {
      const { config } = parseCompanionConfiguration({ ...fixture, KnownAdapters: ['tivo'], FutureField: { x: 1 } });
      const { body, changed } = companionUpdate(config, { knownAdapters: ['tivo', 'wii'] });
      assert.equal(changed, true);
      assert.deepEqual(body['KnownAdapters'], ['tivo', 'wii']);
      assert.deepEqual(body['Devices'], fixture['Devices']);
      assert.deepEqual(body['FutureField'], { x: 1 });
      assert.equal(body['SidecarUrl'], 'http://192.168.1.10:8097');
    });

    it('fills the sidecar URL only while Jellyfin still has the default, and never overrides the admin URL', () => {
      const defaults = parseCompanionConfiguration({ SidecarUrl: 'http://127.0.0.1:8097', AdminUrl: 'http://admin.lan:8098', KnownAdapters: ['tivo'], Devices: [] }).config;
      const first = companionUpdate(defaults, { knownAdapters: ['tivo'], sidecarUrl: 'http://10.0.0.2:8097', adminUrl: 'http://10.0.0.2:8098' });
      assert.equal(first.changed, true);
      assert.equal(first.body['SidecarUrl'], 'http://10.0.0.2:8097');
      assert.equal(first.body['AdminUrl'], 'http://admin.lan:8098');
      const set = parseCompanionConfiguration(fixture).config;
      const second = companionUpdate(set, { knownAdapters: set.knownAdapters, sidecarUrl: 'http://10.0.0.2:8097' });
      assert.equal(second.changed, false);
      assert.equal(second.body['SidecarUrl'], 'http://192.168.1.10:8097');
    });
  });
});
