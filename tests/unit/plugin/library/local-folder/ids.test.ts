import { strict as assert } from 'node:assert';
import { channelIdOf, entryIdOf, fileTag, programIdOf } from '../../../../../plugin/library/local-folder/ids.js';

describe('local folder ids', () => {
  it('are stable across runs (golden values) and URL-safe', () => {
    // Golden: changing the derivation would orphan every id devices have stored.
    assert.equal(entryIdOf('Movies/Colour Bars (2023).mkv'), entryIdOf('Movies/Colour Bars (2023).mkv'));
    assert.equal(entryIdOf('Movies'), 'avLmnbqN3UoKvBQY');
    assert.equal(entryIdOf('TV/Demo Show'), 'Di5Vz2M9sXoQgFZG');
    for (const id of [entryIdOf('a/b c/ü.mp4'), channelIdOf('I10436.labs.zap2it.com'), programIdOf('x', 0), fileTag('a', 1, 2)]) {
      assert.match(id, /^[A-Za-z0-9_-]+$/);
    }
  });

  it('treat composed and decomposed Unicode paths alike', () => {
    assert.equal(entryIdOf('Caf\u00e9/x.mp4'), entryIdOf('Cafe\u0301/x.mp4'));
  });

  it('differ between paths, channels and programmes', () => {
    assert.notEqual(entryIdOf('a'), entryIdOf('b'));
    assert.notEqual(programIdOf('x', 1), programIdOf('x', 2));
    assert.notEqual(fileTag('a', 1, 2), fileTag('a', 1, 3));
  });
});
