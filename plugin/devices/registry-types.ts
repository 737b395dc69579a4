/**
 * The device registry as the core and the admin API see it (adapters see only AdapterDevices).
 */
import type { AdapterDevices, ApprovalState } from './types.js';
import type { SettingSource } from './policy.js';

/** One adapter's view of a device, for the admin UI. */
export interface DeviceAdapterView {
  readonly adapterId: string;
  readonly enabled: boolean;
  readonly enabledFrom: SettingSource;
  /** Last time this adapter resolved the device (ISO), if ever. */
  readonly lastSeen?: string;
  /** Overrides from the matching config rule. */
  readonly configOverrides: Readonly<Record<string, unknown>>;
  /** Overrides set in the admin UI/API (win over config). */
  readonly adminOverrides: Readonly<Record<string, unknown>>;
  /** Adapter defaults ← config overrides ← admin overrides. */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** A device record with every value and where it came from. */
export interface DeviceView {
  readonly id: string;
  readonly name: string;
  /** `config`: defined by a `devices[]` rule (id = rule id); `recorded`: an unknown device that asked. */
  readonly source: 'config' | 'recorded';
  /** Set when the device was defined in config but its rule is gone (admin changes are kept). */
  readonly ruleMissing?: true;
  /** The adapter that first saw it. */
  readonly foundBy?: string;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  readonly ip?: string;
  readonly tsn?: string;
  readonly userAgent?: string;
  readonly key?: string;
  readonly announcedName?: string;
  readonly approval: ApprovalState;
  readonly approvalFrom: SettingSource;
  readonly userId?: string;
  readonly userIdFrom: SettingSource;
  /** One entry per known adapter, in the registry's adapter order. */
  readonly adapters: readonly DeviceAdapterView[];
}

export type DeviceChangeKind = 'recorded' | 'approval' | 'renamed' | 'adapter-enabled' | 'user' | 'overrides' | 'deleted';

export interface DeviceChange {
  readonly kind: DeviceChangeKind;
  readonly deviceId: string;
  /** For per-adapter changes. */
  readonly adapterId?: string;
}

export interface DeviceRegistry {
  /** The registry as one adapter sees it. Throws ERR_DEVICES_UNKNOWN_ADAPTER for an unknown id. */
  forAdapter(adapterId: string): AdapterDevices;
  /** Whether any approved device has `adapterId` enabled (the app creates such adapters). */
  isEnabledAnywhere(adapterId: string): boolean;
  /** Known adapter ids, in order. */
  adapterIds(): readonly string[];
  list(): readonly DeviceView[];
  get(deviceId: string): DeviceView | undefined;
  /** Approves, optionally enabling adapters in the same change. Throws ERR_DEVICES_NOT_FOUND. */
  approve(deviceId: string, enableAdapters?: readonly string[]): DeviceView;
  refuse(deviceId: string): DeviceView;
  /** Sets the approval; `null` returns a config device to its rule's default. */
  setApproval(deviceId: string, approval: ApprovalState | null): DeviceView;
  /** `null` returns to the rule's (or the recorded) name. */
  rename(deviceId: string, name: string | null): DeviceView;
  /** `null` returns to the rule's setting (or off). */
  setAdapterEnabled(deviceId: string, adapterId: string, enabled: boolean | null): DeviceView;
  /** `null` returns to the rule's user (or the source default). */
  setUserId(deviceId: string, userId: string | null): DeviceView;
  /** Replaces the admin overrides for one adapter (validated by the adapter); `null` clears them. */
  setOverrides(deviceId: string, adapterId: string, overrides: Readonly<Record<string, unknown>> | null): DeviceView;
  /** Removes a recorded device; for a config device, forgets admin changes and seen data. */
  delete(deviceId: string): void;
  /** Every change (admin or newly recorded device); returns unsubscribe. */
  onChange(listener: (change: DeviceChange) => void): () => void;
}
