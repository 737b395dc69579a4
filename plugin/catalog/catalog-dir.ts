/**
 * Where `npm run package-plugin` leaves the catalog (manifest.json + zips): `<install>/dist/catalog`,
 * found from this module's own location so it works from dist/ and under tsx alike.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function defaultCatalogDir(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'catalog');
    const parent = dirname(dir);
    if (parent === dir) return join(dirname(from), 'catalog');
    dir = parent;
  }
}
