/**
 * `npm run bench`: runs every tests/bench/*.bench.js module one after the other and prints each
 * result as a ratio against a baseline measured in the same run. `--only NAME` runs one module.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule, BenchResult } from './types.js';

async function main(): Promise<void> {
  const dir = dirname(fileURLToPath(import.meta.url));
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
  const modules = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.js'))
    .filter((f) => !only || f.startsWith(only))
    .sort();
  const all: { module: string; result: BenchResult }[] = [];
  for (const file of modules) {
    process.stdout.write(`\n== ${file.replace('.bench.js', '')}\n`);
    try {
      const mod = (await import(pathToFileURL(join(dir, file)).href)) as BenchModule;
      for (const result of await mod.run()) {
        all.push({ module: file, result });
        const ratio = result.ratio === undefined ? '' : `  ratio ${result.ratio}`;
        process.stdout.write(`${result.pass ? 'PASS' : 'MISS'}  ${result.name}: ${result.value} ${result.unit}${ratio}  [${result.target}]\n`);
        if (result.notes) process.stdout.write(`      ${result.notes}\n`);
      }
    } catch (error) {
      process.stdout.write(`FAIL  ${file}: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      all.push({ module: file, result: { name: file, value: 0, unit: '', target: 'ran', pass: false } });
    }
  }
  const missed = all.filter((r) => !r.result.pass).length;
  process.stdout.write(`\n${all.length - missed} targets met, ${missed} missed\n`);
  process.exitCode = missed > 0 ? 1 : 0;
}

void main();
