import { strict as assert } from 'node:assert';
import { createSocket, type Socket } from 'node:dgram';
import clocks from 'dvbcss-clocks';
import protocols from 'dvbcss-protocols';
import { WebSocket } from 'ws';
import { buildWcResponse, decodeWcPacket, encodeMaxFreqError, timevalueToNs, WC_TYPE } from '../../../adapters/dvbcss/wallclock-codec.js';
import { nativeResponderAvailability } from '../../../adapters/dvbcss/wallclock-native.js';
import { systemClock } from '../../../plugin/util/clock.js';
import { HrtimeClock } from '../../support/dvbcss/hr-clock.js';
import { startDvbcss, type StartedDvbcss } from '../../support/dvbcss/start-dvbcss.js';
import { wcRequest } from '../../support/dvbcss/wc-request.js';
import { close, delay, eventually } from '../../support/dvbcss/ws-helpers.js';

async function udpClient(): Promise<{ socket: Socket; received: Buffer[] }> {
  const socket = createSocket('udp4');
  const received: Buffer[] = [];
  socket.on('message', (m) => received.push(m));
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return { socket, received };
}

const RESPONDERS = ['native', 'js'] as const;
const native = nativeResponderAvailability(systemClock);

/** The native responder is an optional build; CI sets JELLYBRIDGE_REQUIRE_NATIVE so it never silently skips. */
function skipWithoutNative(context: Mocha.Context, responder: (typeof RESPONDERS)[number]): void {
  if (responder !== 'native' || native.available) return;
  if (process.env['JELLYBRIDGE_REQUIRE_NATIVE'] === '1') assert.fail(`native wall-clock responder required but unavailable: ${native.reason}`);
  context.skip();
}

describe('dvbcss CSS-WC servers', function () {
  this.timeout(30000);
  let css: StartedDvbcss;
  const sockets: Socket[] = [];
  const wss: WebSocket[] = [];

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await Promise.all(wss.splice(0).map(close));
    if (css !== undefined) await css.stop();
  });

  for (const responder of RESPONDERS) describe(`over UDP (${responder} responder)`, () => {
    beforeEach(async function () {
      skipWithoutNative(this, responder);
      css = await startDvbcss({ config: { wcResponder: responder, wcPrecisionLog2: -20, wcMaxFreqErrorPpm: 500 } });
      assert.match(css.adapter.health().detail, new RegExp(`\\(${responder} responder\\)`));
    });

    it('answers a request with exactly one 32-byte type-1 reply to the source port', async () => {
      const c = await udpClient();
      sockets.push(c.socket);
      const before = process.hrtime.bigint();
      c.socket.send(wcRequest(1, 500_000_000), css.wcPort, '127.0.0.1');
      await eventually(() => c.received.length === 1, 3000, 'reply');
      await delay(50);
      assert.equal(c.received.length, 1);
      const reply = c.received[0]!;
      assert.equal(reply.length, 32);
      const p = decodeWcPacket(reply)!;
      assert.equal(p.version, 0);
      assert.equal(p.type, WC_TYPE.response);
      assert.equal(p.precisionLog2, -20);
      assert.equal(p.maxFreqError, 128000);
      assert.equal(reply[3], 0);
      assert.deepEqual(p.originate, { seconds: 1, nanoseconds: 500_000_000 });
      const t2 = timevalueToNs(p.receive);
      const t3 = timevalueToNs(p.transmit);
      assert.ok(t2 <= t3);
      // The wall clock is this host's CLOCK_MONOTONIC: t2 lies between our send and now.
      assert.ok(t2 >= before && t3 <= process.hrtime.bigint());
    });

    it('sends exactly the bytes the codec builds for its t2 and t3', async () => {
      const c = await udpClient();
      sockets.push(c.socket);
      const req = wcRequest(0x01020304, 0x05060708);
      req.fill(0xee, 16, 32); // receive/transmit of a request are not echoed
      c.socket.send(req, css.wcPort, '127.0.0.1');
      await eventually(() => c.received.length === 1, 3000, 'reply');
      const reply = c.received[0]!;
      const p = decodeWcPacket(reply)!;
      const expected = buildWcResponse(req, WC_TYPE.response, -20, encodeMaxFreqError(500), timevalueToNs(p.receive), timevalueToNs(p.transmit));
      assert.equal(reply.toString('hex'), expected.toString('hex'));
    });

    it('echoes the originate field verbatim, nanoseconds ≥ 1e9 included', async () => {
      const c = await udpClient();
      sockets.push(c.socket);
      const req = wcRequest(0xaabbccdd, 0xeeff1122);
      c.socket.send(req, css.wcPort, '127.0.0.1');
      await eventually(() => c.received.length === 1, 3000, 'reply');
      assert.equal(c.received[0]!.subarray(8, 16).toString('hex'), 'aabbccddeeff1122');
    });

    it('ignores garbage of every shape and keeps answering', async () => {
      const c = await udpClient();
      sockets.push(c.socket);
      const version1 = wcRequest(1, 1);
      version1[0] = 1;
      const response = wcRequest(1, 1);
      response[1] = 1;
      const followUp = wcRequest(1, 1);
      followUp[1] = 3;
      const garbage = [Buffer.alloc(0), Buffer.alloc(1), Buffer.alloc(16, 0xff), Buffer.alloc(31), Buffer.alloc(33), Buffer.alloc(1400, 7), version1, response, followUp];
      for (const g of garbage) c.socket.send(g, css.wcPort, '127.0.0.1');
      c.socket.send(wcRequest(9, 9), css.wcPort, '127.0.0.1');
      await eventually(() => c.received.length >= 1, 3000, 'reply after garbage');
      await delay(50);
      assert.equal(c.received.length, 1);
      assert.deepEqual(decodeWcPacket(c.received[0]!)?.originate, { seconds: 9, nanoseconds: 9 });
      assert.equal(css.adapter.health().counters['wcIgnored'], garbage.length);
    });

    it('stays silent to addresses the device registry does not allow', async () => {
      css.devices.decide = () => ({ status: 'refused', reason: 'not on the list' });
      const c = await udpClient();
      sockets.push(c.socket);
      c.socket.send(wcRequest(1, 1), css.wcPort, '127.0.0.1');
      await delay(200);
      assert.equal(c.received.length, 0);
      assert.equal(css.adapter.health().counters['wcRefused'], 1);
      // A registry change (approval) takes effect at once.
      css.devices.decide = (identity, settings) => ({ status: 'allowed', device: { id: 'p', name: 'P', ip: identity.ip, settings } });
      css.devices.changed();
      c.socket.send(wcRequest(1, 2), css.wcPort, '127.0.0.1');
      await eventually(() => c.received.length === 1, 3000, 'reply after approval');
    });

    it('releases its port when stopped', async () => {
      const port = css.wcPort;
      await css.stop();
      const again = createSocket('udp4');
      sockets.push(again);
      await new Promise<void>((resolve, reject) => {
        again.once('error', reject);
        again.bind(port, '127.0.0.1', () => resolve());
      });
    });

    if (responder === 'native') {
      it('answers an allowed address while the event loop is blocked, stamping t2 and t3 at the socket', async () => {
        const c = await udpClient();
        sockets.push(c.socket);
        // The first request from an address waits for the device registry (JS); later ones do not.
        c.socket.send(wcRequest(1, 1), css.wcPort, '127.0.0.1');
        await eventually(() => c.received.length === 1, 3000, 'first reply');
        const sent = process.hrtime.bigint();
        // Block from the send callback (the datagram has left): a JS responder in this process
        // could not run before the block ends.
        await new Promise<void>((resolve) =>
          c.socket.send(wcRequest(2, 2), css.wcPort, '127.0.0.1', () => {
            const blockedUntil = sent + 300_000_000n;
            while (process.hrtime.bigint() < blockedUntil) {
              // Busy: neither this process's JS nor its client handler can run.
            }
            resolve();
          }),
        );
        await eventually(() => c.received.length === 2, 3000, 'second reply');
        const p = decodeWcPacket(c.received[1]!)!;
        assert.deepEqual(p.originate, { seconds: 2, nanoseconds: 2 });
        const t2 = timevalueToNs(p.receive);
        const t3 = timevalueToNs(p.transmit);
        assert.ok(t2 >= sent && t2 <= t3, 'sent ≤ t2 ≤ t3');
        assert.ok(t3 - sent < 100_000_000n, `answered ${Number(t3 - sent) / 1e6} ms after sending, inside the 300 ms block`);
        assert.equal(css.adapter.health().counters['wcRequests'], 2);
      });
    }

    it("gives BBC's UDP client a wall clock within its dispersion of this host's monotonic clock", async () => {
      const socket = createSocket('udp4');
      sockets.push(socket);
      await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
      const root = new HrtimeClock();
      const wallClock = new clocks.CorrelatedClock(root, { tickRate: 1e9 });
      const client = protocols.WallClock.createBinaryUdpClient(socket, wallClock, { dest: { address: '127.0.0.1', port: css.wcPort }, requestInterval: 50 });
      await eventually(() => wallClock.isAvailable(), 3000, 'wall clock available');
      await delay(600);
      const estimate = wallClock.now();
      const truth = Number(process.hrtime.bigint());
      const dispersion = wallClock.dispersionAtTime(estimate);
      client.stop();
      assert.ok(dispersion < 0.001, `dispersion ${dispersion * 1e3} ms should be below 1 ms on loopback`);
      assert.ok(Math.abs(estimate - truth) <= dispersion * 1e9 + 50_000, `estimate off by ${(estimate - truth) / 1e3} µs`);
    });
  });

  for (const responder of RESPONDERS) describe(`over UDP in follow-up mode (${responder} responder)`, () => {
    beforeEach(async function () {
      skipWithoutNative(this, responder);
      css = await startDvbcss({ config: { wcResponder: responder, wcFollowUp: true } });
    });

    it('sends type 2, then a type-3 follow-up with the same t2 and a later t3', async () => {
      const c = await udpClient();
      sockets.push(c.socket);
      c.socket.send(wcRequest(3, 4), css.wcPort, '127.0.0.1');
      await eventually(() => c.received.length === 2, 3000, 'response and follow-up');
      const [a, b] = c.received.map((m) => decodeWcPacket(m)!);
      assert.equal(a!.type, WC_TYPE.responseWithFollowUp);
      assert.equal(b!.type, WC_TYPE.followUp);
      assert.deepEqual(a!.receive, b!.receive);
      assert.deepEqual(b!.originate, { seconds: 3, nanoseconds: 4 });
      assert.ok(timevalueToNs(b!.transmit) >= timevalueToNs(a!.transmit));
    });
  });

  describe('native addon', () => {
    it('throws a TypeError, not undefined, for a call without a handle or with a closed one', function () {
      if (!native.available) {
        skipWithoutNative(this, 'native');
        return;
      }
      const { binding } = native;
      assert.throws(() => binding.port(undefined as never), (e: Error & { code?: string }) => e instanceof TypeError && e.code === 'EINVAL');
      const handle = binding.open({ address: '127.0.0.1', port: 0, precisionLog2: -20, maxFreqError: 0, followUp: false, verdictTtlMs: 1 }, () => undefined);
      binding.close(handle);
      assert.throws(() => binding.port(handle), (e: Error & { code?: string }) => e.code === 'ECLOSED');
      assert.deepEqual(binding.counters(handle), { requests: 0, ignored: 0, refused: 0, sendErrors: 0, overflow: 0 });
    });
  });

  describe('choosing the UDP responder', () => {
    // A clock that is not this host's CLOCK_MONOTONIC (as a test's fake clock is not): the
    // native thread would stamp t2/t3 on a different timeline than the control timestamps.
    const shiftedClock = { ...systemClock, monotonicNs: () => process.hrtime.bigint() + 10_000_000_000n };

    it("falls back to the JS responder under 'auto' and says so", async () => {
      css = await startDvbcss({ clock: shiftedClock, config: { wcResponder: 'auto' } });
      assert.match(css.adapter.health().detail, /\(js responder\)/);
      const c = await udpClient();
      sockets.push(c.socket);
      c.socket.send(wcRequest(1, 1), css.wcPort, '127.0.0.1');
      await eventually(() => c.received.length === 1, 3000, 'reply');
      const t2 = timevalueToNs(decodeWcPacket(c.received[0]!)!.receive);
      assert.ok(t2 > process.hrtime.bigint() + 9_000_000_000n, 'stamped with the adapter clock');
    });

    it("refuses to start under 'native' when it cannot serve the adapter's clock, naming why", async () => {
      await assert.rejects(
        startDvbcss({ clock: shiftedClock, config: { wcResponder: 'native' } }),
        (err: Error & { code?: string }) => err.code === 'ERR_DVBCSS_LISTEN' && /native wall-clock responder unavailable: .+/.test(err.message),
      );
    });
  });

  describe('over WebSocket', () => {
    beforeEach(async () => {
      css = await startDvbcss();
    });

    for (const kind of ['binary', 'JSON'] as const) {
      it(`syncs BBC's ${kind} WebSocket client within its dispersion`, async () => {
        const ws = new WebSocket(css.url('/wc'));
        wss.push(ws);
        const wallClock = new clocks.CorrelatedClock(new HrtimeClock(), { tickRate: 1e9 });
        const options = { requestInterval: 50 };
        const client =
          kind === 'binary' ? protocols.WallClock.createBinaryWebSocketClient(ws, wallClock, options) : protocols.WallClock.createJsonWebSocketClient(ws, wallClock, options);
        await eventually(() => wallClock.isAvailable(), 3000, 'wall clock available');
        await delay(400);
        const estimate = wallClock.now();
        const truth = Number(process.hrtime.bigint());
        const dispersion = wallClock.dispersionAtTime(estimate);
        client.stop();
        assert.ok(dispersion < 0.005, `dispersion ${dispersion * 1e3} ms`);
        assert.ok(Math.abs(estimate - truth) <= dispersion * 1e9 + 50_000, `estimate off by ${(estimate - truth) / 1e3} µs`);
      });
    }

    it('ignores malformed requests on the socket and keeps answering', async () => {
      const ws = new WebSocket(css.url('/wc'));
      wss.push(ws);
      const replies: Buffer[] = [];
      ws.on('message', (d: Buffer) => replies.push(d));
      await new Promise((r) => ws.once('open', r));
      ws.send(Buffer.alloc(16));
      ws.send('{"v":0,"t":1,"otvs":1,"otvn":1}');
      ws.send('garbage');
      ws.send(wcRequest(5, 6));
      await eventually(() => replies.length === 1, 3000, 'reply');
      await delay(50);
      assert.equal(replies.length, 1);
      assert.equal(decodeWcPacket(replies[0]!)?.originate.seconds, 5);
    });
  });
});
