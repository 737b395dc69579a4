/**
 * The `rsstv` adapter: "Program My TiVo!" for Jellyfin Live TV. Friends suggest airings from
 * the guide on an invite-only page; the sidecar publishes them as an RSS 2.0 feed with RSSTV
 * elements, and reads RSSTV feeds (its own and others') to create timers without overriding
 * anything. See README.md and protocols/rsstv.md.
 */
import type { AdapterDescriptor } from '../../plugin/index.js';
import { rsstvConfigSchema, rsstvDeviceDefaults, rsstvDeviceSchema, type RsstvConfig, type RsstvDeviceSettings } from './config.js';
import { RsstvAdapter } from './rsstv-adapter.js';
import { rsstvMigrations } from './store/migrations.js';

export type { RsstvConfig, RsstvDeviceSettings } from './config.js';

/** Descriptor of the `rsstv` adapter (adapters/index.ts lists it). */
export const rsstvAdapter: AdapterDescriptor<RsstvConfig, RsstvDeviceSettings> = {
  id: 'rsstv',
  displayName: 'RSSTV to-do feeds',
  description: "Friends suggest programmes from the live TV guide; RSSTV feeds (RSS 2.0) carry them to DVRs, which schedule Jellyfin timers without overriding anything.",
  protocols: ['rss-2.0', 'rsstv'],
  defaultPorts: {},
  configSchema: rsstvConfigSchema,
  deviceSchema: rsstvDeviceSchema,
  deviceDefaults: rsstvDeviceDefaults,
  migrations: rsstvMigrations,
  requires: { encoders: [], muxers: [] },
  create: (context) => new RsstvAdapter(context),
};
