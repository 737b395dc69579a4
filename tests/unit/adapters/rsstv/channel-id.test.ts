import { strict as assert } from 'node:assert';
import { callSignFor, formatTvChannel, parseTvChannel } from '../../../../adapters/rsstv/channel-id.js';

describe('tvchannel values', () => {
  describe('parseTvChannel', () => {
    const cases: [string, { callSign: string; number?: string }][] = [
      ['C61FOOD', { callSign: 'FOOD', number: '61' }],
      ['C61FOOD.zap2it.com', { callSign: 'FOOD', number: '61' }],
      ['C13.1KERA-HD', { callSign: 'KERA-HD', number: '13.1' }],
      ['C13.1KERA.labs.zap2it.com', { callSign: 'KERA', number: '13.1' }],
      ['61 FOOD', { callSign: 'FOOD', number: '61' }],
      ['FOOD', { callSign: 'FOOD' }],
      ['CNN', { callSign: 'CNN' }],
      ['c7kcet', { callSign: 'KCET', number: '7' }],
    ];
    for (const [text, expected] of cases) it(`reads ${text}`, () => assert.deepEqual(parseTvChannel(text), expected));

    it('lets an explicit call sign win', () => assert.deepEqual(parseTvChannel('C61FOOD', 'food-hd'), { callSign: 'FOOD-HD', number: '61' }));
    it('takes the number from channelnumber when the string has none', () => assert.deepEqual(parseTvChannel(undefined, 'KERA', '13'), { callSign: 'KERA', number: '13' }));
    it('gives up on nothing usable', () => {
      assert.equal(parseTvChannel('61'), undefined);
      assert.equal(parseTvChannel(''), undefined);
      assert.equal(parseTvChannel('<script>'), undefined);
    });
  });

  describe('formatTvChannel', () => {
    it('writes C<number><CALLSIGN>', () => assert.equal(formatTvChannel('61', 'food'), 'C61FOOD'));
    it('keeps sub-channel numbers', () => assert.equal(formatTvChannel('13.1', 'KERA-HD'), 'C13.1KERA-HD'));
    it('writes the bare call sign without a numeric number', () => assert.equal(formatTvChannel('kera.example', 'KERA'), 'KERA'));
    it('round-trips through the parser', () => assert.deepEqual(parseTvChannel(formatTvChannel('231', 'FOOD')), { callSign: 'FOOD', number: '231' }));
  });

  describe('callSignFor', () => {
    it('uses the channel call sign', () => assert.equal(callSignFor({ name: 'Food Network', callSign: 'FOOD' }), 'FOOD'));
    it('compacts a name without one', () => assert.equal(callSignFor({ name: 'BBC One' }), 'BBCONE'));
    it('keeps a letter first', () => assert.equal(callSignFor({ name: '4Music' }), 'X4MUSIC'));
  });
});
