/**
 * `library.ensureLibrary` against the stand-in: creates a `homevideos` library over the folder
 * as Jellyfin sees it (path mapping applied in reverse), with requests valid per both OpenAPI
 * specs, and leaves an existing library alone.
 */
import assert from 'node:assert/strict';
import { FakeJellyfin } from '../../support/fake-jellyfin.js';
import { specValidator } from '../../support/jellyfin-openapi-validator.js';
import { specErrors, startSource, type Started } from './helpers.js';

interface VirtualFolder {
  readonly Name?: string;
  readonly Locations?: readonly string[];
  readonly CollectionType?: string;
  readonly LibraryOptions?: { readonly EnableTrickplayImageExtraction?: boolean; readonly PathInfos?: readonly { readonly Path?: string }[] };
}

describe('Jellyfin source: ensureLibrary (against the stand-in)', function () {
  this.timeout(30_000);
  let fake: FakeJellyfin | undefined;
  let started: Started | undefined;

  afterEach(async () => {
    await started?.source.stop();
    started = undefined;
    if (fake) {
      const errors = specErrors(fake);
      await fake.close();
      fake = undefined;
      assert.deepEqual(errors, [], 'every stand-in answer is valid per the OpenAPI specs');
    }
  });

  it('creates a homevideos library over the folder as Jellyfin sees it, once', async () => {
    fake = await FakeJellyfin.start();
    started = await startSource(fake, { pathMappings: [{ from: '/media', to: '/srv/nas' }] });
    const { library } = started.source;
    const ensure = library.ensureLibrary?.bind(library);
    assert.ok(ensure, 'the Jellyfin source can create libraries');

    const first = await ensure('Cameras', 'homevideos', '/srv/nas/cameras/');
    assert.deepEqual(first, { created: true, name: 'Cameras', path: '/media/cameras' });
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === '/Library/VirtualFolders');
    assert.equal(posts.length, 1);
    const query = new URLSearchParams(posts[0]?.query ?? '');
    assert.equal(query.get('name'), 'Cameras');
    assert.equal(query.get('collectionType'), 'homevideos');
    assert.deepEqual(query.getAll('paths'), ['/media/cameras']);
    assert.equal(query.get('refreshLibrary'), 'true');
    const body = fake.requestBodies.find((b) => b.path === '/Library/VirtualFolders');
    for (const version of ['10.11.11', '12.0.0'] as const) {
      const result = specValidator(version).validateRequest('POST', '/Library/VirtualFolders', query, body?.body);
      assert.equal(result.errors, '', `request valid per the ${version} spec`);
      // The check has teeth: an unknown collection type, parameter or option is reported.
      const bad = specValidator(version).validateRequest('POST', '/Library/VirtualFolders', new URLSearchParams('collectionType=cameras&foo=1'), { LibraryOptions: { Enabled: 'yes' } });
      assert.match(bad.errors, /collectionType="cameras"/);
      assert.match(bad.errors, /"foo" is not in the spec/);
      assert.match(bad.errors, /LibraryOptions\/Enabled must be boolean/);
    }

    const listed = (await (await fetch(`${fake.url}/Library/VirtualFolders`, { headers: { Authorization: `MediaBrowser Token="${fake.apiKey}"` } })).json()) as VirtualFolder[];
    const created = listed.filter((f) => f.Name === 'Cameras');
    assert.equal(created.length, 1, 'listed once');
    assert.deepEqual(created[0]?.Locations, ['/media/cameras']);
    assert.equal(created[0]?.CollectionType, 'homevideos');
    assert.equal(created[0]?.LibraryOptions?.EnableTrickplayImageExtraction, false, 'no trickplay work per segment');
    assert.deepEqual(created[0]?.LibraryOptions?.PathInfos, [{ Path: '/media/cameras' }]);

    const again = await ensure('Cameras', 'homevideos', '/srv/nas/cameras');
    assert.deepEqual(again, { created: false, name: 'Cameras', path: '/media/cameras' });
    assert.equal(fake.requests.filter((r) => r.method === 'POST' && r.path === '/Library/VirtualFolders').length, 1, 'nothing created twice');
  });

  it('uses the path unchanged without a mapping, and refuses a name taken by another folder', async () => {
    fake = await FakeJellyfin.start();
    started = await startSource(fake);
    const { library } = started.source;
    assert.deepEqual(await library.ensureLibrary?.('Porch cams', 'homevideos', '/data/cams'), { created: true, name: 'Porch cams', path: '/data/cams' });
    await assert.rejects(library.ensureLibrary?.('Movies', 'homevideos', '/data/other') ?? Promise.resolve(), { code: 'ERR_JELLYFIN_LIBRARY_EXISTS' });
  });
});
