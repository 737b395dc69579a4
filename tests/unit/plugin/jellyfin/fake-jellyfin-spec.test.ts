/**
 * The stand-in must answer like Jellyfin: every JSON body it produces, for every operation the
 * source (and later work) uses, validates against both saved OpenAPI specs. Runs the router
 * directly: no sockets, no binaries.
 */
import assert from 'node:assert/strict';
import { createFakeJellyfinState, route, type FakeRequest, type RouterState } from '../../../support/fake-jellyfin.js';
import { authenticate } from '../../../support/fake-jellyfin/auth.js';
import { specValidator, type SpecVersion } from '../../../support/jellyfin-openapi-validator.js';

const VERSIONS: readonly SpecVersion[] = ['10.11.11', '12.0.0'];
const FIELDS = 'MediaSources,MediaStreams,Overview,Genres,People,Studios,ProviderIds,DateCreated,Path,ParentId,SortName,ChildCount';

function req(method: string, pathAndQuery: string, body?: unknown): FakeRequest {
  const url = new URL(pathAndQuery, 'http://x');
  return { method, path: url.pathname, query: url.searchParams, ...(body === undefined ? {} : { body }) };
}

/** Every JSON operation of the stand-in, in an order that creates what later calls read. */
function operations(state: RouterState): FakeRequest[] {
  const lib = state.library;
  const alice = lib.users[0]!.id;
  const bob = lib.users[1]!.id;
  const movie = [...lib.items.values()].find((i) => i.kind === 'Movie')!;
  const program = state.liveTv.programs[1]!;
  const plugin = state.plugins[0]!.id;
  return [
    req('GET', '/System/Info/Public'),
    req('GET', '/System/Ping'),
    req('GET', '/Users'),
    req('GET', `/UserViews?userId=${alice}`),
    req('GET', `/UserViews?userId=${bob}`),
    req('GET', `/Items?userId=${alice}&parentId=${lib.moviesId}&fields=${FIELDS}&sortBy=SortName&sortOrder=Ascending&startIndex=0&limit=2`),
    req('GET', `/Items?userId=${alice}&parentId=${lib.showsId}&recursive=true&includeItemTypes=Episode&filters=IsNotFolder&fields=${FIELDS}`),
    req('GET', `/Items?userId=${alice}&parentId=${lib.homeVideosId}&startIndex=100&limit=50&fields=${FIELDS}`),
    req('GET', `/Items?userId=${alice}&recursive=true&searchTerm=pattern`),
    req('GET', `/Items?userId=${bob}&ids=${movie.id}&fields=${FIELDS}`),
    req('GET', `/Items/${movie.id}?userId=${alice}`),
    req('POST', '/Library/Media/Updated', { Updates: [{ Path: '/media/cams/a.mp4', UpdateType: 'Created' }] }),
    req('POST', '/Library/Refresh'),
    req('GET', '/Library/VirtualFolders'),
    req('POST', '/Library/VirtualFolders?name=Cameras&collectionType=homevideos&paths=/srv/cams&refreshLibrary=true', { LibraryOptions: { EnableRealtimeMonitor: true, PathInfos: [{ Path: '/srv/cams' }] } }),
    req('GET', '/Library/VirtualFolders'),
    req('GET', '/Plugins'),
    req('GET', `/Plugins/${plugin}/Configuration`),
    req('POST', `/Plugins/${plugin}/Configuration`, { SidecarUrl: 'http://127.0.0.1:9000', Devices: [{ Id: 'tivo-1' }] }),
    req('GET', `/Plugins/${plugin}/Configuration`),
    req('GET', '/System/Configuration/livetv'),
    req('GET', '/LiveTv/Info'),
    req('GET', `/LiveTv/Channels?userId=${alice}`),
    req('GET', `/LiveTv/Programs?userId=${alice}&channelIds=${program.channelId}&minEndDate=${new Date(program.start).toISOString()}&fields=Overview,Genres&sortBy=StartDate`),
    req('GET', `/LiveTv/Timers/Defaults?programId=${program.id}`),
    req('POST', '/LiveTv/Timers', { ProgramId: program.id, ChannelId: program.channelId }),
    req('GET', '/LiveTv/Timers'),
    req('GET', `/LiveTv/Programs?channelIds=${program.channelId}`),
    req('GET', '/Sessions'),
  ];
}

describe('FakeJellyfin (stand-in)', function () {
  this.timeout(60_000);

  describe('#route', () => {
    it('answers every operation with bodies valid per both OpenAPI specs', () => {
      const state = createFakeJellyfinState({ bigFolderSize: 300 });
      state.sessions.play({ itemId: [...state.library.items.values()].find((i) => i.kind === 'Movie')!.id, positionSeconds: 5 });
      state.sessions.connect({ Client: 'Jellybridge', Device: 'sidecar', DeviceId: 'jb', Version: '1' }, '127.0.0.1');
      const ops = operations(state);
      let validated = 0;
      for (const op of ops) {
        const answer = route(state, op);
        assert.equal(answer.kind, 'json', `${op.method} ${op.path}`);
        if (answer.kind !== 'json') continue;
        assert.ok(answer.status >= 200 && answer.status < 300, `${op.method} ${op.path} → ${answer.status}`);
        for (const version of VERSIONS) {
          const result = specValidator(version).validate(op.method, op.path, answer.status, answer.body);
          assert.equal(result.errors, '', `${version} ${op.method} ${op.path}`);
          validated++;
        }
      }
      assert.equal(validated, ops.length * VERSIONS.length);
    });

    it('answers timer, item and plugin operations by id with valid bodies', () => {
      const state = createFakeJellyfinState();
      const program = state.liveTv.programs[0]!;
      route(state, req('POST', '/LiveTv/Timers', { ProgramId: program.id }));
      const timer = [...state.liveTv.timers.values()][0]!;
      for (const op of [req('GET', `/LiveTv/Timers/${timer.id}`), req('DELETE', `/LiveTv/Timers/${timer.id}`)]) {
        const answer = route(state, op);
        assert.equal(answer.kind, 'json');
        if (answer.kind !== 'json') continue;
        for (const version of VERSIONS) assert.equal(specValidator(version).validate(op.method, op.path, answer.status, answer.body).errors, '');
      }
    });

    it('reproduces the 204-without-id and duplicate-timer quirks', () => {
      const state = createFakeJellyfinState();
      const program = state.liveTv.programs[0]!;
      const first = route(state, req('POST', '/LiveTv/Timers', { ProgramId: program.id }));
      assert.deepEqual(first, { kind: 'json', status: 204 });
      const second = route(state, req('POST', '/LiveTv/Timers', { ProgramId: program.id }));
      assert.equal(second.kind, 'text');
      assert.equal(second.kind === 'text' ? second.status : 0, 400);
    });

    it('scopes items to the user: bob does not see the Movies library', () => {
      const state = createFakeJellyfinState();
      const bob = state.library.users[1]!.id;
      const answer = route(state, req('GET', `/Items?userId=${bob}&parentId=${state.library.moviesId}`));
      assert.equal(answer.kind === 'json' ? answer.status : 0, 404);
      const views = route(state, req('GET', `/UserViews?userId=${bob}`));
      assert.deepEqual(views.kind === 'json' ? (views.body as { Items: { Name: string }[] }).Items.map((i) => i.Name) : [], ['TV Shows']);
    });
  });

  describe('authenticate', () => {
    const key = 'k1';
    it('accepts the MediaBrowser Token header and the ApiKey query parameter', () => {
      assert.equal(authenticate({ authorization: 'MediaBrowser Client="c", Token="k1"' }, new URLSearchParams(), key).ok, true);
      assert.equal(authenticate({}, new URLSearchParams('ApiKey=k1'), key).ok, true);
    });
    it('rejects legacy forms (X-Emby-Token, api_key, the Emby scheme)', () => {
      assert.equal(authenticate({ 'x-emby-token': 'k1' }, new URLSearchParams(), key).ok, false);
      assert.equal(authenticate({}, new URLSearchParams('api_key=k1'), key).ok, false);
      assert.equal(authenticate({ authorization: 'Emby Token="k1"' }, new URLSearchParams(), key).ok, false);
    });
    it('rejects a wrong key', () => {
      assert.equal(authenticate({ authorization: 'MediaBrowser Token="nope"' }, new URLSearchParams(), key).ok, false);
    });
  });
});
