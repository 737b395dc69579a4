/**
 * Reads and writes the registry's rows (write-through: the registry keeps every row in memory
 * and calls this on each change; devices are few, lookups must not cost a query per request).
 */
import type { SqlStore } from '../state/types.js';
import type { ApprovalState } from './types.js';

export interface AdapterRow {
  enabled: boolean | null;
  enabledBy: 'admin' | 'policy' | null;
  overrides: Readonly<Record<string, unknown>> | null;
  lastSeen: string | null;
}

export interface DeviceRow {
  readonly id: string;
  source: 'config' | 'recorded';
  ident: string | null;
  name: string;
  adminName: string | null;
  foundBy: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  ip: string | null;
  tsn: string | null;
  userAgent: string | null;
  key: string | null;
  announcedName: string | null;
  approval: ApprovalState | null;
  approvalBy: 'admin' | 'policy' | null;
  userId: string | null;
  userIdSet: boolean;
  readonly adapters: Map<string, AdapterRow>;
}

interface DeviceSqlRow {
  readonly [column: string]: string | number | null;
  readonly id: string;
  readonly source: string;
  readonly ident: string | null;
  readonly name: string;
  readonly admin_name: string | null;
  readonly found_by: string | null;
  readonly first_seen: string | null;
  readonly last_seen: string | null;
  readonly ip: string | null;
  readonly tsn: string | null;
  readonly user_agent: string | null;
  readonly key: string | null;
  readonly announced_name: string | null;
  readonly approval: string | null;
  readonly approval_by: string | null;
  readonly user_id: string | null;
  readonly user_id_set: number;
}

interface AdapterSqlRow {
  readonly [column: string]: string | number | null;
  readonly device_id: string;
  readonly adapter_id: string;
  readonly enabled: number | null;
  readonly enabled_by: string | null;
  readonly overrides: string | null;
  readonly last_seen: string | null;
}

function parseOverrides(text: string | null): Readonly<Record<string, unknown>> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const asApproval = (v: string | null): ApprovalState | null => (v === 'approved' || v === 'held' || v === 'refused' ? v : null);
const asBy = (v: string | null): 'admin' | 'policy' | null => (v === 'admin' || v === 'policy' ? v : null);

export class DeviceStore {
  constructor(private readonly db: SqlStore) {}

  loadAll(): DeviceRow[] {
    const devices = this.db.all<DeviceSqlRow>('SELECT * FROM devices_devices ORDER BY rowid');
    const adapters = this.db.all<AdapterSqlRow>('SELECT * FROM devices_adapters');
    const rows = new Map<string, DeviceRow>();
    for (const d of devices) {
      rows.set(d.id, {
        id: d.id,
        source: d.source === 'config' ? 'config' : 'recorded',
        ident: d.ident,
        name: d.name,
        adminName: d.admin_name,
        foundBy: d.found_by,
        firstSeen: d.first_seen,
        lastSeen: d.last_seen,
        ip: d.ip,
        tsn: d.tsn,
        userAgent: d.user_agent,
        key: d.key,
        announcedName: d.announced_name,
        approval: asApproval(d.approval),
        approvalBy: asBy(d.approval_by),
        userId: d.user_id,
        userIdSet: d.user_id_set === 1,
        adapters: new Map(),
      });
    }
    for (const a of adapters) {
      rows.get(a.device_id)?.adapters.set(a.adapter_id, {
        enabled: a.enabled === null ? null : a.enabled === 1,
        enabledBy: asBy(a.enabled_by),
        overrides: parseOverrides(a.overrides),
        lastSeen: a.last_seen,
      });
    }
    return [...rows.values()];
  }

  /** Inserts or replaces the device row and every adapter row it has, in one transaction. */
  save(row: DeviceRow): void {
    this.db.transaction(() => {
      this.db.run(
        `INSERT INTO devices_devices (id, source, ident, name, admin_name, found_by, first_seen, last_seen, ip, tsn, user_agent, key,
           announced_name, approval, approval_by, user_id, user_id_set)
         VALUES (@id, @source, @ident, @name, @admin_name, @found_by, @first_seen, @last_seen, @ip, @tsn, @user_agent, @key,
           @announced_name, @approval, @approval_by, @user_id, @user_id_set)
         ON CONFLICT(id) DO UPDATE SET source = excluded.source, ident = excluded.ident, name = excluded.name,
           admin_name = excluded.admin_name, found_by = excluded.found_by, first_seen = excluded.first_seen,
           last_seen = excluded.last_seen, ip = excluded.ip, tsn = excluded.tsn, user_agent = excluded.user_agent,
           key = excluded.key, announced_name = excluded.announced_name, approval = excluded.approval,
           approval_by = excluded.approval_by, user_id = excluded.user_id, user_id_set = excluded.user_id_set`,
        {
          id: row.id,
          source: row.source,
          ident: row.ident,
          name: row.name,
          admin_name: row.adminName,
          found_by: row.foundBy,
          first_seen: row.firstSeen,
          last_seen: row.lastSeen,
          ip: row.ip,
          tsn: row.tsn,
          user_agent: row.userAgent,
          key: row.key,
          announced_name: row.announcedName,
          approval: row.approval,
          approval_by: row.approvalBy,
          user_id: row.userId,
          user_id_set: row.userIdSet ? 1 : 0,
        },
      );
      for (const [adapterId, a] of row.adapters) {
        this.db.run(
          `INSERT INTO devices_adapters (device_id, adapter_id, enabled, enabled_by, overrides, last_seen)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(device_id, adapter_id) DO UPDATE SET enabled = excluded.enabled, enabled_by = excluded.enabled_by,
             overrides = excluded.overrides, last_seen = excluded.last_seen`,
          [row.id, adapterId, a.enabled === null ? null : a.enabled ? 1 : 0, a.enabledBy, a.overrides === null ? null : JSON.stringify(a.overrides), a.lastSeen],
        );
      }
    });
  }

  delete(deviceId: string): void {
    this.db.run('DELETE FROM devices_devices WHERE id = ?', [deviceId]);
  }
}
