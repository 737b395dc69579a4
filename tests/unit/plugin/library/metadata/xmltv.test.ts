import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { channelFromDisplayNames, parseXmltv, parseXmltvNs } from '../../../../../plugin/library/metadata/xmltv.js';
import { formatXmltvTime, parseXmltvTime } from '../../../../../plugin/library/metadata/xmltv-time.js';
import { fixturePath } from '../../../../support/paths.js';

describe('parseXmltvTime', () => {
  it('converts zone offsets to UTC instants', () => {
    assert.equal(parseXmltvTime('20261121200000 +0100'), Date.parse('2026-11-21T19:00:00Z'));
    assert.equal(parseXmltvTime('20080715003000 -0600'), Date.parse('2008-07-15T06:30:00Z'));
  });

  it('treats a missing zone as UTC and accepts shortened forms', () => {
    assert.equal(parseXmltvTime('20261121200000'), Date.parse('2026-11-21T20:00:00Z'));
    assert.equal(parseXmltvTime('202611212000'), Date.parse('2026-11-21T20:00:00Z'));
    assert.equal(parseXmltvTime('20261121'), Date.parse('2026-11-21T00:00:00Z'));
  });

  it('rejects garbage and impossible dates', () => {
    assert.equal(parseXmltvTime('garbage'), undefined);
    assert.equal(parseXmltvTime('20260230120000'), undefined);
  });

  it('reads legacy zone names as their offsets (one XMLTV parser for guide and RSSTV feeds)', () => {
    assert.equal(parseXmltvTime('20261121200000 BST'), Date.parse('2026-11-21T19:00:00Z'));
  });

  it('round-trips through formatXmltvTime', () => {
    const ms = Date.parse('2026-11-21T19:05:09Z');
    assert.equal(formatXmltvTime(ms), '20261121190509 +0000');
    assert.equal(parseXmltvTime(formatXmltvTime(ms)), ms);
  });
});

describe('channelFromDisplayNames', () => {
  it('finds number, call sign and name among mixed display-names', () => {
    assert.deepEqual(channelFromDisplayNames('I10436.labs.zap2it.com', ['13 KERA', '13', 'KERA', 'KERA fcc', 'PBS Affiliate']), {
      xmltvId: 'I10436.labs.zap2it.com',
      number: '13',
      callSign: 'KERA',
      name: 'KERA fcc',
      displayNames: ['13 KERA', '13', 'KERA', 'KERA fcc', 'PBS Affiliate'],
    });
    assert.deepEqual(channelFromDisplayNames('x', ['Food Network', 'FOOD', '61']), { xmltvId: 'x', number: '61', callSign: 'FOOD', name: 'Food Network', displayNames: ['Food Network', 'FOOD', '61'] });
    assert.deepEqual(channelFromDisplayNames('bbc1', []), { xmltvId: 'bbc1', name: 'bbc1', displayNames: [] });
  });
});

describe('parseXmltvNs', () => {
  it('is zero-based and tolerates missing parts', () => {
    assert.deepEqual(parseXmltvNs('44.3.0/1'), { seasonNumber: 45, episodeNumber: 4 });
    assert.deepEqual(parseXmltvNs('.4.'), { episodeNumber: 5 });
    assert.deepEqual(parseXmltvNs('2/5 . 0/10 .'), { seasonNumber: 3, episodeNumber: 1 });
  });
});

describe('parseXmltv', () => {
  const guide = parseXmltv(readFileSync(fixturePath('library', 'guide.xml'), 'utf8'));

  it('reads channels in document order', () => {
    assert.deepEqual(
      guide.channels.map((c) => [c.xmltvId, c.number, c.callSign, c.name]),
      [
        ['I10436.labs.zap2it.com', '13', 'KERA', 'KERA fcc'],
        ['C61FOOD.zap2it.com', '61', 'FOOD', 'Food Network'],
        ['bbc1.bbc.co.uk', undefined, undefined, 'BBC One'],
      ],
    );
  });

  it('drops programmes with a bad start, an unknown channel or stop before start', () => {
    assert.deepEqual(guide.programmes.map((p) => p.title).sort(), ['Chopped', 'Film Night', 'Frontline', 'Last Show No Stop', 'Nova']);
  });

  it('fills a missing stop from the next programme on the channel and leaves the last one open', () => {
    const frontline = guide.programmes.find((p) => p.title === 'Frontline');
    assert.equal(frontline?.stop, Date.parse('2026-11-21T21:00:00Z'));
    assert.equal(guide.programmes.find((p) => p.title === 'Last Show No Stop')?.stop, undefined);
  });

  it('reads titles, descriptions, categories and episode numbers', () => {
    const nova = guide.programmes.find((p) => p.title === 'Nova');
    assert.deepEqual(nova, {
      channel: 'I10436.labs.zap2it.com',
      start: Date.parse('2026-11-21T19:00:00Z'),
      stop: Date.parse('2026-11-21T20:00:00Z'),
      title: 'Nova',
      subTitle: 'Black Hole Apocalypse',
      description: 'Black holes & their mysteries.',
      categories: ['Science', 'Series'],
      seasonNumber: 45,
      episodeNumber: 4,
      hasEpisodeNum: true,
    });
    const chopped = guide.programmes.find((p) => p.title === 'Chopped');
    assert.equal(chopped?.start, Date.parse('2026-11-21T23:30:00Z'));
    assert.deepEqual([chopped?.seasonNumber, chopped?.episodeNumber], [12, 3]);
  });
});
