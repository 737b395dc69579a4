/**
 * Config device rules and how a device identity is matched against them (pure, no I/O).
 *
 * A rule matches when every criterion it names matches (AND); inside one criterion any entry
 * suffices (any CIDR, any TSN, any key, any one header). A rule naming no criterion matches no
 * request: such rules describe devices the sidecar reaches out to (cameras), listed through
 * `AdapterDevices.listEnabled()`. To match everything, write `cidr: ["0.0.0.0/0", "::/0"]`.
 */
import { ipInAnyCidr, parseCidr, type ParsedCidr } from '../util/cidr.js';
import type { DeviceIdentity } from './types.js';

/** `devices[].match` as the config schema produces it. */
export interface DeviceMatchSpec {
  readonly cidr?: readonly string[] | undefined;
  /** Substring (case-insensitive), or a regular expression written as `/…/flags`. */
  readonly userAgent?: string | undefined;
  /** Header name → substring or `/regex/`; any one header matching suffices. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** TiVo service numbers: exact, or a prefix ending in `*` (case-insensitive). */
  readonly tsn?: readonly string[] | undefined;
  /** Protocol keys (camera RTSP URL without credentials, companion address), exact. */
  readonly key?: readonly string[] | undefined;
}

/** Per-adapter part of a rule after the config loader validated it with the adapter's schema. */
export interface RuleAdapterSettings {
  /** False when the rule does not mention the adapter. */
  readonly enabled: boolean;
  readonly overrides: Readonly<Record<string, unknown>>;
}

/**
 * A `devices[]` config rule with its `adapters.<id>` sections validated (the config loader's
 * `ResolvedDeviceRule` is assignable to it).
 */
export interface DeviceRuleResolved {
  /** kebab-case; the device id of every device the rule matches. */
  readonly id: string;
  readonly name: string;
  readonly match?: DeviceMatchSpec | undefined;
  readonly userId?: string | undefined;
  /** Devices matching the rule are approved without asking (default true). */
  readonly approved: boolean;
  readonly adapters: Readonly<Record<string, RuleAdapterSettings>>;
}

/** A rule with its patterns compiled once. */
export interface CompiledRule {
  readonly rule: DeviceRuleResolved;
  readonly test: (identity: DeviceIdentity) => boolean;
}

/** Trims and upper-cases a TiVo service number so header and beacon spellings compare equal. */
export function normalizeTsn(tsn: string): string {
  return tsn.trim().replace(/-/g, '').toUpperCase();
}

/** `/…/flags` → RegExp; anything else → case-insensitive substring test. */
export function compileTextPattern(pattern: string): (value: string) => boolean {
  const re = /^\/(.*)\/([dgimsuvy]*)$/s.exec(pattern);
  if (re) {
    // The global/sticky flags make `test` stateful; drop them.
    const regex = new RegExp(re[1] ?? '', (re[2] ?? '').replace(/[gy]/g, ''));
    return (value) => regex.test(value);
  }
  const needle = pattern.toLowerCase();
  return (value) => value.toLowerCase().includes(needle);
}

/** Parses a rule CIDR; an IPv4-mapped IPv6 range (`::ffff:10.0.0.0/104`) becomes its IPv4 range. */
export function parseRuleCidr(text: string): ParsedCidr | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)(?:\/(\d{1,3}))?$/i.exec(text.trim());
  if (mapped?.[1]) {
    const bits = mapped[2] === undefined ? 128 : Number(mapped[2]);
    if (bits >= 96) return parseCidr(`${mapped[1]}/${bits - 96}`);
  }
  return parseCidr(text);
}

/** A TSN pattern, normalised once: exact, or a prefix when it ends in `*`. Takes a normalised TSN. */
function compileTsnPattern(pattern: string): (tsn: string) => boolean {
  const p = normalizeTsn(pattern);
  if (!p.endsWith('*')) return (tsn) => tsn === p;
  const prefix = p.slice(0, -1);
  return (tsn) => tsn.startsWith(prefix);
}

function userAgentOf(identity: DeviceIdentity): string | undefined {
  return identity.userAgent ?? identity.headers?.['user-agent'];
}

/** Compiles one rule's match into a predicate. */
export function compileRule(rule: DeviceRuleResolved): CompiledRule {
  const match = rule.match;
  const tests: ((identity: DeviceIdentity) => boolean)[] = [];
  if (match?.cidr !== undefined) {
    const ranges = match.cidr.map(parseRuleCidr).filter((c): c is ParsedCidr => c !== undefined);
    tests.push((identity) => ipInAnyCidr(identity.ip, ranges));
  }
  if (match?.userAgent !== undefined) {
    const test = compileTextPattern(match.userAgent);
    tests.push((identity) => {
      const ua = userAgentOf(identity);
      return ua !== undefined && test(ua);
    });
  }
  if (match?.headers !== undefined) {
    const headerTests = Object.entries(match.headers).map(([name, pattern]) => ({ name: name.toLowerCase(), test: compileTextPattern(pattern) }));
    tests.push((identity) =>
      headerTests.some(({ name, test }) => {
        const value = name === 'user-agent' ? userAgentOf(identity) : identity.headers?.[name];
        return value !== undefined && test(value);
      }),
    );
  }
  if (match?.tsn !== undefined) {
    const patterns = match.tsn.map(compileTsnPattern);
    tests.push((identity) => {
      if (identity.tsn === undefined) return false;
      const tsn = normalizeTsn(identity.tsn);
      return patterns.some((p) => p(tsn));
    });
  }
  if (match?.key !== undefined) {
    const keys = new Set(match.key);
    tests.push((identity) => identity.key !== undefined && keys.has(identity.key));
  }
  // No criterion: the rule describes a device that never asks (see the file comment).
  if (tests.length === 0) return { rule, test: () => false };
  return { rule, test: (identity) => tests.every((t) => t(identity)) };
}

/** The first rule (config order) matching the identity, like the DLNA plugin's profiles. */
export function findMatchingRule(rules: readonly CompiledRule[], identity: DeviceIdentity): DeviceRuleResolved | undefined {
  return rules.find((r) => r.test(identity))?.rule;
}
