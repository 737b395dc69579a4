/**
 * Device refusals through the real device registry (DESIGN.md §3 "Enablement"): a held device
 * gets NetConnection.Connect.Rejected and HTTP 403 until approved; a known device with the wii
 * adapter switched off connects but gets NetStream.Play.Failed (registry cause `not-enabled`).
 */
import { strict as assert } from 'node:assert';
import type { Harness } from '../../support/adapter-harness.js';
import { hasBinary } from '../../support/media.js';
import { RtmpTestClient } from '../../support/wii/rtmp-test-client.js';
import { run } from './support/run.js';
import { noTranscodesLeft } from '../../support/adapter-harness.js';
import { clipId, rtmpPort, startWiiHarness } from './support/wii-harness.js';

const WII_UA = 'Opera/9.30 (Nintendo Wii; U; ; 3642; en)';

describe('Wii device gate (integration: the real device registry)', function () {
  this.timeout(60_000);
  let harness: Harness | undefined;
  const clients: RtmpTestClient[] = [];

  before(async function () {
    if (!(await hasBinary('ffmpeg')) || !(await hasBinary('rtmpdump'))) this.skip(); // peer binaries missing
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    if (harness) await noTranscodesLeft(harness).finally(() => harness?.stop());
    harness = undefined;
  });

  async function connected(): Promise<RtmpTestClient> {
    const client = RtmpTestClient.tcp(rtmpPort(harness!));
    clients.push(client);
    await client.connect('wii');
    return client;
  }

  it('holds an unknown device (policy hold): Connect.Rejected, rtmpdump exit 1, page 403 — and lets it in once approved', async () => {
    harness = await startWiiHarness({ policy: 'hold', devices: [] });
    const client = await connected();
    const rejected = await client.waitStatus('NetConnection.Connect.Rejected');
    assert.equal(rejected.values?.[0], '_error');
    await client.waitUntil(() => client.closed, 5000, 'the connection to close');
    const dump = await run('rtmpdump', ['-r', `rtmp://127.0.0.1:${rtmpPort(harness)}/wii/${clipId('short')}`, '-o', '/dev/null', '-m', '5']);
    assert.equal(dump.code, 1, 'rtmpdump: "rtmp server sent error"');
    const page = await fetch(`${harness.deviceBaseUrl}/wii/`, { headers: { 'user-agent': WII_UA } });
    assert.equal(page.status, 403);
    assert.equal(harness.composed.transcoder.active().length, 0);

    const device = harness.composed.registry.list().find((d) => d.foundBy === 'wii');
    assert.ok(device, 'the device is recorded');
    assert.equal(device.approval, 'held', 'the device waits for approval');
    harness.composed.registry.approve(device.id, ['wii']);
    const admitted = await connected();
    await admitted.waitStatus('NetConnection.Connect.Success');
    const id = await admitted.createStream();
    admitted.play(id, clipId('short'), 0);
    await admitted.waitUntil(() => admitted.media().length > 0, 20_000, 'media once approved');
    assert.equal((await fetch(`${harness.deviceBaseUrl}/wii/`, { headers: { 'user-agent': WII_UA } })).status, 200);
  });

  it('answers a known device whose wii adapter is off with NetStream.Play.Failed (and 403 on pages), spawning no ffmpeg', async () => {
    harness = await startWiiHarness({ devices: [{ id: 'wii-off', name: 'Wii (off)', match: { cidr: ['127.0.0.0/8', '::1/128'] }, adapters: { wii: { enabled: false } } }] });
    const resolution = harness.composed.registry.forAdapter('wii').resolve({ ip: '127.0.0.1' });
    assert.equal(resolution.status === 'refused' ? resolution.cause : resolution.status, 'not-enabled');
    const client = await connected();
    await client.waitStatus('NetConnection.Connect.Success');
    const id = await client.createStream();
    client.play(id, clipId('short'), 0);
    const failed = await client.waitStatus('NetStream.Play.Failed');
    assert.equal(failed.values?.[0], 'onStatus');
    assert.equal(client.closed, false, 'the connection stays open');
    assert.equal(harness.adapter.health().counters['ffmpegRestarts'], 0);
    const page = await fetch(`${harness.deviceBaseUrl}/wii/`, { headers: { 'user-agent': WII_UA } });
    assert.equal(page.status, 403);
  });
});
