/**
 * Discovery against the real sidecar with every socket on 127.0.0.1 (nothing is broadcast or
 * multicast to the LAN): UDP beacons to a loopback target, the length-prefixed TCP exchange,
 * the same identity after a restart, TiVos' own beacons recorded in the device registry with
 * their names, and mDNS `_tivo-videos._tcp` announced at start, answered, and withdrawn at stop.
 */
import { strict as assert } from 'node:assert';
import { createSocket, type Socket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import makeMdns from 'multicast-dns';
import { buildBeacon, frameBeacon, parseBeacon, unframeBeacon } from '../../../adapters/tivo/beacon-packet.js';
import type { Harness } from '../../support/adapter-harness.js';
import { hasBinary } from '../../support/media.js';
import { startTivoHarness } from '../../support/tivo/tivo-harness.js';

const TIVO_TSN = '6520001802A0B1C';

async function udpListener(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return socket;
}

function closeUdp(socket: Socket): Promise<void> {
  return new Promise((r) => socket.close(() => r()));
}

/** Swaps length-prefixed beacons over TCP, as a TiVo's "Manually add a server" does. */
function tcpExchange(port: number, beacon: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    socket.on('connect', () => socket.write(frameBeacon(beacon)));
    socket.on('data', (c: Buffer) => {
      buffer = Buffer.concat([buffer, c]);
      const f = unframeBeacon(buffer);
      if (f.kind === 'beacon') {
        socket.destroy();
        resolve(f.text);
      }
    });
    socket.on('error', reject);
  });
}

function tivoBeacon(method: 'broadcast' | 'connected', machine: string, tsn = TIVO_TSN): string {
  return buildBeacon({ method, identity: tsn, machine, platform: 'tcd/Series3', services: ['TiVoMediaServer:80/http'], swversion: '11.0k' });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(check(), 'condition not reached');
}

describe('tivo discovery (integration)', function () {
  this.timeout(30_000);
  let root: string;
  let dataDir: string;

  before(async function () {
    if (!(await hasBinary('ffprobe'))) this.skip();
    root = mkdtempSync(join(tmpdir(), 'jb-tivo-beacon-'));
    mkdirSync(join(root, 'Videos'));
    dataDir = mkdtempSync(join(tmpdir(), 'jb-tivo-beacon-data-'));
  });

  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  describe('beacons', () => {
    let listener: Socket;
    let harness: Harness | undefined;
    const received: string[] = [];

    const start = async (): Promise<Harness> =>
      startTivoHarness({
        source: { local: root },
        dataDir,
        policy: 'hold',
        devices: [],
        config: { beacon: { enabled: true, targets: [`127.0.0.1:${listener.address().port}`], port: 0, bind: '127.0.0.1' } },
      });

    before(async () => {
      listener = await udpListener();
      listener.on('message', (m) => received.push(m.toString('ascii')));
      harness = await start();
    });

    after(async () => {
      await harness?.stop();
      await closeUdp(listener);
    });

    it('sends a UDP beacon at start naming the HMO port, with a stable identity', async () => {
      await until(() => received.length > 0);
      const beacon = parseBeacon(received[0] ?? '');
      assert.ok(beacon);
      assert.equal(beacon['tivoconnect'], '1');
      assert.equal(beacon['method'], 'broadcast');
      assert.match(beacon['platform'] ?? '', /^pc\//);
      assert.ok(beacon['machine']);
      assert.match(beacon['identity'] ?? '', /^\{[0-9a-f-]{36}\}$/);
      assert.equal(beacon['services'], `TiVoMediaServer:${harness?.adapterPort()}/http`);
    });

    it('answers the TCP exchange with a connected beacon and records the TiVo with its name', async () => {
      const port = harness?.adapter.health().ports?.['beaconTcp'] ?? 0;
      const reply = parseBeacon(await tcpExchange(port, tivoBeacon('connected', 'Den TiVo')));
      assert.equal(reply?.['method'], 'connected');
      assert.equal(reply?.['identity'], parseBeacon(received[0] ?? '')?.['identity']);
      const device = harness?.composed.registry.list().find((d) => d.tsn === TIVO_TSN);
      assert.ok(device, 'the TiVo is not in the device list');
      assert.equal(device.name, 'Den TiVo');
      assert.equal(device.announcedName, 'Den TiVo');
      assert.equal(device.foundBy, 'tivo');
      assert.equal(device.approval, 'held');
    });

    it('records a TiVo from its UDP beacon and answers it with a unicast connected beacon', async () => {
      const tivo = await udpListener();
      try {
        const answer = new Promise<string>((resolve) => tivo.once('message', (m) => resolve(m.toString('ascii'))));
        const packet = Buffer.from(tivoBeacon('broadcast', 'Living Room', '746000000000077'), 'ascii');
        tivo.send(packet, harness?.adapter.health().ports?.['beacon'] ?? 0, '127.0.0.1');
        assert.equal(parseBeacon(await answer)?.['method'], 'connected');
        await until(() => harness?.composed.registry.list().some((d) => d.tsn === '746000000000077') ?? false);
        const device = harness?.composed.registry.list().find((d) => d.tsn === '746000000000077');
        assert.equal(device?.name, 'Living Room');
        // Its first HMO request finds the same device (held: 403) instead of recording another.
        const before = harness?.composed.registry.list().length;
        const r = await fetch(`http://127.0.0.1:${harness?.adapterPort()}/TiVoConnect?Command=QueryServer`, { headers: { tsn: '746000000000077' } });
        assert.equal(r.status, 403);
        assert.equal(harness?.composed.registry.list().length, before);
      } finally {
        await closeUdp(tivo);
      }
    });

    it('keeps the beacon identity across a restart', async () => {
      const first = parseBeacon(received[0] ?? '')?.['identity'];
      await harness?.stop();
      received.length = 0;
      harness = await start();
      await until(() => received.length > 0);
      assert.equal(parseBeacon(received[0] ?? '')?.['identity'], first);
    });
  });

  describe('mDNS', () => {
    let watcher: ReturnType<typeof makeMdns>;
    let watcherSocket: Socket;
    let harness: Harness | undefined;
    const responses: makeMdns.ResponsePacket[] = [];

    before(async () => {
      // An mDNS peer on loopback that receives the announcements (no multicast group joined).
      watcherSocket = await udpListener();
      watcher = makeMdns({ socket: watcherSocket, bind: false, multicast: false, port: watcherSocket.address().port, ip: '127.0.0.1' });
      watcher.on('response', (res) => responses.push(res));
      harness = await startTivoHarness({
        source: { local: root },
        config: { mdns: { enabled: true, interface: '127.0.0.1', port: 0, announceTo: [`127.0.0.1:${watcherSocket.address().port}`] } },
      });
    });

    after(async () => {
      await harness?.stop();
      await new Promise<void>((r) => watcher.destroy(() => r()));
    });

    function records(res: makeMdns.ResponsePacket): { type: string; name: string; ttl: number; data: unknown }[] {
      return [...(res.answers ?? []), ...(res.additionals ?? [])].map((r) => ({ type: r.type, name: r.name, ttl: 'ttl' in r ? (r.ttl ?? 0) : 0, data: 'data' in r ? (r.data as unknown) : undefined }));
    }

    it('announces _tivo-videos._tcp at start, twice (RFC 6762 §8.3), with SRV, TXT and A records', async () => {
      await until(() => responses.length >= 2);
      const recs = records(responses[0]!);
      const ptr = recs.find((r) => r.type === 'PTR');
      assert.equal(ptr?.name, '_tivo-videos._tcp.local');
      const srv = recs.find((r) => r.type === 'SRV');
      assert.equal((srv?.data as { port: number }).port, harness?.adapterPort());
      const txt = (recs.find((r) => r.type === 'TXT')?.data as Buffer[]).map((b) => b.toString());
      assert.ok(txt.includes('protocol=http'));
      assert.ok(txt.includes('path=/TiVoConnect?Command=QueryContainer&Container=%2F'));
      assert.ok(txt.some((t) => t.startsWith('platform=pc/')));
      assert.ok(recs.some((r) => r.type === 'A' && r.data === '127.0.0.1'));
      assert.ok(recs.every((r) => r.ttl > 0));
    });

    it('answers a query for _tivo-videos._tcp with the service records', async () => {
      const port = harness?.adapter.health().ports?.['mdns'] ?? 0;
      const client = makeMdns({ port: 0, ip: '127.0.0.1', interface: '127.0.0.1', multicast: false, bind: '127.0.0.1' });
      try {
        const answer = new Promise<makeMdns.ResponsePacket>((resolve) => client.on('response', (res) => resolve(res)));
        client.query({ questions: [{ name: '_tivo-videos._tcp.local', type: 'PTR' }] }, { port, address: '127.0.0.1' });
        const recs = records(await answer);
        assert.ok(recs.some((r) => r.type === 'PTR' && r.name === '_tivo-videos._tcp.local'));
        assert.equal((recs.find((r) => r.type === 'SRV')?.data as { port: number }).port, harness?.adapterPort());
        assert.ok(recs.some((r) => r.type === 'TXT'));
      } finally {
        await new Promise<void>((r) => client.destroy(() => r()));
      }
    });

    it('keeps serving, degraded, when the mDNS port cannot be had', async () => {
      const taken = createSocket({ type: 'udp4', reuseAddr: false });
      await new Promise<void>((r) => taken.bind(0, '127.0.0.1', r));
      const other = await startTivoHarness({ source: { local: root }, config: { mdns: { enabled: true, interface: '127.0.0.1', port: taken.address().port, announceTo: [] } } });
      try {
        const health = other.adapter.health();
        assert.equal(health.state, 'degraded');
        assert.equal(health.lastError?.code, 'ERR_TIVO_START');
        const r = await fetch(`http://127.0.0.1:${other.adapterPort()}/TiVoConnect?Command=QueryServer`, { headers: { tsn: '540000000000001' } });
        assert.equal(r.status, 200);
      } finally {
        await other.stop();
        await closeUdp(taken);
      }
    });

    it('withdraws the service with a goodbye (TTL 0) at stop', async () => {
      const before = responses.length;
      await harness?.stop();
      harness = undefined;
      await until(() => responses.length > before);
      const goodbye = records(responses[responses.length - 1]!);
      assert.ok(goodbye.some((r) => r.type === 'PTR'));
      assert.ok(goodbye.every((r) => r.ttl === 0));
    });
  });
});
