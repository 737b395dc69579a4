import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { loadConfigFile, validateConfig, type AdapterConfigSpec } from '../../../../plugin/config/load.js';
import { isSidecarError } from '../../../../plugin/util/errors.js';

const demoSpec: AdapterConfigSpec = {
  id: 'demo',
  configSchema: z.strictObject({ enabled: z.boolean().default(false), port: z.number().int().default(1234) }),
  deviceSchema: z.strictObject({ bitrateKbps: z.number().int().positive().optional() }),
};

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(isSidecarError(error));
    assert.equal(error.code, 'ERR_CONFIG_INVALID');
    return error.detail['problems'] as string[];
  }
  assert.fail('expected ERR_CONFIG_INVALID');
}

describe('validateConfig', () => {
  it('fills every default from an empty object', () => {
    const config = validateConfig({}, [demoSpec], { env: {}, baseDir: '/srv/jb' });
    assert.equal(config.core.http.port, 8097);
    assert.equal(config.core.admin.bind, '127.0.0.1');
    assert.equal(config.core.dataDir, '/srv/jb/data');
    assert.equal(config.core.newDevices, 'hold');
    assert.deepEqual(config.adapters['demo'], { enabled: false, port: 1234 });
    assert.equal(config.jellyfin, undefined);
  });

  it('lists every problem at once, adapter sections included', () => {
    const problems = problemsOf(() =>
      validateConfig(
        {
          http: { port: 70000 },
          adapters: { demo: { port: 'x', bogus: 1 }, nosuch: {} },
          devices: [{ id: 'tv', name: 'TV', adapters: { demo: { enabled: true, bitrateKbps: -5 }, other: {} } }],
        },
        [demoSpec],
        { env: {} },
      ),
    );
    // The core schema fails first (http.port), so fix it and look at the rest.
    assert.ok(problems.some((p) => p.startsWith('http.port')));
    const rest = problemsOf(() =>
      validateConfig(
        { adapters: { demo: { port: 'x', bogus: 1 }, nosuch: {} }, devices: [{ id: 'tv', name: 'TV', adapters: { demo: { enabled: true, bitrateKbps: -5 }, other: {} } }] },
        [demoSpec],
        { env: {} },
      ),
    );
    assert.ok(rest.some((p) => p.startsWith('adapters.nosuch: unknown adapter')), rest.join('\n'));
    assert.ok(rest.some((p) => p.startsWith('adapters.demo.port')), rest.join('\n'));
    assert.ok(rest.some((p) => p.startsWith('adapters.demo') && p.includes('bogus')), rest.join('\n'));
    assert.ok(rest.some((p) => p.startsWith('devices[0].adapters.demo.bitrateKbps')), rest.join('\n'));
    assert.ok(rest.some((p) => p.startsWith('devices[0].adapters.other: unknown adapter')), rest.join('\n'));
  });

  it('rejects unknown keys in core sections', () => {
    const problems = problemsOf(() => validateConfig({ htpp: {} }, [], { env: {} }));
    assert.ok(problems.some((p) => p.includes('htpp')), problems.join('\n'));
  });

  it('takes the Jellyfin URL and key from the environment only', () => {
    const config = validateConfig({}, [], { env: { JELLYFIN_URL: 'http://jf.local:8096/', JELLYFIN_API_KEY: 'k1' } });
    assert.deepEqual(config.jellyfin, { url: 'http://jf.local:8096', apiKey: 'k1' });
    const problems = problemsOf(() => validateConfig({ jellyfin: { url: 'http://jf:8096' } }, [], { env: {} }));
    assert.ok(problems.some((p) => p.startsWith('JELLYFIN_API_KEY')));
  });

  it('rejects duplicate device ids and bad regular expressions', () => {
    const problems = problemsOf(() =>
      validateConfig(
        {
          devices: [
            { id: 'a', name: 'A', match: { userAgent: '/([/' } },
            { id: 'a', name: 'B' },
          ],
        },
        [],
        { env: {} },
      ),
    );
    assert.ok(problems.some((p) => p.includes('duplicate device id')));
    assert.ok(problems.some((p) => p.includes('invalid regular expression')));
  });

  it('resolves per-device adapter settings into enabled + overrides', () => {
    const config = validateConfig({ devices: [{ id: 'tv', name: 'TV', adapters: { demo: { bitrateKbps: 900 } } }] }, [demoSpec], { env: {} });
    assert.deepEqual(config.devices[0]?.adapters['demo'], { enabled: true, overrides: { bitrateKbps: 900 } });
    assert.ok(Object.isFrozen(config.devices[0]));
  });
});

describe('loadConfigFile', () => {
  it('names the file when it is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jb-config-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, '{ nope');
    const problems = problemsOf(() => loadConfigFile(file, []));
    assert.ok(problems[0]?.startsWith('not valid JSON'));
  });

  it('resolves relative paths against the file folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jb-config-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ dataDir: 'state', local: { path: 'media' } }));
    const config = loadConfigFile(file, [], {});
    assert.equal(config.core.dataDir, join(dir, 'state'));
    assert.equal(config.core.local.path, join(dir, 'media'));
  });
});
