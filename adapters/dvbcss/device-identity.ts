/**
 * How a companion's HTTP or WebSocket request is presented to the device registry: its address
 * as the identity and key (phones have no stable id of their own) and its headers, flattened
 * (the registry reads the user agent from them).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { DeviceIdentity } from '../../plugin/index.js';

export function requestIdentity(ip: string, headers: IncomingHttpHeaders): DeviceIdentity {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { ip, key: ip, headers: flat };
}
