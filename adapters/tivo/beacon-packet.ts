/**
 * TiVo Connect discovery beacons (TCD spec 1.5.1, protocols/tivo.md §2; pyTivo `beacon.py`):
 * ASCII `name=value` lines, `tivoconnect=1` first; over TCP each beacon is preceded by its
 * 4-byte big-endian length. Pure.
 */
import { createHash } from 'node:crypto';

export interface BeaconFields {
  readonly method: 'broadcast' | 'connected';
  readonly identity: string;
  readonly machine: string;
  readonly platform: string;
  readonly services: readonly string[];
  readonly swversion?: string;
}

/** Builds the beacon text (pyTivo's field order; services comma-separated as the spec says). */
export function buildBeacon(fields: BeaconFields): string {
  const lines = [
    'tivoconnect=1',
    `method=${fields.method}`,
    `identity=${fields.identity}`,
    `machine=${fields.machine.replace(/[\r\n=]/g, ' ')}`,
    `platform=${fields.platform}`,
    `services=${fields.services.join(',')}`,
  ];
  if (fields.swversion !== undefined) lines.push(`swversion=${fields.swversion}`);
  return lines.join('\n') + '\n';
}

/** Parses a beacon; undefined when it is not one (first line must be `tivoconnect=…`). */
export function parseBeacon(text: string): Readonly<Record<string, string>> | undefined {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (!lines[0]?.toLowerCase().startsWith('tivoconnect=')) return undefined;
  const out: Record<string, string> = {};
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    out[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return out;
}

/** Length-prefixed frame for the TCP exchange. */
export function frameBeacon(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

/** Largest TCP beacon accepted (a real one is ~150 bytes). */
export const MAX_TCP_BEACON = 65_536;

/**
 * Reads one length-prefixed beacon from accumulated bytes: `need` when more bytes are needed,
 * `invalid` for an absurd length, else the text.
 */
export function unframeBeacon(data: Buffer): { readonly kind: 'need' } | { readonly kind: 'invalid' } | { readonly kind: 'beacon'; readonly text: string } {
  if (data.length < 4) return { kind: 'need' };
  const length = data.readUInt32BE(0);
  if (length === 0 || length > MAX_TCP_BEACON) return { kind: 'invalid' };
  if (data.length < 4 + length) return { kind: 'need' };
  return { kind: 'beacon', text: data.toString('utf8', 4, 4 + length) };
}

/**
 * `{uuid}` identity from the stable server id (TiVo Desktop style): the id itself when it is a
 * UUID, else a name-based UUID from its SHA-1, so it is the same on every start.
 */
export function beaconIdentity(serverId: string): string {
  let hex = serverId.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) hex = createHash('sha1').update(`jellybridge-tivo:${serverId}`).digest('hex').slice(0, 32);
  return `{${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}}`;
}

/** A beacon target `host` or `host:port` (IPv4 or name; the port defaults to `defaultPort`). */
export function parseTarget(target: string, defaultPort: number): { readonly host: string; readonly port: number } {
  const m = /^(.*):(\d{1,5})$/.exec(target);
  if (m?.[1] && !m[1].includes(':')) return { host: m[1], port: Number(m[2]) };
  return { host: target, port: defaultPort };
}
