/**
 * The bench's own CSS-WC measuring client (run inside dvbcss-probe's process). It computes a
 * candidate's error bound exactly as pydvbcss (`Candidate.calcCorrelationFor` + the root
 * clock's precision in `dispersionAtTime`) and BBC's JS client (`Candidate.toCorrelation`) do:
 *
 *   dispersion(t) = precision_client + precision_server
 *                   + (rtt/2 + mfe_client·(t4−t1) + mfe_server·(t3−t2))
 *                   + (mfe_client + mfe_server)·|t − (t1+t4)/2|,   rtt = (t4−t1) − (t3−t2)
 *
 * and keeps the lowest-dispersion candidate (pydvbcss `LowestDispersionCandidate`, BBC's
 * client). Precision and mfe of the server are read from each reply; the client's own precision
 * is measured (the median step of hrtime, rounded up to a power of two as a server declares it)
 * and its mfe is 500 ppm (CLOCK_MONOTONIC, NTP-slewed).
 *
 * What differs from BBC's JS client is only *where t1 and t4 are read*: t1 immediately before
 * the datagram is handed to the connected socket and t4 first thing in the receive handler,
 * and, while it measures, the event loop is kept spinning (setImmediate) so a reply does not
 * first have to wake a sleeping process: the Node equivalent of a client busy-polling its
 * socket. BBC's client reads t1 before serialising and emitting, and t4 after copying the
 * datagram into an ArrayBuffer, on an idle loop; all of that is counted as network round
 * trip and so as dispersion. Its figure is still reported next to this one.
 */
import { createSocket, type Socket } from 'node:dgram';

const hr = (): bigint => process.hrtime.bigint();

/** One request/response exchange, all times in ns of the respective clock. */
export interface WcExchange {
  readonly t1: bigint;
  readonly t2: bigint;
  readonly t3: bigint;
  readonly t4: bigint;
  /** Server precision in seconds, decoded from byte 2. */
  readonly serverPrecision: number;
  /** Server mfe in ppm, decoded from bytes 4–7. */
  readonly serverMfePpm: number;
}

/** The terms of a candidate's initial error, in seconds. */
export interface DispersionTerms {
  readonly precision: number;
  readonly halfRtt: number;
  readonly mfe: number;
  /** Sum of the above: the error bound at the candidate's own instant. */
  readonly initial: number;
  /** Growth in seconds per second: mfe_client + mfe_server. */
  readonly growthRate: number;
  /** Client time (ns) the growth is counted from: (t1+t4)/2. */
  readonly at: bigint;
}

/** A candidate's dispersion terms (pydvbcss / BBC formula, see the file comment). */
export function candidateTerms(e: WcExchange, client: { readonly precision: number; readonly mfePpm: number }): DispersionTerms {
  const rtt = Number(e.t4 - e.t1 - (e.t3 - e.t2)) / 1e9;
  const mfeC = client.mfePpm / 1e6;
  const mfeS = e.serverMfePpm / 1e6;
  const precision = client.precision + e.serverPrecision;
  const halfRtt = rtt / 2;
  const mfe = (mfeC * Number(e.t4 - e.t1) + mfeS * Number(e.t3 - e.t2)) / 1e9;
  return { precision, halfRtt, mfe, initial: precision + halfRtt + mfe, growthRate: mfeC + mfeS, at: (e.t1 + e.t4) / 2n };
}

export function dispersionAt(terms: DispersionTerms, t: bigint): number {
  const age = Number(t > terms.at ? t - terms.at : terms.at - t) / 1e9;
  return terms.initial + terms.growthRate * age;
}

/** Median step between consecutive differing hrtime readings, rounded up to a power of two. */
export function measureClientPrecision(samples = 2000): number {
  const steps: number[] = [];
  let prev = hr();
  for (let i = 0; i < samples; i++) {
    const now = hr();
    if (now > prev) steps.push(Number(now - prev));
    prev = now;
  }
  steps.sort((a, b) => a - b);
  const median = (steps[Math.floor(steps.length / 2)] ?? 1000) / 1e9;
  return 2 ** Math.ceil(Math.log2(median));
}

export interface MeterSample {
  readonly exchange: WcExchange;
  readonly terms: DispersionTerms;
  /** Whether this exchange became the best candidate. */
  readonly chosen: boolean;
  /** Dispersion of the best candidate right after this exchange (s). */
  readonly dispersion: number;
  /** The best candidate's terms right after this exchange. */
  readonly best: DispersionTerms;
  /** The best candidate's offset: server (t2+t3)/2 at client (t1+t4)/2, as ns. */
  readonly bestExchange: WcExchange;
}

/** The measuring client: one request every `intervalMs` to 127.0.0.1:`port`. */
export class WcMeter {
  readonly clientMfePpm = 500;
  private socket: Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private spinning = false;
  private outstanding: bigint | undefined;
  private best: { exchange: WcExchange; terms: DispersionTerms } | undefined;
  private readonly request = Buffer.alloc(32);

  constructor(
    private readonly port: number,
    private readonly intervalMs: number,
    private readonly onSample: (s: MeterSample) => void,
    /** Client clock precision in seconds (default: measured). */
    readonly clientPrecision = measureClientPrecision(),
  ) {}

  async start(): Promise<void> {
    const socket = createSocket('udp4');
    this.socket = socket;
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    await new Promise<void>((r) => socket.connect(this.port, '127.0.0.1', r));
    socket.on('message', (m) => {
      const t4 = hr();
      this.onReply(m, t4);
    });
    this.spinning = true;
    const spin = (): void => {
      if (this.spinning) setImmediate(spin);
    };
    spin();
    this.send();
  }

  stop(): void {
    this.spinning = false;
    clearTimeout(this.timer);
    this.socket?.close();
    this.socket = undefined;
  }

  private send(): void {
    const socket = this.socket;
    if (socket === undefined) return;
    this.timer = setTimeout(() => this.send(), this.intervalMs);
    const q = this.request;
    const t1 = hr();
    q.writeUInt32BE(Number(t1 / 1_000_000_000n), 8);
    q.writeUInt32BE(Number(t1 % 1_000_000_000n), 12);
    this.outstanding = t1;
    socket.send(q);
  }

  private onReply(m: Buffer, t4: bigint): void {
    if (m.length !== 32 || m[1] !== 1) return;
    const t1 = BigInt(m.readUInt32BE(8)) * 1_000_000_000n + BigInt(m.readUInt32BE(12));
    if (t1 !== this.outstanding) return;
    this.outstanding = undefined;
    const exchange: WcExchange = {
      t1,
      t2: BigInt(m.readUInt32BE(16)) * 1_000_000_000n + BigInt(m.readUInt32BE(20)),
      t3: BigInt(m.readUInt32BE(24)) * 1_000_000_000n + BigInt(m.readUInt32BE(28)),
      t4,
      serverPrecision: 2 ** m.readInt8(2),
      serverMfePpm: m.readUInt32BE(4) / 256,
    };
    const terms = candidateTerms(exchange, { precision: this.clientPrecision, mfePpm: this.clientMfePpm });
    const now = hr();
    const chosen = this.best === undefined || dispersionAt(terms, now) < dispersionAt(this.best.terms, now);
    if (chosen) this.best = { exchange, terms };
    const best = this.best ?? { exchange, terms };
    this.onSample({ exchange, terms, chosen, dispersion: dispersionAt(best.terms, hr()), best: best.terms, bestExchange: best.exchange });
  }
}
