/**
 * The same-run baseline for every DVB-CSS bench target: a minimal reference "TV" with no
 * device registry, no session tracking and no per-connection bookkeeping. A bare `dgram`
 * wall-clock responder on process.hrtime (the "minimal Node hrtime server" of
 * protocols/dvbcss.md §9) and a bare `ws` TS server that answers SetupData with the current
 * control timestamp and pushes each new one to every client. Both run on the same machine,
 * in the same process and under the same load as the adapter they are compared with, so the
 * ratio adapter/reference says how much of a figure is ours and how much is the machine.
 */
import { createSocket, type Socket } from 'node:dgram';
import { WebSocketServer, type WebSocket } from 'ws';

const hr = (): bigint => process.hrtime.bigint();

export interface ReferenceAnchor {
  readonly positionNs: bigint;
  readonly wallClockNs: bigint;
  /** 0 (paused) or 1. */
  readonly speed: 0 | 1;
}

export interface ReferenceTv {
  readonly wcPort: number;
  readonly tsUrl: string;
  /** New timeline state: sent at once to every client that has sent SetupData. */
  publish(anchor: ReferenceAnchor): void;
  close(): Promise<void>;
}

/**
 * Control timestamp at 1000 ticks/s whose wallClockTime is the instant the integer contentTime
 * held (written independently of adapters/dvbcss/timeline.ts, on purpose).
 */
function controlTimestamp(a: ReferenceAnchor): string {
  let content: bigint;
  let wall = a.wallClockNs;
  if (a.speed === 0) content = (a.positionNs + 500_000n) / 1_000_000n;
  else {
    content = (a.positionNs + 999_999n) / 1_000_000n;
    wall += content * 1_000_000n - a.positionNs;
  }
  return `{"contentTime":"${content}","wallClockTime":"${wall}","timelineSpeedMultiplier":${a.speed}}`;
}

/**
 * Starts the reference TV. `precisionLog2` and `maxFreqError` (1/256 ppm) should be what the
 * adapter declares, so a client's dispersion is computed with the same declared terms.
 */
export async function startReferenceTv(options: { readonly precisionLog2: number; readonly maxFreqError: number }): Promise<ReferenceTv> {
  const udp: Socket = createSocket('udp4');
  udp.on('message', (m, r) => {
    const t2 = hr();
    if (m.length !== 32 || m[0] !== 0 || m[1] !== 0) return;
    const out = Buffer.from(m);
    out[1] = 1;
    out.writeInt8(options.precisionLog2, 2);
    out.writeUInt32BE(options.maxFreqError, 4);
    out.writeUInt32BE(Number(t2 / 1_000_000_000n), 16);
    out.writeUInt32BE(Number(t2 % 1_000_000_000n), 20);
    const t3 = hr();
    out.writeUInt32BE(Number(t3 / 1_000_000_000n), 24);
    out.writeUInt32BE(Number(t3 % 1_000_000_000n), 28);
    udp.send(out, r.port, r.address);
  });
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));

  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((resolve) => wss.once('listening', resolve));
  const ready = new Set<WebSocket>();
  let current = `{"contentTime":null,"wallClockTime":"${hr()}","timelineSpeedMultiplier":null}`;
  wss.on('connection', (ws) => {
    ws.once('message', () => {
      ready.add(ws);
      ws.send(current);
    });
    ws.on('close', () => ready.delete(ws));
  });
  const address = wss.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    wcPort: udp.address().port,
    tsUrl: `ws://127.0.0.1:${port}/ts`,
    publish(anchor) {
      current = controlTimestamp(anchor);
      for (const ws of ready) ws.send(current);
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await new Promise<void>((resolve) => udp.close(resolve));
    },
  };
}
