/** Loads the golden Jellyfin DTO fixtures (tests/fixtures/jellyfin/dto/). */
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../../support/paths.js';

export function dtoFixture<T>(name: string): T {
  return JSON.parse(readFileSync(fixturePath('jellyfin', 'dto', `${name}.json`), 'utf8')) as T;
}
