/**
 * The friends' side holds no timer client (protocols/rsstv.md §6): nothing under suggest/,
 * guide/ or pages/ imports the reader or names a timer-writing method.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../support/paths.js';

const ROOT = join(repoRoot(), 'adapters', 'rsstv');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts')).map((f) => join(ROOT, dir, f));
}

describe('RSSTV module separation', () => {
  for (const dir of ['suggest', 'guide', 'pages']) {
    it(`keeps ${dir}/ away from the timer client`, () => {
      for (const file of sources(dir)) {
        const text = readFileSync(file, 'utf8');
        assert.doesNotMatch(text, /from '\.\.\/consume\//, file);
        assert.doesNotMatch(text, /createTimer|cancelTimer|listTimers/, file);
      }
    });
  }

  it('gives the guide snapshot only the two read methods', () => {
    const text = readFileSync(join(ROOT, 'guide', 'guide-snapshot.ts'), 'utf8');
    assert.match(text, /Pick<LiveTvFacade, 'listChannels' \| 'listPrograms'>/);
  });
});
