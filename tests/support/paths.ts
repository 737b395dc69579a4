/** Locates the repository root from source (tsx) or from dist/ alike. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'plugin'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repository root not found');
    dir = parent;
  }
}

/** A path under tests/fixtures in the source tree. */
export function fixturePath(...parts: string[]): string {
  return join(repoRoot(), 'tests', 'fixtures', ...parts);
}
