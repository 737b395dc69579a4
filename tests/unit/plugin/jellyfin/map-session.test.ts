import assert from 'node:assert/strict';
import type { SessionInfoDto } from '../../../../plugin/jellyfin/client.js';
import { mapSessions } from '../../../../plugin/jellyfin/map-session.js';
import { dtoFixture } from './fixtures.js';

const anchor = { receivedAt: 1_763_700_000_000, receivedMonotonicNs: 123_456_789n };
const own = { deviceId: 'jellybridge-1', client: 'Jellybridge' };

describe('mapSessions', () => {
  it('anchors the play state at the arrival time and converts ticks to seconds', () => {
    const [session] = mapSessions([dtoFixture<SessionInfoDto>('session')], anchor, own);
    assert.equal(session?.id, '5e55105e55105e55105e55105e55105e');
    assert.equal(session?.userName, 'alice');
    assert.equal(session?.deviceId, 'browser-1');
    assert.equal(session?.nowPlaying?.item.title, 'Big Buck Bunny');
    assert.deepEqual(session?.nowPlaying?.state, {
      positionSeconds: 123.45,
      isPaused: false,
      receivedAt: anchor.receivedAt,
      receivedMonotonicNs: anchor.receivedMonotonicNs,
      playbackRate: 1,
      mediaSourceId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    });
  });

  it('reports rate 0 for a paused session', () => {
    const dto = dtoFixture<SessionInfoDto>('session');
    const [session] = mapSessions([{ ...dto, PlayState: { ...dto.PlayState, IsPaused: true } }], anchor, own);
    assert.equal(session?.nowPlaying?.state.playbackRate, 0);
    assert.equal(session?.nowPlaying?.state.isPaused, true);
  });

  it("filters out the sidecar's own session and treats the empty GUID as no user", () => {
    const mine: SessionInfoDto = { Id: 'a', DeviceId: 'jellybridge-1', Client: 'Jellybridge', UserId: '00000000000000000000000000000000' };
    const other: SessionInfoDto = { Id: 'b', DeviceId: 'tv', Client: 'Kodi', UserId: '00000000000000000000000000000000' };
    const sessions = mapSessions([mine, other], anchor, own);
    assert.deepEqual(sessions.map((s) => s.id), ['b']);
    assert.equal(sessions[0]?.userId, undefined);
    assert.equal(sessions[0]?.nowPlaying, undefined);
  });
});
