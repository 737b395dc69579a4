import { strict as assert } from 'node:assert';
import { IpAllowList, ipInAnyCidr, isLoopbackHostname, normalizeIp, parseCidr } from '../../../../plugin/util/cidr.js';

describe('cidr', () => {
  it('normalises IPv4-mapped IPv6 addresses', () => {
    assert.equal(normalizeIp('::ffff:192.168.1.5'), '192.168.1.5');
    assert.equal(normalizeIp('fe80::1%eth0'), 'fe80::1');
  });

  it('matches IPv4 ranges', () => {
    const net = parseCidr('192.168.0.0/16');
    assert.ok(net);
    assert.ok(ipInAnyCidr('192.168.44.2', [net]));
    assert.ok(ipInAnyCidr('::ffff:192.168.44.2', [net]));
    assert.ok(!ipInAnyCidr('192.169.0.1', [net]));
  });

  it('matches IPv6 ranges and compressed forms', () => {
    const net = parseCidr('fc00::/7');
    assert.ok(net);
    assert.ok(ipInAnyCidr('fd12:3456::1', [net]));
    assert.ok(!ipInAnyCidr('2001:db8::1', [net]));
    const loop = parseCidr('::1/128');
    assert.ok(loop && ipInAnyCidr('0:0:0:0:0:0:0:1', [loop]));
  });

  it('rejects invalid ranges', () => {
    assert.equal(parseCidr('10.0.0.0/33'), undefined);
    assert.equal(parseCidr('banana'), undefined);
  });

  it('allows the default LAN list and refuses public addresses', () => {
    const list = new IpAllowList(['127.0.0.0/8', '::1/128', '10.0.0.0/8', '192.168.0.0/16']);
    assert.ok(list.allows('127.0.0.1'));
    assert.ok(list.allows('::1'));
    assert.ok(!list.allows('8.8.8.8'));
  });

  it('recognises loopback host names and addresses only', () => {
    for (const name of ['localhost', 'LocalHost', '127.0.0.1', '127.9.8.7', '::1', '[::1]']) assert.ok(isLoopbackHostname(name), name);
    for (const name of ['127.evil.example', '127.0.0.1.nip.io', '128.0.0.1', '10.0.0.1', 'localhost.example', '::2', '']) assert.ok(!isLoopbackHostname(name), name);
  });
});
