/**
 * The Jellyfin library source (DESIGN.md §2 plugin/jellyfin/). The composition root builds it
 * with createJellyfinSource; the admin UI uses testJellyfinConnection.
 */
export { createJellyfinSource, testJellyfinConnection } from './jellyfin-source.js';
export type { JellyfinSourceOptions } from './jellyfin-source.js';
