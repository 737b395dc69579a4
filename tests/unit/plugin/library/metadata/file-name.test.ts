import { strict as assert } from 'node:assert';
import { cleanName, isVideoFile, parseFileName, parseFolderName, parseSeasonFolder, sortTitleOf } from '../../../../../plugin/library/metadata/file-name.js';

describe('parseFileName', () => {
  const cases: readonly (readonly [string, object])[] = [
    ['Show Name - S02E05 - Episode Title.mkv', { kind: 'episode', seriesName: 'Show Name', seasonNumber: 2, episodeNumber: 5, title: 'Episode Title' }],
    ['Show.Name.S02E05.Episode.Title.720p.HDTV.x264.mkv', { kind: 'episode', seriesName: 'Show Name', seasonNumber: 2, episodeNumber: 5, title: 'Episode Title' }],
    ['show_name_s1e10.mp4', { kind: 'episode', seriesName: 'show name', seasonNumber: 1, episodeNumber: 10 }],
    ['Demo Show - S01E01E02 - Double.mp4', { kind: 'episode', seriesName: 'Demo Show', seasonNumber: 1, episodeNumber: 1, title: 'Double' }],
    ['S03E07.mkv', { kind: 'episode', seasonNumber: 3, episodeNumber: 7 }],
    ['Show 2x05 Title.avi', { kind: 'episode', seriesName: 'Show', seasonNumber: 2, episodeNumber: 5, title: 'Title' }],
    ['Daily Show - 2024-01-05 - Guest Night.ts', { seriesName: 'Daily Show', premiereDate: '2024-01-05T00:00:00.000Z', title: 'Guest Night' }],
    ['Movie (1999).mp4', { title: 'Movie', productionYear: 1999 }],
    ['The Movie [2010] extended.mkv', { title: 'The Movie', productionYear: 2010 }],
    ['Movie.Title.2019.1080p.BluRay.x264.mkv', { title: 'Movie Title', productionYear: 2019 }],
    ['2001 A Space Odyssey.mkv', { title: '2001 A Space Odyssey' }],
    ['home_video_clip.webm', { title: 'home video clip' }],
    ['Plain Title.mpg', { title: 'Plain Title' }],
  ];
  for (const [name, expected] of cases) {
    it(`reads "${name}"`, () => {
      assert.deepEqual(parseFileName(name), expected);
    });
  }
});

describe('parseSeasonFolder', () => {
  it('recognises season folders in several spellings', () => {
    assert.equal(parseSeasonFolder('Season 2'), 2);
    assert.equal(parseSeasonFolder('season 02'), 2);
    assert.equal(parseSeasonFolder('Season.10'), 10);
    assert.equal(parseSeasonFolder('S3'), 3);
    assert.equal(parseSeasonFolder('Staffel 4'), 4);
    assert.equal(parseSeasonFolder('Specials'), 0);
  });

  it('does not take ordinary folders for seasons', () => {
    assert.equal(parseSeasonFolder('Seasonal Movies'), undefined);
    assert.equal(parseSeasonFolder('Extras'), undefined);
    assert.equal(parseSeasonFolder('Summer 2020'), undefined);
  });
});

describe('parseFolderName', () => {
  it('splits a trailing year', () => {
    assert.deepEqual(parseFolderName('Big Test Pattern (2024)'), { title: 'Big Test Pattern', productionYear: 2024 });
    assert.deepEqual(parseFolderName('Movies'), { title: 'Movies' });
  });
});

describe('sortTitleOf', () => {
  it('drops a leading article', () => {
    assert.equal(sortTitleOf('The Matrix'), 'Matrix');
    assert.equal(sortTitleOf('A Bug’s Life'), 'Bug’s Life');
    assert.equal(sortTitleOf('The'), 'The');
    assert.equal(sortTitleOf('Theory'), 'Theory');
  });
});

describe('isVideoFile', () => {
  it('accepts video extensions in any case and rejects sidecars', () => {
    for (const name of ['a.mp4', 'b.MKV', 'c.ts', 'd.m2ts', 'e.TiVo', 'f.vob', 'g.webm']) assert.ok(isVideoFile(name), name);
    for (const name of ['a.nfo', 'a.mp4.txt', 'poster.jpg', 'mp4', '.mp4']) assert.ok(!isVideoFile(name), name);
  });
});

describe('cleanName', () => {
  it('turns dots and underscores into spaces only when the name has no spaces', () => {
    assert.equal(cleanName('Dr.Strangelove'), 'Dr Strangelove');
    assert.equal(cleanName('Dr. Strangelove'), 'Dr. Strangelove');
    assert.equal(cleanName(' - Title - '), 'Title');
  });
});
