import { strict as assert } from 'node:assert';
import type { ResolvedDeviceRule } from '../../../../plugin/config/load.js';
import { compileRule, compileTextPattern, findMatchingRule, parseRuleCidr, type DeviceMatchSpec, type DeviceRuleResolved } from '../../../../plugin/devices/rule-match.js';
import type { DeviceIdentity } from '../../../../plugin/devices/types.js';

function rule(id: string, match: DeviceMatchSpec | undefined): DeviceRuleResolved {
  return { id, name: id, match, approved: true, adapters: {} };
}

function matches(match: DeviceMatchSpec, identity: DeviceIdentity): boolean {
  return compileRule(rule('r', match)).test(identity);
}

describe('rule matching', () => {
  describe('cidr', () => {
    it('matches an IPv4 address inside the range and not one outside', () => {
      assert.equal(matches({ cidr: ['192.168.1.0/24'] }, { ip: '192.168.1.77' }), true);
      assert.equal(matches({ cidr: ['192.168.1.0/24'] }, { ip: '192.168.2.1' }), false);
    });
    it('matches an IPv4-mapped IPv6 socket address against an IPv4 range', () => {
      assert.equal(matches({ cidr: ['10.0.0.0/8'] }, { ip: '::ffff:10.1.2.3' }), true);
    });
    it('matches an IPv4 address against a range written as IPv4-mapped IPv6', () => {
      assert.equal(matches({ cidr: ['::ffff:10.0.0.0/104'] }, { ip: '10.9.9.9' }), true);
      assert.equal(matches({ cidr: ['::ffff:10.0.0.0/104'] }, { ip: '11.0.0.1' }), false);
    });
    it('matches IPv6 ranges and single addresses', () => {
      assert.equal(matches({ cidr: ['fd00::/8'] }, { ip: 'fd12:3456::1' }), true);
      assert.equal(matches({ cidr: ['fe80::1'] }, { ip: 'fe80::1' }), true);
      assert.equal(matches({ cidr: ['fe80::1'] }, { ip: 'fe80::2' }), false);
    });
    it('accepts any one of several ranges', () => {
      assert.equal(matches({ cidr: ['10.0.0.0/8', '192.168.0.0/16'] }, { ip: '192.168.5.5' }), true);
    });
    it('parses a mapped /128 as an IPv4 /32', () => {
      assert.deepEqual(parseRuleCidr('::ffff:1.2.3.4'), parseRuleCidr('1.2.3.4/32'));
    });
  });

  describe('userAgent', () => {
    it('matches a case-insensitive substring', () => {
      assert.equal(matches({ userAgent: 'nintendo wii' }, { ip: '1.1.1.1', userAgent: 'Opera/9.30 (Nintendo Wii; U; ; 3642; en)' }), true);
    });
    it('matches a /regex/ with flags', () => {
      assert.equal(matches({ userAgent: '/^opera.*wii/i' }, { ip: '1.1.1.1', userAgent: 'Opera/9.30 (Nintendo Wii)' }), true);
      assert.equal(matches({ userAgent: '/^Wii/' }, { ip: '1.1.1.1', userAgent: 'Opera/9.30 (Nintendo Wii)' }), false);
    });
    it('reads the user-agent header when the identity has no userAgent field', () => {
      assert.equal(matches({ userAgent: 'Wii' }, { ip: '1.1.1.1', headers: { 'user-agent': 'Nintendo Wii' } }), true);
    });
    it('does not match a request without a user agent', () => {
      assert.equal(matches({ userAgent: 'Wii' }, { ip: '1.1.1.1' }), false);
    });
    it('stays correct across calls with a global-flag regex', () => {
      const test = compileTextPattern('/wii/gi');
      assert.equal(test('Nintendo Wii'), true);
      assert.equal(test('Nintendo Wii'), true);
    });
  });

  describe('headers', () => {
    it('matches when any one named header matches, by lower-case name', () => {
      const match = { headers: { 'X-AV-Client-Info': '/Bravia/', 'X-Other': 'nope' } };
      assert.equal(matches(match, { ip: '1.1.1.1', headers: { 'x-av-client-info': 'av=5.0; cn="Sony"; mn="BRAVIA KDL"' } }), false);
      assert.equal(matches(match, { ip: '1.1.1.1', headers: { 'x-av-client-info': 'mn="Bravia"' } }), true);
      assert.equal(matches(match, { ip: '1.1.1.1', headers: { 'x-other': 'this is nope' } }), true);
      assert.equal(matches(match, { ip: '1.1.1.1', headers: {} }), false);
    });
  });

  describe('tsn', () => {
    it('matches exactly, ignoring case and dashes', () => {
      assert.equal(matches({ tsn: ['652-0001-8015-4B05'] }, { ip: '1.1.1.1', tsn: '652000180154b05' }), true);
      assert.equal(matches({ tsn: ['A94000000001234'] }, { ip: '1.1.1.1', tsn: 'A94000000001235' }), false);
    });
    it('matches a prefix ending in *', () => {
      assert.equal(matches({ tsn: ['A94*'] }, { ip: '1.1.1.1', tsn: 'a9400000000abcd' }), true);
      assert.equal(matches({ tsn: ['A94*'] }, { ip: '1.1.1.1', tsn: '65200000000abcd' }), false);
    });
    it('does not match a request without a TSN', () => {
      assert.equal(matches({ tsn: ['A94*'] }, { ip: '1.1.1.1' }), false);
    });
  });

  describe('key', () => {
    it('matches a protocol key exactly', () => {
      assert.equal(matches({ key: ['rtsp://cam1/stream'] }, { ip: '1.1.1.1', key: 'rtsp://cam1/stream' }), true);
      assert.equal(matches({ key: ['rtsp://cam1/stream'] }, { ip: '1.1.1.1', key: 'rtsp://cam1/stream2' }), false);
    });
  });

  describe('combining criteria', () => {
    it('requires every named criterion (Wii: user agent and address)', () => {
      const match = { userAgent: 'Nintendo Wii', cidr: ['192.168.1.50/32'] };
      assert.equal(matches(match, { ip: '192.168.1.50', userAgent: 'Nintendo Wii' }), true);
      assert.equal(matches(match, { ip: '192.168.1.51', userAgent: 'Nintendo Wii' }), false);
      assert.equal(matches(match, { ip: '192.168.1.50', userAgent: 'Firefox' }), false);
    });
    it('never matches a rule without criteria', () => {
      assert.equal(compileRule(rule('cam', undefined)).test({ ip: '127.0.0.1' }), false);
      assert.equal(matches({}, { ip: '127.0.0.1' }), false);
    });
    it('picks the first matching rule in config order', () => {
      const rules = [rule('a', { cidr: ['10.0.0.0/8'] }), rule('b', { cidr: ['10.1.0.0/16'] })].map(compileRule);
      assert.equal(findMatchingRule(rules, { ip: '10.1.2.3' })?.id, 'a');
      assert.equal(findMatchingRule(rules, { ip: '11.1.2.3' }), undefined);
    });
  });

  describe('DeviceRuleResolved', () => {
    it("accepts the config loader's resolved rules as they are", () => {
      const loaded: ResolvedDeviceRule = { id: 'tv', name: 'TV', approved: true, match: { tsn: ['A94*'] }, adapters: { tivo: { enabled: true, overrides: {} } } };
      const asRule: DeviceRuleResolved = loaded;
      assert.equal(asRule.id, 'tv');
    });
  });
});
