/**
 * What adapters know about devices. The registry (plugin/devices/device-registry.ts) matches a
 * request or peer against config rules and recorded devices, applies the approval policy and
 * returns the effective per-device settings for the asking adapter. Adapters never store devices.
 */

/** How a device presented itself to an adapter. */
export interface DeviceIdentity {
  /** Remote IP address as seen on the socket (IPv4-mapped IPv6 is normalised by the registry). */
  readonly ip: string;
  /** Request headers, lower-case names. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly userAgent?: string;
  /** TiVo service number, from the `tsn` / `TiVo_TCD_ID` header or the beacon. */
  readonly tsn?: string;
  /**
   * A protocol-specific stable key when there is no better one (camera: configured RTSP URL
   * without credentials; DVB-CSS: the companion's address).
   */
  readonly key?: string;
  /** A name the device announced (beacon machine name, …), used for new records. */
  readonly announcedName?: string;
}

export type ApprovalState = 'approved' | 'held' | 'refused';

/** A device as the asking adapter sees it, with effective settings merged. */
export interface DeviceContext<Settings = Readonly<Record<string, unknown>>> {
  readonly id: string;
  readonly name: string;
  /** Library user the device browses as (Jellyfin user id); undefined = the source default. */
  readonly userId?: string;
  /** Adapter defaults ← config `adapters.<id>` ← matched rule ← device overrides. */
  readonly settings: Settings;
  readonly ip: string;
  readonly tsn?: string;
}

export type DeviceResolution<Settings = Readonly<Record<string, unknown>>> =
  | { readonly status: 'allowed'; readonly device: DeviceContext<Settings> }
  /** Known or new device waiting for approval: answer with the protocol's refusal. */
  | { readonly status: 'held'; readonly deviceId: string; readonly reason: string }
  /** Refused by policy, by the admin, or the adapter is not enabled for it (`cause` says which). */
  | { readonly status: 'refused'; readonly deviceId?: string; readonly reason: string; readonly cause?: RefusalCause };

/**
 * Why a device was refused: `not-enabled` = a known, approved device for which this adapter is
 * off (protocols answer "play failed" rather than "rejected"); `refused` = refused by the admin,
 * a rule, or the new-device policy.
 */
export type RefusalCause = 'not-enabled' | 'refused';

/** The registry as one adapter sees it (the adapter id is implied). */
export interface AdapterDevices<Settings = Readonly<Record<string, unknown>>> {
  resolve(identity: DeviceIdentity): DeviceResolution<Settings>;
  /** Devices enabled for this adapter (e.g. configured cameras), with effective settings. */
  listEnabled(): readonly DeviceContext<Settings>[];
  /** Subscribe to changes (approval, toggles, overrides); returns unsubscribe. */
  onChange(listener: () => void): () => void;
}
