/** Small helpers for raw `ws` clients in the DVB-CSS tests. */
import { WebSocket } from 'ws';

export interface Recorder {
  readonly ws: WebSocket;
  readonly messages: string[];
  /** Resolves with message number `index` (0-based) once it arrived. */
  message(index: number, timeoutMs?: number): Promise<string>;
  /** Resolves with the close code and reason. */
  closed(timeoutMs?: number): Promise<{ code: number; reason: string }>;
}

export function record(url: string, headers: Record<string, string> = {}): Promise<Recorder> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const messages: string[] = [];
    const waiters: (() => void)[] = [];
    let closeInfo: { code: number; reason: string } | undefined;
    ws.on('message', (data, isBinary) => {
      messages.push(isBinary ? `<binary ${(data as Buffer).length}>` : (data as Buffer).toString('utf8'));
      for (const w of waiters.splice(0)) w();
    });
    ws.on('close', (code, reason) => {
      closeInfo = { code, reason: reason.toString() };
      for (const w of waiters.splice(0)) w();
    });
    const until = (done: () => boolean, timeoutMs: number, what: string): Promise<void> =>
      new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`timed out waiting for ${what}`)), timeoutMs);
        const check = (): void => {
          if (done()) {
            clearTimeout(timer);
            res();
          } else waiters.push(check);
        };
        check();
      });
    const recorder: Recorder = {
      ws,
      messages,
      message: async (index, timeoutMs = 3000) => {
        await until(() => messages.length > index, timeoutMs, `message ${index}`);
        return messages[index]!;
      },
      closed: async (timeoutMs = 3000) => {
        await until(() => closeInfo !== undefined, timeoutMs, 'close');
        return closeInfo!;
      },
    };
    ws.once('open', () => resolve(recorder));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Opens a socket expecting the upgrade to be refused; resolves with the HTTP status. */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      ws.close();
      reject(new Error('upgrade unexpectedly accepted'));
    });
    ws.once('error', () => undefined);
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` until it returns true or the time runs out. */
export async function eventually(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(5);
  }
}

export function close(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    ws.once('close', () => resolve());
    ws.close();
    setTimeout(() => {
      ws.terminate();
      resolve();
    }, 500).unref();
  });
}
