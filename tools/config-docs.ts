/**
 * `npm run config-docs`: writes docs/config.schema.json and docs/config.md from the core schema
 * and every adapter's schemas. tests/unit/config-docs.test.ts fails when they are stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adapterDescriptors } from '../adapters/index.js';
import { configJsonSchema, configMarkdown } from '../plugin/config/json-schema.js';

export function renderConfigDocs(): { readonly schema: string; readonly markdown: string } {
  const schema = configJsonSchema(adapterDescriptors);
  return { schema: JSON.stringify(schema, null, 2) + '\n', markdown: configMarkdown(schema) };
}

if (/config-docs\.(js|ts)$/.test(process.argv[1] ?? '')) {
  const { schema, markdown } = renderConfigDocs();
  writeFileSync(join(process.cwd(), 'docs', 'config.schema.json'), schema);
  writeFileSync(join(process.cwd(), 'docs', 'config.md'), markdown);
  process.stdout.write('wrote docs/config.schema.json and docs/config.md\n');
}
