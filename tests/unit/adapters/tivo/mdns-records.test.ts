import { strict as assert } from 'node:assert';
import { hostLabel, isLoopback, serviceRecords, tivoTxt, TIVO_VIDEOS_SERVICE } from '../../../../adapters/tivo/mdns.js';

describe('mDNS service records', () => {
  const records = serviceRecords({ instanceName: 'Jellybridge on nas', port: 9032, identity: '{00000000-0000-0000-0000-000000000001}', address: '192.168.1.10' });

  it('points the PTR of _tivo-videos._tcp at one instance named after the server', () => {
    assert.deepEqual(records.ptr, { name: TIVO_VIDEOS_SERVICE, type: 'PTR', ttl: 4500, data: 'Jellybridge on nas._tivo-videos._tcp.local' });
  });

  it('gives SRV and A records a 120 s TTL and the cache-flush bit (RFC 6762 §10)', () => {
    assert.deepEqual(records.srv, {
      name: 'Jellybridge on nas._tivo-videos._tcp.local',
      type: 'SRV',
      ttl: 120,
      flush: true,
      data: { port: 9032, target: 'Jellybridge-on-nas.local', priority: 0, weight: 0 },
    });
    assert.deepEqual(records.a, { name: 'Jellybridge-on-nas.local', type: 'A', ttl: 120, flush: true, data: '192.168.1.10' });
  });

  it('uses TTL 0 for every record of a goodbye', () => {
    const goodbye = serviceRecords({ instanceName: 'x', port: 1, identity: 'i', address: '127.0.0.1' }, 0);
    const ttls = [goodbye.ptr, goodbye.srv, goodbye.txt, goodbye.a].map((r) => ('ttl' in r ? r.ttl : undefined));
    assert.deepEqual(ttls, [0, 0, 0, 0]);
  });

  it('carries the TXT keys TiVos read, the path opening the server root', () => {
    assert.deepEqual(tivoTxt('{id}'), ['protocol=http', 'path=/TiVoConnect?Command=QueryContainer&Container=%2F', 'platform=pc/Jellybridge', 'tsn={id}', 'swversion=1.0']);
  });

  it('makes a DNS label of any server name', () => {
    assert.equal(hostLabel('Jellybridge on Ünïcode box!'), 'Jellybridge-on-Unicode-box');
    assert.equal(hostLabel('!!!'), 'jellybridge');
    assert.equal(hostLabel('a'.repeat(80)).length, 63);
  });

  it('recognises loopback interfaces (loopback mode joins no group)', () => {
    assert.equal(isLoopback('127.0.0.1'), true);
    assert.equal(isLoopback('192.168.1.10'), false);
    assert.equal(isLoopback(undefined), false);
  });
});
