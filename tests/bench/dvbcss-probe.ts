/**
 * A DVB-CSS companion probe run as a separate process by dvbcss.bench.ts, so the client has its
 * own event loop like a real companion (in one process, client and server share a loop and
 * inflate each other's round trips). It prints one JSON line with its measurements. Its clocks
 * are BBC's dvbcss-clocks on an hrtime root; CLOCK_MONOTONIC is shared by processes on one host,
 * so the parent can compare `monoNs` samples with its own ground truth.
 *
 * argv[2]: JSON { mode: 'wc' | 'timeline' | 'fanout', wcPort?, tsUrl?, count?, durationMs? }
 */
import { createSocket } from 'node:dgram';
import clocks from 'dvbcss-clocks';
import protocols from 'dvbcss-protocols';
import { WebSocket } from 'ws';
import { HrtimeClock } from '../support/dvbcss/hr-clock.js';

interface ProbeArgs {
  readonly mode: 'wc' | 'timeline' | 'fanout';
  readonly wcPort?: number;
  readonly tsUrl?: string;
  readonly count?: number;
  readonly durationMs?: number;
  readonly setup?: boolean;
}

const SELECTOR = 'tag:rd.bbc.co.uk,2015-12-08:dvb:css:timeline:simple-elapsed-time:1000';
const args = JSON.parse(process.argv[2] ?? '{}') as ProbeArgs;
const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function wcClient(port: number, intervalMs: number, onReply?: (dispersion: number) => void) {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const wallClock = new clocks.CorrelatedClock(new HrtimeClock(), { tickRate: 1e9 });
  if (onReply !== undefined) socket.on('message', () => setImmediate(() => onReply(wallClock.dispersionAtTime(wallClock.now()))));
  const client = protocols.WallClock.createBinaryUdpClient(socket, wallClock, { dest: { address: '127.0.0.1', port }, requestInterval: intervalMs });
  return { wallClock, stop: () => (client.stop(), socket.close()) };
}

async function main(): Promise<unknown> {
  if (args.mode === 'wc') {
    const dispersions: number[] = [];
    const wc = await wcClient(args.wcPort ?? 0, 20, (d) => dispersions.push(d));
    while (dispersions.length < (args.count ?? 10)) await delay(5);
    wc.stop();
    return { dispersions };
  }
  if (args.mode === 'timeline') {
    const wc = await wcClient(args.wcPort ?? 0, 100);
    const timeline = new clocks.CorrelatedClock(wc.wallClock, { tickRate: 1000 });
    const ws = new WebSocket(args.tsUrl ?? '');
    const ts = protocols.TimelineSynchronisation.createTSClient(ws, timeline, { contentIdStem: '', timelineSelector: SELECTOR, tickrate: 1000 });
    while (!(wc.wallClock.isAvailable() && timeline.isAvailable())) await delay(5);
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
