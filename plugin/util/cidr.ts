/**
 * IP address and CIDR matching for allow-lists and device rules (IPv4, IPv6, IPv4-mapped IPv6).
 * Pure: no I/O.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Strips the IPv4-mapped IPv6 prefix (`::ffff:10.0.0.1` → `10.0.0.1`) and zone ids. */
export function normalizeIp(ip: string): string {
  const noZone = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(noZone);
  return mapped?.[1] ?? noZone;
}

/**
 * Whether a host name or address (no port) names this machine's loopback: `localhost`, `::1`
 * (bracketed as in URLs and Host headers, or bare) or an IPv4 address in 127/8. A name that only
 * starts with `127.` (`127.evil.example`) is not loopback.
 */
export function isLoopbackHostname(name: string): boolean {
  const host = name.toLowerCase();
  return host === 'localhost' || host === '::1' || host === '[::1]' || (isIPv4(host) && host.startsWith('127.'));
}

function ipv4ToBigInt(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6ToBigInt(ip: string): bigint {
  let text = ip;
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail?.[1]) {
    const n = ipv4ToBigInt(v4Tail[1]);
    text = text.slice(0, -v4Tail[1].length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? 0 : 8 - headParts.length - tailParts.length;
  const parts = [...headParts, ...Array<string>(Math.max(0, fill)).fill('0'), ...tailParts];
  return parts.reduce((acc, part) => (acc << 16n) | BigInt(parseInt(part || '0', 16)), 0n);
}

export interface ParsedCidr {
  readonly family: 4 | 6;
  readonly network: bigint;
  readonly prefix: number;
  /** The prefix as a bit mask, built once. */
  readonly mask: bigint;
}

interface ParsedIp {
  readonly family: 4 | 6;
  readonly value: bigint;
}

/** An address as a number (IPv4-mapped IPv6 as IPv4); undefined when it is not an IP address. */
function parseIp(ip: string): ParsedIp | undefined {
  const addr = normalizeIp(ip);
  if (isIPv4(addr)) return { family: 4, value: ipv4ToBigInt(addr) };
  if (isIPv6(addr)) return { family: 6, value: ipv6ToBigInt(addr) };
  return undefined;
}

/** Parses `10.0.0.0/8`, `::1/128` or a bare address; undefined when invalid. */
export function parseCidr(text: string): ParsedCidr | undefined {
  const [addr = '', bits] = text.trim().split('/');
  const family = isIPv4(addr) ? 4 : isIPv6(addr) ? 6 : 0;
  if (family === 0) return undefined;
  const width = family === 4 ? 32 : 128;
  const prefix = bits === undefined ? width : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) return undefined;
  const value = family === 4 ? ipv4ToBigInt(addr) : ipv6ToBigInt(addr);
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(width - prefix);
  return { family, network: value & mask, prefix, mask };
}

/**
 * Whether `ip` is inside any of `ranges` (the address is parsed once). IPv4-mapped IPv6
 * addresses match IPv4 ranges.
 */
export function ipInAnyCidr(ip: string, ranges: readonly ParsedCidr[]): boolean {
  const addr = parseIp(ip);
  return addr !== undefined && ranges.some((r) => r.family === addr.family && (addr.value & r.mask) === r.network);
}

/** An allow-list built once from CIDR strings (invalid entries are rejected by the config schema). */
export class IpAllowList {
  private readonly ranges: readonly ParsedCidr[];
  constructor(cidrs: readonly string[]) {
    this.ranges = cidrs.map(parseCidr).filter((c): c is ParsedCidr => c !== undefined);
  }
  allows(ip: string): boolean {
    return ipInAnyCidr(ip, this.ranges);
  }
}
