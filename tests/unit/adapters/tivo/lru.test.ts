import { strict as assert } from 'node:assert';
import { Lru } from '../../../../adapters/tivo/lru.js';

describe('Lru', () => {
  it('drops the least recently used key past its capacity', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    assert.equal(lru.get('a'), 1); // a is now newer than b
    lru.set('c', 3);
    assert.equal(lru.get('b'), undefined);
    assert.equal(lru.get('a'), 1);
    assert.equal(lru.get('c'), 3);
  });

  it('forgets one key on delete and every key on clear', () => {
    const lru = new Lru<string, number>(4);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.delete('a');
    assert.equal(lru.get('a'), undefined);
    assert.equal(lru.get('b'), 2);
    lru.clear();
    assert.equal(lru.get('b'), undefined);
  });
});
