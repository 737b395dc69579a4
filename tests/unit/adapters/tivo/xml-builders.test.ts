import { strict as assert } from 'node:assert';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

// XMLValidator is marked deprecated (moved to fast-xml-validator); same code, and fast-xml-parser is the allowed package.
// eslint-disable-next-line @typescript-eslint/no-deprecated
const validateXml = (xml: string): true | object => XMLValidator.validate(xml);
import type { MediaItem } from '../../../../plugin/index.js';
import { tivoMetadata, tivoPersonName } from '../../../../adapters/tivo/metadata.js';
import { buildFolderContainer, buildRootContainer } from '../../../../adapters/tivo/xml/container-builder.js';
import { buildTvBusDetails, isoDuration } from '../../../../adapters/tivo/xml/details-builder.js';
import { buildQueryFormats, buildQueryServer } from '../../../../adapters/tivo/xml/server-builder.js';
import { hexTime, uniqueIdOf } from '../../../../adapters/tivo/xml/xml.js';
import { captureBody } from './helpers.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });

const episode: MediaItem = {
  kind: 'item',
  id: 'abc123',
  title: 'The One With The Bars',
  sortTitle: 'One With The Bars',
  dateCreated: '2026-11-21T04:14:26Z',
  type: 'episode',
  seriesName: 'Test Pattern',
  seasonNumber: 1,
  episodeNumber: 2,
  overview: 'A twenty second synthetic test clip.',
  premiereDate: '2020-01-02T00:00:00Z',
  officialRating: 'TV-PG',
  genres: ['Documentary'],
  people: [{ name: 'Jane Doe', kind: 'Actor' }],
  studios: ['TEST'],
  durationSeconds: 20,
  playable: true,
  providerIds: {},
};

describe('buildTvBusDetails', () => {
  const xml = buildTvBusDetails(tivoMetadata(episode));
  const ours = parser.parse(xml) as Record<string, Record<string, unknown>>;
  const theirs = parser.parse(captureBody('11-TVBusQuery-details.txt')) as Record<string, Record<string, unknown>>;
  const env = ours['TvBusMarshalledStruct:TvBusEnvelope']!;
  const ref = theirs['TvBusMarshalledStruct:TvBusEnvelope']!;

  it('has pyTivo root attributes, namespaces and schema locations (transcript 11)', () => {
    for (const [k, v] of Object.entries(ref).filter(([key]) => key.startsWith('@_'))) assert.equal(env[k], v, k);
  });
  it('carries the same program fields as pyTivo for the same metadata', () => {
    const showing = env['showing'] as Record<string, Record<string, unknown>>;
    const refShowing = ref['showing'] as Record<string, Record<string, unknown>>;
    const program = showing['program']!;
    const refProgram = refShowing['program']!;
    for (const key of ['title', 'episodeTitle', 'episodeNumber', 'description', 'isEpisode', 'originalAirDate']) assert.equal(program[key], refProgram[key], key);
    assert.deepEqual(program['vActor'], { element: 'Doe|Jane' });
    assert.deepEqual(program['vProgramGenre'], { element: 'Documentary' });
    assert.equal((program['series'] as Record<string, unknown>)['seriesTitle'], 'Test Pattern');
    assert.deepEqual(showing['tvRating'], refShowing['tvRating']);
    assert.equal(env['recordedDuration'], ref['recordedDuration']);
  });
  it('is deterministic (the header length must not change between listing and transfer)', () => {
    assert.equal(buildTvBusDetails(tivoMetadata(episode)), xml);
  });
});

describe('buildFolderContainer', () => {
  const tricky = 'Tom & Jerry <Special> “Ünïcödé” 日本 \u0001';
  const xml = buildFolderContainer({
    title: tricky,
    uniqueId: uniqueIdOf('f'),
    totalItems: 2,
    itemStart: 0,
    entries: [
      { kind: 'folder', title: tricky, container: 'f2', uniqueId: 1, totalItems: 3, lastCaptureTime: 0x6b011a3d },
      {
        kind: 'video',
        title: tricky,
        mime: 'video/x-tivo-mpeg',
        sourceSize: 11_587_200,
        durationMs: 20_000,
        episodeTitle: 'E & <1>',
        description: '',
        callsign: 'TEST',
        episodeNumber: 102,
        tvRating: 4,
        captureTime: 0x6b011a3c,
        uniqueId: -5,
        contentUrl: '/abc%20%26/Tom-Jerry.mpg',
        detailsUrl: '/TiVoConnect?Command=TVBusQuery&Container=f&File=%2Fabc',
      },
    ],
  });
  it('is well-formed for any title and keeps & < and non-ASCII', () => {
    assert.equal(validateXml(xml), true);
    const doc = parser.parse(xml) as { TiVoContainer: { Details: { Title: string }; Item: Array<{ Details: Record<string, string>; Links: Record<string, { Url: string }> }> } };
    assert.equal(doc.TiVoContainer.Details.Title, 'Tom & Jerry <Special> “Ünïcödé” 日本'); // control char removed, trailing space trimmed by the parser
    const video = doc.TiVoContainer.Item[1]!;
    assert.equal(video.Details['SourceSize'], '11587200');
    assert.equal(video.Details['Duration'], '20000');
    assert.equal(video.Details['CaptureDate'], '0x6b011a3c');
    assert.equal(video.Links['Content']!.Url, '/abc%20%26/Tom-Jerry.mpg');
    assert.equal(video.Links['TiVoVideoDetails']!.Url, '/TiVoConnect?Command=TVBusQuery&Container=f&File=%2Fabc');
  });
  it('uses the element names and order of pyTivo listings (transcript 03)', () => {
    const ours = parser.parse(xml) as { TiVoContainer: Record<string, unknown> };
    const theirs = parser.parse(captureBody('03-QueryContainer-share-S2.txt')) as { TiVoContainer: Record<string, unknown> };
    assert.deepEqual(Object.keys(ours.TiVoContainer), Object.keys(theirs.TiVoContainer));
    const ourItems = ours.TiVoContainer['Item'] as Array<{ Details: object; Links: object }>;
    const theirItems = theirs.TiVoContainer['Item'] as Array<{ Details: object; Links: object }>;
    assert.deepEqual(Object.keys(ourItems[0]!.Details), Object.keys(theirItems[0]!.Details));
    assert.deepEqual(Object.keys(ourItems[1]!.Links), Object.keys(theirItems[1]!.Links));
    // Deliberate difference: we add UniqueId to videos (stable, from the item id).
    assert.deepEqual(
      Object.keys(ourItems[1]!.Details).filter((k) => k !== 'UniqueId'),
      Object.keys(theirItems[1]!.Details).filter((k) => k !== 'ProgramId'),
    );
  });
});

describe('buildRootContainer', () => {
  it('has the shape of pyTivo root listing (transcript 02)', () => {
    const ours: unknown = parser.parse(buildRootContainer('vm', [{ title: 'Videos', container: 'Videos' }]));
    const theirs: unknown = parser.parse(captureBody('02-QueryContainer-root.txt'));
    assert.deepEqual(ours, theirs);
  });
});

describe('buildQueryFormats', () => {
  it('matches pyTivo for S2 and Premiere (transcripts 09, 10)', () => {
    assert.deepEqual(parser.parse(buildQueryFormats(['video/x-tivo-mpeg'])), parser.parse(captureBody('09-QueryFormats-S2.txt')));
    assert.deepEqual(parser.parse(buildQueryFormats(['video/x-tivo-mpeg', 'video/x-tivo-mpeg-ts'])), parser.parse(captureBody('10-QueryFormats-Premiere.txt')));
  });
});

describe('buildQueryServer', () => {
  it('has the five TiVoServer fields', () => {
    const doc = parser.parse(buildQueryServer({ name: 'Jelly & Bridge', version: '0.1.0' })) as { TiVoServer: Record<string, string> };
    assert.deepEqual(Object.keys(doc.TiVoServer), ['Version', 'InternalName', 'InternalVersion', 'Organization', 'Comment']);
    assert.equal(doc.TiVoServer['InternalName'], 'Jelly & Bridge');
  });
});

describe('metadata helpers', () => {
  it('formats people, durations and dates as TiVo does', () => {
    assert.equal(tivoPersonName('Jane Doe'), 'Doe|Jane');
    assert.equal(tivoPersonName('Cher'), 'Cher');
    assert.equal(isoDuration(20_000), 'P0DT0H0M20S');
    assert.equal(isoDuration(90_061_000), 'P1DT1H1M1S');
    assert.equal(hexTime(0x6b011a3c), '0x6b011a3c');
  });
  it('gives stable UniqueIds from item ids', () => {
    assert.equal(uniqueIdOf('abc123'), uniqueIdOf('abc123'));
    assert.notEqual(uniqueIdOf('abc123'), uniqueIdOf('abc124'));
  });
  it('numbers episodes season × 100 + episode and uses the series as title', () => {
    const m = tivoMetadata(episode);
    assert.deepEqual([m.title, m.episodeTitle, m.episodeNumber, m.tvRating?.code], ['Test Pattern', 'The One With The Bars', 102, 4]);
  });
});
