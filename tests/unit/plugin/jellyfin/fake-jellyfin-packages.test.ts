/**
 * The stand-in's plugin repository, restart and companion-configuration behaviour answers like
 * Jellyfin: bodies valid per both saved OpenAPI specs, POST /Repositories replacing the list,
 * and the companion configuration stored as Jellyfin's typed (case-sensitive) deserialization
 * leaves it. Runs the router directly: no sockets.
 */
import assert from 'node:assert/strict';
import { PLUGIN_GUID } from '../../../../plugin/catalog/manifest.js';
import { createFakeJellyfinState, route, type FakeRequest } from '../../../support/fake-jellyfin.js';
import { specValidator, type SpecVersion } from '../../../support/jellyfin-openapi-validator.js';

const VERSIONS: readonly SpecVersion[] = ['10.11.11', '12.0.0'];

function req(method: string, path: string, body?: unknown): FakeRequest {
  const url = new URL(path, 'http://x');
  return { method, path: url.pathname, query: url.searchParams, ...(body === undefined ? {} : { body }) };
}

function call(state: ReturnType<typeof createFakeJellyfinState>, op: FakeRequest): unknown {
  const answer = route(state, op);
  assert.equal(answer.kind, 'json', `${op.method} ${op.path}`);
  if (answer.kind !== 'json') return undefined;
  for (const version of VERSIONS) assert.equal(specValidator(version).validate(op.method, op.path, answer.status, answer.body).errors, '', `${version} ${op.method} ${op.path}`);
  return answer.body;
}

describe('FakeJellyfin plugin catalog (stand-in)', function () {
  this.timeout(60_000);

  it('lists the companion under its catalog GUID and replaces the repository list on POST /Repositories', () => {
    const state = createFakeJellyfinState();
    const plugins = call(state, req('GET', '/Plugins')) as { Id: string; Status: string }[];
    assert.deepEqual(
      plugins.map((p) => [p.Id, p.Status]),
      [[PLUGIN_GUID, 'Active']],
    );
    assert.equal((call(state, req('GET', '/Repositories')) as unknown[]).length, 1);
    call(state, req('POST', '/Repositories', [{ Name: 'Jellybridge', Url: 'http://127.0.0.1:9/catalog/manifest.json', Enabled: true }]));
    assert.deepEqual(call(state, req('GET', '/Repositories')), [{ Name: 'Jellybridge', Url: 'http://127.0.0.1:9/catalog/manifest.json', Enabled: true }]);
  });

  it('stores the companion configuration as the typed C# class would: PascalCase only, defaults filled', () => {
    const state = createFakeJellyfinState();
    const path = `/Plugins/${PLUGIN_GUID}/Configuration`;
    call(state, req('POST', path, { sidecarUrl: 'http://10.0.0.1:1', Devices: [{ Id: 'den', Extra: 1 }], Unknown: true }));
    assert.deepEqual(call(state, req('GET', path)), {
      SidecarUrl: 'http://127.0.0.1:8097',
      AdminUrl: '',
      KnownAdapters: [],
      Devices: [{ Id: 'den', Name: '', Match: { Cidr: [], UserAgent: '', Tsn: [], Key: [] }, UserId: '', EnabledAdapters: [], Approved: true }],
    });
  });

  it('has no configuration for a plugin that is not installed, and restarts cleanly', () => {
    const state = createFakeJellyfinState({ companionInstalled: false });
    const answer = route(state, req('GET', `/Plugins/${PLUGIN_GUID}/Configuration`));
    assert.equal(answer.kind === 'json' ? answer.status : 0, 404);
    call(state, req('POST', '/System/Restart'));
    assert.deepEqual(call(state, req('GET', '/Plugins')), []);
  });
});
