import { strict as assert } from 'node:assert';
import { clientFacingHost, endpointPath, parseEndpoint } from '../../../../adapters/dvbcss/endpoints.js';

describe('endpoints', () => {
  describe('#parseEndpoint', () => {
    it('routes CII and TS with their follow targets, and the wall clock', () => {
      assert.deepEqual(parseEndpoint('/cii'), { service: 'cii', spec: { kind: 'any' } });
      assert.deepEqual(parseEndpoint('/ts/'), { service: 'ts', spec: { kind: 'any' } });
      assert.deepEqual(parseEndpoint('/cii/session/a%20b'), { service: 'cii', spec: { kind: 'session', sessionId: 'a b' } });
      assert.deepEqual(parseEndpoint('/ts/user/u1?x=1'), { service: 'ts', spec: { kind: 'user', userId: 'u1' } });
      assert.deepEqual(parseEndpoint('/ts/device/d1'), { service: 'ts', spec: { kind: 'device', deviceId: 'd1' } });
      assert.deepEqual(parseEndpoint('/wc'), { service: 'wc' });
    });

    it('refuses other paths and malformed ids', () => {
      for (const p of ['/', '/ciix', '/cii/session', '/cii/session/', '/cii/nope/x', '/cii/session/a/b', '/cii/session/%E0%A4%A', '/wc/x']) {
        assert.equal(parseEndpoint(p), undefined, p);
      }
    });
  });

  describe('#endpointPath', () => {
    it('round-trips through parseEndpoint', () => {
      const spec = { kind: 'session', sessionId: 'x/y z' } as const;
      assert.deepEqual(parseEndpoint(endpointPath('ts', spec)), { service: 'ts', spec });
    });
  });

  describe('#clientFacingHost', () => {
    it('uses the Host header the client sent', () => {
      assert.deepEqual(clientFacingHost('tv.local:7681', '10.0.0.2'), { hostname: 'tv.local', port: 7681 });
      assert.deepEqual(clientFacingHost('[fe80::1]:80', undefined), { hostname: '[fe80::1]', port: 80 });
      assert.deepEqual(clientFacingHost('192.168.1.5', undefined), { hostname: '192.168.1.5' });
    });

    it('falls back to the local address of the socket, IPv4-mapped addresses unwrapped', () => {
      assert.deepEqual(clientFacingHost(undefined, '::ffff:192.168.1.9'), { hostname: '192.168.1.9' });
      assert.deepEqual(clientFacingHost('', '::1'), { hostname: '[::1]' });
      assert.deepEqual(clientFacingHost('bad host:x', '10.1.1.1'), { hostname: '10.1.1.1' });
    });
  });
});
