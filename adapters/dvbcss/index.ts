/**
 * The `dvbcss` adapter: the sidecar as the "TV" of DVB-CSS (ETSI TS 103 286-2, HbbTV 2
 * inter-device sync) for Jellyfin playback sessions. CSS-CII and CSS-TS over WebSocket, CSS-WC
 * over UDP and over WebSocket. See README.md and protocols/dvbcss.md.
 */
import type { AdapterDescriptor } from '../../plugin/index.js';
import { dvbcssConfigSchema, dvbcssDeviceDefaults, dvbcssDeviceSchema, type DvbcssConfig, type DvbcssDeviceSettings } from './config.js';
import { DvbcssAdapter } from './dvbcss-adapter.js';

export type { DvbcssConfig, DvbcssDeviceSettings } from './config.js';

export const dvbcssAdapter: AdapterDescriptor<DvbcssConfig, DvbcssDeviceSettings> = {
  id: 'dvbcss',
  displayName: 'DVB-CSS companion sync',
  description: 'Lets HbbTV 2 / DVB-CSS companion apps follow what a Jellyfin session plays (CII, wall clock, timeline sync).',
  protocols: ['CSS-CII', 'CSS-TS', 'CSS-WC'],
  defaultPorts: { ws: 7681, wc: 6677 },
  configSchema: dvbcssConfigSchema,
  deviceSchema: dvbcssDeviceSchema,
  deviceDefaults: dvbcssDeviceDefaults,
  migrations: [],
  requires: { encoders: [], muxers: [] },
  create: (context) => new DvbcssAdapter(context),
};
