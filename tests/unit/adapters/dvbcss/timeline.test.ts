import { strict as assert } from 'node:assert';
import {
  anchorPositionAt,
  buildContentId,
  ceilDiv,
  controlTimestampFor,
  DEFAULT_TIMELINE_SELECTOR,
  floorDiv,
  needsControlTimestamp,
  parseTimelineSelector,
  playbackSpeed,
  positionAt,
  positionSecondsToNs,
  roundDiv,
  stemMatches,
  type TimelineAnchor,
} from '../../../../adapters/dvbcss/timeline.js';

const MS = 1_000_000n;

describe('timeline', () => {
  describe('#parseTimelineSelector', () => {
    it('serves simple-elapsed-time at 1000 ticks/s and any other positive rate', () => {
      assert.equal(parseTimelineSelector(DEFAULT_TIMELINE_SELECTOR), 1000n);
      assert.equal(parseTimelineSelector('tag:rd.bbc.co.uk,2015-12-08:dvb:css:timeline:simple-elapsed-time:90000'), 90000n);
      assert.equal(parseTimelineSelector('tag:rd.bbc.co.uk,2015-12-08:dvb:css:timeline:simple-elapsed-time:1'), 1n);
    });

    it('refuses other selectors, zero, leading zeros and rates finer than a nanosecond', () => {
      for (const s of [
        'urn:dvb:css:timeline:pts',
        'urn:dvb:css:timeline:ct',
        'tag:rd.bbc.co.uk,2015-12-08:dvb:css:timeline:simple-elapsed-time:0',
        'tag:rd.bbc.co.uk,2015-12-08:dvb:css:timeline:simple-elapsed-time:01000',
        'tag:rd.bbc.co.uk,2015-12-08:dvb:css:timeline:simple-elapsed-time:',
        'tag:rd.bbc.co.uk,2015-12-08:dvb:css:timeline:simple-elapsed-time:2000000000',
        'tag:rd.bbc.co.uk,2015-12-08:dvb:css:timeline:simple-elapsed-time:1000:x',
      ]) {
        assert.equal(parseTimelineSelector(s), undefined, s);
      }
    });
  });

  describe('#buildContentId', () => {
    it('orders server, item and media source from general to specific', () => {
      assert.equal(buildContentId('srv', 'item1', 'src1'), 'jellyfin://srv/items/item1/sources/src1');
      assert.equal(buildContentId('a b', 'i/1', 's'), 'jellyfin://a%20b/items/i%2F1/sources/s');
    });
  });

  describe('#stemMatches', () => {
    it('matches plain prefixes only', () => {
      const id = 'jellyfin://srv/items/i/sources/s';
      assert.equal(stemMatches(id, 'jellyfin://srv/'), true);
      assert.equal(stemMatches(id, id), true);
      assert.equal(stemMatches(id, 'jellyfin://other/'), false);
      assert.equal(stemMatches(id, 'srv'), false);
    });
    it('lets the empty stem match any contentId but never null', () => {
      assert.equal(stemMatches('x', ''), true);
      assert.equal(stemMatches(null, ''), false);
    });
  });

  describe('#positionSecondsToNs', () => {
    it('goes through whole 100 ns ticks, so float noise does not leak in', () => {
      assert.equal(positionSecondsToNs(12.345), 12_345_000_000n);
      assert.equal(positionSecondsToNs(123_456_789 / 1e7), 12_345_678_900n);
      assert.equal(positionSecondsToNs(0), 0n);
    });
  });

  describe('#playbackSpeed', () => {
    it('is 0 when paused and the rate otherwise (1 when the rate is missing)', () => {
      assert.equal(playbackSpeed(true, 1), 0);
      assert.equal(playbackSpeed(false, 1), 1);
      assert.equal(playbackSpeed(false, 0), 1);
      assert.equal(playbackSpeed(false, 1.5), 1.5);
    });
  });

  describe('#controlTimestampFor', () => {
    it('sends the wall-clock instant at which the next whole tick holds', () => {
      // 10.0004 s at wall 1000 s: the next ms tick (10001) holds 0.6 ms later.
      const anchor: TimelineAnchor = { positionNs: 10_000_400_000n, wallClockNs: 1_000_000_000_000n, speed: 1 };
      const ct = controlTimestampFor(anchor, 1000n);
      assert.deepEqual(ct, { contentTime: 10_001n, wallClockTime: 1_000_000_600_000n, timelineSpeedMultiplier: 1 });
      assert.equal(positionAt(ct, 1000n, anchor.wallClockNs), anchor.positionNs);
    });

    it('needs no shift when the position is already on a tick', () => {
      const ct = controlTimestampFor({ positionNs: 5_000_000_000n, wallClockNs: 77n, speed: 1 }, 1000n);
      assert.deepEqual(ct, { contentTime: 5000n, wallClockTime: 77n, timelineSpeedMultiplier: 1 });
    });

    it('keeps the line exact to the nanosecond at odd tick rates', () => {
      const anchor: TimelineAnchor = { positionNs: 1_234_567_891n, wallClockNs: 9_000_000_000n, speed: 1 };
      for (const rate of [1n, 7n, 25n, 1000n, 90_000n, 1_000_000_000n]) {
        const ct = controlTimestampFor(anchor, rate);
        const err = positionAt(ct, rate, anchor.wallClockNs) - anchor.positionNs;
        assert.ok(err >= -1n && err <= 1n, `rate ${rate}: error ${err} ns`);
        assert.ok(ct.wallClockTime >= anchor.wallClockNs);
      }
    });

    it('freezes contentTime at the nearest tick with speed 0 when paused', () => {
      const ct = controlTimestampFor({ positionNs: 42_000_600_000n, wallClockNs: 5n, speed: 0 }, 1000n);
      assert.deepEqual(ct, { contentTime: 42_001n, wallClockTime: 5n, timelineSpeedMultiplier: 0 });
    });

    it('aligns at fractional and negative speeds too', () => {
      const anchor: TimelineAnchor = { positionNs: 10_000_400_000n, wallClockNs: 1_000_000_000_000n, speed: 2 };
      const fast = controlTimestampFor(anchor, 1000n);
      assert.deepEqual(fast, { contentTime: 10_001n, wallClockTime: 1_000_000_300_000n, timelineSpeedMultiplier: 2 });
      const back = controlTimestampFor({ ...anchor, speed: -1 }, 1000n);
      assert.deepEqual(back, { contentTime: 10_000n, wallClockTime: 1_000_000_400_000n, timelineSpeedMultiplier: -1 });
    });

    it('handles negative positions with floor and ceiling, not truncation', () => {
      const ct = controlTimestampFor({ positionNs: -1_500_000n, wallClockNs: 0n, speed: 1 }, 1000n);
      assert.deepEqual(ct, { contentTime: -1n, wallClockTime: 500_000n, timelineSpeedMultiplier: 1 });
    });

    it('serialises positions past 2^53 ticks exactly', () => {
      const positionNs = (2n ** 60n + 123n) * MS;
      const ct = controlTimestampFor({ positionNs, wallClockNs: 2n ** 70n, speed: 1 }, 1000n);
      assert.equal(ct.contentTime, 2n ** 60n + 123n);
      assert.equal(ct.wallClockTime, 2n ** 70n);
    });
  });

  describe('#needsControlTimestamp', () => {
    const id = 'jellyfin://s/items/i/sources/i';
    const anchor: TimelineAnchor = { positionNs: 10_000n * MS, wallClockNs: 1_000_000n * MS, speed: 1 };
    const sent = { contentId: id, correlation: controlTimestampFor(anchor, 1000n) };
    const tol = 100n * MS;

    it('sends the first timestamp, available or not', () => {
      assert.equal(needsControlTimestamp(undefined, { contentId: null }, 1000n, tol), true);
      assert.equal(needsControlTimestamp(undefined, { contentId: id, anchor }, 1000n, tol), true);
    });

    it('counts two unavailable timestamps as equal', () => {
      assert.equal(needsControlTimestamp({ contentId: null }, { contentId: null }, 1000n, tol), false);
      assert.equal(needsControlTimestamp({ contentId: null }, { contentId: id }, 1000n, tol), false);
    });

    it('sends on availability changes both ways', () => {
      assert.equal(needsControlTimestamp(sent, { contentId: null }, 1000n, tol), true);
      assert.equal(needsControlTimestamp({ contentId: null }, { contentId: id, anchor }, 1000n, tol), true);
    });

    it('stays quiet for a report on the same line, and within the tolerance', () => {
      const later = { ...anchor, positionNs: anchor.positionNs + 10_000n * MS, wallClockNs: anchor.wallClockNs + 10_000n * MS };
      assert.equal(needsControlTimestamp(sent, { contentId: id, anchor: later }, 1000n, tol), false);
      const drifted = { ...later, positionNs: later.positionNs + 99n * MS };
      assert.equal(needsControlTimestamp(sent, { contentId: id, anchor: drifted }, 1000n, tol), false);
    });

    it('sends when drift or a seek exceeds the tolerance', () => {
      const drifted = { ...anchor, positionNs: anchor.positionNs + 101n * MS };
      assert.equal(needsControlTimestamp(sent, { contentId: id, anchor: drifted }, 1000n, tol), true);
      const seek = { ...anchor, positionNs: 600_000n * MS };
      assert.equal(needsControlTimestamp(sent, { contentId: id, anchor: seek }, 1000n, tol), true);
    });

    it('sends at once on pause and resume, even without a position change', () => {
      assert.equal(needsControlTimestamp(sent, { contentId: id, anchor: { ...anchor, speed: 0 } }, 1000n, tol), true);
    });

    it('sends at once on an item change even when the line would match', () => {
      assert.equal(needsControlTimestamp(sent, { contentId: `${id}2`, anchor }, 1000n, tol), true);
    });
  });

  describe('#anchorPositionAt', () => {
    it('extrapolates along the anchor line, frozen while paused', () => {
      const a: TimelineAnchor = { positionNs: 1000n, wallClockNs: 0n, speed: 1 };
      assert.equal(anchorPositionAt(a, 500n), 1500n);
      assert.equal(anchorPositionAt({ ...a, speed: 0 }, 500n), 1000n);
      assert.equal(anchorPositionAt({ ...a, speed: 0.5 }, 500n), 1250n);
    });
  });

  describe('integer division helpers', () => {
    it('floor, ceil and round toward the right side for negative numerators', () => {
      assert.equal(floorDiv(-3n, 2n), -2n);
      assert.equal(ceilDiv(-3n, 2n), -1n);
      assert.equal(floorDiv(3n, 2n), 1n);
      assert.equal(ceilDiv(3n, 2n), 2n);
      assert.equal(roundDiv(5n, 10n), 1n);
      assert.equal(roundDiv(4n, 10n), 0n);
      assert.equal(roundDiv(-5n, 10n), 0n);
      assert.equal(roundDiv(-6n, 10n), -1n);
    });
  });
});
