/**
 * DVB-CSS speed and accuracy targets (issue #6), on loopback, against the real adapter fed by a
 * PlaybackDouble, with BBC's npm clients on an hrtime root clock where a client is needed.
 * Every target has a baseline measured in the same run, under the same load, with the same
 * client: a minimal reference TV (dvbcss-reference.ts: bare hrtime dgram responder declaring the
 * adapter's precision and mfe, bare `ws` TS server). Reference and adapter runs alternate, so
 * a load swing hits both; `ratio` = adapter / reference. Pass/fail stays the absolute
 * target: on a loaded machine read the ratio (≈ 1 means the figure is the machine's).
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { decodeWcPacket } from '../../adapters/dvbcss/wallclock-codec.js';
import { session } from '../support/dvbcss/playback-double.js';
import { startDvbcss, type StartedDvbcss } from '../support/dvbcss/start-dvbcss.js';
import { wcRequest } from '../support/dvbcss/wc-request.js';
import { close, delay, record } from '../support/dvbcss/ws-helpers.js';
import { startReferenceTv, type ReferenceTv } from './dvbcss-reference.js';
import { quantile } from './stats.js';
import type { BenchResult } from './types.js';

const SELECTOR = 'tag:rd.bbc.co.uk,2015-12-08:dvb:css:timeline:simple-elapsed-time:1000';
const hr = (): bigint => process.hrtime.bigint();

/** What the adapter's wall clock declares (precision, mfe), read from one of its replies. */
async function declaredWc(port: number): Promise<{ precisionLog2: number; maxFreqError: number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const reply = new Promise<Buffer>((resolve) => socket.once('message', resolve));
  socket.send(wcRequest(1), port, '127.0.0.1');
  const packet = decodeWcPacket(await reply);
  socket.close();
  if (packet === undefined) throw new Error('the wall clock sent a malformed reply');
  return { precisionLog2: packet.precisionLog2, maxFreqError: packet.maxFreqError };
}

/** Alternates halves between the reference and the adapter so load swings hit both alike. */
async function alternate<T>(rounds: number, reference: () => Promise<T>, ours: () => Promise<T>): Promise<{ reference: T[]; ours: T[] }> {
  const out = { reference: [] as T[], ours: [] as T[] };
  for (let i = 0; i < rounds; i++) {
    out.reference.push(await reference());
    out.ours.push(await ours());
  }
  return out;
}

/** 500 requests at 200/s from a probe process (a companion has its own process and loop). */
async function wcRoundTrips(port: number): Promise<{ rtts: number[]; answered: number }> {
  return (await runProbe({ mode: 'rtt', wcPort: port, count: 500, rate: 200 })) as { rtts: number[]; answered: number };
}

async function wallClockBench(css: StartedDvbcss, ref: ReferenceTv): Promise<BenchResult[]> {
  const runs = await alternate(
    2,
    () => wcRoundTrips(ref.wcPort),
    () => wcRoundTrips(css.wcPort),
  );
  const ours = { rtts: runs.ours.flatMap((r) => r.rtts), answered: runs.ours.reduce((n, r) => n + r.answered, 0) };
  const base = { rtts: runs.reference.flatMap((r) => r.rtts), answered: runs.reference.reduce((n, r) => n + r.answered, 0) };
  const p99 = quantile(ours.rtts, 0.99);
  const baseP99 = quantile(base.rtts, 0.99);
  const results: BenchResult[] = [
    {
      name: 'dvbcss WC reply round trip p99 at 200 req/s (1000 requests)',
      value: p99,
      unit: 'ms',
      baseline: baseP99,
      ratio: p99 / baseP99,
      target: 'p99 < 0.5 ms and 100 % answered',
      pass: p99 < 0.5 && ours.answered === 1000,
      notes: `answered ${ours.answered}/1000, median ${quantile(ours.rtts, 0.5).toFixed(3)} ms; reference hrtime dgram responder p99 ${baseP99.toFixed(3)} ms, median ${quantile(base.rtts, 0.5).toFixed(3)} ms, answered ${base.answered}/1000`,
    },
  ];

  // Dispersion right after the 10th exchange (20 ms apart), client in its own process. The figure
  // is the bench's measuring client (dvbcss-wc-meter.ts: pydvbcss/BBC dispersion formula, t1/t4
  // read at the socket, spinning loop); BBC's JS client on an hrtime root is reported beside it.
  interface MeterExchange {
    readonly rttMs: number;
    readonly serverHoldMs: number;
    readonly dispersionMs: number;
    readonly best: { readonly precisionMs: number; readonly halfRttMs: number; readonly mfeMs: number; readonly growthMs: number };
  }
  const meterRun = async (port: number): Promise<MeterExchange[]> => ((await runProbe({ mode: 'wc-meter', wcPort: port, count: 10 })) as { exchanges: MeterExchange[] }).exchanges;
  const bbcRun = async (port: number): Promise<number[]> => ((await runProbe({ mode: 'wc', wcPort: port, count: 10 })) as { dispersions: number[] }).dispersions;
  const meter = await alternate(3, () => meterRun(ref.wcPort), () => meterRun(css.wcPort));
  const bbc = await alternate(1, () => bbcRun(ref.wcPort), () => bbcRun(css.wcPort));
  // Three runs each: the median run by its 10th-exchange dispersion is the figure (a run is 10
  // exchanges in 0.2 s; one scheduling hiccup of the shared machine should not decide it).
  const medianRun = (runs: MeterExchange[][]): MeterExchange[] => [...runs].sort((a, b) => (a[9]?.dispersionMs ?? NaN) - (b[9]?.dispersionMs ?? NaN))[1] ?? [];
  const oursRun = medianRun(meter.ours);
  const baseRun = medianRun(meter.reference);
  const after10 = oursRun[9]?.dispersionMs ?? NaN;
  const baseAfter10 = baseRun[9]?.dispersionMs ?? NaN;
  const fmt = (v: number): string => v.toFixed(3);
  const terms = (e: MeterExchange | undefined): string =>
    e === undefined ? '?' : `precision ${fmt(e.best.precisionMs)} + rtt/2 ${fmt(e.best.halfRttMs)} + mfe·Δt ${fmt(e.best.mfeMs)} + growth since ${fmt(e.best.growthMs)} ms`;
  const median = (v: number[]): number => quantile(v, 0.5);
  results.push({
    name: 'dvbcss WC client dispersion right after the 10th exchange (measuring client, spec formula, own process)',
    value: after10,
    unit: 'ms',
    baseline: baseAfter10,
    ratio: after10 / baseAfter10,
    target: '≤ 0.1 ms',
    pass: after10 <= 0.1,
    notes:
      `median of 3 runs (10th: ${meter.ours.map((r) => fmt(r[9]?.dispersionMs ?? NaN)).join(' ')} ms); = ${terms(oursRun[9])}; ` +
      `after each exchange ${oursRun.map((e) => fmt(e.dispersionMs)).join(' ')} ms; rtt median ${fmt(median(meter.ours.flat().map((e) => e.rttMs)))} ms, server t3−t2 median ${fmt(median(meter.ours.flat().map((e) => e.serverHoldMs)))} ms. ` +
      `Reference (same declared precision and mfe): 10th ${meter.reference.map((r) => fmt(r[9]?.dispersionMs ?? NaN)).join(' ')} ms, ${terms(baseRun[9])}, rtt median ${fmt(median(meter.reference.flat().map((e) => e.rttMs)))} ms. ` +
      `BBC JS client (hrtime root): ours ${(bbc.ours[0] ?? []).map((d) => fmt(d * 1e3)).join(' ')} ms; reference ${(bbc.reference[0] ?? []).map((d) => fmt(d * 1e3)).join(' ')} ms`,
  });
  return results;
}

interface TimelineTarget {
  readonly wcPort: number;
  readonly tsUrl: string;
  publish(positionSeconds: number, isPaused: boolean, at: bigint): void;
}

/** The probe's timeline error against the ground truth, over play, pause, resume and a seek. */
async function timelineErrors(target: TimelineTarget, wcClient: 'bbc' | 'meter'): Promise<{ errors: number[]; wcErrors: number[] }> {
  const anchors: { pos: number; at: bigint; speed: number }[] = [];
  const publish = (positionSeconds: number, isPaused = false): void => {
    const at = hr();
    target.publish(positionSeconds, isPaused, at);
    anchors.push({ pos: positionSeconds, at, speed: isPaused ? 0 : 1 });
  };
  publish(100.0004);
  const result = runProbe({ mode: 'timeline', wcClient, wcPort: target.wcPort, tsUrl: target.tsUrl, durationMs: 5000 }, async (line) => {
    if (!line.includes('"ready"')) return;
    await delay(1500);
    publish(101.5, true);
    await delay(800);
    publish(101.5);
    await delay(800);
    publish(600.25);
  });
  const { samples } = (await result) as { samples: [string, number, number, number][] };
  const errors: number[] = [];
  const wcErrors: number[] = [];
  for (const [monoText, ticks, , wcError] of samples) {
    const mono = BigInt(monoText);
    const anchor = anchors.filter((a) => a.at <= mono).at(-1);
    // Skip 300 ms after each change, as the accuracy anchor in protocols/dvbcss.md §9 does.
    if (anchor === undefined || mono - anchor.at < 300_000_000n) continue;
    const truth = anchor.pos * 1000 + (Number(mono - anchor.at) / 1e6) * anchor.speed;
    errors.push(Math.abs(ticks - truth));
    // The client's wall-clock estimate minus CLOCK_MONOTONIC (the server's wall clock), in ms.
    wcErrors.push(Math.abs(wcError) / 1e6);
  }
  return { errors, wcErrors };
}

async function timelineBench(css: StartedDvbcss, ref: ReferenceTv): Promise<BenchResult[]> {
  const refTarget: TimelineTarget = {
    wcPort: ref.wcPort,
    tsUrl: ref.tsUrl,
    publish: (pos, isPaused, at) => ref.publish({ positionNs: BigInt(Math.round(pos * 1e9)), wallClockNs: at, speed: isPaused ? 0 : 1 }),
  };
  const ourTarget: TimelineTarget = {
    wcPort: css.wcPort,
    tsUrl: css.url('/ts'),
    publish: (positionSeconds, isPaused, at) => css.playback.publish([session({ id: 's1', userId: 'u1', playing: { itemId: 'item1', positionSeconds, isPaused, receivedMonotonicNs: at } })]),
  };
  const runs = await alternate(
    1,
    () => timelineErrors(refTarget, 'meter'),
    () => timelineErrors(ourTarget, 'meter'),
  );
  const bbc = await timelineErrors(ourTarget, 'bbc');
  const { errors, wcErrors } = runs.ours[0] ?? { errors: [], wcErrors: [] };
  const base = runs.reference[0]?.errors ?? [];
  const median = quantile(errors, 0.5);
  const max = Math.max(...errors);
  const baseMedian = quantile(base, 0.5);
  return [
    {
      name: 'dvbcss timeline error on loopback (BBC TS client on the measuring WC client, hrtime, own process; play, pause, resume, seek)',
      value: median,
      unit: 'ms',
      baseline: baseMedian,
      ratio: median / baseMedian,
      target: 'median ≤ 0.1 ms, max ≤ 0.5 ms',
      pass: median <= 0.1 && max <= 0.5,
      notes:
        `max ${max.toFixed(3)} ms over ${errors.length} samples (after 10 WC exchanges; 300 ms after each change skipped); of which wall-clock estimate error median ${quantile(wcErrors, 0.5).toFixed(3)} ms, max ${Math.max(...wcErrors).toFixed(3)} ms; ` +
        `reference TV median ${baseMedian.toFixed(3)} ms, max ${Math.max(...base).toFixed(3)} ms over ${base.length} samples; ` +
        `BBC TS+WC clients against the adapter: median ${quantile(bbc.errors, 0.5).toFixed(3)} ms, max ${Math.max(...bbc.errors).toFixed(3)} ms (wall-clock estimate error median ${quantile(bbc.wcErrors, 0.5).toFixed(3)} ms)`,
    },
  ];
}

/** Time from a state change to the control timestamp arriving at a connected client (100 changes). */
async function changeLatencies(tsUrl: string, publish: (i: number, at: bigint) => void): Promise<number[]> {
  const r = await record(tsUrl);
  r.ws.send(JSON.stringify({ contentIdStem: '', timelineSelector: SELECTOR }));
  await r.message(0);
  const latencies: number[] = [];
  for (let i = 1; i <= 100; i++) {
    const t0 = hr();
    publish(i, t0);
    await r.message(i);
    latencies.push(Number(hr() - t0) / 1e6);
  }
  await close(r.ws);
  return latencies;
}

async function latencyBench(css: StartedDvbcss, ref: ReferenceTv): Promise<BenchResult[]> {
  css.playback.publish([session({ id: 's1', userId: 'u1', playing: { itemId: 'item1', positionSeconds: 0, receivedMonotonicNs: hr() } })]);
  ref.publish({ positionNs: 0n, wallClockNs: hr(), speed: 1 });
  const runs = await alternate(
    2,
    () => changeLatencies(ref.tsUrl, (i, at) => ref.publish({ positionNs: BigInt(i) * 10_000_000_000n, wallClockNs: at, speed: i % 2 === 0 ? 0 : 1 })),
    () =>
      changeLatencies(css.url('/ts'), (i, at) =>
        css.playback.publish([session({ id: 's1', userId: 'u1', playing: { itemId: 'item1', positionSeconds: i * 10, isPaused: i % 2 === 0, receivedMonotonicNs: at } })]),
      ),
  );
  const latencies = runs.ours.flat();
  const base = runs.reference.flat();
  const p99 = quantile(latencies, 0.99);
  const baseP99 = quantile(base, 0.99);
  return [
    {
      name: 'dvbcss Jellyfin state change → control timestamp received, p99 (200 changes)',
      value: p99,
      unit: 'ms',
      baseline: baseP99,
      ratio: p99 / baseP99,
      target: '< 5 ms',
      pass: p99 < 5,
      notes: `median ${quantile(latencies, 0.5).toFixed(3)} ms; reference TV p99 ${baseP99.toFixed(3)} ms, median ${quantile(base, 0.5).toFixed(3)} ms`,
    },
  ];
}

/**
 * Runs dvbcss-probe in its own process (tsx for the .ts sources, plain node once compiled) and
 * resolves with its last JSON line; `onLine` sees every line as it arrives.
 */
function runProbe(args: Record<string, unknown>, onLine?: (line: string) => Promise<void> | void): Promise<unknown> {
  const fromTs = import.meta.url.endsWith('.ts');
  const script = fileURLToPath(new URL(`./dvbcss-probe.${fromTs ? 'ts' : 'js'}`, import.meta.url));
  // The round-trip client runs without V8's optimising tiers: their main-thread work landed on
  // the same few replies every run (requests 268, 274, 473 of 500: 0.5–2 ms each, whatever the
  // server), which is the probe's own pause, not the server's reply time.
  const node = [...(args['mode'] === 'rtt' ? ['--no-opt', '--no-maglev'] : []), ...(fromTs ? ['--import', 'tsx'] : [])];
  const child = spawn(process.execPath, [...node, script, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let last = '';
  let stderr = '';
  let pending: Promise<void> = Promise.resolve();
  createInterface({ input: child.stdout }).on('line', (line) => {
    last = line;
    if (onLine !== undefined) pending = pending.then(() => onLine(line));
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve, reject) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      void pending.then(() => {
        if (code === 0) resolve(JSON.parse(last) as unknown);
        else reject(new Error(`dvbcss probe exited ${code}: ${stderr.slice(-500)}`));
      });
    });
  });
}

/** 100 companions connected at once, 20 updates: how many saw every update. */
async function companionsWithEveryUpdate(tsUrl: string, publish: (i: number) => void): Promise<number> {
  const clients = await Promise.all(Array.from({ length: 100 }, () => record(tsUrl)));
  for (const c of clients) c.ws.send(JSON.stringify({ contentIdStem: '', timelineSelector: SELECTOR }));
  await Promise.all(clients.map((c) => c.message(0, 10_000)));
  for (let i = 1; i <= 20; i++) {
    publish(i);
    await delay(5);
  }
  let complete = 0;
  await Promise.all(
    clients.map(async (c) => {
      try {
        await c.message(20, 5000);
        complete++;
      } catch {
        /* counted as missed */
      }
    }),
  );
  await Promise.all(clients.map((c) => close(c.ws)));
  return complete;
}

async function fanOutBench(css: StartedDvbcss, ref: ReferenceTv): Promise<BenchResult[]> {
  css.playback.publish([session({ id: 's1', userId: 'u1', playing: { itemId: 'item1', positionSeconds: 0, receivedMonotonicNs: hr() } })]);
  ref.publish({ positionNs: 0n, wallClockNs: hr(), speed: 1 });
  // Both answer SetupData with a control timestamp: the same round trip is measured.
  const connects = await alternate(
    1,
    async () => ((await runProbe({ mode: 'fanout', tsUrl: ref.tsUrl, count: 50 })) as { latencies: number[] }).latencies,
    async () => ((await runProbe({ mode: 'fanout', tsUrl: css.url('/ts'), count: 50 })) as { latencies: number[] }).latencies,
  );
  const ours = connects.ours[0] ?? [];
  const base = connects.reference[0] ?? [];
  const p99 = quantile(ours, 0.99);
  const baseP99 = quantile(base, 0.99);

  const complete = await alternate(
    1,
    () => companionsWithEveryUpdate(ref.tsUrl, (i) => ref.publish({ positionNs: BigInt(i) * 60_000_000_000n, wallClockNs: hr(), speed: 1 })),
    () => companionsWithEveryUpdate(css.url('/ts'), (i) => css.playback.publish([session({ id: 's1', userId: 'u1', playing: { itemId: 'item1', positionSeconds: i * 60, receivedMonotonicNs: hr() } })])),
  );
  const oursComplete = complete.ours[0] ?? 0;
  const baseComplete = complete.reference[0] ?? 0;
  return [
    {
      name: 'dvbcss 50 companions connecting at once: connect → first control timestamp p99',
      value: p99,
      unit: 'ms',
      baseline: baseP99,
      ratio: p99 / baseP99,
      target: 'all 50 served, p99 < 40 ms',
      pass: ours.length === 50 && p99 < 40,
      notes: `served ${ours.length}/50, median ${quantile(ours, 0.5).toFixed(2)} ms; reference TV (SetupData → CT too) p99 ${baseP99.toFixed(2)} ms, served ${base.length}/50`,
    },
    {
      name: 'dvbcss 100 concurrent companions × 20 updates: companions with every update',
      value: oursComplete,
      unit: 'companions',
      baseline: baseComplete,
      ratio: oursComplete / baseComplete,
      target: '100 of 100',
      pass: oursComplete === 100,
      notes: `reference TV: ${baseComplete} of 100`,
    },
  ];
}

export async function run(): Promise<readonly BenchResult[]> {
  const results: BenchResult[] = [];
  for (const part of [wallClockBench, timelineBench, latencyBench, fanOutBench]) {
    const css = await startDvbcss({ config: { maxConnections: 1000 } });
    let ref: ReferenceTv | undefined;
    try {
      ref = await startReferenceTv(await declaredWc(css.wcPort));
      results.push(...(await part(css, ref)));
    } finally {
      await ref?.close();
      await css.stop();
    }
  }
  return results;
}
