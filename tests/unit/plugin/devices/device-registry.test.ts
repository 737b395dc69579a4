import { strict as assert } from 'node:assert';
import { LogSink } from '../../../../plugin/log/logger.js';
import type { DeviceRuleResolved } from '../../../../plugin/devices/rule-match.js';
import { isSidecarError } from '../../../../plugin/util/errors.js';
import { registryFixture } from './registry-fixture.js';

const livingRoom: DeviceRuleResolved = {
  id: 'living-room-tivo',
  name: 'Living room TiVo',
  match: { tsn: ['A94*'] },
  userId: 'user-rule',
  approved: true,
  adapters: { tivo: { enabled: true, overrides: { bitrateKbps: 6000 } } },
};
const camera: DeviceRuleResolved = {
  id: 'porch-camera',
  name: 'Porch camera',
  approved: true,
  adapters: { x: { enabled: true, overrides: {} } },
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isSidecarError(error) ? error.code : 'not a SidecarError';
  }
  return undefined;
}

describe('DeviceRegistry', () => {
  describe('#forAdapter().resolve with config rules', () => {
    it('allows a device matching a rule with the rule settings over the adapter defaults', () => {
      const { registry } = registryFixture({ rules: [livingRoom] });
      const result = registry.forAdapter('tivo').resolve({ ip: '::ffff:192.168.1.20', headers: { tsn: 'a9400000000abcd' } });
      assert.equal(result.status, 'allowed');
      if (result.status !== 'allowed') return;
      assert.equal(result.device.id, 'living-room-tivo');
      assert.equal(result.device.name, 'Living room TiVo');
      assert.equal(result.device.userId, 'user-rule');
      assert.equal(result.device.ip, '192.168.1.20');
      assert.equal(result.device.tsn, 'A9400000000ABCD');
      assert.deepEqual(result.device.settings, { bitrateKbps: 6000, resolution: '720x480' });
    });
    it('refuses an adapter the rule does not mention', () => {
      const { registry } = registryFixture({ rules: [livingRoom] });
      const result = registry.forAdapter('wii').resolve({ ip: '192.168.1.20', tsn: 'A9400000000ABCD' });
      assert.deepEqual(result, { status: 'refused', deviceId: 'living-room-tivo', reason: 'adapter wii is not enabled for this device', cause: 'not-enabled' });
    });
    it('holds a device matching a rule with approved: false', () => {
      const { registry } = registryFixture({ rules: [{ ...livingRoom, approved: false }] });
      assert.equal(registry.forAdapter('tivo').resolve({ ip: '10.0.0.1', tsn: 'A941' }).status, 'held');
    });
    it('recognises the rule device on a later request without its TSN from the same address', () => {
      const { registry } = registryFixture({ rules: [livingRoom] });
      registry.forAdapter('tivo').resolve({ ip: '10.0.0.9', tsn: 'A941' });
      const result = registry.forAdapter('tivo').resolve({ ip: '10.0.0.9' });
      assert.equal(result.status === 'allowed' && result.device.id, 'living-room-tivo');
    });
    it('lists configured devices that never asked (cameras) as enabled', () => {
      const { registry } = registryFixture({ rules: [livingRoom, camera] });
      assert.deepEqual(registry.forAdapter('x').listEnabled().map((d) => d.id), ['porch-camera']);
      assert.equal(registry.isEnabledAnywhere('x'), true);
      assert.equal(registry.isEnabledAnywhere('wii'), false);
    });
  });

  describe('#forAdapter().resolve with unknown devices', () => {
    it('records and holds a new device by default, with its identifying data', () => {
      const { registry } = registryFixture();
      const result = registry.forAdapter('wii').resolve({ ip: '192.168.1.30', headers: { 'user-agent': 'Opera/9.30 (Nintendo Wii)' } });
      assert.equal(result.status, 'held');
      const [device] = registry.list();
      assert.ok(device);
      assert.equal(result.status === 'held' && result.deviceId, device.id);
      assert.match(device.id, /^wii-[0-9a-f]{8}$/);
      assert.equal(device.source, 'recorded');
      assert.equal(device.foundBy, 'wii');
      assert.equal(device.ip, '192.168.1.30');
      assert.equal(device.userAgent, 'Opera/9.30 (Nintendo Wii)');
      assert.equal(device.approval, 'held');
      assert.equal(device.approvalFrom, 'policy');
      assert.equal(device.firstSeen, '2026-11-01T12:00:00.000Z');
    });
    it('keeps a held device refused on later requests until approved', () => {
      const { registry } = registryFixture();
      const tivo = registry.forAdapter('tivo');
      const first = tivo.resolve({ ip: '10.0.0.2', tsn: 'B1' });
      assert.equal(first.status, 'held');
      assert.equal(tivo.resolve({ ip: '10.0.0.2', tsn: 'B1' }).status, 'held');
      assert.equal(registry.list().length, 1);
      const id = first.status === 'held' ? first.deviceId : '';
      registry.approve(id, ['tivo']);
      assert.equal(tivo.resolve({ ip: '10.0.0.2', tsn: 'B1' }).status, 'allowed');
    });
    it('approving without enabling an adapter still refuses that adapter', () => {
      const { registry } = registryFixture();
      const first = registry.forAdapter('tivo').resolve({ ip: '10.0.0.2', tsn: 'B1' });
      const id = first.status === 'held' ? first.deviceId : '';
      registry.approve(id);
      const next = registry.forAdapter('tivo').resolve({ ip: '10.0.0.2', tsn: 'B1' });
      assert.equal(next.status, 'refused');
    });
    it('allows a new device and enables the asking adapter under the allow policy', () => {
      const { registry } = registryFixture({ policy: 'allow' });
      const result = registry.forAdapter('wii').resolve({ ip: '10.0.0.3', userAgent: 'Nintendo Wii' });
      assert.equal(result.status, 'allowed');
      assert.deepEqual(result.status === 'allowed' && result.device.settings, { resolution: '640x480' });
      const view = registry.list()[0];
      assert.equal(view?.adapters.find((a) => a.adapterId === 'wii')?.enabledFrom, 'policy');
      assert.equal(registry.forAdapter('x').resolve({ ip: '10.0.0.3' }).status, 'allowed');
    });
    it('refuses and records a new device under the refuse policy', () => {
      const { registry } = registryFixture({ policy: 'refuse' });
      const result = registry.forAdapter('x').resolve({ ip: '10.0.0.4', key: 'ws://10.0.0.4' });
      assert.equal(result.status, 'refused');
      assert.equal(registry.list()[0]?.key, 'ws://10.0.0.4');
    });
    it('upgrades an address-recognised device to its TSN when it later sends one', () => {
      const { registry } = registryFixture();
      registry.forAdapter('tivo').resolve({ ip: '10.0.0.5' });
      registry.forAdapter('tivo').resolve({ ip: '10.0.0.5', tsn: 'C7' });
      assert.equal(registry.list().length, 1);
      assert.equal(registry.list()[0]?.tsn, 'C7');
      registry.forAdapter('tivo').resolve({ ip: '10.0.0.99', tsn: 'C7' });
      assert.equal(registry.list().length, 1);
      assert.equal(registry.list()[0]?.ip, '10.0.0.99');
    });
    it('names a device first seen without a name by the name it announces later, unless the admin named it', () => {
      const { registry } = registryFixture();
      registry.forAdapter('tivo').resolve({ ip: '10.0.0.7', tsn: 'E1' });
      assert.equal(registry.list()[0]?.name, 'tivo device at 10.0.0.7');
      registry.forAdapter('tivo').resolve({ ip: '10.0.0.7', tsn: 'E1', announcedName: 'Den TiVo' });
      assert.equal(registry.list()[0]?.name, 'Den TiVo');
      const id = registry.list()[0]?.id ?? '';
      registry.rename(id, 'Bedroom');
      registry.forAdapter('tivo').resolve({ ip: '10.0.0.7', tsn: 'E1', announcedName: 'Den TiVo' });
      assert.equal(registry.list()[0]?.name, 'Bedroom');
    });
    it('keeps two TiVos behind one address apart by TSN', () => {
      const { registry } = registryFixture();
      registry.forAdapter('tivo').resolve({ ip: '10.0.0.6', tsn: 'D1' });
      registry.forAdapter('tivo').resolve({ ip: '10.0.0.6', tsn: 'D2' });
      assert.equal(registry.list().length, 2);
    });
    it('logs the identifying data of a new device once', () => {
      const lines: string[] = [];
      const sink = new LogSink({ level: 'info', write: (line) => lines.push(line) });
      const { registry } = registryFixture({ log: sink.logger() });
      registry.forAdapter('wii').resolve({ ip: '10.0.0.7', userAgent: 'Nintendo Wii' });
      registry.forAdapter('wii').resolve({ ip: '10.0.0.7', userAgent: 'Nintendo Wii' });
      const recorded = sink.recent().filter((r) => r.msg === 'new device recorded');
      assert.equal(recorded.length, 1);
      assert.equal(recorded[0]?.['userAgent'], 'Nintendo Wii');
      assert.equal(recorded[0]?.['ip'], '10.0.0.7');
    });
  });

  describe('precedence', () => {
    it('lets admin overrides win over rule overrides over adapter defaults, key by key', () => {
      const { registry } = registryFixture({ rules: [livingRoom] });
      registry.setOverrides('living-room-tivo', 'tivo', { resolution: '352x480' });
      const view = registry.get('living-room-tivo');
      const tivo = view?.adapters.find((a) => a.adapterId === 'tivo');
      assert.deepEqual(tivo?.settings, { bitrateKbps: 6000, resolution: '352x480' });
      registry.setOverrides('living-room-tivo', 'tivo', { bitrateKbps: 2000 });
      const result = registry.forAdapter('tivo').resolve({ ip: '10.0.0.8', tsn: 'A941' });
      assert.deepEqual(result.status === 'allowed' && result.device.settings, { bitrateKbps: 2000, resolution: '720x480' });
    });
    it('lets the admin disable an adapter the rule enables, and reset to the rule', () => {
      const { registry } = registryFixture({ rules: [livingRoom] });
      registry.setAdapterEnabled('living-room-tivo', 'tivo', false);
      assert.equal(registry.forAdapter('tivo').resolve({ ip: '10.0.0.8', tsn: 'A941' }).status, 'refused');
      registry.setAdapterEnabled('living-room-tivo', 'tivo', null);
      assert.equal(registry.forAdapter('tivo').resolve({ ip: '10.0.0.8', tsn: 'A941' }).status, 'allowed');
      assert.equal(registry.get('living-room-tivo')?.adapters.find((a) => a.adapterId === 'tivo')?.enabledFrom, 'config');
    });
    it('lets the admin refuse a configured device and set its user and name', () => {
      const { registry } = registryFixture({ rules: [livingRoom] });
      registry.setUserId('living-room-tivo', 'user-admin');
      registry.rename('living-room-tivo', 'Den TiVo');
      let result = registry.forAdapter('tivo').resolve({ ip: '10.0.0.8', tsn: 'A941' });
      assert.equal(result.status === 'allowed' && result.device.userId, 'user-admin');
      assert.equal(result.status === 'allowed' && result.device.name, 'Den TiVo');
      registry.refuse('living-room-tivo');
      result = registry.forAdapter('tivo').resolve({ ip: '10.0.0.8', tsn: 'A941' });
      assert.equal(result.status, 'refused');
      assert.equal(registry.get('living-room-tivo')?.approvalFrom, 'admin');
    });
    it('keeps admin changes across a restart, and config edits apply where the admin did not override', () => {
      const fixture = registryFixture({ rules: [livingRoom] });
      fixture.registry.setOverrides('living-room-tivo', 'tivo', { resolution: '352x480' });
      fixture.registry.setAdapterEnabled('living-room-tivo', 'wii', true);
      const edited: DeviceRuleResolved = { ...livingRoom, name: 'Renamed in config', adapters: { tivo: { enabled: true, overrides: { bitrateKbps: 9000 } } } };
      const restarted = fixture.reopen([edited]);
      const view = restarted.get('living-room-tivo');
      assert.equal(view?.name, 'Renamed in config');
      assert.deepEqual(view?.adapters.find((a) => a.adapterId === 'tivo')?.settings, { bitrateKbps: 9000, resolution: '352x480' });
      assert.equal(view?.adapters.find((a) => a.adapterId === 'wii')?.enabled, true);
    });
    it('keeps a recorded device and its approval across a restart', () => {
      const fixture = registryFixture();
      const first = fixture.registry.forAdapter('tivo').resolve({ ip: '10.0.0.2', tsn: 'B1' });
      fixture.registry.approve(first.status === 'held' ? first.deviceId : '', ['tivo']);
      const restarted = fixture.reopen();
      assert.equal(restarted.forAdapter('tivo').resolve({ ip: '10.0.0.2', tsn: 'B1' }).status, 'allowed');
    });
    it('marks a configured device whose rule was removed and holds it', () => {
      const fixture = registryFixture({ rules: [livingRoom] });
      fixture.registry.forAdapter('tivo').resolve({ ip: '10.0.0.8', tsn: 'A941' });
      const restarted = fixture.reopen([]);
      const view = restarted.get('living-room-tivo');
      assert.equal(view?.ruleMissing, true);
      assert.equal(view?.approval, 'held');
    });
  });

  describe('admin operations', () => {
    it('rejects invalid overrides with the issues and keeps the old ones', () => {
      const { registry } = registryFixture({ rules: [livingRoom] });
      registry.setOverrides('living-room-tivo', 'tivo', { bitrateKbps: 1 });
      assert.equal(codeOf(() => registry.setOverrides('living-room-tivo', 'tivo', { bitrateKbps: 'fast' })), 'ERR_DEVICES_INVALID_OVERRIDES');
      assert.deepEqual(registry.get('living-room-tivo')?.adapters.find((a) => a.adapterId === 'tivo')?.adminOverrides, { bitrateKbps: 1 });
    });
    it('reports unknown devices and adapters with their codes', () => {
      const { registry } = registryFixture({ rules: [livingRoom] });
      assert.equal(codeOf(() => registry.approve('nope')), 'ERR_DEVICES_NOT_FOUND');
      assert.equal(codeOf(() => registry.setAdapterEnabled('living-room-tivo', 'nope', true)), 'ERR_DEVICES_UNKNOWN_ADAPTER');
      assert.equal(codeOf(() => registry.forAdapter('nope')), 'ERR_DEVICES_UNKNOWN_ADAPTER');
      assert.equal(codeOf(() => registry.rename('living-room-tivo', '   ')), 'ERR_DEVICES_INVALID_VALUE');
    });
    it('deletes a recorded device so it is recorded afresh next time', () => {
      const { registry } = registryFixture();
      const first = registry.forAdapter('tivo').resolve({ ip: '10.0.0.2', tsn: 'B1' });
      const id = first.status === 'held' ? first.deviceId : '';
      registry.approve(id, ['tivo']);
      registry.delete(id);
      assert.equal(registry.get(id), undefined);
      assert.equal(registry.forAdapter('tivo').resolve({ ip: '10.0.0.2', tsn: 'B1' }).status, 'held');
    });
    it('resets a configured device to its rule on delete', () => {
      const { registry } = registryFixture({ rules: [livingRoom] });
      registry.refuse('living-room-tivo');
      registry.delete('living-room-tivo');
      assert.equal(registry.get('living-room-tivo')?.approval, 'approved');
      assert.equal(registry.get('living-room-tivo')?.approvalFrom, 'config');
    });
    it('tells adapter listeners about changes so they apply without a restart', () => {
      const { registry } = registryFixture({ rules: [camera] });
      const seen: string[] = [];
      const off = registry.forAdapter('x').onChange(() => seen.push(registry.forAdapter('x').listEnabled().map((d) => d.id).join(',')));
      registry.setAdapterEnabled('porch-camera', 'x', false);
      registry.setAdapterEnabled('porch-camera', 'x', true);
      off();
      registry.setAdapterEnabled('porch-camera', 'x', false);
      assert.deepEqual(seen, ['', 'porch-camera']);
    });
    it('keeps notifying other listeners when one throws', () => {
      const { registry } = registryFixture({ rules: [camera] });
      const kinds: string[] = [];
      registry.onChange(() => {
        throw new Error('boom');
      });
      registry.onChange((change) => kinds.push(change.kind));
      registry.rename('porch-camera', 'Front door');
      assert.deepEqual(kinds, ['renamed']);
    });
  });

  describe('seen data', () => {
    it('throttles last-seen writes but always keeps the latest time in memory', () => {
      const fixture = registryFixture({ rules: [livingRoom] });
      const tivo = fixture.registry.forAdapter('tivo');
      tivo.resolve({ ip: '10.0.0.8', tsn: 'A941' });
      fixture.clock.advance(1000);
      tivo.resolve({ ip: '10.0.0.8', tsn: 'A941' });
      const stored = (): unknown => fixture.db.get<{ last_seen: string }>('SELECT last_seen FROM devices_devices WHERE id = ?', ['living-room-tivo'])?.last_seen;
      assert.equal(fixture.registry.get('living-room-tivo')?.lastSeen, '2026-11-01T12:00:01.000Z');
      assert.equal(stored(), '2026-11-01T12:00:00.000Z');
      fixture.clock.advance(10_000);
      tivo.resolve({ ip: '10.0.0.8', tsn: 'A941' });
      assert.equal(stored(), '2026-11-01T12:00:11.000Z');
    });
  });
});
