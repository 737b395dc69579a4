/**
 * Enforces the dependency rules of DESIGN.md §5 and the `.js` specifier rule of §7.1 by scanning
 * every import specifier in the sources, so the rules survive lint drift.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { repoRoot } from '../support/paths.js';

interface ImportRef {
  readonly file: string;
  readonly specifier: string;
  readonly typeOnly: boolean;
}

const root = repoRoot();

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (entry === 'node_modules' || entry === 'fixtures' || entry === 'jellyfin-companion') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) out.push(relative(root, path).split(sep).join('/'));
  }
  return out;
}

const IMPORT_RE = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): ImportRef[] {
  const text = readFileSync(join(root, file), 'utf8');
  const refs: ImportRef[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    const specifier = m[3] ?? m[4];
    if (specifier) refs.push({ file, specifier, typeOnly: Boolean(m[2]) });
  }
  return refs;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? specifier);
}

function resolveRelative(file: string, specifier: string): string {
  const parts = file.split('/').slice(0, -1);
  for (const piece of specifier.split('/')) {
    if (piece === '.' || piece === '') continue;
    if (piece === '..') parts.pop();
    else parts.push(piece);
  }
  return parts.join('/');
}

/** Which top-level areas may import a package at run time (DESIGN.md §5). */
const PACKAGE_OWNERS: Readonly<Record<string, readonly string[]>> = {
  '@jellyfin/sdk': ['plugin/jellyfin/'],
  axios: ['plugin/jellyfin/'],
  'better-sqlite3': ['plugin/state/'],
  'fluent-ffmpeg': ['plugin/transcode/'],
  ws: ['plugin/jellyfin/', 'adapters/dvbcss/'],
  'fast-xml-parser': ['adapters/tivo/', 'adapters/rsstv/'],
  'multicast-dns': ['adapters/tivo/'],
};

const files = [...sourceFiles(join(root, 'plugin')), ...sourceFiles(join(root, 'adapters')), ...sourceFiles(join(root, 'tests'))];
const allImports = files.flatMap(importsOf);

describe('architecture', () => {
  it('finds the sources it checks', () => {
    assert.ok(files.includes('plugin/app.ts'), 'plugin/app.ts scanned');
    assert.ok(allImports.length > 20);
  });

  it('writes every relative import with an explicit .js (or .json) extension', () => {
    const bad = allImports.filter((r) => r.specifier.startsWith('.') && !/\.(js|json)$/.test(r.specifier));
    assert.deepEqual(bad.map((r) => `${r.file}: ${r.specifier}`), []);
  });

  it('imports Node built-ins with the node: prefix', () => {
    const builtins = new Set(['fs', 'path', 'http', 'https', 'net', 'dgram', 'crypto', 'os', 'url', 'util', 'stream', 'child_process', 'events', 'zlib', 'assert', 'timers', 'buffer', 'readline', 'dns', 'tls']);
    const bad = allImports.filter((r) => builtins.has(r.specifier.split('/')[0] ?? ''));
    assert.deepEqual(bad.map((r) => `${r.file}: ${r.specifier}`), []);
  });

  it('keeps adapters to the core public entry, their own files and node built-ins', () => {
    const bad = allImports.filter((r) => {
      if (!r.file.startsWith('adapters/') || r.file === 'adapters/index.ts') return false;
      if (!r.specifier.startsWith('.')) return false;
      const own = r.file.split('/').slice(0, 2).join('/') + '/';
      const target = resolveRelative(r.file, r.specifier);
      return !(target.startsWith(own) || target === 'plugin/index.js' || target === 'plugin/adapter.js');
    });
    assert.deepEqual(bad.map((r) => `${r.file}: ${r.specifier}`), []);
  });

  it('never imports adapters from the core, except main.ts importing adapters/index.ts', () => {
    const bad = allImports.filter((r) => {
      if (!r.file.startsWith('plugin/') || !r.specifier.startsWith('.')) return false;
      const target = resolveRelative(r.file, r.specifier);
      if (!target.startsWith('adapters/')) return false;
      return !(r.file === 'plugin/main.ts' && target === 'adapters/index.js');
    });
    assert.deepEqual(bad.map((r) => `${r.file}: ${r.specifier}`), []);
  });

  it('imports each owned package only in its owner folders', () => {
    const bad = allImports.filter((r) => {
      if (r.file.startsWith('tests/') || r.typeOnly) return false;
      const owners = PACKAGE_OWNERS[packageName(r.specifier)];
      return owners !== undefined && !owners.some((o) => r.file.startsWith(o));
    });
    assert.deepEqual(bad.map((r) => `${r.file}: ${r.specifier}`), []);
  });

  it('has no default exports', () => {
    const bad = files.filter((f) => /^\s*export\s+default\b/m.test(readFileSync(join(root, f), 'utf8')));
    assert.deepEqual(bad, []);
  });
});
