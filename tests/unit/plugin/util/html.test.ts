import { strict as assert } from 'node:assert';
import { escapeHtml } from '../../../../plugin/util/html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and quoted attributes', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('leaves other text, including non-ASCII, as it is', () => {
    assert.equal(escapeHtml('Tagesschau — 20:00 Uhr'), 'Tagesschau — 20:00 Uhr');
    assert.equal(escapeHtml(''), '');
  });

  it('escapes an ampersand only once per pass', () => {
    assert.equal(escapeHtml('&amp;'), '&amp;amp;');
  });
});
