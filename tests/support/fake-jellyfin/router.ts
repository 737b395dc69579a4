/**
 * The stand-in's JSON API as a function of a request (no sockets), so the unit test can run
 * every operation and validate the bodies against the OpenAPI spec; the HTTP server wraps it.
 * Query parameter names are case-insensitive and arrays may be repeated or comma-separated,
 * as in ASP.NET.
 */
import { json, param, problem } from './http-helpers.js';
import { jellyfinDate } from './ids.js';
import { ALL_FIELDS, isFolder, itemDto, SERVER_ID, type FakeItem, type FakeLibrary, type FakeUser } from './library.js';
import type { FakeLiveTv } from './live-tv.js';
import type { FakeSessions } from './sessions.js';
import { listRepositories, restart, setRepositories, storeCompanionConfig, type FakeInstall, type FakePlugin, type FakeRepository } from './packages.js';
import { PLUGIN_GUID } from '../../../plugin/catalog/manifest.js';

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body?: unknown;
}

export type FakeResponse =
  | { readonly kind: 'json'; readonly status: number; readonly body?: unknown }
  | { readonly kind: 'text'; readonly status: number; readonly contentType: string; readonly text: string }
  | { readonly kind: 'static'; readonly itemId: string }
  | { readonly kind: 'transcode'; readonly itemId: string; readonly container: string }
  | { readonly kind: 'image'; readonly itemId: string };

/** How a broken endpoint answers (for "bad response" tests). */
export type Breakage = 'html' | 'no-items' | 'status-500';

export interface RouterState {
  readonly library: FakeLibrary;
  readonly liveTv: FakeLiveTv;
  readonly sessions: FakeSessions;
  readonly serverName: string;
  readonly version: string;
  readonly mediaUpdates: { Path: string; UpdateType: string }[][];
  refreshCount: number;
  readonly virtualFolders: Record<string, unknown>[];
  readonly plugins: FakePlugin[];
  /** Plugin repositories (GET/POST /Repositories). */
  readonly repositories: FakeRepository[];
  /** Completed POST /Packages/Installed calls. */
  readonly installs: FakeInstall[];
  readonly breakages: Map<string, Breakage>;
}

function list(q: URLSearchParams, name: string): string[] {
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (const [k, v] of q) if (k.toLowerCase() === lower) out.push(...v.split(',').filter((x) => x !== ''));
  return out;
}

function bool(q: URLSearchParams, name: string): boolean | undefined {
  const v = param(q, name);
  return v === undefined ? undefined : v.toLowerCase() === 'true';
}

function int(q: URLSearchParams, name: string): number | undefined {
  const v = param(q, name);
  return v === undefined ? undefined : Number.parseInt(v, 10);
}

type Sorter = (a: FakeItem, b: FakeItem) => number;

function cmp(a: string | number | undefined, b: string | number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

const SORTERS: Readonly<Record<string, Sorter>> = {
  sortname: (a, b) => cmp(a.sortName, b.sortName),
  name: (a, b) => cmp(a.name, b.name),
  datecreated: (a, b) => cmp(a.dateCreated, b.dateCreated),
  premieredate: (a, b) => cmp(a.premiereDate, b.premiereDate),
  productionyear: (a, b) => cmp(a.productionYear, b.productionYear),
  parentindexnumber: (a, b) => cmp(a.parentIndexNumber, b.parentIndexNumber),
  indexnumber: (a, b) => cmp(a.indexNumber, b.indexNumber),
  isfolder: (a, b) => cmp(isFolder(a) ? 1 : 0, isFolder(b) ? 1 : 0),
};

function queryResult(items: unknown[], total: number, start: number): unknown {
  return { Items: items, TotalRecordCount: total, StartIndex: start };
}

export function route(state: RouterState, req: FakeRequest): FakeResponse {
  const { method, path, query } = req;
  const lib = state.library;
  const userParam = param(query, 'userId');
  const user: FakeUser | undefined = userParam === undefined ? undefined : lib.user(userParam);
  if (userParam !== undefined && user === undefined) return problem(404, 'User not found');
  const segments = path.split('/').filter((s) => s !== '');
  const key = `${method} /${segments.map((s, i) => (i > 0 && /^[0-9a-f]{32}$/.test(s) ? '{id}' : s)).join('/')}`;

  switch (true) {
    case method === 'GET' && /^\/System\/Info\/Public$/i.test(path):
      return json(200, { LocalAddress: 'http://127.0.0.1', ServerName: state.serverName, Version: state.version, ProductName: 'Jellyfin Server', Id: SERVER_ID, StartupWizardCompleted: true });
    case method === 'GET' && /^\/System\/Ping$/i.test(path):
      return json(200, 'Jellyfin Server');
    case method === 'GET' && /^\/Users$/i.test(path):
      return json(200, lib.users.map((u) => userDto(u)));
    case method === 'GET' && /^\/UserViews$/i.test(path): {
      if (user === undefined) return problem(400, 'userId is required');
      const views = lib.libraries().filter((l) => lib.visible(l, user)).map((l) => itemDto(lib, l, new Set(['SortName', 'DateCreated', 'ChildCount'])));
      if (user.isAdministrator) {
        views.push({ Name: 'Live TV', ServerId: SERVER_ID, Id: lib.liveTvViewId, Type: 'UserView', CollectionType: 'livetv', IsFolder: true, LocationType: 'Virtual', ImageTags: {}, BackdropImageTags: [], ImageBlurHashes: {} });
      }
      return json(200, queryResult(views, views.length, 0));
    }
    case method === 'GET' && /^\/Items$/i.test(path):
      return items(state, req, user);
    case method === 'GET' && /^\/Items\/[^/]+$/i.test(path): {
      const item = lib.items.get(segments[1]!);
      if (item === undefined || !lib.visible(item, user)) return problem(404, 'Item not found');
      return json(200, itemDto(lib, item, ALL_FIELDS));
    }
    case method === 'GET' && /^\/Items\/[^/]+\/Images\/Primary$/i.test(path):
      return { kind: 'image', itemId: segments[1]! };
    case method === 'GET' && /^\/Videos\/[^/]+\/stream$/i.test(path):
      return { kind: param(query, 'static')?.toLowerCase() === 'true' ? 'static' : 'transcode', itemId: segments[1]!, container: param(query, 'container') ?? 'ts' };
    case method === 'GET' && /^\/Videos\/[^/]+\/stream\.[a-z0-9]+$/i.test(path): {
      const container = /stream\.([a-z0-9]+)$/i.exec(path)![1]!.toLowerCase();
      return param(query, 'static')?.toLowerCase() === 'true' ? { kind: 'static', itemId: segments[1]! } : { kind: 'transcode', itemId: segments[1]!, container };
    }
    case method === 'POST' && /^\/Library\/Media\/Updated$/i.test(path): {
      const body = req.body as { Updates?: { Path?: string; UpdateType?: string }[] } | undefined;
      if (!Array.isArray(body?.Updates)) return problem(400, 'Updates is required');
      state.mediaUpdates.push(body.Updates.map((u) => ({ Path: u.Path ?? '', UpdateType: u.UpdateType ?? '' })));
      return json(204);
    }
    case method === 'POST' && /^\/Library\/Refresh$/i.test(path):
      state.refreshCount++;
      return json(204);
    case method === 'GET' && /^\/Library\/VirtualFolders$/i.test(path):
      // Libraries created through POST are listed once, with the folders they were created with.
      return json(200, [...lib.libraries().filter((l) => !state.virtualFolders.some((v) => v['ItemId'] === l.id)).map((l) => virtualFolder(l)), ...state.virtualFolders]);
    case method === 'POST' && /^\/Library\/VirtualFolders$/i.test(path): {
      const name = param(query, 'name');
      if (name === undefined || name === '') return problem(400, 'name is required');
      const collectionType = param(query, 'collectionType');
      const created = lib.addLibrary(name, collectionType);
      const paths = list(query, 'paths');
      state.virtualFolders.push({ ...virtualFolder(created), Locations: paths, LibraryOptions: (req.body as { LibraryOptions?: unknown } | undefined)?.LibraryOptions ?? {} });
      return json(204);
    }
    case method === 'GET' && /^\/Plugins$/i.test(path):
      return json(200, state.plugins.map((p) => ({ Name: p.name, Version: p.version, ConfigurationFileName: `${p.name}.xml`, Description: `${p.name} plugin`, Id: p.id, CanUninstall: true, HasImage: false, Status: p.status ?? 'Active' })));
    case /^\/Plugins\/[^/]+\/Configuration$/i.test(path): {
      const wanted = (segments[1] ?? '').replace(/-/g, '').toLowerCase();
      // A plugin installed but not yet loaded (status Restart) has no instance: Jellyfin answers 404.
      const plugin = state.plugins.find((p) => p.id.replace(/-/g, '') === wanted && (p.status ?? 'Active') === 'Active');
      if (plugin === undefined) return problem(404, 'Plugin not found');
      if (method === 'GET') return json(200, plugin.config);
      if (method === 'POST') {
        if (typeof req.body !== 'object' || req.body === null) return problem(400, 'configuration must be a JSON object');
        plugin.config = plugin.id.replace(/-/g, '') === PLUGIN_GUID.replace(/-/g, '') ? storeCompanionConfig(req.body) : req.body;
        return json(204);
      }
      return problem(405, 'Method not allowed');
    }
    case method === 'GET' && /^\/Repositories$/i.test(path):
      return listRepositories(state.repositories);
    case method === 'POST' && /^\/Repositories$/i.test(path):
      return setRepositories(state.repositories, req.body);
    case method === 'POST' && /^\/System\/Restart$/i.test(path):
      return restart(state.plugins);
    case method === 'GET' && /^\/System\/Configuration\/livetv$/i.test(path):
      return json(200, state.liveTv.configDto());
    case method === 'GET' && /^\/LiveTv\/Info$/i.test(path):
      return json(200, {
        Services: [{ Name: 'Emby', HomePageUrl: 'https://github.com/jellyfin/jellyfin', Status: 'Ok', StatusMessage: null, Version: state.version, HasUpdateAvailable: false, IsVisible: false, Tuners: [] }],
        IsEnabled: true,
        EnabledUsers: lib.users.map((u) => u.id),
      });
    case method === 'GET' && /^\/LiveTv\/Channels$/i.test(path): {
      const start = int(query, 'startIndex') ?? 0;
      const limit = int(query, 'limit');
      const all = state.liveTv.channels;
      const page = all.slice(start, limit === undefined ? undefined : start + limit);
      return json(200, queryResult(page.map((c) => state.liveTv.channelDto(c)), all.length, start));
    }
    case method === 'GET' && /^\/LiveTv\/Programs$/i.test(path):
      return programs(state, query);
    case method === 'GET' && /^\/LiveTv\/Timers$/i.test(path): {
      const channelId = param(query, 'channelId');
      const timers = [...state.liveTv.timers.values()].filter((t) => t.status !== 'Cancelled' && (channelId === undefined || t.channelId === channelId));
      return json(200, queryResult(timers.map((t) => state.liveTv.timerDto(t)), timers.length, 0));
    }
    case method === 'GET' && /^\/LiveTv\/Timers\/Defaults$/i.test(path): {
      const programId = param(query, 'programId');
      const program = programId === undefined ? undefined : state.liveTv.program(programId);
      if (program === undefined) return problem(404, 'Program not found');
      return json(200, state.liveTv.defaultsDto(program));
    }
    case method === 'POST' && /^\/LiveTv\/Timers$/i.test(path): {
      const result = state.liveTv.create((req.body ?? {}) as Record<string, unknown>);
      return result.status === 204 ? json(204) : { kind: 'text', status: 400, contentType: 'text/plain', text: result.message };
    }
    case /^\/LiveTv\/Timers\/[^/]+$/i.test(path): {
      const timer = state.liveTv.timers.get(segments[2]!);
      if (timer === undefined || timer.status === 'Cancelled') return problem(404, 'Timer not found');
      if (method === 'GET') return json(200, state.liveTv.timerDto(timer));
      if (method === 'DELETE') {
        timer.status = 'Cancelled';
        return json(204);
      }
      return problem(405, 'Method not allowed');
    }
    case method === 'GET' && /^\/Sessions$/i.test(path):
      return json(200, state.sessions.dtos());
    default:
      return problem(404, `no route for ${key}`);
  }
}

function userDto(u: FakeUser): Record<string, unknown> {
  return {
    Name: u.name,
    ServerId: SERVER_ID,
    Id: u.id,
    HasPassword: true,
    HasConfiguredPassword: true,
    HasConfiguredEasyPassword: false,
    EnableAutoLogin: false,
    LastLoginDate: jellyfinDate(Date.UTC(2026, 10, 1)),
    LastActivityDate: jellyfinDate(Date.UTC(2026, 10, 1)),
    Configuration: {
      PlayDefaultAudioTrack: true,
      SubtitleLanguagePreference: '',
      DisplayMissingEpisodes: false,
      GroupedFolders: [],
      SubtitleMode: 'Default',
      DisplayCollectionsView: false,
      EnableLocalPassword: false,
      OrderedViews: [],
      LatestItemsExcludes: [],
      MyMediaExcludes: [],
      HidePlayedInLatest: true,
      RememberAudioSelections: true,
      RememberSubtitleSelections: true,
      EnableNextEpisodeAutoPlay: true,
    },
    Policy: {
      IsAdministrator: u.isAdministrator,
      IsHidden: false,
      EnableCollectionManagement: false,
      EnableSubtitleManagement: false,
      EnableLyricManagement: false,
      IsDisabled: false,
      BlockedTags: [],
      AllowedTags: [],
      EnableUserPreferenceAccess: true,
      AccessSchedules: [],
      BlockUnratedItems: [],
      EnableRemoteControlOfOtherUsers: false,
      EnableSharedDeviceControl: true,
      EnableRemoteAccess: true,
      EnableLiveTvManagement: u.isAdministrator,
      EnableLiveTvAccess: true,
      EnableMediaPlayback: true,
      EnableAudioPlaybackTranscoding: true,
      EnableVideoPlaybackTranscoding: true,
      EnablePlaybackRemuxing: true,
      ForceRemoteSourceTranscoding: false,
      EnableContentDeletion: false,
      EnableContentDeletionFromFolders: [],
      EnableContentDownloading: true,
      EnableSyncTranscoding: true,
      EnableMediaConversion: true,
      EnabledDevices: [],
      EnableAllDevices: true,
      EnabledChannels: [],
      EnableAllChannels: true,
      EnabledFolders: u.isAdministrator ? [] : [...u.libraries],
      EnableAllFolders: u.isAdministrator,
      InvalidLoginAttemptCount: 0,
      LoginAttemptsBeforeLockout: -1,
      MaxActiveSessions: 0,
      EnablePublicSharing: true,
      BlockedMediaFolders: [],
      BlockedChannels: [],
      RemoteClientBitrateLimit: 0,
      AuthenticationProviderId: 'Jellyfin.Server.Implementations.Users.DefaultAuthenticationProvider',
      PasswordResetProviderId: 'Jellyfin.Server.Implementations.Users.DefaultPasswordResetProvider',
      SyncPlayAccess: 'CreateAndJoinGroups',
    },
  };
}

function virtualFolder(l: FakeItem): Record<string, unknown> {
  return {
    Name: l.name,
    Locations: [`/media/${l.name.toLowerCase().replace(/\s+/g, '-')}`],
    ...(l.collectionType === undefined ? {} : { CollectionType: l.collectionType }),
    ItemId: l.id,
    RefreshStatus: 'Idle',
  };
}

function items(state: RouterState, req: FakeRequest, user: FakeUser | undefined): FakeResponse {
  const lib = state.library;
  const q = req.query;
  const fields = new Set(list(q, 'fields'));
  const ids = list(q, 'ids');
  const parentId = param(q, 'parentId');
  const recursive = bool(q, 'recursive') === true;
  let candidates: FakeItem[];
  if (ids.length > 0) {
    candidates = ids.map((id) => lib.items.get(id)).filter((i): i is FakeItem => i !== undefined);
  } else if (parentId !== undefined) {
    const parent = lib.items.get(parentId);
    if (parent === undefined || !lib.visible(parent, user)) return problem(404, 'Item not found');
    candidates = recursive ? lib.descendants(parentId) : lib.children(parentId);
  } else {
    candidates = recursive ? lib.descendants(undefined) : lib.libraries();
  }
  candidates = candidates.filter((i) => lib.visible(i, user));
  const include = new Set(list(q, 'includeItemTypes'));
  const exclude = new Set(list(q, 'excludeItemTypes'));
  if (include.size > 0) candidates = candidates.filter((i) => include.has(i.kind));
  if (exclude.size > 0) candidates = candidates.filter((i) => !exclude.has(i.kind));
  const filters = new Set(list(q, 'filters'));
  if (filters.has('IsFolder')) candidates = candidates.filter(isFolder);
  if (filters.has('IsNotFolder')) candidates = candidates.filter((i) => !isFolder(i));
  const term = param(q, 'searchTerm')?.toLowerCase();
  if (term !== undefined && term !== '') candidates = candidates.filter((i) => i.name.toLowerCase().includes(term));
  const sortBy = list(q, 'sortBy').map((s) => s.toLowerCase());
  const sortOrder = list(q, 'sortOrder');
  if (sortBy.length > 0 && !sortBy.includes('random')) {
    candidates = [...candidates].sort((a, b) => {
      for (const [i, key] of sortBy.entries()) {
        const sorter = SORTERS[key];
        if (sorter === undefined) continue;
        const r = sorter(a, b) * ((sortOrder[i] ?? sortOrder[0]) === 'Descending' ? -1 : 1);
        if (r !== 0) return r;
      }
      return 0;
    });
  }
  const start = int(q, 'startIndex') ?? 0;
  const limit = int(q, 'limit');
  const page = candidates.slice(start, limit === undefined ? undefined : start + limit);
  return json(200, queryResult(page.map((i) => itemDto(lib, i, fields)), candidates.length, start));
}

function programs(state: RouterState, q: URLSearchParams): FakeResponse {
  const channelIds = new Set(list(q, 'channelIds'));
  const minEnd = param(q, 'minEndDate');
  const maxStart = param(q, 'maxStartDate');
  const minEndMs = minEnd === undefined ? undefined : Date.parse(minEnd);
  const maxStartMs = maxStart === undefined ? undefined : Date.parse(maxStart);
  let found = state.liveTv.programs.filter(
    (p) =>
      (channelIds.size === 0 || channelIds.has(p.channelId)) &&
      (minEndMs === undefined || p.end > minEndMs) &&
      (maxStartMs === undefined || p.start < maxStartMs),
  );
  found = [...found].sort((a, b) => a.start - b.start || a.channelId.localeCompare(b.channelId));
  const start = int(q, 'startIndex') ?? 0;
  const limit = int(q, 'limit');
  const fields = new Set(list(q, 'fields'));
  const page = found.slice(start, limit === undefined ? undefined : start + limit);
  return json(200, queryResult(page.map((p) => state.liveTv.programDto(p, fields)), found.length, start));
}

/** Applies a configured breakage to an endpoint's answer. */
export function breakResponse(breakage: Breakage): FakeResponse {
  switch (breakage) {
    case 'html':
      return { kind: 'text', status: 200, contentType: 'text/html', text: '<html><body>Please sign in</body></html>' };
    case 'no-items':
      return json(200, { TotalRecordCount: 0 });
    case 'status-500':
      return problem(500, 'Internal Server Error');
  }
}
