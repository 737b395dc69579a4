/**
 * The device registry (DESIGN.md §6, issue #3): every TiVo, Wii, companion and camera is a device
 * with its own switches. Adapters ask it through `forAdapter(id).resolve(identity)`; the admin
 * API changes it; admin changes persist in SQLite and win over config rules.
 *
 * Rows live in memory (devices are few) and are written through to SQLite on every change, so a
 * resolve costs no query; "last seen" writes are throttled.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../log/logger.js';
import type { SqlStore } from '../state/types.js';
import { normalizeIp } from '../util/cidr.js';
import type { Clock } from '../util/clock.js';
import { SidecarError } from '../util/errors.js';
import { DeviceStore, type AdapterRow, type DeviceRow } from './device-store.js';
import { decide, initialApproval, mergeSettings, type NewDevicePolicy, type SettingSource } from './policy.js';
import type { DeviceAdapterView, DeviceChange, DeviceRegistry, DeviceView } from './registry-types.js';
import { compileRule, findMatchingRule, normalizeTsn, type CompiledRule, type DeviceRuleResolved } from './rule-match.js';
import type { AdapterDevices, ApprovalState, DeviceContext, DeviceIdentity, DeviceResolution } from './types.js';

/** What the registry needs of each adapter (the lead builds it from the descriptor). */
export interface RegistryAdapter {
  readonly id: string;
  /** `descriptor.deviceDefaults(globalConfig)`. */
  readonly deviceDefaults: Readonly<Record<string, unknown>>;
  /** `descriptor.deviceSchema.safeParse` as a result; used for admin overrides. */
  validateOverrides(value: unknown): { ok: true; value: Readonly<Record<string, unknown>> } | { ok: false; issues: string[] };
}

export interface DeviceRegistryOptions {
  /** Must have `deviceMigrations` applied (namespace `devices`). */
  readonly db: SqlStore;
  readonly rules: readonly DeviceRuleResolved[];
  readonly policy: NewDevicePolicy;
  readonly adapters: readonly RegistryAdapter[];
  readonly clock: Clock;
  readonly log: Logger;
  /** Minimum interval between "last seen" writes of one device (default 10 s). */
  readonly seenWriteIntervalMs?: number;
}

export { deviceMigrations } from './device-migrations.js';
export type { DeviceRegistry, DeviceView, DeviceChange } from './registry-types.js';
export type { DeviceRuleResolved } from './rule-match.js';
export type { NewDevicePolicy } from './policy.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const MAX_NAME = 100;

/** A row with nothing seen, set or approved yet. */
function blankRow(id: string, source: DeviceRow['source'], name: string): DeviceRow {
  return {
    id,
    source,
    ident: null,
    name,
    adminName: null,
    foundBy: null,
    firstSeen: null,
    lastSeen: null,
    ip: null,
    tsn: null,
    userAgent: null,
    key: null,
    announcedName: null,
    approval: null,
    approvalBy: null,
    userId: null,
    userIdSet: false,
    adapters: new Map(),
  };
}

/** Builds the registry over `options.db` (rows loaded once, then written through). */
export function createDeviceRegistry(options: DeviceRegistryOptions): DeviceRegistry {
  const { clock, log, policy } = options;
  const store = new DeviceStore(options.db);
  const seenInterval = options.seenWriteIntervalMs ?? 10_000;
  const adapters = new Map(options.adapters.map((a) => [a.id, a]));
  const rules = new Map(options.rules.map((r) => [r.id, r]));
  const compiled: readonly CompiledRule[] = options.rules.map(compileRule);
  const rows = new Map<string, DeviceRow>();
  const byIdent = new Map<string, DeviceRow>();
  const lastWrite = new Map<string, number>();
  const listeners = new Set<(change: DeviceChange) => void>();
  const adapterViews = new Map<string, AdapterDevices>();

  for (const row of store.loadAll()) {
    rows.set(row.id, row);
    if (row.ident !== null) byIdent.set(row.ident, row);
  }
  for (const rule of options.rules) {
    const existing = rows.get(rule.id);
    if (existing === undefined) rows.set(rule.id, blankRow(rule.id, 'config', rule.name));
    else if (existing.source === 'recorded') {
      // A config rule now claims this id: the rule wins, the recorded identity stays as seen data.
      log.warn('a config device rule reuses the id of a recorded device; the rule now defines it', { device: rule.id });
      existing.source = 'config';
      if (existing.ident !== null) byIdent.delete(existing.ident);
      existing.ident = null;
    }
  }

  const emit = (change: DeviceChange): void => {
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch (error) {
        log.warn('device change listener failed', { error, device: change.deviceId });
      }
    }
  };

  const save = (row: DeviceRow): void => {
    store.save(row);
    lastWrite.set(row.id, clock.now());
  };

  const ruleOf = (row: DeviceRow): DeviceRuleResolved | undefined => (row.source === 'config' ? rules.get(row.id) : undefined);

  const approvalOf = (row: DeviceRow): { value: ApprovalState; from: SettingSource } => {
    const rule = ruleOf(row);
    // A recorded device always has a stored approval (policy); a config device whose rule is gone waits.
    return decide<ApprovalState>({ value: row.approval, by: row.approvalBy }, rule && { value: rule.approved ? 'approved' : 'held' }, 'held');
  };

  const enabledOf = (row: DeviceRow, adapterId: string): { value: boolean; from: SettingSource } => {
    const a = row.adapters.get(adapterId);
    const ruleAdapter = ruleOf(row)?.adapters[adapterId];
    return decide<boolean>({ value: a?.enabled ?? null, by: a?.enabledBy ?? null }, ruleAdapter && { value: ruleAdapter.enabled }, false);
  };

  const userOf = (row: DeviceRow): { value: string | undefined; from: SettingSource } => {
    if (row.userIdSet) return { value: row.userId ?? undefined, from: 'admin' };
    const ruleUser = ruleOf(row)?.userId;
    return ruleUser !== undefined ? { value: ruleUser, from: 'config' } : { value: undefined, from: 'default' };
  };

  // The name a device announces itself (a TiVo beacon's `machine`) beats the generic name it was
  // recorded with when its first contact carried none (an HTTP request); admin and rule names win.
  const nameOf = (row: DeviceRow): string => row.adminName ?? ruleOf(row)?.name ?? row.announcedName ?? row.name;

  const settingsOf = (row: DeviceRow, adapterId: string): Readonly<Record<string, unknown>> => {
    const adapter = adapters.get(adapterId);
    return mergeSettings(adapter?.deviceDefaults ?? {}, ruleOf(row)?.adapters[adapterId]?.overrides, row.adapters.get(adapterId)?.overrides ?? undefined);
  };

  const contextOf = (row: DeviceRow, adapterId: string): DeviceContext => {
    const context: Mutable<DeviceContext> = { id: row.id, name: nameOf(row), settings: settingsOf(row, adapterId), ip: row.ip ?? '' };
    const user = userOf(row).value;
    if (user !== undefined) context.userId = user;
    if (row.tsn !== null) context.tsn = row.tsn;
    return Object.freeze(context);
  };

  const viewOf = (row: DeviceRow): DeviceView => {
    const approval = approvalOf(row);
    const user = userOf(row);
    const view: Mutable<DeviceView> = {
      id: row.id,
      name: nameOf(row),
      source: row.source,
      approval: approval.value,
      approvalFrom: approval.from,
      userIdFrom: user.from,
      adapters: [...adapters.keys()].map((adapterId): DeviceAdapterView => {
        const enabled = enabledOf(row, adapterId);
        const a = row.adapters.get(adapterId);
        const adapterView: Mutable<DeviceAdapterView> = {
          adapterId,
          enabled: enabled.value,
          enabledFrom: enabled.from,
          configOverrides: ruleOf(row)?.adapters[adapterId]?.overrides ?? {},
          adminOverrides: a?.overrides ?? {},
          settings: settingsOf(row, adapterId),
        };
        if (a?.lastSeen) adapterView.lastSeen = a.lastSeen;
        return adapterView;
      }),
    };
    if (row.source === 'config' && !rules.has(row.id)) view.ruleMissing = true;
    if (user.value !== undefined) view.userId = user.value;
    if (row.foundBy !== null) view.foundBy = row.foundBy;
    if (row.firstSeen !== null) view.firstSeen = row.firstSeen;
    if (row.lastSeen !== null) view.lastSeen = row.lastSeen;
    if (row.ip !== null) view.ip = row.ip;
    if (row.tsn !== null) view.tsn = row.tsn;
    if (row.userAgent !== null) view.userAgent = row.userAgent;
    if (row.key !== null) view.key = row.key;
    if (row.announcedName !== null) view.announcedName = row.announcedName;
    return view;
  };

  const requireRow = (deviceId: string): DeviceRow => {
    const row = rows.get(deviceId);
    if (!row) throw new SidecarError('ERR_DEVICES_NOT_FOUND', 'not-found', `no device with id "${deviceId}"`);
    return row;
  };

  const requireAdapter = (adapterId: string): RegistryAdapter => {
    const adapter = adapters.get(adapterId);
    if (!adapter) throw new SidecarError('ERR_DEVICES_UNKNOWN_ADAPTER', 'invalid-argument', `unknown adapter "${adapterId}" (known: ${[...adapters.keys()].join(', ') || 'none'})`);
    return adapter;
  };

  const adapterRow = (row: DeviceRow, adapterId: string): AdapterRow => {
    let a = row.adapters.get(adapterId);
    if (!a) {
      a = { enabled: null, enabledBy: null, overrides: null, lastSeen: null };
      row.adapters.set(adapterId, a);
    }
    return a;
  };

  /** Finds a recorded (or previously seen) device for an identity no rule matched. */
  const findKnown = (adapterId: string, ip: string, tsn: string | undefined, key: string | undefined): DeviceRow | undefined => {
    if (tsn !== undefined) {
      const hit = byIdent.get(`tsn:${tsn}`);
      if (hit) return hit;
    }
    if (key !== undefined) {
      const hit = byIdent.get(`key:${key}`);
      if (hit) return hit;
    }
    const ipIdent = `ip:${ip}`;
    const askedHere = (r: DeviceRow): boolean => (r.adapters.get(adapterId)?.lastSeen ?? null) !== null;
    if (tsn !== undefined || key !== undefined) {
      // The same device asked this adapter before without its TSN/key: upgrade how it is recognised.
      const candidate = byIdent.get(ipIdent);
      if (candidate && candidate.source === 'recorded' && candidate.tsn === null && candidate.key === null && askedHere(candidate)) {
        byIdent.delete(ipIdent);
        candidate.ident = tsn !== undefined ? `tsn:${tsn}` : `key:${key ?? ''}`;
        byIdent.set(candidate.ident, candidate);
        return candidate;
      }
      return undefined;
    }
    // No TSN/key on this request: the device that last asked this adapter from this address.
    const sameAddress = [...rows.values()].filter((r) => (r.ident === ipIdent || r.ip === ip) && askedHere(r));
    sameAddress.sort((a, b) => Number(b.ident === ipIdent) - Number(a.ident === ipIdent) || (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
    return sameAddress[0] ?? byIdent.get(ipIdent);
  };

  const record = (adapterId: string, identity: DeviceIdentity, ip: string, tsn: string | undefined, key: string | undefined): DeviceRow => {
    const ident = tsn !== undefined ? `tsn:${tsn}` : key !== undefined ? `key:${key}` : `ip:${ip}`;
    const base = `${adapterId}-${createHash('sha256').update(ident).digest('hex').slice(0, 8)}`;
    let id = base;
    for (let n = 2; rows.has(id); n++) id = `${base}-${n}`;
    const approval = initialApproval(policy);
    const row: DeviceRow = {
      ...blankRow(id, 'recorded', (identity.announcedName?.trim() || `${adapterId} device at ${ip}`).slice(0, MAX_NAME)),
      ident,
      foundBy: adapterId,
      ip,
      tsn: tsn ?? null,
      key: key ?? null,
      approval,
      approvalBy: 'policy',
    };
    if (policy === 'allow') row.adapters.set(adapterId, { enabled: true, enabledBy: 'policy', overrides: null, lastSeen: null });
    rows.set(id, row);
    byIdent.set(ident, row);
    return row;
  };

  const resolve = (adapterId: string, identity: DeviceIdentity): DeviceResolution => {
    const ip = normalizeIp(identity.ip);
    const rawTsn = identity.tsn ?? identity.headers?.['tsn'] ?? identity.headers?.['tivo_tcd_id'];
    const tsn = rawTsn !== undefined && rawTsn.trim() !== '' ? normalizeTsn(rawTsn) : undefined;
    const key = identity.key !== undefined && identity.key !== '' ? identity.key : undefined;
    const userAgent = identity.userAgent ?? identity.headers?.['user-agent'];
    const normalized: Mutable<DeviceIdentity> = { ...identity, ip };
    if (tsn !== undefined) normalized.tsn = tsn;
    if (userAgent !== undefined) normalized.userAgent = userAgent;

    const rule = findMatchingRule(compiled, normalized);
    let row = rule ? rows.get(rule.id) : findKnown(adapterId, ip, tsn, key);
    const isNew = row === undefined;
    row ??= record(adapterId, identity, ip, tsn, key);

    // Seen data: always in memory, written at most every `seenInterval` unless something identifying changed.
    const now = clock.now();
    const at = new Date(now).toISOString();
    const announced = identity.announcedName?.trim();
    const changed =
      row.ip !== ip ||
      (userAgent !== undefined && row.userAgent !== userAgent) ||
      (tsn !== undefined && row.tsn !== tsn) ||
      (key !== undefined && row.key !== key) ||
      (announced !== undefined && announced !== '' && row.announcedName !== announced) ||
      row.foundBy === null ||
      (row.adapters.get(adapterId)?.lastSeen ?? null) === null;
    row.ip = ip;
    if (userAgent !== undefined) row.userAgent = userAgent.slice(0, 500);
    if (tsn !== undefined) row.tsn = tsn;
    if (key !== undefined) row.key = key;
    if (announced) row.announcedName = announced.slice(0, MAX_NAME);
    row.foundBy ??= adapterId;
    row.firstSeen ??= at;
    row.lastSeen = at;
    const seenAdapter = adapterRow(row, adapterId);
    seenAdapter.lastSeen = at;

    const approval = approvalOf(row).value;
    // `allow` lets a recorded device use any adapter it asks, until the admin says otherwise.
    if (approval === 'approved' && policy === 'allow' && row.source === 'recorded' && seenAdapter.enabled === null) {
      seenAdapter.enabled = true;
      seenAdapter.enabledBy = 'policy';
    }
    if (isNew || changed || now - (lastWrite.get(row.id) ?? 0) >= seenInterval) save(row);

    if (isNew) {
      // Logged with its identifying data so the admin can write a rule for it (jellyfin-plugin-dlna#31).
      log.info('new device recorded', { device: row.id, adapter: adapterId, ip, tsn, userAgent, key, approval });
      emit({ kind: 'recorded', deviceId: row.id, adapterId });
    }
    if (approval === 'held') return { status: 'held', deviceId: row.id, reason: 'device is waiting for approval in the admin UI' };
    if (approval === 'refused') return { status: 'refused', deviceId: row.id, reason: 'device refused', cause: 'refused' };
    if (!enabledOf(row, adapterId).value) return { status: 'refused', deviceId: row.id, reason: `adapter ${adapterId} is not enabled for this device`, cause: 'not-enabled' };
    return { status: 'allowed', device: contextOf(row, adapterId) };
  };

  const isAllowedFor = (row: DeviceRow, adapterId: string): boolean => approvalOf(row).value === 'approved' && enabledOf(row, adapterId).value;

  const change = (row: DeviceRow, event: DeviceChange): DeviceView => {
    save(row);
    emit(event);
    return viewOf(row);
  };

  const registry: DeviceRegistry = {
    forAdapter(adapterId) {
      requireAdapter(adapterId);
      let view = adapterViews.get(adapterId);
      if (!view) {
        view = {
          resolve: (identity) => resolve(adapterId, identity),
          listEnabled: () => [...rows.values()].filter((r) => isAllowedFor(r, adapterId)).map((r) => contextOf(r, adapterId)),
          onChange: (listener) => registry.onChange(() => listener()),
        };
        adapterViews.set(adapterId, view);
      }
      return view;
    },
    isEnabledAnywhere: (adapterId) => [...rows.values()].some((r) => isAllowedFor(r, adapterId)),
    adapterIds: () => [...adapters.keys()],
    list: () => [...rows.values()].map(viewOf),
    get: (deviceId) => {
      const row = rows.get(deviceId);
      return row && viewOf(row);
    },
    approve(deviceId, enableAdapters = []) {
      const row = requireRow(deviceId);
      for (const adapterId of enableAdapters) requireAdapter(adapterId);
      row.approval = 'approved';
      row.approvalBy = 'admin';
      for (const adapterId of enableAdapters) {
        const a = adapterRow(row, adapterId);
        a.enabled = true;
        a.enabledBy = 'admin';
      }
      log.info('device approved', { device: deviceId, enabled: enableAdapters });
      return change(row, { kind: 'approval', deviceId });
    },
    refuse(deviceId) {
      return registry.setApproval(deviceId, 'refused');
    },
    setApproval(deviceId, approval) {
      const row = requireRow(deviceId);
      if (approval === null && row.source === 'recorded') {
        row.approval = initialApproval(policy);
        row.approvalBy = 'policy';
      } else {
        row.approval = approval;
        row.approvalBy = approval === null ? null : 'admin';
      }
      log.info('device approval changed', { device: deviceId, approval: approvalOf(row).value });
      return change(row, { kind: 'approval', deviceId });
    },
    rename(deviceId, name) {
      const row = requireRow(deviceId);
      const trimmed = name?.trim();
      if (trimmed !== undefined && (trimmed === '' || trimmed.length > MAX_NAME)) {
        throw new SidecarError('ERR_DEVICES_INVALID_VALUE', 'invalid-argument', `name: expected 1 to ${MAX_NAME} characters`);
      }
      row.adminName = trimmed ?? null;
      return change(row, { kind: 'renamed', deviceId });
    },
    setAdapterEnabled(deviceId, adapterId, enabled) {
      const row = requireRow(deviceId);
      requireAdapter(adapterId);
      const a = adapterRow(row, adapterId);
      a.enabled = enabled;
      a.enabledBy = enabled === null ? null : 'admin';
      log.info('device adapter toggled', { device: deviceId, adapter: adapterId, enabled: enabledOf(row, adapterId).value });
      return change(row, { kind: 'adapter-enabled', deviceId, adapterId });
    },
    setUserId(deviceId, userId) {
      const row = requireRow(deviceId);
      if (userId !== null && (userId.trim() === '' || userId.length > 200)) {
        throw new SidecarError('ERR_DEVICES_INVALID_VALUE', 'invalid-argument', 'userId: expected a user id or null');
      }
      row.userId = userId === null ? null : userId.trim();
      row.userIdSet = userId !== null;
      return change(row, { kind: 'user', deviceId });
    },
    setOverrides(deviceId, adapterId, overrides) {
      const row = requireRow(deviceId);
      const adapter = requireAdapter(adapterId);
      let value: Readonly<Record<string, unknown>> | null = null;
      if (overrides !== null) {
        const result = adapter.validateOverrides(overrides);
        if (!result.ok) {
          throw new SidecarError('ERR_DEVICES_INVALID_OVERRIDES', 'invalid-argument', `overrides for ${adapterId}: ${result.issues.join('; ')}`, {
            detail: { issues: result.issues },
          });
        }
        value = Object.keys(result.value).length === 0 ? null : result.value;
      }
      adapterRow(row, adapterId).overrides = value;
      return change(row, { kind: 'overrides', deviceId, adapterId });
    },
    delete(deviceId) {
      const row = requireRow(deviceId);
      store.delete(deviceId);
      lastWrite.delete(deviceId);
      if (row.ident !== null) byIdent.delete(row.ident);
      const rule = rules.get(deviceId);
      if (row.source === 'config' && rule) rows.set(deviceId, blankRow(rule.id, 'config', rule.name));
      else rows.delete(deviceId);
      log.info('device deleted', { device: deviceId });
      emit({ kind: 'deleted', deviceId });
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return registry;
}
