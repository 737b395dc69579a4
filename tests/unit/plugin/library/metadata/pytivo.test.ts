import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { mergePyTivoRecords, parsePyTivoText, personName, pyTivoToMetadata } from '../../../../../plugin/library/metadata/pytivo.js';
import { fixturePath } from '../../../../support/paths.js';

const fixture = (name: string): string => readFileSync(fixturePath('library', name), 'utf8');

describe('parsePyTivoText', () => {
  it('reads key : value lines, skipping the BOM, comments and junk, and accumulates v-keys', () => {
    assert.deepEqual(parsePyTivoText(fixture('clip.mp4.txt')), {
      title: 'Test Pattern',
      seriesTitle: 'Test Pattern',
      episodeTitle: 'The One With The Bars',
      episodeNumber: '102',
      isEpisode: 'true',
      description: 'Colour bars: a description with a colon: see?',
      originalAirDate: '2009-06-30T00:00:00Z',
      tvRating: 'x4',
      programId: 'EP012345670102',
      seriesId: 'SH01234567',
      vProgramGenre: ['Comedy', 'Sitcom'],
      vSeriesGenre: ['Comedy'],
      vActor: ['Reeves|Keanu', 'Cher'],
      vDirector: ['Smith|Alan'],
      vGuestStar: ['Moss|Carrie-Anne'],
      Override_mapAudio: '0:1',
    });
  });

  it('handles CRLF line ends and empty values', () => {
    assert.deepEqual(parsePyTivoText('title : A\r\ndescription :\r\nvActor : X\r\n'), { title: 'A', vActor: ['X'] });
  });
});

describe('pyTivoToMetadata', () => {
  it('maps an episode record (season×100+episode, TiVo rating code, Last|First names)', () => {
    assert.deepEqual(pyTivoToMetadata(parsePyTivoText(fixture('clip.mp4.txt'))), {
      kind: 'episode',
      title: 'The One With The Bars',
      seriesName: 'Test Pattern',
      seasonNumber: 1,
      episodeNumber: 2,
      overview: 'Colour bars: a description with a colon: see?',
      premiereDate: '2009-06-30T00:00:00.000Z',
      productionYear: 2009,
      officialRating: 'TV-PG',
      genres: ['Comedy', 'Sitcom'],
      people: [
        { name: 'Keanu Reeves', kind: 'Actor' },
        { name: 'Cher', kind: 'Actor' },
        { name: 'Carrie-Anne Moss', kind: 'GuestStar' },
        { name: 'Alan Smith', kind: 'Director' },
      ],
      providerIds: { Zap2It: 'EP012345670102' },
    });
  });

  it('maps a movie record', () => {
    const record = parsePyTivoText('title : Colour Bars\nmovieYear : 2023\nisEpisode : false\nmpaaRating : P3\n');
    assert.deepEqual(pyTivoToMetadata(record), { kind: 'movie', title: 'Colour Bars', productionYear: 2023, officialRating: 'PG-13' });
  });

  it('lets a later file override an earlier one (default.txt, then <file>.txt)', () => {
    const merged = mergePyTivoRecords(parsePyTivoText('seriesTitle : Shared\nvProgramGenre : News\n'), parsePyTivoText('episodeTitle : Mine\nvProgramGenre : Drama\n'));
    const meta = pyTivoToMetadata(merged);
    assert.equal(meta.seriesName, 'Shared');
    assert.equal(meta.title, 'Mine');
    assert.deepEqual(meta.genres, ['Drama']);
  });

  it('treats an episode number below 100 as the episode alone', () => {
    assert.deepEqual(pyTivoToMetadata(parsePyTivoText('seriesTitle : S\nepisodeNumber : 7\n')), { kind: 'episode', seriesName: 'S', episodeNumber: 7 });
  });
});

describe('personName', () => {
  it('reorders Last|First', () => {
    assert.equal(personName('Reeves|Keanu'), 'Keanu Reeves');
    assert.equal(personName('Cher'), 'Cher');
  });
});
