// Removes the compiled trees before tsc writes them again, so a source file that was deleted or
// moved leaves no stale .js behind (the test runner would still find and run a stale test).
// dist/catalog (written by `npm run package-plugin`, served by the sidecar) is kept.
import { rmSync } from 'node:fs';

for (const tree of ['plugin', 'adapters', 'tests', 'tools']) rmSync(`dist/${tree}`, { recursive: true, force: true });
