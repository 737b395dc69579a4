import { strict as assert } from 'node:assert';
import { companionPage } from '../../../../../adapters/dvbcss/page/companion-html.js';
import { companionHost, companionUrl } from '../../../../../adapters/dvbcss/page/companion-link.js';
import { sessionEntries } from '../../../../../adapters/dvbcss/page/companion-routes.js';
import { session } from '../../../../support/dvbcss/playback-double.js';

const lan = {
  lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
  eth0: [
    { address: 'fe80::1', family: 'IPv6', internal: false },
    { address: '192.168.1.20', family: 'IPv4', internal: false },
  ],
};

describe('companion page', () => {
  describe('#companionHost', () => {
    it('prefers the configured companionHost, bracketing IPv6 literals', () => {
      assert.equal(companionHost({ companionHost: 'tv.local', bind: '0.0.0.0' }, lan), 'tv.local');
      assert.equal(companionHost({ companionHost: 'fd00::5', bind: '0.0.0.0' }, lan), '[fd00::5]');
    });

    it('uses a specific bind address, else the first LAN IPv4 address, else loopback', () => {
      assert.equal(companionHost({ bind: '10.0.0.7' }, lan), '10.0.0.7');
      assert.equal(companionHost({ bind: '0.0.0.0' }, lan), '192.168.1.20');
      assert.equal(companionHost({ bind: '::' }, { lo: lan.lo }), '127.0.0.1');
    });
  });

  describe('#companionUrl', () => {
    it('names the adapter prefix on the device-facing port', () => {
      assert.equal(companionUrl('192.168.1.20', 8096, 'dvbcss'), 'http://192.168.1.20:8096/dvbcss/');
    });
  });

  describe('#companionPage', () => {
    it('hands the script its WebSocket port, link and preselected session, escaped', () => {
      const html = companionPage({ wsPort: 7681, companionUrl: 'http://tv:8096/dvbcss/', sessionId: '"><script>x</script>', serverName: 'Den & <TV>' });
      assert.match(html, /data-ws-port="7681"/);
      assert.match(html, /data-session="&quot;&gt;&lt;script&gt;x&lt;\/script&gt;"/);
      assert.match(html, /<title>Sync to Jellyfin playback — Den &amp; &lt;TV&gt;<\/title>/);
      assert.match(html, /<script src="companion.js"><\/script>/);
      assert.doesNotMatch(html, /https?:\/\/(?!tv:8096)/, 'no external (CDN) URL');
    });
  });

  describe('#sessionEntries', () => {
    it('lists visible sessions, playing ones first, with what they play', () => {
      const entries = sessionEntries(
        [
          session({ id: 'idle', userId: 'u1' }),
          session({ id: 'mine', userId: 'u1', playing: { itemId: 'i1', title: 'Film', positionSeconds: 1, isPaused: true, receivedMonotonicNs: 0n } }),
          session({ id: 'other', userId: 'u2', playing: { itemId: 'i2', positionSeconds: 1, receivedMonotonicNs: 0n } }),
        ],
        (s) => s.userId === 'u1',
      );
      assert.deepEqual(
        entries.map((e) => e.id),
        ['mine', 'idle'],
      );
      assert.deepEqual(entries[0]?.nowPlaying, { itemId: 'i1', title: 'Film', isPaused: true });
      assert.equal(entries[1]?.nowPlaying, undefined);
    });
  });
});
