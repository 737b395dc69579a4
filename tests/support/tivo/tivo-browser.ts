/**
 * A TiVo's view of an HMO server for tests (protocols/tivo.md §13): every request carries the
 * TSN, XML is checked for well-formedness and parsed strictly, and Urls are used exactly as a
 * TiVo sends them back (entity-decoded, as an XML parser does).
 */
import { strict as assert } from 'node:assert';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { tivoGet, type RawResponse } from './tivo-client.js';

/** TSNs of the three model classes (S2 = Series 2, HD = TiVo HD, TS = Premiere). */
export const TSN = { s2: '540000000000001', hd: '652000000000001', premiere: '746000000000001' } as const;

export interface TivoItem {
  readonly Details: Readonly<Record<string, string>>;
  readonly Links: { readonly Content: { readonly Url: string }; readonly TiVoVideoDetails?: { readonly Url: string } };
}

export interface TivoContainer {
  readonly TiVoContainer: {
    readonly ItemStart: string;
    readonly ItemCount: string;
    readonly Details: Readonly<Record<string, string>>;
    readonly Item?: readonly TivoItem[];
  };
}

export const tivoXmlParser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => name === 'Item' });

// XMLValidator is marked deprecated (moved to fast-xml-validator); same code, and fast-xml-parser is the allowed package.
// eslint-disable-next-line @typescript-eslint/no-deprecated
const validateXml = (xml: string): true | object => XMLValidator.validate(xml);

/** The container named in a QueryContainer Url. */
export function containerOf(url: string): string {
  return new URLSearchParams(url.split('?')[1] ?? '').get('Container') ?? '';
}

export class TivoBrowser {
  constructor(
    private readonly port: () => number,
    readonly tsn: string,
  ) {}

  /** Headers a TiVo sends (the TSN, unless it is empty) plus `extra`. */
  headers(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    return { ...(this.tsn === '' ? {} : { tsn: this.tsn }), ...extra };
  }

  get(path: string, extra: Readonly<Record<string, string>> = {}, options: { dropAfter?: number } = {}): Promise<RawResponse> {
    return tivoGet(this.port(), path, this.headers(extra), options);
  }

  /** GETs an XML reply, checks status, type and well-formedness, and parses it. */
  async xml<T = TivoContainer>(path: string): Promise<T> {
    const r = await this.get(path);
    assert.equal(r.status, 200, `${path} → ${r.status}`);
    assert.match(r.headers['content-type'] ?? '', /^text\/xml/);
    const text = r.body.toString('utf8');
    assert.equal(validateXml(text), true, `not well-formed: ${path}`);
    return tivoXmlParser.parse(text) as T;
  }

  /** Items of the root container (one per share). */
  async shares(): Promise<readonly TivoItem[]> {
    const c = await this.xml('/TiVoConnect?Command=QueryContainer&Container=%2F');
    assert.equal(c.TiVoContainer.Details['ContentType'], 'x-container/tivo-server');
    return c.TiVoContainer.Item ?? [];
  }

  /** The Container value of the share titled `title` (shares are named by id, not title). */
  async shareContainer(title: string): Promise<string> {
    return containerOf(findItem(await this.shares(), title).Links.Content.Url);
  }

  /** Items of a container, sorted as TiVos ask (folders first, then titles), plus `extra` parameters. */
  async listing(container: string, extra = ''): Promise<readonly TivoItem[]> {
    const c = await this.xml(`/TiVoConnect?Command=QueryContainer&Container=${encodeURIComponent(container)}&SortOrder=Type,Title${extra}`);
    return c.TiVoContainer.Item ?? [];
  }

  /** Follows a folder's Content Url. */
  async open(item: TivoItem): Promise<readonly TivoItem[]> {
    // Older parsers left `&amp;` in attribute-free text; a TiVo sends the decoded Url.
    const c = await this.xml(item.Links.Content.Url.replace(/&amp;/g, '&'));
    return c.TiVoContainer.Item ?? [];
  }
}

export function findItem(items: readonly TivoItem[], title: string): TivoItem {
  const it = items.find((i) => i.Details['Title'] === title);
  assert.ok(it, `no item ${title} in ${items.map((i) => i.Details['Title']).join(', ')}`);
  return it;
}

export function isVideo(item: TivoItem): boolean {
  return item.Details['ContentType']?.startsWith('video/') ?? false;
}
