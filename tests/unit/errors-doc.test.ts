/**
 * docs/errors.md lists every SidecarError code used in the sources, and nothing else.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';

const root = repoRoot();
/** Codes that belong to libraries we call (axios), compared against but never raised by us. */
const FOREIGN = new Set(['ERR_CANCELED']);

function tsFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules' || entry === 'jellyfin-companion') return [];
    return statSync(path).isDirectory() ? tsFiles(path) : entry.endsWith('.ts') ? [path] : [];
  });
}

describe('docs/errors.md', () => {
  const documented = new Set([...readFileSync(join(root, 'docs', 'errors.md'), 'utf8').matchAll(/^\|\s*(ERR_[A-Z0-9_]+)\s*\|/gm)].map((m) => m[1]));
  const used = new Set(
    [...tsFiles(join(root, 'plugin')), ...tsFiles(join(root, 'adapters'))].flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/['"`](ERR_[A-Z0-9_]+)['"`]/g)].map((m) => m[1])).filter((c) => c !== undefined && !FOREIGN.has(c)),
  );

  it('documents every code the sources use', () => {
    assert.deepEqual([...used].filter((c) => !documented.has(c)).sort(), []);
  });

  it('documents no code the sources do not use', () => {
    assert.deepEqual([...documented].filter((c) => !used.has(c)).sort(), []);
  });
});
