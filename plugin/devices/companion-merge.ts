/**
 * Merges the Jellyfin companion plugin's device table into the config file's device rules (pure).
 *
 * Precedence, highest first (docs/design/companion-plugin.md):
 *   1. the sidecar's admin UI/API choices (SQLite; applied by the registry over any rule),
 *   2. the Jellyfin dashboard's device table (companion plugin configuration),
 *   3. the sidecar's config file `devices[]`,
 *   4. adapter defaults and the new-device policy.
 * A companion row with the id of a config rule changes that rule: its name, user and approval
 * when set, its match when it names any criterion, and which adapters are enabled (listed =
 * on, not listed = off, for every adapter the sidecar has); the rule's per-adapter settings
 * (camera RTSP URL, RSSTV feeds, …) stay, since the table does not carry them. Other rows become
 * new rules after the config rules (rules are tried in order). A row that cannot be applied
 * safely is skipped whole and reported: dropping one criterion of a match would widen it.
 */
import type { CompanionConfiguration, CompanionDevice, CompanionIssue } from './companion-table.js';
import { compileTextPattern, parseRuleCidr, type DeviceMatchSpec, type DeviceRuleResolved, type RuleAdapterSettings } from './rule-match.js';

export interface CompanionMergeResult {
  readonly rules: readonly DeviceRuleResolved[];
  readonly issues: readonly CompanionIssue[];
  /** Ids of the rules the companion table added or changed. */
  readonly fromCompanion: readonly string[];
}

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function hasCriterion(match: DeviceMatchSpec): boolean {
  return (match.cidr?.length ?? 0) > 0 || match.userAgent !== undefined || (match.tsn?.length ?? 0) > 0 || (match.key?.length ?? 0) > 0;
}

/** Problems that make a row unsafe to apply (empty = fine). */
function rowProblems(device: CompanionDevice, at: string): CompanionIssue[] {
  const problems: CompanionIssue[] = [];
  if (!KEBAB.test(device.id)) problems.push({ field: `${at}.Id`, message: `"${device.id}" is not kebab-case` });
  for (const cidr of device.match.cidr ?? []) {
    if (parseRuleCidr(cidr) === undefined) {
      problems.push({ field: `${at}.Match.Cidr`, message: `"${cidr}" is not an address or CIDR range` });
    }
  }
  if (device.match.userAgent !== undefined) {
    try {
      compileTextPattern(device.match.userAgent);
    } catch {
      problems.push({ field: `${at}.Match.UserAgent`, message: `"${device.match.userAgent}" is not a valid /regular expression/` });
    }
  }
  return problems;
}

/**
 * `configRules` with the companion table applied. `adapterIds` are the sidecar's adapters: an
 * enabled adapter it does not have is reported and ignored.
 */
export function mergeCompanionRules(configRules: readonly DeviceRuleResolved[], companion: CompanionConfiguration | undefined, adapterIds: readonly string[]): CompanionMergeResult {
  if (companion === undefined) return { rules: configRules, issues: [], fromCompanion: [] };
  const issues: CompanionIssue[] = [];
  const rows = new Map<string, CompanionDevice>();
  companion.devices.forEach((device, i) => {
    const at = `Devices[${i}]`;
    const problems = rowProblems(device, at);
    if (problems.length > 0) {
      issues.push(...problems);
      return;
    }
    for (const adapterId of device.enabledAdapters) {
      if (!adapterIds.includes(adapterId)) issues.push({ field: `${at}.EnabledAdapters`, message: `the sidecar has no adapter "${adapterId}"; ignored` });
    }
    rows.set(device.id, device);
  });

  const adaptersFor = (device: CompanionDevice, base: Readonly<Record<string, RuleAdapterSettings>>): Record<string, RuleAdapterSettings> => {
    const out: Record<string, RuleAdapterSettings> = { ...base };
    for (const adapterId of adapterIds) {
      out[adapterId] = { enabled: device.enabledAdapters.includes(adapterId), overrides: base[adapterId]?.overrides ?? {} };
    }
    return out;
  };

  const fromCompanion: string[] = [];
  const rules: DeviceRuleResolved[] = configRules.map((rule) => {
    const device = rows.get(rule.id);
    if (device === undefined) return rule;
    fromCompanion.push(rule.id);
    const match = hasCriterion(device.match) ? device.match : rule.match;
    const userId = device.userId !== '' ? device.userId : rule.userId;
    return {
      id: rule.id,
      name: device.name !== '' ? device.name : rule.name,
      ...(match === undefined ? {} : { match }),
      ...(userId === undefined ? {} : { userId }),
      approved: device.approved,
      adapters: adaptersFor(device, rule.adapters),
    };
  });
  const configIds = new Set(configRules.map((r) => r.id));
  for (const device of rows.values()) {
    if (configIds.has(device.id)) continue;
    fromCompanion.push(device.id);
    rules.push({
      id: device.id,
      name: device.name !== '' ? device.name : device.id,
      match: device.match,
      ...(device.userId === '' ? {} : { userId: device.userId }),
      approved: device.approved,
      adapters: adaptersFor(device, {}),
    });
  }
  return { rules, issues, fromCompanion };
}
