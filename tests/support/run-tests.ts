/**
 * Runs the compiled test suites with mocha and prints the plain closing line CI reads:
 * `N passed, N failed, N skipped`. Exits non-zero on any failure (or when no test ran).
 *
 *   node dist/tests/support/run-tests.js [--unit] [--integration] [--grep TEXT]
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Mocha from 'mocha';

const testsRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

function collect(dir: string, suffix: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...collect(path, suffix));
    else if (entry.endsWith(suffix)) files.push(path);
  }
  return files;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unitOnly = args.includes('--unit');
  const integrationOnly = args.includes('--integration');
  const grepIndex = args.indexOf('--grep');
  const grep = grepIndex >= 0 ? args[grepIndex + 1] : undefined;

  const mocha = new Mocha({ reporter: 'spec', timeout: 60_000, slow: 5_000, ...(grep ? { grep } : {}) });
  const files = [
    ...(integrationOnly ? [] : collect(join(testsRoot, 'unit'), '.test.js')),
    ...(unitOnly ? [] : collect(join(testsRoot, 'integration'), '.integration.js')),
  ];
  for (const file of files) mocha.addFile(file);
  await mocha.loadFilesAsync();
  process.stdout.write(`running ${files.length} test files from ${relative(process.cwd(), testsRoot) || '.'}\n`);

  const stats = await new Promise<{ passes: number; failures: number; pending: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }));
  });
  process.stdout.write(`\n${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped\n`);
  if (stats.passes + stats.failures === 0) {
    process.stdout.write('no test ran\n');
    return 1;
  }
  return stats.failures > 0 ? 1 : 0;
}

main().then(
  (code) => {
    // Exit explicitly: a leaked handle in a test must not hang CI, but it is still reported.
    process.exitCode = code;
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`test runner failed: ${String(error)}\n`);
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  },
);
