/**
 * App lifecycle with small in-test adapters (real HTTP listeners on 127.0.0.1, port 0) and an
 * in-memory source: start order, start timeout, a failing adapter leaving the others running,
 * reverse-order stop, health aggregation.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Adapter, AdapterContext, AdapterDescriptor, AdapterHealth } from '../../../../plugin/adapter.js';
import { App, type AnyAdapterDescriptor } from '../../../../plugin/app.js';
import type { AdapterDevices } from '../../../../plugin/devices/types.js';
import type { LibrarySource, SourceHealth } from '../../../../plugin/library/source.js';
import { silentLogger } from '../../../../plugin/log/logger.js';
import { openDatabase } from '../../../../plugin/state/db.js';
import type { TranscodeService } from '../../../../plugin/transcode/types.js';
import { systemClock } from '../../../../plugin/util/clock.js';

interface Behaviour {
  readonly start?: 'ok' | 'throw' | 'hang';
  readonly events: string[];
}

const passSchema = {
  safeParse: (value: unknown) => ({ success: true as const, data: value as { enabled: boolean } }),
};

function descriptor(id: string, behaviour: Behaviour, withRoute = false, withAdminRoute = false): AnyAdapterDescriptor {
  const d: AdapterDescriptor<{ enabled: boolean }> = {
    id,
    displayName: id.toUpperCase(),
    description: `test adapter ${id}`,
    protocols: ['test'],
    defaultPorts: { http: 0 },
    configSchema: passSchema,
    deviceSchema: { safeParse: (value: unknown) => ({ success: true as const, data: value as Record<string, unknown> }) },
    deviceDefaults: () => ({}),
    migrations: [],
    requires: { encoders: [], muxers: [] },
    create(context: AdapterContext<{ enabled: boolean }>): Adapter {
      behaviour.events.push(`create ${id}`);
      if (withRoute) context.http.mount((_req, res, ctx) => void res.end(`${id}:${ctx.path}`));
      if (withAdminRoute) context.http.mountAdmin?.((_req, res, ctx) => void res.end(`admin ${id}:${ctx.path}`));
      let state: AdapterHealth['state'] = 'starting';
      return {
        async start() {
          behaviour.events.push(`start ${id}`);
          if (behaviour.start === 'throw') throw new Error(`${id} cannot start`);
          if (behaviour.start === 'hang') await new Promise(() => undefined);
          state = 'ready';
        },
        async stop() {
          behaviour.events.push(`stop ${id}`);
          state = 'stopped';
        },
        health: () => ({ state, since: new Date().toISOString(), detail: '', counters: {} }),
      };
    },
  };
  return d as AnyAdapterDescriptor;
}

function memorySource(): LibrarySource {
  const health: SourceHealth = { kind: 'local', state: 'ready', detail: 'test', since: new Date().toISOString(), counters: {} };
  const unavailable = (): Promise<never> => Promise.reject(new Error('not in this test'));
  return {
    library: {
      kind: 'local',
      listRoots: () => Promise.resolve([]),
      listChildren: () => Promise.resolve({ items: [], total: 0, offset: 0 }),
      getItem: () => Promise.resolve(undefined),
      getImage: () => Promise.resolve(undefined),
      getMediaInput: unavailable,
      listUsers: () => Promise.resolve([]),
      notifyMediaUpdated: () => Promise.resolve(),
      rescan: () => Promise.resolve(),
    },
    liveTv: {
      isAvailable: () => Promise.resolve(false),
      listChannels: unavailable,
      listPrograms: unavailable,
      listTimers: unavailable,
      createTimer: unavailable,
      cancelTimer: unavailable,
      tunerCount: unavailable,
      defaultPadding: unavailable,
    },
    playback: { sessions: () => [], subscribe: () => () => undefined },
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    health: () => health,
  };
}

const idleTranscoder = {
  active: () => [],
  stopAll: () => Promise.resolve(),
} as unknown as TranscodeService;

const allowAll: AdapterDevices = { resolve: () => ({ status: 'refused', reason: 'test' }), listEnabled: () => [], onChange: () => () => undefined };

function makeApp(descriptors: readonly AnyAdapterDescriptor[], startTimeoutMs = 2000): App {
  return new App({
    descriptors,
    adapterConfigs: Object.fromEntries(descriptors.map((d) => [d.id, { enabled: true }])),
    source: memorySource(),
    transcoder: idleTranscoder,
    devices: { forAdapter: () => allowAll, isEnabledAnywhere: () => false },
    db: openDatabase(':memory:'),
    clock: systemClock,
    log: silentLogger(),
    dataDir: mkdtempSync(join(tmpdir(), 'jb-app-')),
    server: { serverId: 'test', serverName: 'test', version: '0.0.0' },
    http: { bind: '127.0.0.1', port: 0, allow: ['127.0.0.0/8'] },
    startTimeoutMs,
  });
}

describe('App', () => {
  it('starts adapters in order and stops them in reverse order', async () => {
    const events: string[] = [];
    const app = makeApp([descriptor('one', { events }), descriptor('two', { events })]);
    await app.start();
    await app.stop();
    assert.deepEqual(events, ['create one', 'create two', 'start one', 'start two', 'stop two', 'stop one']);
  });

  it('keeps the others running when one adapter fails to start', async () => {
    const events: string[] = [];
    const app = makeApp([descriptor('bad', { start: 'throw', events }), descriptor('good', { events })]);
    await app.start();
    const health = app.health();
    assert.equal(health.adapters['bad']?.state, 'failed');
    assert.equal(health.adapters['bad']?.lastError?.code, 'ERR_ADAPTER_START_FAILED');
    assert.equal(health.adapters['good']?.state, 'ready');
    assert.equal(health.status, 'degraded');
    await app.stop();
  });

  it('marks an adapter whose start does not settle as timed out', async () => {
    const events: string[] = [];
    const app = makeApp([descriptor('slow', { start: 'hang', events }), descriptor('fast', { events })], 150);
    await app.start();
    assert.equal(app.health().adapters['slow']?.lastError?.code, 'ERR_ADAPTER_START_TIMEOUT');
    assert.equal(app.health().adapters['fast']?.state, 'ready');
    await app.stop();
  });

  it('serves /health, /api/adapters and adapter mounts on the device listener', async () => {
    const events: string[] = [];
    const app = makeApp([descriptor('web', { events }, true)]);
    await app.start();
    try {
      const base = `http://127.0.0.1:${app.devicePort()}`;
      const health = (await (await fetch(`${base}/health`)).json()) as { status: string; adapters: Record<string, { state: string }> };
      assert.equal(health.status, 'ready');
      assert.equal(health.adapters['web']?.state, 'ready');
      const list = (await (await fetch(`${base}/api/adapters`)).json()) as { id: string; protocols: string[] }[];
      assert.deepEqual(list.map((a) => a.id), ['web']);
      assert.equal(await (await fetch(`${base}/web/some/path`)).text(), 'web:/some/path');
      const missing = await fetch(`${base}/nope`);
      assert.equal(missing.status, 404);
      assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'ERR_HTTP_NOT_FOUND');
    } finally {
      await app.stop();
    }
  });

  describe('#adminRoute', () => {
    it('hands the admin surface what an adapter mounted with mountAdmin, never the device listener', async () => {
      const events: string[] = [];
      const app = makeApp([descriptor('cam', { events }, false, true), descriptor('plain', { events }), descriptor('broken', { start: 'throw', events }, false, true)]);
      await app.start();
      try {
        const handler = app.adminRoute('cam');
        assert.ok(handler, 'mounted');
        assert.equal(app.adminRoute('plain'), undefined, 'no admin routes');
        assert.equal(app.adminRoute('broken'), undefined, 'failed adapters get no admin traffic');
        assert.equal(app.adminRoute('nope'), undefined);
        const base = `http://127.0.0.1:${app.devicePort()}`;
        for (const path of ['/adapters/cam/x', '/cam/x']) {
          const res = await fetch(`${base}${path}`);
          await res.arrayBuffer();
          assert.equal(res.status, 404, path);
        }
      } finally {
        await app.stop();
      }
      assert.equal(app.adminRoute('cam'), undefined, 'none once stopping');
    });
  });
});
