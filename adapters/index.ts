/**
 * The ordered adapter list (imported by plugin/main.ts and the packaging tool only). Start order
 * is this order; shutdown is the reverse.
 */
import type { AnyAdapterDescriptor } from '../plugin/app.js';
import { cameraAdapter } from './camera/index.js';
import { dvbcssAdapter } from './dvbcss/index.js';
import { rsstvAdapter } from './rsstv/index.js';
import { tivoAdapter } from './tivo/index.js';
import { wiiAdapter } from './wii/index.js';

export const adapterDescriptors: readonly AnyAdapterDescriptor[] = [tivoAdapter, wiiAdapter, rsstvAdapter, dvbcssAdapter, cameraAdapter];

/** npm packages each adapter may import besides the core entry (manifest.json, architecture test). */
export const adapterPackages: Readonly<Record<string, readonly string[]>> = {
  tivo: ['fast-xml-parser', 'multicast-dns', 'zod'],
  wii: ['zod'],
  dvbcss: ['ws', 'zod'],
  rsstv: ['fast-xml-parser', 'zod'],
  camera: ['zod'],
};
