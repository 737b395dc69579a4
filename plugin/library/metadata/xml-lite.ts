/**
 * A small, careful XML reader for the two formats the core reads itself: Kodi/Jellyfin `.nfo`
 * files and XMLTV guides. fast-xml-parser is reserved for the tivo/rsstv adapters (DESIGN §5),
 * and both formats are plain element trees, so ~150 lines cover them: elements, attributes
 * (single or double quoted), text, CDATA, comments, processing instructions, a DOCTYPE (skipped,
 * internal subsets included) and the five predefined plus numeric character references.
 * Namespace prefixes are kept in names. Pure; throws `ERR_XML_MALFORMED` on broken markup.
 */
import { SidecarError } from '../../util/errors.js';

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated text directly inside this element (not of descendants), entities decoded. */
  readonly text: string;
}

interface MutableElement {
  name: string;
  attributes: Record<string, string>;
  children: MutableElement[];
  text: string;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes character and predefined entity references; unknown entities are kept verbatim. */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);/g, (whole, ref: string) => {
    if (ref.startsWith('#x') || ref.startsWith('#X')) return codePoint(parseInt(ref.slice(2), 16)) ?? whole;
    if (ref.startsWith('#')) return codePoint(parseInt(ref.slice(1), 10)) ?? whole;
    return NAMED_ENTITIES[ref] ?? whole;
  });
}

function codePoint(n: number): string | undefined {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : undefined;
}

function malformed(message: string, at: number): SidecarError {
  return new SidecarError('ERR_XML_MALFORMED', 'invalid-argument', `malformed XML at offset ${at}: ${message}`);
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ATTRIBUTE = /\s*([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("([^"]*)"|'([^']*)')/y;

/** Parses a document and returns its root element. */
export function parseXml(source: string): XmlElement {
  const xml = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const stack: MutableElement[] = [];
  let root: MutableElement | undefined;
  let i = 0;
  const appendText = (raw: string): void => {
    const top = stack[stack.length - 1];
    if (top) top.text += raw;
    else if (raw.trim() !== '') throw malformed('text outside the root element', i);
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) {
      appendText(decodeXmlEntities(xml.slice(i)));
      break;
    }
    if (lt > i) appendText(decodeXmlEntities(xml.slice(i, lt)));
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) throw malformed('unterminated comment', i);
      i = end + 3;
    } else if (xml.startsWith('<![CDATA[', i)) {
      const end = xml.indexOf(']]>', i + 9);
      if (end < 0) throw malformed('unterminated CDATA section', i);
      appendText(xml.slice(i + 9, end));
      i = end + 3;
    } else if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i + 2);
      if (end < 0) throw malformed('unterminated processing instruction', i);
      i = end + 2;
    } else if (xml.startsWith('<!', i)) {
      i = skipDoctype(xml, i);
    } else if (xml.startsWith('</', i)) {
      NAME.lastIndex = i + 2;
      const match = NAME.exec(xml);
      const close = xml.indexOf('>', i);
      if (!match || close < 0) throw malformed('bad closing tag', i);
      const top = stack.pop();
      if (top?.name !== match[0]) throw malformed(`unexpected </${match[0]}>`, i);
      i = close + 1;
    } else {
      NAME.lastIndex = i + 1;
      const match = NAME.exec(xml);
      if (!match) throw malformed('bad tag name', i);
      const element: MutableElement = { name: match[0], attributes: {}, children: [], text: '' };
      let j = NAME.lastIndex;
      for (;;) {
        ATTRIBUTE.lastIndex = j;
        const attr = ATTRIBUTE.exec(xml);
        if (!attr) break;
        const [, key = '', , dq, sq] = attr;
        element.attributes[key] = decodeXmlEntities(dq ?? sq ?? '');
        j = ATTRIBUTE.lastIndex;
      }
      while (j < xml.length && /\s/.test(xml.charAt(j))) j++;
      const selfClosing = xml.startsWith('/>', j);
      if (!selfClosing && xml.charAt(j) !== '>') throw malformed(`bad tag <${element.name}>`, j);
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) throw malformed('more than one root element', i);
      else root = element;
      if (!selfClosing) stack.push(element);
      i = j + (selfClosing ? 2 : 1);
    }
  }
  if (stack.length > 0) throw malformed(`unclosed <${stack[stack.length - 1]?.name ?? ''}>`, xml.length);
  if (!root) throw malformed('no root element', 0);
  return root;
}

function skipDoctype(xml: string, start: number): number {
  // `<!DOCTYPE tv SYSTEM "xmltv.dtd">` or with an internal subset in brackets.
  let depth = 0;
  for (let k = start + 2; k < xml.length; k++) {
    const c = xml.charAt(k);
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '>' && depth <= 0) return k + 1;
  }
  throw malformed('unterminated declaration', start);
}

/** Direct children with this name. */
export function childElements(element: XmlElement, name: string): readonly XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** Trimmed text of the first child with this name, or undefined when absent or empty. */
export function childText(element: XmlElement, name: string): string | undefined {
  for (const c of element.children) {
    if (c.name === name) {
      const text = c.text.trim();
      if (text !== '') return text;
    }
  }
  return undefined;
}

/** Trimmed non-empty texts of all children with this name. */
export function childTexts(element: XmlElement, name: string): readonly string[] {
  const out: string[] = [];
  for (const c of element.children) {
    if (c.name === name) {
      const text = c.text.trim();
      if (text !== '') out.push(text);
    }
  }
  return out;
}
