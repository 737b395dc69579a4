import { strict as assert } from 'node:assert';
import { resolveChannel } from '../../../../../adapters/rsstv/consume/resolve-channel.js';
import type { Channel } from '../../../../../plugin/index.js';

const LINEUP: readonly Channel[] = [
  { id: 'food', number: '231', name: 'FOOD', callSign: 'FOOD' },
  { id: 'kera', number: '13.1', name: 'KERA-HD', callSign: 'KERA-HD' },
  { id: 'bbc1', number: '7', name: 'BBC One' },
  { id: 'wgbh', number: '2', name: 'WGBH DT' },
];

function resolvedId(result: ReturnType<typeof resolveChannel>): string | undefined {
  return result.kind === 'resolved' ? result.channel.id : undefined;
}

describe('call-sign channel resolution', () => {
  describe('#resolveChannel', () => {
    it('resolves C61FOOD to FOOD on 231 (numbers differ)', () => assert.equal(resolvedId(resolveChannel({ callSign: 'FOOD', number: '61' }, LINEUP)), 'food'));
    it('resolves KERA to KERA-HD', () => assert.equal(resolvedId(resolveChannel({ callSign: 'KERA', number: '13' }, LINEUP)), 'kera'));
    it('resolves WGBH to a name with a DT token', () => assert.equal(resolvedId(resolveChannel({ callSign: 'WGBH' }, LINEUP)), 'wgbh'));
    it('resolves a compacted name (BBCONE)', () => assert.equal(resolvedId(resolveChannel({ callSign: 'BBCONE', number: '1' }, LINEUP)), 'bbc1'));

    it('reports two channels named FOOD as ambiguous', () => {
      const lineup = [...LINEUP, { id: 'food2', number: '61', name: 'FOOD' }];
      const result = resolveChannel({ callSign: 'FOOD' }, lineup);
      assert.equal(result.kind, 'ambiguous');
      assert.deepEqual(result.kind === 'ambiguous' ? result.candidates.map((c) => c.id) : [], ['food', 'food2']);
    });

    it('lets the number separate equal call signs', () => {
      const lineup = [...LINEUP, { id: 'food2', number: '61', name: 'FOOD' }];
      assert.equal(resolvedId(resolveChannel({ callSign: 'FOOD', number: '61' }, lineup)), 'food2');
    });

    it('prefers an exact call sign over a suffixed one', () => {
      const lineup = [...LINEUP, { id: 'kera-sd', number: '13.2', name: 'KERA' }];
      assert.equal(resolvedId(resolveChannel({ callSign: 'KERA' }, lineup)), 'kera-sd');
    });

    it('leaves an unknown call sign unresolved (never guesses by number unless allowed)', () => {
      assert.equal(resolveChannel({ callSign: 'NOPE', number: '231' }, LINEUP).kind, 'unresolved');
      assert.equal(resolvedId(resolveChannel({ callSign: 'NOPE', number: '231' }, LINEUP, { numberFallback: true })), 'food');
    });

    it('uses the owner alias map', () => {
      const result = resolveChannel({ callSign: 'BBC1' }, LINEUP, { aliases: { BBC1: 'bbc1' } });
      assert.ok(result.kind === 'resolved' && result.by === 'alias' && result.channel.id === 'bbc1');
    });
  });
});
