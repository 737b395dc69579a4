import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { parseNfo } from '../../../../../plugin/library/metadata/nfo.js';
import { fixturePath } from '../../../../support/paths.js';

const fixture = (name: string): string => readFileSync(fixturePath('library', name), 'utf8');

describe('parseNfo', () => {
  it('reads a Kodi movie nfo with a trailing URL line', () => {
    assert.deepEqual(parseNfo(fixture('movie.nfo')), {
      kind: 'movie',
      title: 'The Matrix',
      sortTitle: 'Matrix 1',
      overview: 'A <b>bold</b> plot & more.',
      premiereDate: '1999-03-31T00:00:00.000Z',
      productionYear: 1999,
      officialRating: 'R',
      genres: ['Action', 'Science Fiction'],
      people: [
        { name: 'Keanu Reeves', kind: 'Actor', role: 'Neo' },
        { name: 'Carrie-Anne Moss', kind: 'Actor', role: 'Trinity' },
        { name: 'Lana Wachowski', kind: 'Director' },
        { name: 'Lilly Wachowski', kind: 'Director' },
        { name: 'Lilly Wachowski', kind: 'Writer' },
      ],
      studios: ['Warner Bros.'],
      providerIds: { Imdb: 'tt0133093', Tmdb: '603' },
      runtimeSeconds: 8160,
    });
  });

  it('reads the first episode of a multi-episode nfo, decoding character references', () => {
    assert.deepEqual(parseNfo(fixture('episode.nfo')), {
      kind: 'episode',
      title: 'Café & Crème',
      seriesName: 'Demo Show',
      seasonNumber: 2,
      episodeNumber: 5,
      overview: 'Line one.\nLine two.',
      premiereDate: '2021-10-04T00:00:00.000Z',
      productionYear: 2021,
      officialRating: 'TV-14',
      people: [{ name: 'Guest Person', kind: 'Actor', role: 'Barista' }],
      providerIds: { Tvdb: '8765' },
    });
  });

  it('reads a tvshow nfo as series metadata', () => {
    assert.deepEqual(parseNfo(fixture('tvshow.nfo')), {
      kind: 'series',
      seriesName: 'Demo Show',
      overview: 'A show.',
      premiereDate: '2020-01-06T00:00:00.000Z',
      productionYear: 2020,
      genres: ['Comedy'],
    });
  });

  it('returns undefined for URL-only and broken files instead of throwing', () => {
    assert.equal(parseNfo('https://www.themoviedb.org/movie/603\n'), undefined);
    assert.equal(parseNfo('<movie><title>Unclosed</movie>'), undefined);
    assert.equal(parseNfo(''), undefined);
  });

  it('ignores an impossible date and keeps the year', () => {
    assert.deepEqual(parseNfo('<movie><premiered>2023-02-30</premiered><year>2023</year></movie>'), { kind: 'movie', productionYear: 2023 });
  });
});
