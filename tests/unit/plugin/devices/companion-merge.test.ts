/**
 * Merging the Jellyfin dashboard's device table into the config file's rules: precedence, kept
 * per-adapter settings, and rows that are skipped rather than widened.
 */
import { strict as assert } from 'node:assert';
import { mergeCompanionRules } from '../../../../plugin/devices/companion-merge.js';
import { parseCompanionConfiguration, type CompanionConfiguration } from '../../../../plugin/devices/companion-table.js';
import type { DeviceRuleResolved } from '../../../../plugin/devices/rule-match.js';

const ADAPTERS = ['tivo', 'wii', 'camera'];

function table(devices: readonly Record<string, unknown>[]): CompanionConfiguration {
  return parseCompanionConfiguration({ SidecarUrl: 'http://127.0.0.1:8097', AdminUrl: '', KnownAdapters: ADAPTERS, Devices: devices }).config;
}

const configRules: readonly DeviceRuleResolved[] = [
  {
    id: 'porch-camera',
    name: 'Porch camera',
    match: { key: ['rtsp://10.0.0.9/stream'] },
    approved: true,
    adapters: { camera: { enabled: true, overrides: { rtspUrl: 'rtsp://10.0.0.9/stream' } } },
  },
  { id: 'den-tivo', name: 'Den TiVo', match: { tsn: ['652*'] }, userId: 'config-user', approved: true, adapters: { tivo: { enabled: true, overrides: { maxBitrate: 4000 } } } },
];

describe('mergeCompanionRules', () => {
  it('returns the config rules unchanged without a companion table', () => {
    const result = mergeCompanionRules(configRules, undefined, ADAPTERS);
    assert.equal(result.rules, configRules);
    assert.deepEqual(result.fromCompanion, []);
  });

  it('lets a dashboard row change a config rule’s name, user, approval and adapter switches but keep its settings', () => {
    const { rules, fromCompanion, issues } = mergeCompanionRules(
      configRules,
      table([{ Id: 'den-tivo', Name: 'Den', UserId: 'jf-user', EnabledAdapters: ['wii'], Approved: false, Match: { Cidr: [], Tsn: [] } }]),
      ADAPTERS,
    );
    assert.deepEqual(issues, []);
    assert.deepEqual(fromCompanion, ['den-tivo']);
    assert.deepEqual(rules[1], {
      id: 'den-tivo',
      name: 'Den',
      match: { tsn: ['652*'] },
      userId: 'jf-user',
      approved: false,
      adapters: {
        tivo: { enabled: false, overrides: { maxBitrate: 4000 } },
        wii: { enabled: true, overrides: {} },
        camera: { enabled: false, overrides: {} },
      },
    });
    assert.equal(rules[0], configRules[0], 'rules the table does not name are untouched');
  });

  it('keeps a config rule’s name and user when the row leaves them empty, and takes the row’s match when it has one', () => {
    const { rules } = mergeCompanionRules(configRules, table([{ Id: 'den-tivo', Match: { Cidr: ['10.0.0.5'] }, EnabledAdapters: ['tivo'] }]), ADAPTERS);
    assert.equal(rules[1]!.name, 'Den TiVo');
    assert.equal(rules[1]!.userId, 'config-user');
    assert.deepEqual(rules[1]!.match, { cidr: ['10.0.0.5'] });
  });

  it('adds rows with new ids as rules after the config rules', () => {
    const { rules, fromCompanion } = mergeCompanionRules(configRules, table([{ Id: 'kids-wii', Match: { UserAgent: 'Nintendo Wii' }, EnabledAdapters: ['wii'] }]), ADAPTERS);
    assert.deepEqual(
      rules.map((r) => r.id),
      ['porch-camera', 'den-tivo', 'kids-wii'],
    );
    assert.deepEqual(rules[2], {
      id: 'kids-wii',
      name: 'kids-wii',
      match: { userAgent: 'Nintendo Wii' },
      approved: true,
      adapters: { tivo: { enabled: false, overrides: {} }, wii: { enabled: true, overrides: {} }, camera: { enabled: false, overrides: {} } },
    });
    assert.deepEqual(fromCompanion, ['kids-wii']);
  });

  it('skips a whole row whose match cannot be applied rather than matching more devices', () => {
    const { rules, issues } = mergeCompanionRules(
      configRules,
      table([
        { Id: 'bad-range', Match: { Cidr: ['10.0.0.300/8'], UserAgent: 'Wii' }, EnabledAdapters: ['wii'] },
        { Id: 'bad-regex', Match: { UserAgent: '/([/' }, EnabledAdapters: ['wii'] },
        { Id: 'Not_Kebab', EnabledAdapters: ['wii'] },
      ]),
      ADAPTERS,
    );
    assert.equal(rules.length, configRules.length);
    assert.deepEqual(
      issues.map((i) => i.field),
      ['Devices[0].Match.Cidr', 'Devices[1].Match.UserAgent', 'Devices[2].Id'],
    );
  });

  it('reports adapters the sidecar does not have and applies the rest of the row', () => {
    const { rules, issues } = mergeCompanionRules([], table([{ Id: 'tv', Match: { Cidr: ['10.0.0.7'] }, EnabledAdapters: ['dlna', 'tivo'] }]), ADAPTERS);
    assert.deepEqual(issues, [{ field: 'Devices[0].EnabledAdapters', message: 'the sidecar has no adapter "dlna"; ignored' }]);
    assert.equal(rules[0]!.adapters['tivo']!.enabled, true);
    assert.equal(rules[0]!.adapters['dlna'], undefined);
  });
});
