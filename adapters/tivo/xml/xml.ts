/**
 * Shared fast-xml-parser builder and text hygiene for the TiVo XML builders. Text content is
 * escaped by the builder; characters XML 1.0 forbids (C0 controls, lone surrogates) are removed
 * first so any title gives well-formed XML.
 */
import { XMLBuilder } from 'fast-xml-parser';

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

// fast-xml-parser 5.12 marks XMLBuilder deprecated in favour of its own dependency
// fast-xml-builder (same code); DESIGN.md §5 allows fast-xml-parser here, so we keep it.
// eslint-disable-next-line @typescript-eslint/no-deprecated
export const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  suppressEmptyNode: false,
  format: false,
});

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes characters XML 1.0 cannot carry. */
export function xmlText(value: string): string {
  return value.replace(FORBIDDEN, '');
}

/** `0x` + lower-case hex Unix seconds (TiVo date format). */
export function hexTime(unixSeconds: number): string {
  return `0x${Math.max(0, Math.floor(unixSeconds)).toString(16)}`;
}

/** Stable signed 32-bit id from a string (FNV-1a), like pyTivo's crc32-based UniqueIds. */
export function uniqueIdOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
