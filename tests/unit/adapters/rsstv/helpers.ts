import { XMLParser } from 'fast-xml-parser';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Path of a fixture in tests/fixtures/rsstv. */
export function fixturePath(name: string): string {
  return join(here, '../../../fixtures/rsstv', name);
}

/** A fixture file from tests/fixtures/rsstv as bytes. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(fixturePath(name));
}

/** Whether `xml` is well-formed (fast-xml-parser's validating parse). */
export function wellFormed(xml: string): boolean {
  try {
    // Deprecated in favour of fast-xml-validator, which is not a dependency of ours.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    new XMLParser().parse(xml, true);
    return true;
  } catch {
    return false;
  }
}
