import assert from 'node:assert/strict';
import type { BaseItemDto } from '../../../../plugin/jellyfin/client.js';
import { isoDate, mapItem } from '../../../../plugin/jellyfin/map-item.js';
import { specValidator } from '../../../support/jellyfin-openapi-validator.js';
import { dtoFixture } from './fixtures.js';

describe('mapItem', () => {
  it('maps a Movie with media sources, people, studios and provider ids (golden)', () => {
    const entry = mapItem(dtoFixture<BaseItemDto>('movie'));
    assert.deepEqual(entry, {
      id: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      parentId: '9f8e7d6c5b4a39281706f5e4d3c2b1a0',
      title: 'Big Buck Bunny',
      sortTitle: 'big buck bunny',
      dateCreated: '2025-03-04T10:11:12.123Z',
      image: { tag: '7c1d0e2f3a4b5c6d7e8f9a0b1c2d3e4f' },
      kind: 'item',
      type: 'movie',
      overview: 'A giant rabbit takes revenge.',
      premiereDate: '2008-05-20T00:00:00.000Z',
      productionYear: 2008,
      officialRating: 'PG',
      genres: ['Animation', 'Comedy'],
      people: [
        { name: 'Sacha Goedegebure', kind: 'Director' },
        { name: 'Frank Bunny', kind: 'Actor', role: 'Big Buck' },
        { name: 'Writer Person', kind: 'Writer' },
      ],
      studios: ['Blender Foundation'],
      durationSeconds: 596.48,
      media: {
        container: 'mov,mp4,m4a,3gp,3g2,mj2',
        sizeBytes: 276134947,
        durationSeconds: 596.48,
        bitRate: 3703744,
        streams: [
          { type: 'video', index: 0, codec: 'h264', profile: 'High', level: 41, width: 1920, height: 1080, aspectRatio: '16:9', frameRate: 24, bitRate: 3500000, isInterlaced: false, isDefault: true, pixelFormat: 'yuv420p' },
          { type: 'audio', index: 1, codec: 'ac3', bitRate: 384000, channels: 6, sampleRate: 48000, language: 'eng', isDefault: true },
        ],
      },
      playable: true,
      providerIds: { Tmdb: '10378', Imdb: 'tt1254207' },
    });
  });

  it('maps an Episode with season/episode numbers and lower-cases codec names (golden)', () => {
    const entry = mapItem(dtoFixture<BaseItemDto>('episode'));
    assert.equal(entry?.kind, 'item');
    if (entry?.kind !== 'item') return;
    assert.equal(entry.type, 'episode');
    assert.equal(entry.seasonNumber, 1);
    assert.equal(entry.episodeNumber, 1);
    assert.equal(entry.seriesId, '5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a');
    assert.equal(entry.seriesName, 'The Show');
    assert.equal(entry.parentId, '5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e');
    assert.equal(entry.durationSeconds, 2600);
    assert.equal(entry.image, undefined);
    assert.deepEqual(entry.media?.streams.map((s) => [s.type, s.codec, s.isInterlaced]), [
      ['video', 'mpeg2video', true],
      ['audio', 'mp2', undefined],
    ]);
  });

  it('maps a Season to a season folder with its number and child count', () => {
    assert.deepEqual(mapItem(dtoFixture<BaseItemDto>('season')), {
      id: '5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e',
      parentId: '5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a',
      title: 'Season 1',
      sortTitle: 'season 001',
      dateCreated: '2024-01-02T03:04:05.000Z',
      image: { tag: '99990000999900009999000099990000' },
      kind: 'folder',
      folderType: 'season',
      childCount: 10,
      seasonNumber: 1,
    });
  });

  it('maps a CollectionFolder to a library root without a parent', () => {
    assert.deepEqual(mapItem(dtoFixture<BaseItemDto>('library')), {
      id: '9f8e7d6c5b4a39281706f5e4d3c2b1a0',
      title: 'Movies',
      sortTitle: 'movies',
      dateCreated: '2023-06-07T08:09:10.000Z',
      kind: 'folder',
      folderType: 'library',
      collectionType: 'movies',
      childCount: 42,
    });
  });

  it('marks a virtual (missing) episode as not playable and says why', () => {
    const entry = mapItem(dtoFixture<BaseItemDto>('virtual-episode'));
    assert.equal(entry?.kind, 'item');
    if (entry?.kind !== 'item') return;
    assert.equal(entry.playable, false);
    assert.match(entry.unplayableReason ?? '', /virtual/);
    assert.equal(entry.media, undefined);
  });

  it('drops kinds the model does not show (photos)', () => {
    assert.equal(mapItem(dtoFixture<BaseItemDto>('photo')), undefined);
  });

  it('uses the title as sort title and the epoch as creation date when the fields are missing', () => {
    const entry = mapItem({ Id: 'x', Name: 'Untitled', Type: 'Video' });
    assert.equal(entry?.sortTitle, 'Untitled');
    assert.equal(entry?.dateCreated, '1970-01-01T00:00:00.000Z');
  });

  it('golden fixtures are valid Jellyfin DTOs per both OpenAPI specs', function () {
    this.timeout(30_000);
    const items = ['movie', 'episode', 'season', 'library', 'virtual-episode', 'photo'].map((n) => dtoFixture<BaseItemDto>(n));
    for (const version of ['10.11.11', '12.0.0'] as const) {
      const result = specValidator(version).validate('GET', '/Items', 200, { Items: items, TotalRecordCount: items.length, StartIndex: 0 });
      assert.equal(result.errors, '', version);
    }
  });
});

describe('isoDate', () => {
  it('normalises 7-digit fractions to milliseconds', () => {
    assert.equal(isoDate('2025-03-04T10:11:12.1234567Z'), '2025-03-04T10:11:12.123Z');
  });
  it('keeps unparsable text and maps empty values to undefined', () => {
    assert.equal(isoDate('soon'), 'soon');
    assert.equal(isoDate(''), undefined);
    assert.equal(isoDate(null), undefined);
  });
});
