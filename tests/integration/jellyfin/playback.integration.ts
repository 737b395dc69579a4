import assert from 'node:assert/strict';
import type { PlaybackEvent, PlaybackSession } from '../../../plugin/library/model.js';
import { FakeJellyfin } from '../../support/fake-jellyfin.js';
import { DEVICE_ID, specErrors, startSource, waitFor, type Started } from './helpers.js';

function playing(sessions: readonly PlaybackSession[], id: string): PlaybackSession | undefined {
  return sessions.find((s) => s.id === id);
}

describe('Jellyfin source: playback sessions and connection (against the stand-in)', function () {
  this.timeout(30_000);
  let fake: FakeJellyfin | undefined;
  let started: Started | undefined;

  afterEach(async () => {
    await started?.source.stop();
    started = undefined;
    if (fake !== undefined) {
      const errors = specErrors(fake);
      await fake.close();
      fake = undefined;
      assert.deepEqual(errors, []);
    }
  });

  it('follows play, pause, seek and stop pushed over the WebSocket', async () => {
    fake = await FakeJellyfin.start({ keepAliveSeconds: 1 });
    started = await startSource(fake, { sessionPollIntervalMs: 60_000 });
    const { playback } = started.source;
    const events: PlaybackEvent[] = [];
    const unsubscribe = playback.subscribe((e) => events.push(e));
    const item = fake.item('Pattern 1x2');
    const id = fake.play({ itemId: item.id, positionSeconds: 10, deviceName: 'Bedroom' });
    await waitFor(() => playing(playback.sessions(), id)?.nowPlaying !== undefined, 'the play push');
    const s1 = playing(playback.sessions(), id)!;
    assert.equal(s1.deviceName, 'Bedroom');
    assert.equal(s1.userName, 'alice');
    assert.equal(s1.nowPlaying?.item.title, 'Pattern 1x2');
    assert.ok(Math.abs(s1.nowPlaying.state.positionSeconds - 10) < 2);
    assert.equal(s1.nowPlaying?.state.playbackRate, 1);
    assert.equal(typeof s1.nowPlaying?.state.receivedMonotonicNs, 'bigint');

    fake.pause(id);
    await waitFor(() => playing(playback.sessions(), id)?.nowPlaying?.state.isPaused === true, 'the pause push');
    fake.seek(id, 42);
    await waitFor(() => Math.abs((playing(playback.sessions(), id)?.nowPlaying?.state.positionSeconds ?? 0) - 42) < 0.5, 'the seek push');
    assert.equal(playing(playback.sessions(), id)?.nowPlaying?.state.playbackRate, 0);
    fake.stopPlayback(id);
    await waitFor(() => playing(playback.sessions(), id) !== undefined && playing(playback.sessions(), id)?.nowPlaying === undefined, 'the stop push');

    assert.equal(playback.sessions().some((s) => s.deviceId === DEVICE_ID), false, "the sidecar's own session is filtered out");
    assert.ok(events.filter((e) => e.type === 'sessions').length >= 4);
    assert.equal(fake.requests.filter((r) => r.path === '/Sessions').length <= 1, true, 'no polling while the socket pushes');
    unsubscribe();

    await waitFor(() => fake!.keepAlivesReceived >= 2, 'KeepAlive messages every Data/2 s');
    assert.equal(fake.socketAuthorizations[0], `MediaBrowser Client="Jellybridge", Device="Jellybridge%20sidecar", DeviceId="${DEVICE_ID}", Version="0.1.0", Token="${fake.apiKey}"`);
    assert.match(started.source.health().detail, /pushed over the socket/);
  });

  it('falls back to polling /Sessions when the socket is refused', async () => {
    fake = await FakeJellyfin.start();
    fake.setSocketRefused(true);
    started = await startSource(fake, { sessionPollIntervalMs: 200 });
    const { playback } = started.source;
    const id = fake.play({ itemId: fake.item('Big Buck Test').id, positionSeconds: 3 });
    await waitFor(() => playing(playback.sessions(), id)?.nowPlaying !== undefined, 'a polled session');
    fake.seek(id, 20);
    await waitFor(() => Math.abs((playing(playback.sessions(), id)?.nowPlaying?.state.positionSeconds ?? 0) - 20) < 1.5, 'the polled seek');
    assert.equal(fake.socketConnections, 0);
    assert.equal(started.source.health().state, 'ready');
    assert.match(started.source.health().detail, /polling \(socket: upgrade refused \(HTTP 503\)\)/);
  });

  it('keeps polling when the socket is open but pushes no Sessions (10.10 API-key sockets)', async () => {
    fake = await FakeJellyfin.start({ socketSendsSessions: false });
    started = await startSource(fake, { sessionPollIntervalMs: 200 });
    const id = fake.play({ itemId: fake.item('Big Buck Test').id });
    await waitFor(() => fake!.socketConnections === 1, 'the socket');
    fake.pause(id);
    await waitFor(() => playing(started!.source.playback.sessions(), id)?.nowPlaying?.state.isPaused === true, 'a polled pause');
    assert.match(started.source.health().detail, /polling \(socket open, no Sessions pushed yet\)/);
  });

  it('goes degraded while Jellyfin restarts and back to ready, reconnecting the socket', async () => {
    fake = await FakeJellyfin.start();
    started = await startSource(fake);
    const { source } = started;
    await waitFor(() => fake!.socketConnections === 1, 'the first socket');
    assert.equal(source.health().state, 'ready');
    await fake.goDown();
    await waitFor(() => source.health().state === 'degraded', 'degraded health');
    assert.match(source.health().detail, /ERR_JELLYFIN_UNAVAILABLE/);
    assert.equal(source.health().lastError?.code, 'ERR_JELLYFIN_UNAVAILABLE');
    await assert.rejects(source.library.listRoots(), { code: 'ERR_JELLYFIN_UNAVAILABLE' });
    await fake.comeBack();
    await waitFor(() => source.health().state === 'ready', 'ready health again');
    await waitFor(() => fake!.socketConnections === 2, 'the socket reconnect');
    const id = fake.play({ itemId: fake.item('Big Buck Test').id });
    await waitFor(() => playing(source.playback.sessions(), id) !== undefined, 'sessions after the restart');
    assert.ok(source.health().counters['reconnectAttempts']! > 0);
  });

  it('recovers after fake.restart()', async () => {
    fake = await FakeJellyfin.start();
    started = await startSource(fake);
    const states: string[] = [];
    const connection: string[] = [];
    started.source.playback.subscribe((e) => {
      if (e.type === 'connection') connection.push(e.state);
    });
    const timer = setInterval(() => states.push(started!.source.health().state), 20);
    try {
      await fake.restart(1000);
      // Judge from the sampled states only, so the assertion below sees the same history.
      await waitFor(() => states.includes('degraded') && states.lastIndexOf('ready') > states.indexOf('degraded'), 'degraded then ready');
    } finally {
      clearInterval(timer);
    }
    assert.ok(states.indexOf('degraded') < states.lastIndexOf('ready'));
    await waitFor(() => connection.at(-1) === 'connected', 'the socket back');
    assert.deepEqual(connection.slice(0, 1), ['polling']);
  });

  it('starts without rejecting when Jellyfin is unreachable, then connects when it appears', async () => {
    fake = await FakeJellyfin.start();
    await fake.goDown();
    started = await startSource(fake, { startProbeWaitMs: 2000 });
    const health = started.source.health();
    assert.equal(health.state, 'degraded');
    assert.match(health.detail, /unreachable/);
    await fake.comeBack();
    await waitFor(() => started!.source.health().state === 'ready', 'ready after Jellyfin appears');
    assert.equal((await started.source.library.listRoots()).length, 2);
  });

  it('reports a wrong API key as degraded with ERR_JELLYFIN_AUTH', async () => {
    fake = await FakeJellyfin.start();
    started = await startSource(fake, { apiKey: 'wrong' });
    assert.equal(started.source.health().state, 'degraded');
    assert.equal(started.source.health().lastError?.code, 'ERR_JELLYFIN_AUTH');
    assert.equal(JSON.stringify(started.source.health()).includes('wrong'), false);
  });

  it('stops cleanly: health stopped, no more requests', async () => {
    fake = await FakeJellyfin.start();
    started = await startSource(fake, { sessionPollIntervalMs: 50 });
    await started.source.stop();
    assert.equal(started.source.health().state, 'stopped');
    const count = fake.requests.length;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(fake.requests.length, count);
    await waitFor(() => fake!.socketConnections === 1, 'socket accounting');
  });
});
