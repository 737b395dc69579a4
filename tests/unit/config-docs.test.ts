import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigDocs } from '../../tools/config-docs.js';
import { repoRoot } from '../support/paths.js';

describe('docs/config.*', () => {
  const rendered = renderConfigDocs();

  it('config.schema.json is current (run `npm run config-docs`)', () => {
    assert.equal(readFileSync(join(repoRoot(), 'docs', 'config.schema.json'), 'utf8'), rendered.schema);
  });

  it('config.md is current and documents the core keys', () => {
    const markdown = readFileSync(join(repoRoot(), 'docs', 'config.md'), 'utf8');
    assert.equal(markdown, rendered.markdown);
    for (const key of ['dataDir', 'http.port', 'admin.bind', 'jellyfin.pathMappings', 'local.path', 'transcode.maxConcurrent', 'newDevices', 'devices[].match.cidr']) {
      assert.ok(markdown.includes(`| \`${key}\``), key);
    }
  });

  it('the example config validates', async () => {
    const { validateConfig } = await import('../../plugin/config/load.js');
    const { adapterDescriptors } = await import('../../adapters/index.js');
    const example = JSON.parse(readFileSync(join(repoRoot(), 'config.example.json'), 'utf8')) as unknown;
    const config = validateConfig(example, adapterDescriptors, { env: { JELLYFIN_API_KEY: 'example' } });
    assert.equal(config.jellyfin?.url, 'http://jellyfin.lan:8096');
  });
});
