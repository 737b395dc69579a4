/**
 * The one authorization form the sidecar sends (protocols/jellyfin.md §1, §3): the
 * `Authorization: MediaBrowser …` header with the API key as `Token`. Legacy forms
 * (X-Emby-Token, X-MediaBrowser-Token, api_key query, the `Emby` scheme) are off by default
 * since 12.0 and are never used. The device fields give the sidecar's socket its own session
 * identity (they are read only from this header, never from the query string).
 */
export interface ClientIdentity {
  /** Application name shown in Jellyfin's dashboard ("Jellybridge"). */
  readonly client: string;
  /** Device name shown in the dashboard. */
  readonly device: string;
  readonly deviceId: string;
  readonly version: string;
}

/** Same format as @jellyfin/sdk's getAuthorizationHeader: values URI-encoded, quoted. */
export function buildAuthorizationHeader(identity: ClientIdentity, token: string): string {
  return [
    `MediaBrowser Client="${encodeURIComponent(identity.client)}"`,
    `Device="${encodeURIComponent(identity.device)}"`,
    `DeviceId="${encodeURIComponent(identity.deviceId)}"`,
    `Version="${encodeURIComponent(identity.version)}"`,
    `Token="${encodeURIComponent(token)}"`,
  ].join(', ');
}
