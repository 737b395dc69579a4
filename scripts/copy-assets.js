// Copies the non-TypeScript files tests and the runtime read (fixtures, SQL, static assets) next
// to the compiled JavaScript in dist/, so code that resolves paths relative to its own module
// works the same from source (tsx) and from dist/.
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const roots = ['plugin', 'adapters', 'tests'];
// native/: C sources and node-gyp output of the optional addon, loaded from node_modules.
const skip = new Set(['node_modules', 'dist', 'native']);

function walk(dir) {
  for (const entry of readdirSync(dir)) {
    if (skip.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path);
    else if (!/\.(ts|tsx)$/.test(entry) || entry.endsWith('.d.ts')) {
      cpSync(path, join('dist', relative('.', path)));
    }
  }
}

for (const root of roots) if (existsSync(root)) walk(root);
