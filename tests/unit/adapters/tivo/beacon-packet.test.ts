import { strict as assert } from 'node:assert';
import { beaconIdentity, buildBeacon, frameBeacon, parseBeacon, parseTarget, unframeBeacon } from '../../../../adapters/tivo/beacon-packet.js';

describe('buildBeacon', () => {
  it('builds pyTivo beacon text line for line (transcript 40)', () => {
    const text = buildBeacon({ method: 'broadcast', identity: '{66a06432-90dd-48ba-8524-765c945117e3}', machine: 'vm', platform: 'pc/pyTivo', services: ['TiVoMediaServer:9032/http'] });
    assert.equal(text, 'tivoconnect=1\nmethod=broadcast\nidentity={66a06432-90dd-48ba-8524-765c945117e3}\nmachine=vm\nplatform=pc/pyTivo\nservices=TiVoMediaServer:9032/http\n');
    assert.equal(Buffer.byteLength(text), 144);
  });
});

describe('parseBeacon', () => {
  it('reads the simulated TiVo beacon of transcript 40', () => {
    const b = parseBeacon('tivoconnect=1\nmethod=connected\nplatform=tcd/Series3\nmachine=Test TiVo\nidentity=652000000000001\nservices=TiVoMediaServer:80/http\nswversion=11.0k-01-2-652\n');
    assert.equal(b?.['platform'], 'tcd/Series3');
    assert.equal(b?.['identity'], '652000000000001');
  });
  it('refuses text that is not a beacon', () => {
    assert.equal(parseBeacon('GET / HTTP/1.1\r\n'), undefined);
  });
});

describe('frameBeacon / unframeBeacon', () => {
  it('prefixes the 4-byte big-endian length (0x99 = 153 in transcript 40)', () => {
    const text = 'tivoconnect=1\nmethod=connected\nplatform=tcd/Series3\nmachine=Test TiVo\nidentity=652000000000001\nservices=TiVoMediaServer:80/http\nswversion=11.0k-01-2-652\n';
    const framed = frameBeacon(text);
    assert.deepEqual([...framed.subarray(0, 4)], [0, 0, 0, 0x99]);
    assert.deepEqual(unframeBeacon(framed), { kind: 'beacon', text });
    assert.deepEqual(unframeBeacon(framed.subarray(0, 10)), { kind: 'need' });
    assert.deepEqual(unframeBeacon(Buffer.from([0xff, 0xff, 0xff, 0xff])), { kind: 'invalid' });
  });
});

describe('beaconIdentity', () => {
  it('is stable for a server id and shaped like a braced UUID', () => {
    assert.equal(beaconIdentity('my-server'), beaconIdentity('my-server'));
    assert.match(beaconIdentity('my-server'), /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/);
    assert.equal(beaconIdentity('66a06432-90dd-48ba-8524-765c945117e3'), '{66a06432-90dd-48ba-8524-765c945117e3}');
  });
});

describe('parseTarget', () => {
  it('reads host and host:port', () => {
    assert.deepEqual(parseTarget('127.0.0.1:4000', 2190), { host: '127.0.0.1', port: 4000 });
    assert.deepEqual(parseTarget('255.255.255.255', 2190), { host: '255.255.255.255', port: 2190 });
  });
});
