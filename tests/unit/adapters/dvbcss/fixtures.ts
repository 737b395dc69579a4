/** Reads a DVB-CSS fixture (tests run from the repository root, under tsx or compiled). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(process.cwd(), 'tests', 'fixtures', 'dvbcss', name), 'utf8'));
}
