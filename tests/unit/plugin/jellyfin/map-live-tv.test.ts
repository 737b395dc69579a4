import assert from 'node:assert/strict';
import { callSignOf, mapChannel, mapProgram, mapTimer, tunerCountOf } from '../../../../plugin/jellyfin/map-live-tv.js';

describe('callSignOf', () => {
  it('takes an upper-case single-token channel name as the call sign', () => {
    assert.equal(callSignOf('FOOD'), 'FOOD');
    assert.equal(callSignOf('KERA-HD'), 'KERA-HD');
    assert.equal(callSignOf('WGBH2'), 'WGBH2');
  });
  it('returns undefined for names that are not call signs', () => {
    assert.equal(callSignOf('BBC One'), undefined);
    assert.equal(callSignOf('food'), undefined);
    assert.equal(callSignOf(''), undefined);
    assert.equal(callSignOf(undefined), undefined);
  });
});

describe('mapChannel', () => {
  it('prefers ChannelNumber and adds the call sign when the name is one', () => {
    assert.deepEqual(mapChannel({ Id: 'c1', Name: 'FOOD', ChannelNumber: '61', Number: '61' }), { id: 'c1', number: '61', name: 'FOOD', callSign: 'FOOD' });
    assert.deepEqual(mapChannel({ Id: 'c2', Name: 'BBC One', Number: '7' }), { id: 'c2', number: '7', name: 'BBC One' });
  });
});

describe('mapProgram', () => {
  it('maps guide fields and normalises dates', () => {
    assert.deepEqual(
      mapProgram({ Id: 'p', ChannelId: 'c', Name: 'Good Eats', EpisodeTitle: 'Pantry Raid', StartDate: '2026-11-21T19:00:00.0000000Z', EndDate: '2026-11-21T19:30:00.0000000Z', IsSeries: true, ParentIndexNumber: 3, IndexNumber: 4, Genres: ['Cooking'], TimerId: 't' }),
      { id: 'p', channelId: 'c', title: 'Good Eats', episodeTitle: 'Pantry Raid', start: '2026-11-21T19:00:00.000Z', end: '2026-11-21T19:30:00.000Z', isSeries: true, isMovie: false, seasonNumber: 3, episodeNumber: 4, genres: ['Cooking'], timerId: 't' },
    );
  });
});

describe('mapTimer', () => {
  it('maps every Jellyfin timer status', () => {
    const statuses = ['New', 'InProgress', 'Completed', 'Cancelled', 'ConflictedOk', 'ConflictedNotOk', 'Error'] as const;
    assert.deepEqual(
      statuses.map((Status) => mapTimer({ Id: 't', Status }).status),
      ['new', 'in-progress', 'completed', 'cancelled', 'conflicted', 'conflicted', 'error'],
    );
  });
  it('keeps paddings, program and series timer ids', () => {
    const t = mapTimer({ Id: 't', ChannelId: 'c', ProgramId: 'p', SeriesTimerId: 's', Name: 'N', StartDate: '2026-01-01T00:00:00.0000000Z', EndDate: '2026-01-01T01:00:00.0000000Z', PrePaddingSeconds: 60, PostPaddingSeconds: 120 });
    assert.deepEqual(t, { id: 't', channelId: 'c', programId: 'p', seriesTimerId: 's', name: 'N', start: '2026-01-01T00:00:00.000Z', end: '2026-01-01T01:00:00.000Z', prePaddingSeconds: 60, postPaddingSeconds: 120, status: 'new' });
  });
});

describe('tunerCountOf', () => {
  it('sums TunerCount over tuner hosts, counting an unknown (0) host as one', () => {
    assert.equal(tunerCountOf({ TunerHosts: [{ TunerCount: 2 }, { TunerCount: 0 }, { Type: 'm3u' }] }), 4);
  });
  it('is 0 without tuner hosts', () => {
    assert.equal(tunerCountOf({}), 0);
    assert.equal(tunerCountOf(null), 0);
  });
});
