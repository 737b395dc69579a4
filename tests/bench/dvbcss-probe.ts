/**
 * A DVB-CSS companion probe run as a separate process by dvbcss.bench.ts, so the client has its
 * own event loop like a real companion (in one process, client and server share a loop and
 * inflate each other's round trips). It prints one JSON line with its measurements. Its clocks
 * are BBC's dvbcss-clocks on an hrtime root; CLOCK_MONOTONIC is shared by processes on one host,
 * so the parent can compare `monoNs` samples with its own ground truth.
 *
 * Modes: `rtt` (plain WC requests at `rate`/s: round-trip times), `wc` (BBC's WC client: dispersion after each exchange), `wc-meter` (the bench's own
 * measuring client, dvbcss-wc-meter.ts: dispersion and its terms after each exchange),
 * `timeline` (BBC's TS client on a wall clock kept by `wcClient`: 'bbc' or 'meter'; samples of
 * timeline position, wall-clock estimate and dispersion against local CLOCK_MONOTONIC, taken only
 * once the wall clock has done `warmupExchanges` exchanges) and `fanout`.
 *
 * argv[2]: JSON { mode, wcPort?, tsUrl?, count?, durationMs?, wcClient?, warmupExchanges? }
 */
import { createSocket } from 'node:dgram';
import clocks from 'dvbcss-clocks';
import protocols from 'dvbcss-protocols';
import { WebSocket } from 'ws';
import { HrtimeClock } from '../support/dvbcss/hr-clock.js';
import { wcRequest } from '../support/dvbcss/wc-request.js';
import { measureClientPrecision, WcMeter, type MeterSample } from './dvbcss-wc-meter.js';

interface ProbeArgs {
  readonly mode: 'rtt' | 'wc' | 'wc-meter' | 'timeline' | 'fanout';
  readonly rate?: number;
  readonly wcClient?: 'bbc' | 'meter';
  readonly warmupExchanges?: number;
  readonly wcPort?: number;
  readonly tsUrl?: string;
  readonly count?: number;
  readonly durationMs?: number;
  readonly setup?: boolean;
}

const SELECTOR = 'tag:rd.bbc.co.uk,2015-12-08:dvb:css:timeline:simple-elapsed-time:1000';
const args = JSON.parse(process.argv[2] ?? '{}') as ProbeArgs;
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const hr = (): bigint => process.hrtime.bigint();

interface ProbeWallClock {
  readonly wallClock: InstanceType<typeof clocks.CorrelatedClock>;
  /** Replies received so far. */
  exchanges(): number;
  stop(): void;
}

/** BBC's UDP WC client on an hrtime root clock. */
async function bbcWallClock(port: number, intervalMs: number, onReply?: (dispersion: number) => void): Promise<ProbeWallClock> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const wallClock = new clocks.CorrelatedClock(new HrtimeClock(), { tickRate: 1e9 });
  let replies = 0;
  socket.on('message', () => {
    replies++;
    if (onReply !== undefined) setImmediate(() => onReply(wallClock.dispersionAtTime(wallClock.now())));
  });
  const client = protocols.WallClock.createBinaryUdpClient(socket, wallClock, { dest: { address: '127.0.0.1', port }, requestInterval: intervalMs });
  return { wallClock, exchanges: () => replies, stop: () => (client.stop(), socket.close()) };
}

/**
 * The bench's measuring client driving a BBC CorrelatedClock: each lowest-dispersion candidate
 * becomes the clock's correlation, with the same initial error and growth BBC's client would set
 * (the root clock adds the client precision, as in BBC's and pydvbcss's dispersionAtTime).
 */
async function meterWallClock(port: number, intervalMs: number, onSample?: (s: MeterSample) => void): Promise<ProbeWallClock> {
  let replies = 0;
  const precision = measureClientPrecision();
  const wallClock = new clocks.CorrelatedClock(new HrtimeClock(precision, 500), { tickRate: 1e9 });
  wallClock.availabilityFlag = false;
  const meter = new WcMeter(port, intervalMs, (sample) => {
    replies++;
    if (sample.chosen) {
      const e = sample.exchange;
      const t = sample.terms;
      wallClock.correlation = new clocks.Correlation(Number(e.t1 + e.t4) / 2, Number(e.t2 + e.t3) / 2, t.initial - meter.clientPrecision, t.growthRate);
      wallClock.availabilityFlag = true;
    }
    onSample?.(sample);
  }, precision);
  await meter.start();
  return { wallClock, exchanges: () => replies, stop: () => meter.stop() };
}

/**
 * Sends `count` requests at `rate`/s and returns round-trip times (ms) of the answered ones. Like
 * the measuring client (dvbcss-wc-meter.ts), it keeps its loop spinning (setImmediate) and uses a
 * connected socket, so the figure is the server's reply time, not this process's wake-up.
 */
async function wcRoundTrips(port: number, count: number, rate: number): Promise<{ rtts: number[]; answered: number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  await new Promise<void>((r) => socket.connect(port, '127.0.0.1', r));
  const sent = new Map<number, bigint>();
  const rtts: number[] = [];
  // The first exchanges run this process's code cold (JIT): sent, not counted.
  const warmup = 20;
  socket.on('message', (m) => {
    const at = hr();
    const seq = m.readUInt32BE(8);
    const t = sent.get(seq);
    if (t !== undefined && m.length === 32) {
      if (seq > warmup) rtts.push(Number(at - t) / 1e6);
      sent.delete(seq);
    }
  });
  const immediate = (): Promise<void> => new Promise((r) => setImmediate(r));
  const start = hr();
  for (let i = 1; i <= warmup + count; i++) {
    const due = start + BigInt(Math.round((i * 1e9) / rate));
    while (hr() < due) await immediate();
    const q = wcRequest(i);
    sent.set(i, hr());
    socket.send(q);
  }
  const end = hr() + 200_000_000n;
  while (hr() < end && sent.size > 0) await immediate();
  await delay(200);
  socket.close();
  return { rtts, answered: rtts.length };
}

async function main(): Promise<unknown> {
  if (args.mode === 'rtt') return wcRoundTrips(args.wcPort ?? 0, args.count ?? 500, args.rate ?? 200);
  if (args.mode === 'wc') {
    const dispersions: number[] = [];
    const wc = await bbcWallClock(args.wcPort ?? 0, 20, (d) => dispersions.push(d));
    while (dispersions.length < (args.count ?? 10)) await delay(5);
    wc.stop();
    return { dispersions };
  }
  if (args.mode === 'wc-meter') {
    const samples: MeterSample[] = [];
    const wc = await meterWallClock(args.wcPort ?? 0, 20, (s) => samples.push(s));
    while (samples.length < (args.count ?? 10)) await delay(5);
    wc.stop();
    const ms = (s: number): number => s * 1e3;
    return {
      dispersions: samples.map((s) => s.dispersion),
      exchanges: samples.map((s) => ({
        chosen: s.chosen,
        rttMs: ms(2 * s.terms.halfRtt),
        serverHoldMs: Number(s.exchange.t3 - s.exchange.t2) / 1e6,
        initialMs: ms(s.terms.initial),
        dispersionMs: ms(s.dispersion),
        best: { precisionMs: ms(s.best.precision), halfRttMs: ms(s.best.halfRtt), mfeMs: ms(s.best.mfe), growthMs: ms(s.dispersion - s.best.initial) },
      })),
    };
  }
  if (args.mode === 'timeline') {
    const wc = args.wcClient === 'meter' ? await meterWallClock(args.wcPort ?? 0, 100) : await bbcWallClock(args.wcPort ?? 0, 100);
    const timeline = new clocks.CorrelatedClock(wc.wallClock, { tickRate: 1000 });
    const ws = new WebSocket(args.tsUrl ?? '');
    const ts = protocols.TimelineSynchronisation.createTSClient(ws, timeline, { contentIdStem: '', timelineSelector: SELECTOR, tickrate: 1000 });
    // The client's wall clock must have converged before its timeline error means anything: its
    // first exchanges, in a process still compiling its code, have ms-scale round trips and so a
    // ms-scale error bound. Sampling starts after `warmupExchanges` (10: "after 10 exchanges").
    while (!(wc.wallClock.isAvailable() && timeline.isAvailable() && wc.exchanges() >= (args.warmupExchanges ?? 10))) await delay(5);
    process.stdout.write(JSON.stringify({ ready: true }) + '\n');
    const samples: [string, number, number, number, number][] = [];
    const end = Date.now() + (args.durationMs ?? 5000);
    while (Date.now() < end) {
      // Bracket the reading: a sample where the process was descheduled in between is dropped.
      const before = process.hrtime.bigint();
      const ticks = timeline.now();
      const after = process.hrtime.bigint();
      const wcNs = wc.wallClock.now();
      const disp = wc.wallClock.dispersionAtTime(wcNs);
      if (after - before < 50_000n) samples.push([((before + after) / 2n).toString(), ticks, timeline.isAvailable() ? timeline.getEffectiveSpeed() : NaN, wcNs - Number((before + after) / 2n), disp]);
      await delay(10);
    }
    ts.stop();
    wc.stop();
    ws.terminate();
    return { samples };
  }
  const count = args.count ?? 50;
  const latencies = await Promise.all(
    Array.from({ length: count }, async () => {
      const t0 = process.hrtime.bigint();
      const ws = new WebSocket(args.tsUrl ?? '');
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => {
          if (args.setup !== false) ws.send(JSON.stringify({ contentIdStem: '', timelineSelector: SELECTOR }));
        });
        ws.once('message', () => resolve());
        ws.once('error', reject);
      });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      ws.terminate();
      return ms;
    }),
  );
  return { latencies };
}

main().then(
  (result) => {
    process.stdout.write(JSON.stringify(result) + '\n');
    process.exit(0);
  },
  (err: unknown) => {
    process.stderr.write(String(err) + '\n');
    process.exit(1);
  },
);
