/**
 * The `wii` adapter: browse the library on the Wii Internet Channel (Opera 9 pages) and play
 * through a generated AS2 SWF over RTMP, transcoded live to Sorenson Spark + MP3 with seek and
 * pause (protocols/wii-rtmp.md). See README.md in this folder.
 */
import type { AdapterDescriptor } from '../../plugin/index.js';
import { wiiConfigSchema, wiiDeviceDefaults, wiiDeviceSchema, type WiiConfig, type WiiDeviceSettings } from './config.js';
import { createWiiAdapter } from './wii-adapter.js';

export type { WiiConfig, WiiDeviceSettings } from './config.js';

export const wiiAdapter: AdapterDescriptor<WiiConfig, WiiDeviceSettings> = {
  id: 'wii',
  displayName: 'Wii Internet Channel',
  description: 'Library pages for the Wii Internet Channel and a Flash player fed over RTMP with live FLV transcoding and seeking.',
  protocols: ['http', 'rtmp'],
  defaultPorts: { rtmp: 1935 },
  configSchema: wiiConfigSchema,
  deviceSchema: wiiDeviceSchema as AdapterDescriptor<WiiConfig, WiiDeviceSettings>['deviceSchema'],
  deviceDefaults: wiiDeviceDefaults,
  migrations: [],
  requires: { encoders: ['flv', 'libmp3lame'], muxers: ['flv'] },
  create: createWiiAdapter,
};
