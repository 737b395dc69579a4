import { strict as assert } from 'node:assert';
import { capabilitiesForTsn, normaliseTsn } from '../../../../adapters/tivo/models.js';
import { mapRating } from '../../../../adapters/tivo/ratings.js';

describe('capabilitiesForTsn', () => {
  const cases: ReadonlyArray<readonly [string | undefined, string, boolean]> = [
    ['540000000000001', 'sd', false],
    ['240-0000-0000-0001', 'sd', false],
    ['649000000000001', 'sd', true],
    ['648000000000001', 'hd', false],
    ['652000000000001', 'hd', false],
    ['658000000000001', 'hd', false],
    ['663000000000001', 'ts', false],
    ['746000000000001', 'ts', false],
    ['848000000000001', 'ts', false],
    ['849000000000001', 'ts', false],
    [undefined, 'sd', false],
    ['garbage!', 'sd', false],
  ];
  for (const [tsn, cls, pads] of cases) {
    it(`treats ${tsn ?? 'no TSN'} as ${cls}`, () => {
      const caps = capabilitiesForTsn(tsn);
      assert.equal(caps.modelClass, cls);
      assert.equal(caps.sdPads169, pads);
      assert.equal(caps.ts, cls === 'ts');
      assert.equal(caps.maxHeight, cls === 'sd' ? 480 : 1080);
    });
  }
  it('lets the device setting override the TSN', () => {
    assert.equal(capabilitiesForTsn('746000000000001', 'sd').modelClass, 'sd');
  });
  it('normalises dashes, spaces and the tsn: prefix', () => {
    assert.equal(normaliseTsn(' tsn:746-0000-0000-0001 '), '746000000000001');
  });
});

describe('mapRating', () => {
  it('maps TV ratings to TiVo TV codes', () => {
    assert.equal(mapRating('TV-Y7')?.tv?.code, 1);
    assert.equal(mapRating('TV-Y7-FV')?.tv?.code, 1);
    assert.equal(mapRating('TV-Y')?.tv?.code, 2);
    assert.equal(mapRating('TV-G')?.tv?.code, 3);
    assert.equal(mapRating('TV-PG')?.tv?.code, 4);
    assert.equal(mapRating('TV-14')?.tv?.code, 5);
    assert.equal(mapRating('TV-MA')?.tv?.code, 6);
    assert.equal(mapRating('US:TV-PG')?.tv?.code, 4);
  });
  it('maps MPAA ratings to TiVo MPAA codes', () => {
    assert.equal(mapRating('G')?.mpaa?.code, 1);
    assert.equal(mapRating('PG')?.mpaa?.code, 2);
    assert.equal(mapRating('PG-13')?.mpaa?.code, 3);
    assert.equal(mapRating('R')?.mpaa?.code, 4);
    assert.equal(mapRating('NC-17')?.mpaa?.code, 6);
    assert.equal(mapRating('Unrated')?.mpaa?.code, 8);
  });
  it('maps unknown strings to nothing', () => {
    assert.deepEqual(mapRating('FSK-12'), {});
    assert.deepEqual(mapRating(undefined), {});
  });
});
