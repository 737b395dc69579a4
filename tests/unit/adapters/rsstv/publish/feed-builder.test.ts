import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { zoneOffsetMinutes } from '../../../../../plugin/library/metadata/xmltv-time.js';
import { buildFeed, displayName, RSSTV_NAMESPACE, type FeedEntry } from '../../../../../adapters/rsstv/publish/feed-builder.js';
import { fixturePath, wellFormed } from '../helpers.js';
import { NOW, SAMPLE_ENTRIES } from './sample-entries.js';

const HEADER = { title: 'Program My DVR', link: 'http://dvr.example:8096/rsstv/', description: 'Programmes suggested by friends (RSSTV to-do list)' };
const berlin = (ms: number): number => zoneOffsetMinutes(ms, 'Europe/Berlin');

function many(n: number): FeedEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    guid: `rsstv-${String(i).padStart(4, '0')}`,
    title: `Show ${i}`,
    episodeTitle: `Episode ${i}`,
    note: 'a note that is about as long as a real one, give or take',
    synopsis: 'A synopsis of moderate length that describes what happens in this episode of the show.',
    suggestedBy: 'Ann',
    suggestedAt: NOW - i * 1000,
    callSign: 'FOOD',
    channelNumber: '61',
    guideChannelId: 'ch-61',
    programId: `prog-${i}`,
    start: NOW + 3_600_000 + i * 1_800_000,
    stop: NOW + 5_400_000 + i * 1_800_000,
  }));
}

describe('RSSTV feed builder', () => {
  describe('#buildFeed', () => {
    it('renders the golden feed byte for byte', () => {
      const built = buildFeed(HEADER, SAMPLE_ENTRIES, { now: NOW, maxItems: 200, descriptionMaxLength: 500, offsetAt: berlin });
      assert.equal(built.xml, readFileSync(fixturePath('feed-golden.xml'), 'utf8'));
    });

    it('publishes only future airings, soonest first', () => {
      const built = buildFeed(HEADER, SAMPLE_ENTRIES, { now: NOW, maxItems: 200, descriptionMaxLength: 500, offsetAt: () => 0 });
      assert.deepEqual(
        built.entries.map((e) => e.guid),
        ['rsstv-a1', 'rsstv-b2'],
      );
      assert.ok(!built.xml.includes('Already over'));
    });

    it('declares the rsstv namespace and produces well-formed XML with hostile text escaped', () => {
      const { xml } = buildFeed(HEADER, SAMPLE_ENTRIES, { now: NOW, maxItems: 200, descriptionMaxLength: 500, offsetAt: () => 0 });
      assert.ok(xml.includes(`xmlns:rsstv="${RSSTV_NAMESPACE}"`));
      assert.ok(wellFormed(xml));
      assert.ok(!xml.includes('<script>'));
      assert.ok(!xml.includes(']]>'));
      assert.ok(xml.includes('&lt;script&gt;'));
      assert.ok(!xml.includes('CDATA'));
    });

    it('caps the item count and the description length', () => {
      const built = buildFeed(HEADER, many(30), { now: NOW, maxItems: 10, descriptionMaxLength: 60, offsetAt: () => 0 });
      assert.equal(built.entries.length, 10);
      for (const m of built.xml.matchAll(/<item>[\s\S]*?<description>([^<]*)<\/description>/g)) assert.ok(Array.from(m[1] ?? '').length <= 60 + 30, 'escaped text stays short');
    });

    it('stays under 1 KB per item for 500 items', () => {
      const built = buildFeed(HEADER, many(500), { now: NOW, maxItems: 500, descriptionMaxLength: 500, offsetAt: berlin });
      assert.equal(built.entries.length, 500);
      assert.ok(Buffer.byteLength(built.xml) / 500 < 1024, `${Buffer.byteLength(built.xml) / 500} bytes per item`);
    });

    it('strips control characters that XML cannot carry', () => {
      const entry = { ...SAMPLE_ENTRIES[1]!, title: 'Bell\u0007 and\u0000 null' };
      const { xml } = buildFeed(HEADER, [entry], { now: NOW, maxItems: 5, descriptionMaxLength: 500, offsetAt: () => 0 });
      assert.ok(xml.includes('<title>Bell and null – Pantry Raid</title>'));
      assert.ok(wellFormed(xml));
    });
  });

  describe('#displayName', () => {
    it('drops e-mail addresses', () => {
      assert.equal(displayName('Bob <bob@example.com>'), 'Bob');
      assert.equal(displayName('ann@example.com'), 'a friend');
    });
  });
});
