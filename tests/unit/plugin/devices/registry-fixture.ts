/** Builds a real registry over an in-memory SQLite database for the device tests. */
import type { Logger } from '../../../../plugin/log/logger.js';
import { silentLogger } from '../../../../plugin/log/logger.js';
import { createDeviceRegistry, type RegistryAdapter } from '../../../../plugin/devices/device-registry.js';
import { deviceMigrations } from '../../../../plugin/devices/device-migrations.js';
import type { NewDevicePolicy } from '../../../../plugin/devices/policy.js';
import type { DeviceRegistry } from '../../../../plugin/devices/registry-types.js';
import type { DeviceRuleResolved } from '../../../../plugin/devices/rule-match.js';
import { openDatabase, type StateDatabase } from '../../../../plugin/state/db.js';
import type { Clock } from '../../../../plugin/util/clock.js';

/** A clock the test moves by hand. */
export function manualClock(start = Date.UTC(2026, 10, 1, 12, 0, 0)): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    monotonicNs: () => BigInt(now) * 1_000_000n,
    setTimeout: () => ({ cancel: () => undefined }),
    setInterval: () => ({ cancel: () => undefined }),
    sleep: () => Promise.resolve(),
    advance(ms: number) {
      now += ms;
    },
  };
}

/** An adapter whose overrides accept numbers for `bitrateKbps` and strings for `resolution`. */
export function testAdapter(id: string, deviceDefaults: Readonly<Record<string, unknown>> = {}): RegistryAdapter {
  return {
    id,
    deviceDefaults,
    validateOverrides(value) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, issues: ['(root): expected an object'] };
      const issues: string[] = [];
      for (const [key, v] of Object.entries(value)) {
        if (key === 'bitrateKbps' && typeof v !== 'number') issues.push('bitrateKbps: expected number');
        else if (key === 'resolution' && typeof v !== 'string') issues.push('resolution: expected string');
        else if (key !== 'bitrateKbps' && key !== 'resolution') issues.push(`${key}: unknown key`);
      }
      return issues.length > 0 ? { ok: false, issues } : { ok: true, value: value as Record<string, unknown> };
    },
  };
}

export interface RegistryFixture {
  readonly db: StateDatabase;
  readonly clock: ReturnType<typeof manualClock>;
  readonly registry: DeviceRegistry;
  /** A second registry over the same database (a restart). */
  reopen(rules?: readonly DeviceRuleResolved[]): DeviceRegistry;
}

export function registryFixture(options: { rules?: readonly DeviceRuleResolved[]; policy?: NewDevicePolicy; log?: Logger; db?: StateDatabase } = {}): RegistryFixture {
  const db = options.db ?? openDatabase(':memory:');
  db.migrate('devices', deviceMigrations);
  const clock = manualClock();
  const adapters = [testAdapter('tivo', { bitrateKbps: 4000, resolution: '720x480' }), testAdapter('wii', { resolution: '640x480' }), testAdapter('x')];
  const make = (rules: readonly DeviceRuleResolved[]): DeviceRegistry =>
    createDeviceRegistry({ db, rules, policy: options.policy ?? 'hold', adapters, clock, log: options.log ?? silentLogger() });
  return { db, clock, registry: make(options.rules ?? []), reopen: (rules) => make(rules ?? options.rules ?? []) };
}
