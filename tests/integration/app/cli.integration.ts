/**
 * The CLI end to end (the compiled `dist/plugin/main.js`, as users run it): config errors, the
 * local folder with every adapter, health and the adapter list, SIGTERM with no orphan ffmpeg,
 * and Jellyfin (the stand-in) as the library, including an unreachable or restarting server.
 */
import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adapterDescriptors } from '../../../adapters/index.js';
import { FakeJellyfin } from '../../support/fake-jellyfin.js';
import { ffmpegChildren, freePort, runCli, waitFor } from '../../support/cli.js';
import { hasBinary, makeClip } from '../../support/media.js';

interface Health {
  status: string;
  library: { kind: string; state: string; counters: Record<string, number> };
  adapters: Record<string, { state: string; ports?: Record<string, number> }>;
}

async function health(port: number): Promise<Health> {
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  return (await res.json()) as Health;
}

async function mediaFolder(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'jb-cli-media-'));
  mkdirSync(join(root, 'Movies'));
  await makeClip({ duration: 20, width: 640, height: 360 }, join(root, 'Movies', 'Long Clip (2020).mp4'));
  return root;
}

describe('jellybridge CLI', function () {
  this.timeout(120_000);

  before(async function () {
    if (!(await hasBinary('ffmpeg'))) this.skip();
  });

  it('lists every configuration problem and exits with status 2', async () => {
    const run = runCli(['--check'], {}, { http: { port: 'x' }, bogus: true });
    const code = await run.exited;
    await run.stop();
    assert.equal(code, 2);
    assert.match(run.stderr(), /invalid configuration/);
    assert.match(run.stderr(), /http\.port/);
    assert.match(run.stderr(), /bogus/);
  });

  it('names unknown adapters and bad adapter settings together', async () => {
    const run = runCli(['--check'], {}, { adapters: { tivo: { port: -1 }, nosuch: {} } });
    assert.equal(await run.exited, 2);
    await run.stop();
    assert.match(run.stderr(), /adapters\.nosuch: unknown adapter/);
    assert.match(run.stderr(), /adapters\.tivo\.port/);
  });

  it('serves the local folder with every adapter, then stops on SIGTERM leaving no ffmpeg', async () => {
    const media = await mediaFolder();
    const [port, adminPort, tivoPort, rtmpPort, wsPort, wcPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
    const run = runCli([], { JELLYBRIDGE_ADMIN_PASSWORD: 'cli-test-password' }, {
      dataDir: 'data',
      http: { bind: '127.0.0.1', port, allow: ['127.0.0.0/8'] },
      admin: { port: adminPort },
      local: { path: media, demo: false, rescanIntervalMinutes: 0 },
      log: { level: 'warn' },
      adapters: {
        tivo: { port: tivoPort, bind: '127.0.0.1', beacon: { enabled: false }, mdns: { enabled: false } },
        wii: { rtmpPort },
        dvbcss: { wsPort, wcPort },
      },
      devices: [{ id: 'me', name: 'Me', match: { cidr: ['127.0.0.0/8'] }, adapters: { tivo: { enabled: true }, wii: { enabled: true }, dvbcss: { enabled: true } } }],
    });
    try {
      const ready = await waitFor(async () => {
        const h = await health(port);
        return h.status === 'ready' && h.library.counters['items'] === 1 ? h : undefined;
      }, 60_000, 'health ready');
      assert.equal(ready.library.kind, 'local');
      assert.deepEqual(Object.keys(ready.adapters).sort(), ['dvbcss', 'tivo', 'wii']);
      assert.match(run.stdout(), new RegExp(`Admin UI:\\s+http://127\\.0\\.0\\.1:${adminPort}/`));
      const adapters = (await (await fetch(`http://127.0.0.1:${port}/api/adapters`)).json()) as { id: string; protocols: string[] }[];
      assert.deepEqual(adapters.map((a) => a.id), adapterDescriptors.map((d) => d.id));
      assert.ok(adapters.every((a) => a.protocols.length > 0));

      // Start a TiVo transcode and leave it running, then stop the sidecar.
      const tivo = async (path: string): Promise<string> => (await fetch(`http://127.0.0.1:${tivoPort}${path}`, { headers: { tsn: '540000000000001' } })).text();
      const root = await tivo('/TiVoConnect?Command=QueryContainer&Container=%2F');
      const movies = /<Url>(\/TiVoConnect\?Command=QueryContainer[^<]*)<\/Url>/.exec(root)?.[1]?.replace(/&amp;/g, '&');
      assert.ok(movies, 'a library container in the root listing');
      const listing = await tivo(movies);
      const url = /<Content>(?:<ContentType>[^<]*<\/ContentType>)?\s*<Url>(\/(?!TiVoConnect)[^<]+)<\/Url>/.exec(listing)?.[1]?.replace(/&amp;/g, '&');
      assert.ok(url, `a video URL in the listing:\n${listing.slice(0, 1500)}`);
      await new Promise<void>((resolve, reject) => {
        const req = request(new URL(url, `http://127.0.0.1:${tivoPort}`), { headers: { tsn: '540000000000001' } }, (res) => {
          res.once('data', () => resolve());
          res.on('error', () => undefined);
        });
        req.on('error', reject);
        req.end();
      });
      const pid = run.child.pid ?? 0;
      await waitFor(() => (ffmpegChildren(pid).length > 0 ? true : undefined), 10_000, 'an ffmpeg child');
      const code = await run.stop();
      assert.equal(code, 0);
      assert.deepEqual(ffmpegChildren(pid), []);
    } finally {
      await run.stop();
      rmSync(media, { recursive: true, force: true });
    }
  });

  it('uses Jellyfin from the environment and stays up while it restarts', async () => {
    const fake = await FakeJellyfin.start({ clip: await makeClip({ duration: 2 }) });
    const [port, adminPort] = await Promise.all([freePort(), freePort()]);
    const run = runCli([], { JELLYFIN_URL: fake.url, JELLYFIN_API_KEY: fake.apiKey, JELLYBRIDGE_ADMIN_PASSWORD: 'cli-test-password' }, {
      dataDir: 'data',
      http: { bind: '127.0.0.1', port },
      admin: { port: adminPort },
      jellyfin: { sessionPollSeconds: 1 },
      log: { level: 'warn' },
    });
    try {
      await waitFor(async () => {
        const h = await health(port);
        return h.library.kind === 'jellyfin' && h.library.state === 'ready' ? true : undefined;
      }, 30_000, 'jellyfin ready');
      const auth = fake.requests.filter((r) => r.path.startsWith('/Users') || r.path.startsWith('/System'));
      assert.ok(auth.length > 0);
      void fake.restart(3000);
      await waitFor(async () => ((await health(port)).library.state === 'degraded' ? true : undefined), 20_000, 'degraded while Jellyfin is down');
      await waitFor(async () => ((await health(port)).library.state === 'ready' ? true : undefined), 40_000, 'ready after Jellyfin came back');
      assert.equal(run.child.exitCode, null, 'still running');
    } finally {
      await run.stop();
      await fake.close();
    }
  });

  it('starts with an unreachable Jellyfin and reports degraded instead of exiting', async () => {
    const [port, adminPort, dead] = await Promise.all([freePort(), freePort(), freePort()]);
    const run = runCli([], { JELLYFIN_URL: `http://127.0.0.1:${dead}`, JELLYFIN_API_KEY: 'k', JELLYBRIDGE_ADMIN_PASSWORD: 'cli-test-password' }, {
      dataDir: 'data',
      http: { bind: '127.0.0.1', port },
      admin: { port: adminPort },
      log: { level: 'error' },
    });
    try {
      const h = await waitFor(async () => {
        const value = await health(port);
        return value.library.state === 'degraded' ? value : undefined;
      }, 30_000, 'degraded');
      assert.equal(h.library.kind, 'jellyfin');
      assert.equal(run.child.exitCode, null);
    } finally {
      assert.equal(await run.stop(), 0);
    }
  });
});
