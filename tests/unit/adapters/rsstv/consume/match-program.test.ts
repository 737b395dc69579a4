import { strict as assert } from 'node:assert';
import { matchProgram } from '../../../../../adapters/rsstv/consume/match-program.js';
import type { Program } from '../../../../../plugin/index.js';

const T = Date.parse('2026-11-21T19:00:00Z');
const MIN = 60_000;

function program(id: string, startMin: number, endMin: number, channelId = 'food'): Program {
  return { id, channelId, title: id, start: new Date(T + startMin * MIN).toISOString(), end: new Date(T + endMin * MIN).toISOString(), isSeries: false, isMovie: false, genres: [] };
}

const GUIDE = [program('before', -30, 0), program('target', 0, 30), program('after', 30, 60), program('other-channel', 0, 30, 'kera')];

describe('guide programme matching', () => {
  describe('#matchProgram', () => {
    it('picks the programme with the largest overlap', () => assert.equal(matchProgram(GUIDE, { channelId: 'food', start: T, stop: T + 30 * MIN })?.id, 'target'));
    it('accepts a start up to 10 minutes off', () => assert.equal(matchProgram(GUIDE, { channelId: 'food', start: T + 8 * MIN, stop: T + 38 * MIN })?.id, 'target'));
    it('refuses a start more than 10 minutes off', () => assert.equal(matchProgram([program('target', 0, 60)], { channelId: 'food', start: T + 15 * MIN, stop: T + 60 * MIN }), undefined));
    it('refuses an overlap under half of the airing', () => assert.equal(matchProgram([program('short', 0, 10)], { channelId: 'food', start: T, stop: T + 60 * MIN }), undefined));
    it('stays on the resolved channel', () => assert.equal(matchProgram(GUIDE, { channelId: 'bbc', start: T, stop: T + 30 * MIN }), undefined));
    it('follows a programme-id hint only when it passes the same test', () => {
      const guide = [program('a', 0, 30), program('b', 5, 30)];
      assert.equal(matchProgram(guide, { channelId: 'food', start: T, stop: T + 30 * MIN, programIdHint: 'b' })?.id, 'b');
      assert.equal(matchProgram(guide, { channelId: 'food', start: T, stop: T + 30 * MIN, programIdHint: 'before' })?.id, 'a');
    });
  });
});
