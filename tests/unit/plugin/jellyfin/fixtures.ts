/** Loads the golden Jellyfin DTO fixtures (tests/fixtures/jellyfin/dto/). */
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../../support/paths.js';

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed loader: the caller names the DTO type
export function dtoFixture<T>(name: string): T {
  return JSON.parse(readFileSync(fixturePath('jellyfin', 'dto', `${name}.json`), 'utf8')) as T;
}
