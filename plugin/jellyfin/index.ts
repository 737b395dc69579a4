/**
 * The Jellyfin library source (DESIGN.md §2 plugin/jellyfin/). The composition root builds it
 * with createJellyfinSource; the admin UI uses testJellyfinConnection.
 */
export { createJellyfinSource, testJellyfinConnection, CLIENT_NAME } from './jellyfin-source.js';
export type { JellyfinSourceOptions } from './jellyfin-source.js';
export type { BackoffPolicy } from './backoff.js';
export type { PathMapping } from './path-mapping.js';
