import { strict as assert } from 'node:assert';
import { formatOffset, formatRfc822, formatXmltvTime, parseXmltvTime, zoneOffsetMinutes } from '../../../../../plugin/library/metadata/xmltv-time.js';

const utc = (iso: string): number => Date.parse(iso);

describe('XMLTV times', () => {
  describe('parseXmltvTime', () => {
    it('reads a positive offset', () => assert.equal(parseXmltvTime('20261121200000 +0100'), utc('2026-11-21T19:00:00Z')));
    it('reads a negative offset', () => assert.equal(parseXmltvTime('20080715003000 -0600'), utc('2008-07-15T06:30:00Z')));
    it('reads -0500 without a space', () => assert.equal(parseXmltvTime('20261121200000-0500'), utc('2026-11-22T01:00:00Z')));
    it('treats a missing zone as UTC', () => assert.equal(parseXmltvTime('20261121200000'), utc('2026-11-21T20:00:00Z')));
    it('accepts a leading substring (YYYYMMDDhhmm)', () => assert.equal(parseXmltvTime('202611212030'), utc('2026-11-21T20:30:00Z')));
    it('accepts a date alone', () => assert.equal(parseXmltvTime('20261121'), utc('2026-11-21T00:00:00Z')));
    it('reads legacy zone names', () => {
      assert.equal(parseXmltvTime('20260701120000 BST'), utc('2026-07-01T11:00:00Z'));
      assert.equal(parseXmltvTime('20260101120000 EST'), utc('2026-01-01T17:00:00Z'));
    });
    it('refuses impossible dates and bad shapes', () => {
      for (const bad of ['20261321200000', '20260231120000', '20261121250000', '2026112120', '2026-11-21T20:00', '20261121200000 +2500', '20261121200000 XYZ', '', 'tomorrow']) {
        if (bad === '2026112120') continue; // YYYYMMDDhh is a valid leading substring
        assert.equal(parseXmltvTime(bad), undefined, bad);
      }
      assert.equal(parseXmltvTime('2026112120'), utc('2026-11-21T20:00:00Z'));
    });
  });

  describe('formatXmltvTime', () => {
    it('writes the local time with its offset', () => assert.equal(formatXmltvTime(utc('2026-11-21T19:00:00Z'), 60), '20261121200000 +0100'));
    it('writes UTC as +0000', () => assert.equal(formatXmltvTime(utc('2026-11-21T19:00:00Z')), '20261121190000 +0000'));
    it('writes negative and half-hour offsets', () => {
      assert.equal(formatOffset(-300), '-0500');
      assert.equal(formatOffset(330), '+0530');
      assert.equal(formatXmltvTime(utc('2026-11-22T01:00:00Z'), -300), '20261121200000 -0500');
    });
    it('round-trips through the parser', () => {
      const ms = utc('2026-03-29T00:59:59Z');
      for (const offset of [-600, -300, 0, 60, 330, 780]) assert.equal(parseXmltvTime(formatXmltvTime(ms, offset)), ms);
    });
  });

  describe('zoneOffsetMinutes', () => {
    it('follows daylight saving time', () => {
      assert.equal(zoneOffsetMinutes(utc('2026-01-15T12:00:00Z'), 'Europe/London'), 0);
      assert.equal(zoneOffsetMinutes(utc('2026-07-15T12:00:00Z'), 'Europe/London'), 60);
      assert.equal(zoneOffsetMinutes(utc('2026-07-15T12:00:00Z'), 'America/Chicago'), -300);
      assert.equal(zoneOffsetMinutes(utc('2026-07-15T12:00:00Z'), 'UTC'), 0);
    });
  });

  describe('formatRfc822', () => {
    it('writes an RSS 2.0 date', () => assert.equal(formatRfc822(utc('2026-11-21T09:12:00Z')), 'Sat, 21 Nov 2026 09:12:00 GMT'));
  });
});
