/**
 * Who decides what for a device (pure). Precedence, highest first:
 *   approval:  admin (UI/API)            ← config rule (`approved`, default true)   ← new-device policy
 *   enabled:   admin per adapter         ← config rule `adapters.<id>` (absent = off) ← policy `allow`
 *   userId:    admin                     ← config rule `userId`                      ← source default
 *   settings:  admin overrides ← rule `adapters.<id>` overrides ← adapter deviceDefaults
 * See docs/admin-api.md "Precedence".
 */
import type { ApprovalState } from './types.js';

/** What happens to a device no config rule matches. */
export type NewDevicePolicy = 'allow' | 'hold' | 'refuse';

/** Who set a value: the admin, a config rule, the new-device policy, or nobody (default). */
export type SettingSource = 'admin' | 'config' | 'policy' | 'default';

/** The approval a newly recorded device starts with. */
export function initialApproval(policy: NewDevicePolicy): ApprovalState {
  switch (policy) {
    case 'allow':
      return 'approved';
    case 'refuse':
      return 'refused';
    case 'hold':
      return 'held';
  }
}

export interface StoredChoice<T> {
  readonly value: T | null;
  readonly by: 'admin' | 'policy' | null;
}

/** A stored choice (admin or policy) wins over the rule; without either the fallback applies. */
export function decide<T>(stored: StoredChoice<T>, rule: { readonly value: T } | undefined, fallback: T): { readonly value: T; readonly from: SettingSource } {
  if (stored.value !== null) return { value: stored.value, from: stored.by ?? 'admin' };
  if (rule !== undefined) return { value: rule.value, from: 'config' };
  return { value: fallback, from: 'default' };
}

/**
 * Effective settings: adapter defaults ← rule overrides ← admin overrides, merged key by key
 * (shallow: an override replaces a whole top-level value such as a `feeds` array).
 */
export function mergeSettings(
  defaults: Readonly<Record<string, unknown>>,
  ruleOverrides: Readonly<Record<string, unknown>> | undefined,
  adminOverrides: Readonly<Record<string, unknown>> | undefined,
): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = { ...defaults };
  for (const layer of [ruleOverrides, adminOverrides]) {
    if (layer === undefined) continue;
    for (const [key, value] of Object.entries(layer)) {
      // An explicit undefined in a partial schema result means "not set", not "clear".
      if (value !== undefined) out[key] = value;
    }
  }
  return Object.freeze(out);
}
