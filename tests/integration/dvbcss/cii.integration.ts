import { strict as assert } from 'node:assert';
import protocols, { type CiiState } from 'dvbcss-protocols';
import { WebSocket } from 'ws';
import { allowAsUser, startDvbcss, type StartedDvbcss } from '../../support/dvbcss/start-dvbcss.js';
import { session } from '../../support/dvbcss/playback-double.js';
import { close, delay, eventually, record, upgradeStatus, type Recorder } from '../../support/dvbcss/ws-helpers.js';

const now = (): bigint => process.hrtime.bigint();
const SELECTOR = 'tag:rd.bbc.co.uk,2015-12-08:dvb:css:timeline:simple-elapsed-time:1000';

describe('dvbcss CSS-CII server', function () {
  this.timeout(20000);
  let css: StartedDvbcss;
  const open: WebSocket[] = [];
  const track = (r: Recorder): Recorder => {
    open.push(r.ws);
    return r;
  };

  beforeEach(async () => {
    css = await startDvbcss();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map(close));
    await css.stop();
  });

  const play = (itemId: string, positionSeconds: number, extra: { isPaused?: boolean; id?: string } = {}) =>
    session({ id: extra.id ?? 's1', userId: 'u1', playing: { itemId, title: `Title ${itemId}`, positionSeconds, receivedMonotonicNs: now(), ...(extra.isPaused === undefined ? {} : { isPaused: extra.isPaused }) } });

  it('sends a complete first message: all ten properties, null mrsUrl/teUrl, URLs on the host used', async () => {
    css.playback.publish([play('item1', 10)]);
    const r = track(await record(css.url('/cii')));
    const first = JSON.parse(await r.message(0)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(first), ['protocolVersion', 'mrsUrl', 'contentId', 'contentIdStatus', 'presentationStatus', 'wcUrl', 'tsUrl', 'teUrl', 'timelines', 'private']);
    assert.equal(first['protocolVersion'], '1.1');
    assert.equal(first['mrsUrl'], null);
    assert.equal(first['teUrl'], null);
    assert.equal(first['contentId'], `jellyfin://${css.serverId}/items/item1/sources/item1`);
    assert.equal(first['contentIdStatus'], 'final');
    assert.equal(first['presentationStatus'], 'okay');
    assert.equal(first['wcUrl'], `udp://127.0.0.1:${css.wcPort}`);
    assert.equal(first['tsUrl'], `ws://127.0.0.1:${css.wsPort}/ts`);
    assert.deepEqual(first['timelines'], [{ timelineSelector: SELECTOR, timelineProperties: { unitsPerTick: 1, unitsPerSecond: 1000, accuracy: 0.2 } }]);
  });

  it('names the TS endpoint of the same follow target in tsUrl', async () => {
    const r = track(await record(css.url('/cii/session/abc%20def')));
    const first = JSON.parse(await r.message(0)) as Record<string, unknown>;
    assert.equal(first['tsUrl'], `ws://127.0.0.1:${css.wsPort}/ts/session/abc%20def`);
    assert.equal(first['presentationStatus'], 'fault');
  });

  it('lets the BBC client mirror start, pause, seek, next item and stop', async () => {
    const ws = new WebSocket(css.url('/cii'));
    open.push(ws);
    const client = protocols.CII.createCIIClient(ws);
    const states: CiiState[] = [];
    client.on('change', (cii) => states.push(JSON.parse(JSON.stringify(cii)) as CiiState));
    await eventually(() => states.length === 1, 3000, 'first CII');
    assert.equal(states[0]!.contentId, null);
    assert.equal(states[0]!.presentationStatus, 'okay');

    css.playback.publish([play('item1', 0)]);
    await eventually(() => states.at(-1)?.contentId === `jellyfin://${css.serverId}/items/item1/sources/item1`, 3000, 'start');
    const afterStart = states.length;
    css.playback.publish([play('item1', 0, { isPaused: true })]);
    await delay(100);
    assert.equal(states.length, afterStart, 'a pause changes the timeline, not CII');
    css.playback.publish([play('item1', 600)]);
    await eventually(() => states.at(-1)?.presentationStatus === 'transitioning', 3000, 'a seek settles');
    assert.equal(states.at(-1)!.contentId, `jellyfin://${css.serverId}/items/item1/sources/item1`, 'the content stays while the seek settles');

    css.playback.publish([session({ id: 's1', userId: 'u1' })]);
    await eventually(() => states.at(-1)?.contentId === null, 3000, 'stop');
    assert.equal(states.at(-1)!.presentationStatus, 'transitioning');
    css.playback.publish([play('item2', 0)]);
    await eventually(() => states.at(-1)?.contentId === `jellyfin://${css.serverId}/items/item2/sources/item2`, 3000, 'next item');
    assert.equal(states.at(-1)!.presentationStatus, 'transitioning', 'the next item settles');
    await eventually(() => states.at(-1)?.presentationStatus === 'okay', 3000, 'settled (settleMs)');
    const last = states.at(-1)!;
    assert.equal(last.protocolVersion, '1.1');
    assert.equal(last.wcUrl, `udp://127.0.0.1:${css.wcPort}`);
    client.stop();
  });

  it('sends only changed properties afterwards, contentIdStatus with contentId, and never an empty message', async () => {
    css.playback.publish([play('item1', 0)]);
    const r = track(await record(css.url('/cii')));
    await r.message(0);
    css.playback.publish([play('item1', 0, { isPaused: true })]);
    css.playback.publish([session({ id: 's1', userId: 'u1' })]);
    const diff = JSON.parse(await r.message(1)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(diff).sort(), ['contentId', 'contentIdStatus', 'presentationStatus', 'private'].sort());
    assert.equal(diff['contentId'], null);
    const first = JSON.parse(r.messages[0]!) as { private: { type: string; title?: string }[] };
    assert.equal(first.private.find((p) => p.type === 'urn:x-jellybridge:css:now-playing')?.title, 'Title item1');
    await delay(100);
    assert.equal(r.messages.length, 2);
    assert.ok(r.messages.every((m) => m !== '{}'));
  });

  it('ignores junk from the client and keeps the connection', async () => {
    const r = track(await record(css.url('/cii')));
    await r.message(0);
    r.ws.send('not json at all');
    r.ws.send(Buffer.from([1, 2, 3]));
    r.ws.send('{"contentId":"evil"}');
    css.playback.publish([play('item9', 0)]);
    const diff = JSON.parse(await r.message(1)) as Record<string, unknown>;
    assert.equal(diff['contentId'], `jellyfin://${css.serverId}/items/item9/sources/item9`);
    assert.equal(r.ws.readyState, WebSocket.OPEN);
  });

  it('gives several concurrent clients each a first message and the same diffs', async () => {
    const clients = await Promise.all(Array.from({ length: 10 }, () => record(css.url('/cii')).then(track)));
    await Promise.all(clients.map((c) => c.message(0)));
    css.playback.publish([play('item1', 0)]);
    const diffs = await Promise.all(clients.map((c) => c.message(1)));
    assert.equal(new Set(diffs).size, 1);
  });

  it('refuses unknown paths with HTTP 404', async () => {
    assert.equal(await upgradeStatus(css.url('/nope')), 404);
    assert.equal(await upgradeStatus(css.url('/cii/bogus/x')), 404);
    assert.equal(await upgradeStatus(css.url('/ciix')), 404);
  });

  it('closes connections of held and refused devices with 1008', async () => {
    css.devices.decide = () => ({ status: 'held', deviceId: 'd1', reason: 'new device' });
    const held = track(await record(css.url('/cii')));
    assert.equal((await held.closed()).code, 1008);
    css.devices.decide = () => ({ status: 'refused', reason: 'blocked' });
    const refused = track(await record(css.url('/ts')));
    assert.equal((await refused.closed()).code, 1008);
    assert.equal(held.messages.length + refused.messages.length, 0);
    assert.equal(css.devices.identities[0]?.ip, '127.0.0.1');
    assert.equal(css.devices.identities[0]?.key, '127.0.0.1');
  });

  it("refuses with 1008 a user endpoint of another user when the device follows only its own", async () => {
    const other = track(await record(css.url('/cii/user/u2')));
    assert.equal((await other.closed()).code, 1008);
    const own = track(await record(css.url('/cii/user/u1')));
    assert.equal((JSON.parse(await own.message(0)) as { protocolVersion: string }).protocolVersion, '1.1');
  });

  it('lets an any-user device follow every user', async () => {
    css.devices.decide = allowAsUser(undefined, { follow: 'any-user' });
    css.playback.publish([session({ id: 'x', userId: 'u7', playing: { itemId: 'i7', positionSeconds: 1, receivedMonotonicNs: now() } })]);
    const r = track(await record(css.url('/cii/user/u7')));
    assert.equal((JSON.parse(await r.message(0)) as { contentId: string }).contentId, `jellyfin://${css.serverId}/items/i7/sources/i7`);
  });

  it('answers 503 beyond the connection limit', async () => {
    await css.stop();
    css = await startDvbcss({ config: { maxConnections: 2 } });
    track(await record(css.url('/cii')));
    track(await record(css.url('/cii')));
    assert.equal(await upgradeStatus(css.url('/cii')), 503);
  });

  it('answers plain HTTP requests with 426', async () => {
    const res = await fetch(`http://127.0.0.1:${css.wsPort}/cii`);
    assert.equal(res.status, 426);
  });
});
