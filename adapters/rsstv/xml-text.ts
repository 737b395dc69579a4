/**
 * Text hygiene for the XML and HTML we emit. Pure.
 */

/** Characters XML 1.0 does not allow (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/F). */
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes characters that are not allowed in XML 1.0 documents. */
export function stripInvalidXmlChars(text: string): string {
  return text.replace(XML_INVALID, '');
}

/** Escapes text for an XML text node or attribute value (all five predefined entities). */
export function escapeXml(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
}

const XML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Caps text at `max` characters (by code point), marking the cut with an ellipsis. */
export function capText(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('').trimEnd()}…`;
}

/** Collapses whitespace runs (newlines included) into single spaces and trims. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
