/**
 * Discovery against real sockets on 127.0.0.1 only: UDP beacons to a configured loopback
 * target, the length-prefixed TCP exchange, a stable identity across restarts, and an mDNS
 * `_tivo-videos._tcp` answer to a legacy unicast query (no multicast to the LAN).
 */
import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import makeMdns from 'multicast-dns';
import { frameBeacon, parseBeacon, unframeBeacon } from '../../../adapters/tivo/beacon-packet.js';
import { MdnsAnnouncer } from '../../../adapters/tivo/mdns.js';
import { silentLogger } from '../../../plugin/log/logger.js';
import { startTivo } from '../../support/tivo/tivo-context.js';

async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('tivo discovery (integration)', function () {
  this.timeout(30_000);
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'jb-tivo-beacon-'));
    mkdirSync(join(root, 'Videos'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  async function beaconOnce(): Promise<Readonly<Record<string, string>>> {
    const listener = createSocket('udp4');
    await new Promise<void>((r) => listener.bind(0, '127.0.0.1', r));
    const target = `127.0.0.1:${listener.address().port}`;
    const beaconPort = await freePort();
    const got = new Promise<string>((resolve) => listener.once('message', (m) => resolve(m.toString('ascii'))));
    const tivo = await startTivo({ mediaRoot: root, config: { beacon: { enabled: true, targets: [target], port: beaconPort } } });
    try {
      const beacon = parseBeacon(await got);
      assert.ok(beacon);
      // TCP exchange on the beacon port, as a TiVo's "Manually add a server" does.
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(beaconPort, '127.0.0.1');
        let buffer = Buffer.alloc(0);
        socket.on('connect', () => socket.write(frameBeacon('tivoconnect=1\nmethod=connected\nplatform=tcd/Series3\nmachine=Sim TiVo\nidentity=652000000000001\nservices=TiVoMediaServer:80/http\n')));
        socket.on('data', (c: Buffer) => {
          buffer = Buffer.concat([buffer, c]);
          const f = unframeBeacon(buffer);
          if (f.kind === 'beacon') resolve(f.text);
        });
        socket.on('error', reject);
      });
      const connected = parseBeacon(reply);
      assert.equal(connected?.['method'], 'connected');
      assert.equal(connected?.['identity'], beacon['identity']);
      assert.equal(connected?.['services'], `TiVoMediaServer:${tivo.port()}/http`);
      return beacon;
    } finally {
      await tivo.stop();
      await new Promise<void>((r) => listener.close(() => r()));
    }
  }

  it('sends a UDP beacon at start and answers the TCP exchange, with the same identity after a restart', async () => {
    const first = await beaconOnce();
    assert.equal(first['tivoconnect'], '1');
    assert.equal(first['method'], 'broadcast');
    assert.match(first['platform'] ?? '', /^pc\//);
    assert.ok(first['machine']);
    assert.match(first['services'] ?? '', /^TiVoMediaServer:\d+\/http$/);
    const second = await beaconOnce();
    assert.equal(second['identity'], first['identity']);
  });

  it('answers an mDNS query for _tivo-videos._tcp with SRV and the TXT records TiVos read', async () => {
    const responderPort = await freePort();
    const announcer = new MdnsAnnouncer({
      instanceName: 'Test Bridge',
      httpPort: () => 9032,
      identity: '{00000000-0000-0000-0000-000000000001}',
      log: silentLogger(),
      socket: { port: responderPort, ip: '127.0.0.1', interface: '127.0.0.1', multicast: false, bind: '127.0.0.1' },
      address: '127.0.0.1',
    });
    announcer.start();
    const client = makeMdns({ port: 0, ip: '127.0.0.1', interface: '127.0.0.1', multicast: false, bind: '127.0.0.1' });
    try {
      await new Promise<void>((r) => client.on('ready', () => r()));
      const answer = new Promise<makeMdns.ResponsePacket>((resolve) => client.on('response', (res) => resolve(res)));
      client.query({ questions: [{ name: '_tivo-videos._tcp.local', type: 'PTR' }] }, { port: responderPort, address: '127.0.0.1' } as AddressInfo);
      const res = await answer;
      const records = [...(res.answers ?? []), ...(res.additionals ?? [])].map((r) => ({ type: r.type, data: 'data' in r ? (r.data as unknown) : undefined }));
      const srv = records.find((r) => r.type === 'SRV');
      const txt = records.find((r) => r.type === 'TXT');
      assert.equal((srv?.data as { port: number }).port, 9032);
      const strings = (txt?.data as Buffer[]).map((b) => b.toString());
      assert.ok(strings.includes('protocol=http'));
      assert.ok(strings.some((s) => s.startsWith('path=/TiVoConnect?Command=QueryContainer')));
      assert.ok(strings.some((s) => s.startsWith('platform=pc/')));
    } finally {
      await new Promise<void>((r) => client.destroy(() => r()));
      await announcer.stop();
    }
  });
});
