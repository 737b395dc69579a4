/**
 * CSS-CII messages (ETSI TS 103 286-2 clause 5.6; protocols/dvbcss.md §2). Pure: builds the
 * complete first message, the per-connection diffs that follow, and parses messages (for
 * clients and tests). The first message carries all ten properties with explicit nulls
 * (HbbTV 2.0.3 cl. 13.6.2 wants mrsUrl/teUrl null); later ones only what changed, plus
 * contentIdStatus whenever contentId changes (as pydvbcss does).
 */

/** A private-data entry: any object with a `type` URI. */
export interface CiiPrivate {
  readonly type: string;
  readonly [member: string]: unknown;
}

export interface TimelineProperties {
  readonly unitsPerTick: number;
  readonly unitsPerSecond: number;
  /** Seconds; how far the timeline may be off. */
  readonly accuracy?: number;
}

export interface TimelineOption {
  readonly timelineSelector: string;
  readonly timelineProperties: TimelineProperties;
  readonly private?: readonly CiiPrivate[];
}

export type ContentIdStatus = 'partial' | 'final';

/** The full CII state (all ten properties; null = not set). */
export interface CiiState {
  readonly protocolVersion: string | null;
  readonly mrsUrl: string | null;
  readonly contentId: string | null;
  readonly contentIdStatus: ContentIdStatus | null;
  readonly presentationStatus: string | null;
  readonly wcUrl: string | null;
  readonly tsUrl: string | null;
  readonly teUrl: string | null;
  readonly timelines: readonly TimelineOption[] | null;
  readonly private: readonly CiiPrivate[] | null;
}

export type CiiMessage = { -readonly [K in keyof CiiState]?: CiiState[K] };

/** Wire order of the properties. */
export const CII_PROPERTIES = [
  'protocolVersion',
  'mrsUrl',
  'contentId',
  'contentIdStatus',
  'presentationStatus',
  'wcUrl',
  'tsUrl',
  'teUrl',
  'timelines',
  'private',
] as const satisfies readonly (keyof CiiState)[];

export const CII_PROTOCOL_VERSION = '1.1';

/** The state a client starts from: every property null. */
export const EMPTY_CII: CiiState = {
  protocolVersion: null,
  mrsUrl: null,
  contentId: null,
  contentIdStatus: null,
  presentationStatus: null,
  wcUrl: null,
  tsUrl: null,
  teUrl: null,
  timelines: null,
  private: null,
};

/** Serialises a message with the properties in wire order; absent properties are omitted. */
export function serialiseCii(message: CiiMessage): string {
  const ordered: Record<string, unknown> = {};
  for (const key of CII_PROPERTIES) {
    if (key in message && message[key] !== undefined) ordered[key] = message[key];
  }
  return JSON.stringify(ordered);
}

/** The complete first message: every property, with explicit nulls. */
export function fullCii(state: CiiState): CiiMessage {
  const out: CiiMessage = {};
  for (const key of CII_PROPERTIES) assign(out, key, state[key]);
  return out;
}

/**
 * The properties of `next` that differ from `prev`, or undefined when nothing changed (an empty
 * message is never sent). contentIdStatus rides along with every contentId change.
 */
export function diffCii(prev: CiiState, next: CiiState): CiiMessage | undefined {
  const out: CiiMessage = {};
  let changed = false;
  for (const key of CII_PROPERTIES) {
    if (!sameValue(prev[key], next[key])) {
      assign(out, key, next[key]);
      changed = true;
    }
  }
  if (!changed) return undefined;
  if ('contentId' in out) out.contentIdStatus = next.contentIdStatus;
  return out;
}

/**
 * Parses a CII message leniently, as a client must: unknown properties are ignored, `{}` means
 * nothing changed. Throws SyntaxError on invalid JSON and TypeError when it is not an object.
 */
export function parseCii(text: string): CiiMessage {
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TypeError('CII message must be a JSON object');
  const source = value as Record<string, unknown>;
  const out: CiiMessage = {};
  for (const key of CII_PROPERTIES) {
    if (key in source) assign(out, key, source[key] as CiiState[typeof key]);
  }
  return out;
}

/** Applies a message to a mirrored state: present properties (even null) replace, omitted ones stay. */
export function applyCii(state: CiiState, message: CiiMessage): CiiState {
  return { ...state, ...message };
}

/** presentationStatus token list → wire string (first token primary). */
export function presentationStatusToString(tokens: readonly string[]): string {
  return tokens.join(' ');
}

/** Wire string → token list. */
export function presentationStatusFromString(value: string): readonly string[] {
  return value.split(' ').filter((t) => t.length > 0);
}

function assign<K extends keyof CiiState>(out: CiiMessage, key: K, value: CiiState[K]): void {
  out[key] = value;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
