import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** A fixture file from tests/fixtures/tivo. */
export function fixture(name: string): string {
  return readFileSync(join(here, '../../../fixtures/tivo', name), 'utf8');
}

/** The body of a capture (after the `--- body (N bytes) ---` line). */
export function captureBody(name: string): string {
  const text = fixture(name);
  const m = /--- body \((\d+) bytes\) ---\n/.exec(text);
  if (!m) throw new Error(`no body in ${name}`);
  const start = m.index + m[0].length;
  return Buffer.from(text.slice(start), 'utf8').subarray(0, Number(m[1])).toString('utf8');
}

/** Bytes of the first hex-dump lines of a capture. */
export function captureHex(name: string): Buffer {
  const bytes: number[] = [];
  for (const line of fixture(name).split('\n')) {
    const m = /^[0-9a-f]{8}: ((?:[0-9a-f]{4} ?){1,8})/.exec(line);
    if (!m?.[1]) continue;
    for (const group of m[1].trim().split(' ')) for (let i = 0; i < group.length; i += 2) bytes.push(parseInt(group.slice(i, i + 2), 16));
  }
  return Buffer.from(bytes);
}
