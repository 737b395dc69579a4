/**
 * A loopback HTTP server for running the Wii player SWF in Ruffle (headless Chromium):
 *
 * - `/ruffle/*` serves the npm `@ruffle-rs/ruffle` web build (JS + wasm) from node_modules, so
 *   nothing is fetched from the Internet at run time;
 * - every other path is proxied to the sidecar's device-facing host, so the play page, the SWF
 *   and the progressive FLV share one origin (Ruffle fetches SWF and FLV with `fetch`, which
 *   would need CORS across origins);
 * - play pages (`/wii/play/…`) get the Ruffle polyfill script injected before `</head>`; the
 *   page's own `<object>`/`<embed>` markup and FlashVars are what Ruffle then plays.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  // application/wasm lets Chromium compile while streaming (Ruffle falls back otherwise).
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** Folder of the installed `@ruffle-rs/ruffle` package, or undefined when it is not installed. */
export function ruffleDir(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('@ruffle-rs/ruffle/package.json'));
  } catch {
    return undefined;
  }
}

/** Ruffle settings for tests: autoplay, no splash or unmute overlay, trace output in the console. */
const RUFFLE_CONFIG = {
  autoplay: 'on',
  unmuteOverlay: 'hidden',
  splashScreen: false,
  logLevel: 'info',
  letterbox: 'off',
  allowNetworking: 'all',
  publicPath: '/ruffle/',
  showSwfDownload: false,
  contextMenu: 'off',
};

export function injectRuffle(html: string): string {
  const script = `<script type="text/javascript">window.RufflePlayer=window.RufflePlayer||{};window.RufflePlayer.config=${JSON.stringify(RUFFLE_CONFIG)};</script><script type="text/javascript" src="/ruffle/ruffle.js"></script>`;
  return html.includes('</head>') ? html.replace('</head>', `${script}</head>`) : script + html;
}

export interface RufflePageServer {
  readonly origin: string;
  /** Paths requested from this server, in order (`/ruffle/…`, `/wii/…`). */
  readonly requested: readonly string[];
  close(): Promise<void>;
}

export async function startRufflePageServer(sidecarOrigin: string): Promise<RufflePageServer> {
  const root = ruffleDir();
  if (root === undefined) throw new Error('@ruffle-rs/ruffle is not installed');
  const target = new URL(sidecarOrigin);
  const requested: string[] = [];
  const sockets = new Set<Socket>();

  const serveRuffle = (path: string, res: ServerResponse): void => {
    const file = normalize(join(root, path.slice('/ruffle/'.length)));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': String(statSync(file).size) });
    createReadStream(file).pipe(res);
  };

  const proxy = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    const headers = { ...req.headers, host: target.host };
    delete headers['accept-encoding'];
    const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path, headers }, (up) => {
      const isPlayPage = path.startsWith('/wii/play/') && (up.headers['content-type'] ?? '').startsWith('text/html');
      if (!isPlayPage) {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        const body = Buffer.from(injectRuffle(Buffer.concat(chunks).toString('utf8')), 'utf8');
        const { 'content-length': _length, ...rest } = up.headers;
        res.writeHead(up.statusCode ?? 502, { ...rest, 'content-length': String(body.length) });
        res.end(body);
      });
    });
    upstream.on('error', () => res.destroy());
    // The player dropping the FLV download must stop the sidecar's transcode too.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  };

  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requested.push(path);
    if (path === '/favicon.ico') res.writeHead(204).end();
    else if (path.startsWith('/ruffle/')) serveRuffle(path.split('?')[0] ?? path, res);
    else proxy(req, res, path);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requested,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
