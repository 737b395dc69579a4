import assert from 'node:assert/strict';
import { buildAuthorizationHeader } from '../../../../plugin/jellyfin/auth-header.js';

describe('buildAuthorizationHeader', () => {
  it('builds the MediaBrowser header with the API key as Token', () => {
    assert.equal(
      buildAuthorizationHeader({ client: 'Jellybridge', device: 'Jellybridge sidecar', deviceId: 'jb-1', version: '0.1.0' }, 'abc123'),
      'MediaBrowser Client="Jellybridge", Device="Jellybridge%20sidecar", DeviceId="jb-1", Version="0.1.0", Token="abc123"',
    );
  });

  it('URI-encodes values so quotes and commas cannot break the header', () => {
    const header = buildAuthorizationHeader({ client: 'J"B', device: 'a,b', deviceId: 'x=y', version: '1' }, 'k"ey');
    assert.equal(header, 'MediaBrowser Client="J%22B", Device="a%2Cb", DeviceId="x%3Dy", Version="1", Token="k%22ey"');
  });

  it('never uses a legacy scheme', () => {
    const header = buildAuthorizationHeader({ client: 'c', device: 'd', deviceId: 'i', version: 'v' }, 't');
    assert.match(header, /^MediaBrowser /);
    assert.doesNotMatch(header, /Emby/);
  });
});
