import { strict as assert } from 'node:assert';
import { createSocket, type Socket } from 'node:dgram';
import clocks from 'dvbcss-clocks';
import protocols, { type Adaptor } from 'dvbcss-protocols';
import { WebSocket } from 'ws';
import { parseControlTimestamp, type ControlTimestamp } from '../../../adapters/dvbcss/ts-message.js';
import { HrtimeClock } from '../../support/dvbcss/hr-clock.js';
import { session } from '../../support/dvbcss/playback-double.js';
import { startDvbcss, type StartedDvbcss } from '../../support/dvbcss/start-dvbcss.js';
import { close, delay, eventually, record, type Recorder } from '../../support/dvbcss/ws-helpers.js';

const SELECTOR = 'tag:rd.bbc.co.uk,2015-12-08:dvb:css:timeline:simple-elapsed-time:1000';
const now = (): bigint => process.hrtime.bigint();

describe('dvbcss CSS-TS server', function () {
  this.timeout(30000);
  let css: StartedDvbcss;
  let stem: string;
  const open: WebSocket[] = [];
  const sockets: Socket[] = [];
  const adaptors: Adaptor[] = [];
  const track = (r: Recorder): Recorder => {
    open.push(r.ws);
    return r;
  };

  beforeEach(async () => {
    css = await startDvbcss();
    stem = `jellyfin://${css.serverId}/`;
  });
  afterEach(async () => {
    for (const a of adaptors.splice(0)) a.stop();
    for (const s of sockets.splice(0)) s.close();
    await Promise.all(open.splice(0).map(close));
    await css.stop();
  });

  /** Publishes session s1 of user u1 playing `itemId` at `positionSeconds`, reported now. */
  const report = (itemId: string | undefined, positionSeconds = 0, isPaused = false, receivedMonotonicNs = now()): bigint => {
    css.playback.publish([
      itemId === undefined ? session({ id: 's1', userId: 'u1' }) : session({ id: 's1', userId: 'u1', playing: { itemId, positionSeconds, isPaused, receivedMonotonicNs } }),
    ]);
    return receivedMonotonicNs;
  };

  const setup = async (contentIdStem: string, timelineSelector = SELECTOR, path = '/ts'): Promise<Recorder> => {
    const r = track(await record(css.url(path)));
    r.ws.send(JSON.stringify({ contentIdStem, timelineSelector }));
    return r;
  };
  const ct = async (r: Recorder, index: number): Promise<ControlTimestamp> => parseControlTimestamp(await r.message(index));

  /** BBC's TS client with a WC client on the sidecar's UDP wall clock, both on an hrtime root. */
  async function bbcCompanion(contentIdStem: string): Promise<{ timeline: InstanceType<typeof clocks.CorrelatedClock>; wallClock: InstanceType<typeof clocks.CorrelatedClock> }> {
    const wallClock = new clocks.CorrelatedClock(new HrtimeClock(), { tickRate: 1e9 });
    const timeline = new clocks.CorrelatedClock(wallClock, { tickRate: 1000 });
    const socket = createSocket('udp4');
    sockets.push(socket);
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    adaptors.push(protocols.WallClock.createBinaryUdpClient(socket, wallClock, { dest: { address: '127.0.0.1', port: css.wcPort }, requestInterval: 100 }));
    const ws = new WebSocket(css.url('/ts'));
    open.push(ws);
    adaptors.push(protocols.TimelineSynchronisation.createTSClient(ws, timeline, { contentIdStem, timelineSelector: SELECTOR, tickrate: 1000 }));
    await eventually(() => wallClock.isAvailable(), 3000, 'wall clock');
    return { timeline, wallClock };
  }

  /** ms the companion's timeline is off from the true position of a line anchored at (pos, at). */
  const errorMs = (timeline: { now(): number }, positionSeconds: number, at: bigint, speed: number): number => {
    const t = now();
    const truth = positionSeconds * 1000 + (Number(t - at) / 1e6) * speed;
    return timeline.now() - truth;
  };

  it('keeps BBC companion clients on the session timeline through play, pause, resume, seek, next item and stop', async () => {
    let at = report('item1', 10);
    const { timeline } = await bbcCompanion(stem);
    await eventually(() => timeline.isAvailable(), 3000, 'timeline available');
    await delay(200);
    assert.equal(timeline.getEffectiveSpeed(), 1);
    assert.ok(Math.abs(errorMs(timeline, 10, at, 1)) < 5, `play: ${errorMs(timeline, 10, at, 1)} ms`);

    at = report('item1', 12.25, true);
    await eventually(() => timeline.getEffectiveSpeed() === 0, 3000, 'paused');
    assert.ok(Math.abs(errorMs(timeline, 12.25, at, 0)) < 5);

    at = report('item1', 12.25);
    await eventually(() => timeline.getEffectiveSpeed() === 1, 3000, 'resumed');
    await delay(100);
    assert.ok(Math.abs(errorMs(timeline, 12.25, at, 1)) < 5);

    at = report('item1', 600);
    await eventually(() => timeline.now() > 590_000, 3000, 'seek');
    assert.ok(Math.abs(errorMs(timeline, 600, at, 1)) < 5);

    report(undefined);
    await eventually(() => !timeline.isAvailable(), 3000, 'unavailable on stop');

    at = report('item2', 3);
    await eventually(() => timeline.isAvailable(), 3000, 'available on next item');
    await delay(100);
    assert.ok(Math.abs(errorMs(timeline, 3, at, 1)) < 5);
  });

  it('sends a first control timestamp with string integers and a numeric speed after SetupData', async () => {
    const at = report('item1', 10.0004);
    const r = await setup(stem);
    const text = await r.message(0);
    assert.match(text, /^\{"contentTime":"\d+","wallClockTime":"\d+","timelineSpeedMultiplier":1\}$/);
    const c = parseControlTimestamp(text);
    // wallClockTime is the instant the integer contentTime held: 10001 ms was reached 0.6 ms after the report.
    assert.equal(c.contentTime, 10_001n);
    assert.equal(c.wallClockTime, at + 600_000n);
  });

  it('sends the unavailable form for a foreign stem, an unknown selector or nothing playing, and stays open', async () => {
    const idle = await setup(stem);
    assert.equal((await ct(idle, 0)).contentTime, null);
    report('item1', 1);
    const foreign = await setup('dvb://233a');
    const unknown = await setup(stem, 'urn:dvb:css:timeline:pts');
    for (const r of [foreign, unknown]) {
      const c = await ct(r, 0);
      assert.equal(c.contentTime, null);
      assert.equal(c.timelineSpeedMultiplier, null);
      assert.ok(c.wallClockTime > 0n);
    }
    assert.ok((await ct(idle, 1)).contentTime !== null, 'the idle client gets an available CT once playback starts, without reconnecting');
    await delay(100);
    assert.equal(foreign.messages.length, 1);
    assert.equal(unknown.messages.length, 1);
    assert.equal(foreign.ws.readyState, WebSocket.OPEN);
  });

  it('matches the empty stem and plain prefixes only, re-evaluated on every content change', async () => {
    report('item1', 1);
    const any = await setup('');
    const item2Only = await setup(`${stem}items/item2/`);
    assert.ok((await ct(any, 0)).contentTime !== null);
    assert.equal((await ct(item2Only, 0)).contentTime, null);
    report('item2', 1);
    assert.ok((await ct(item2Only, 1)).contentTime !== null);
    assert.ok((await ct(any, 1)).contentTime !== null, 'an item change is a new control timestamp even when the stem still matches');
  });

  it('accepts any simple-elapsed-time tick rate', async () => {
    const at = report('item1', 2.5);
    const r = await setup(stem, 'tag:rd.bbc.co.uk,2015-12-08:dvb:css:timeline:simple-elapsed-time:90000');
    const c = await ct(r, 0);
    assert.equal(c.contentTime, 225_000n);
    assert.equal(c.wallClockTime, at);
  });

  it('sends speed 0 with a frozen contentTime on pause, and speed 1 on resume', async () => {
    report('item1', 5);
    const r = await setup(stem);
    await r.message(0);
    report('item1', 7.5, true);
    const paused = await ct(r, 1);
    assert.equal(paused.timelineSpeedMultiplier, 0);
    assert.equal(paused.contentTime, 7_500n);
    report('item1', 7.5, true);
    report('item1', 7.5);
    const resumed = await ct(r, 2);
    assert.equal(resumed.timelineSpeedMultiplier, 1);
    assert.equal(resumed.contentTime, 7_500n);
  });

  it('sends nothing while reports stay on the line, and exactly one timestamp when drift exceeds the tolerance', async () => {
    const at = report('item1', 100);
    const r = await setup(stem);
    await r.message(0);
    for (let i = 1; i <= 20; i++) {
      // 20 progress reports, each exactly on the line (± 50 ms jitter inside the 100 ms tolerance).
      const jitter = i % 2 === 0 ? 0.05 : -0.05;
      report('item1', 100 + i + jitter, false, at + BigInt(i) * 1_000_000_000n);
    }
    await delay(150);
    assert.equal(r.messages.length, 1);
    report('item1', 121.2, false, at + 21n * 1_000_000_000n);
    report('item1', 122.2, false, at + 22n * 1_000_000_000n);
    await delay(150);
    assert.equal(r.messages.length, 2);
    assert.equal(parseControlTimestamp(r.messages[1]!).contentTime, 121_200n);
  });

  it('sends the unavailable form on stop, once', async () => {
    report('item1', 1);
    const r = await setup(stem);
    await r.message(0);
    report(undefined);
    report(undefined);
    assert.equal((await ct(r, 1)).contentTime, null);
    await delay(100);
    assert.equal(r.messages.length, 2);
  });

  it('ignores malformed SetupData and waits for a valid one; accepts AptEptLpt; survives invalid JSON', async () => {
    report('item1', 1);
    const r = track(await record(css.url('/ts')));
    r.ws.send('{"contentIdStem":"x"}');
    r.ws.send('][');
    r.ws.send('{"timelineSelector":"y"}');
    await delay(100);
    assert.equal(r.messages.length, 0);
    r.ws.send(JSON.stringify({ contentIdStem: '', timelineSelector: SELECTOR }));
    assert.ok((await ct(r, 0)).contentTime !== null);
    r.ws.send('{"earliest":{"contentTime":"1","wallClockTime":"minusinfinity"},"latest":{"contentTime":"1","wallClockTime":"plusinfinity"}}');
    r.ws.send('{"actual":{"contentTime":"5","wallClockTime":"1000"},"earliest":{"contentTime":"5","wallClockTime":"900"},"latest":{"contentTime":"5","wallClockTime":"1100"}}');
    r.ws.send('{not json');
    r.ws.send('{"contentIdStem":"","timelineSelector":"other"}');
    report('item1', 50);
    assert.ok((await ct(r, 1)).contentTime === 50_000n);
    assert.equal(r.ws.readyState, WebSocket.OPEN);
  });

  it('closes on binary frames with 1003 and on oversized messages with 1009, other clients unaffected', async () => {
    report('item1', 1);
    const bystander = await setup(stem);
    await bystander.message(0);
    const binary = track(await record(css.url('/ts')));
    binary.ws.send(Buffer.from([1, 2, 3]));
    assert.equal((await binary.closed()).code, 1003);
    const big = track(await record(css.url('/ts')));
    big.ws.send('x'.repeat(css.config.maxMessageBytes + 1));
    assert.equal((await big.closed()).code, 1009);
    report('item1', 30);
    assert.equal((await ct(bystander, 1)).contentTime, 30_000n);
  });

  it('serves 50 companions connecting at once, then 100 concurrent ones without a missed update', async () => {
    report('item1', 1);
    const first = await Promise.all(Array.from({ length: 50 }, () => setup(stem)));
    const cts = await Promise.all(first.map((r) => ct(r, 0)));
    assert.ok(cts.every((c) => c.contentTime !== null));
    const more = await Promise.all(Array.from({ length: 50 }, () => setup(stem)));
    await Promise.all(more.map((r) => r.message(0)));
    report('item1', 300);
    const all = [...first, ...more];
    const updates = await Promise.all(all.map((r) => r.message(1)));
    assert.ok(updates.every((u) => parseControlTimestamp(u).contentTime === 300_000n));
  });
});
