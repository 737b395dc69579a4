/** Loads the golden Jellyfin DTO fixtures (tests/fixtures/jellyfin/dto/). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'jellyfin', 'dto');

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed loader: the caller names the DTO type
export function dtoFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as T;
}
