import { strict as assert } from 'node:assert';
import { childText, decodeXmlEntities, parseXml } from '../../../../../plugin/library/metadata/xml-lite.js';
import { SidecarError } from '../../../../../plugin/util/errors.js';

describe('parseXml', () => {
  it('builds an element tree with attributes, text, CDATA and entities', () => {
    const root = parseXml('\ufeff<?xml version="1.0"?><!-- c --><a x="1" y=\'two &amp; three\'><b>t&lt;1&#x41;&#66;</b><c/><d><![CDATA[<raw>&amp;]]></d></a>');
    assert.equal(root.name, 'a');
    assert.deepEqual(root.attributes, { x: '1', y: 'two & three' });
    assert.deepEqual(root.children.map((c) => c.name), ['b', 'c', 'd']);
    assert.equal(childText(root, 'b'), 't<1AB');
    assert.equal(childText(root, 'd'), '<raw>&amp;');
    assert.equal(childText(root, 'c'), undefined);
  });

  it('skips a DOCTYPE with an internal subset', () => {
    assert.equal(parseXml('<!DOCTYPE tv SYSTEM "x.dtd" [ <!ENTITY a "b"> ]><tv/>').name, 'tv');
  });

  it('keeps namespace prefixes in names', () => {
    assert.equal(parseXml('<x:a xmlns:x="urn:x"><x:b>1</x:b></x:a>').children[0]?.name, 'x:b');
  });

  const bad = ['<a><b></a>', '<a>', 'text', '<a></a><b></b>', '<a x=1></a>', '<!-- open', '<a><![CDATA[x</a>'];
  for (const xml of bad) {
    it(`rejects ${JSON.stringify(xml)} with ERR_XML_MALFORMED`, () => {
      assert.throws(() => parseXml(xml), (e: unknown) => e instanceof SidecarError && e.code === 'ERR_XML_MALFORMED');
    });
  }
});

describe('decodeXmlEntities', () => {
  it('keeps unknown entities and invalid code points verbatim', () => {
    assert.equal(decodeXmlEntities('&foo; &#0; &#x110000; &quot;'), '&foo; &#0; &#x110000; "');
  });
});
