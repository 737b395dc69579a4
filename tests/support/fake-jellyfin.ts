/**
 * A Jellyfin stand-in for tests (protocols/jellyfin.md §5): a real node:http + `ws` server on
 * 127.0.0.1 (port 0) speaking PascalCase JSON like Jellyfin 10.11/12 with legacy authorization
 * off, serving real bytes (static files with ranges, ffmpeg transcodes, generated images),
 * Live TV with its quirks, `/Sessions` and the `/socket` WebSocket. Every JSON answer is
 * recorded so tests can validate it against the OpenAPI spec (jellyfin-openapi-validator.ts).
 *
 *   const fake = await FakeJellyfin.start({ clip: await makeClip({ duration: 2 }) });
 *   … fake.url, fake.apiKey, fake.users.alice, fake.play({ itemId }), fake.restart(1500) …
 *   await fake.close();
 */
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { authenticate } from './fake-jellyfin/auth.js';
import { guid } from './fake-jellyfin/ids.js';
import { FakeLibrary, type ClipDescription, type FakeItem } from './fake-jellyfin/library.js';
import { FakeLiveTv } from './fake-jellyfin/live-tv.js';
import { renderImage, serveStatic, serveTranscode } from './fake-jellyfin/media.js';
import { installedCompanion, installPackage } from './fake-jellyfin/packages.js';
import { breakResponse, route, type Breakage, type FakeResponse, type RouterState } from './fake-jellyfin/router.js';
import { FakeSessions, type SessionSpec } from './fake-jellyfin/sessions.js';

export type { SessionSpec } from './fake-jellyfin/sessions.js';
export type { ClipDescription } from './fake-jellyfin/library.js';
export type { Breakage, FakeRequest, FakeResponse, RouterState } from './fake-jellyfin/router.js';
export { route } from './fake-jellyfin/router.js';

export interface FakeJellyfinOptions {
  readonly apiKey?: string;
  /** A real clip (tests/support/media.ts) served as every media item's file. */
  readonly clip?: string;
  readonly clipDurationSeconds?: number;
  /** How MediaSources describe the clip when it is not the default H.264/AAC MP4. */
  readonly clipDescription?: ClipDescription;
  /**
   * Folder the media files are laid out in (copied from `clip`) so that Jellyfin's `/media/…`
   * paths map to `<mediaRoot>/…`. Default: a fresh temp folder (removed on close).
   */
  readonly mediaRoot?: string;
  /** Items in the extra "Home Videos" library (0 = no such library). */
  readonly bigFolderSize?: number;
  readonly version?: string;
  readonly serverName?: string;
  /** ForceKeepAlive `Data` in seconds (Jellyfin: 60). */
  readonly keepAliveSeconds?: number;
  /** false emulates 10.10, which sends no Sessions to API-key sockets. */
  readonly socketSendsSessions?: boolean;
  readonly tunerCounts?: readonly number[];
  /** false: the Jellybridge companion plugin is not installed (default: installed and active). */
  readonly companionInstalled?: boolean;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly authorization?: string;
  readonly via: 'header' | 'query' | 'none' | 'rejected';
  readonly legacyHeader: boolean;
}

export interface RecordedResponse {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
}

const ANONYMOUS = [/^\/System\/Info\/Public$/i, /^\/System\/Ping$/i, /^\/Videos\/[^/]+\/stream/i, /^\/Items\/[^/]+\/Images\//i];
const LEGACY_HEADERS = ['x-emby-token', 'x-mediabrowser-token', 'x-emby-authorization'];

/**
 * The stand-in's state without any server (no sockets, no binaries): the unit test drives
 * `route(state, request)` directly to validate every answer against the spec.
 */
export function createFakeJellyfinState(
  options: Pick<FakeJellyfinOptions, 'bigFolderSize' | 'version' | 'serverName' | 'tunerCounts' | 'companionInstalled'> & {
    readonly clipFile?: { readonly path: string; readonly size: number; readonly durationSeconds: number; readonly description?: ClipDescription };
    readonly now?: number;
  } = {},
): RouterState {
  const now = options.now ?? Date.now();
  const library = new FakeLibrary({
    now,
    ...(options.bigFolderSize === undefined ? {} : { bigFolderSize: options.bigFolderSize }),
    ...(options.clipFile === undefined ? {} : { clip: options.clipFile }),
  });
  return {
    library,
    liveTv: new FakeLiveTv({ now, ...(options.tunerCounts === undefined ? {} : { tunerCounts: options.tunerCounts }) }),
    sessions: new FakeSessions(library, () => Date.now()),
    serverName: options.serverName ?? 'Fake Jellyfin',
    version: options.version ?? '10.11.11',
    mediaUpdates: [],
    refreshCount: 0,
    virtualFolders: [],
    plugins: options.companionInstalled === false ? [] : [installedCompanion()],
    repositories: [{ Name: 'Jellyfin Stable', Url: 'https://repo.jellyfin.org/files/plugin/manifest.json', Enabled: true }],
    installs: [],
    breakages: new Map(),
  };
}

export class FakeJellyfin {
  readonly apiKey: string;
  readonly library: FakeLibrary;
  readonly liveTv: FakeLiveTv;
  readonly sessions: FakeSessions;
  readonly state: RouterState;
  readonly mediaRoot: string;
  readonly requests: RecordedRequest[] = [];
  /** Bodies of POST/PUT requests (for checking requests against the OpenAPI spec). */
  readonly requestBodies: { readonly method: string; readonly path: string; readonly query: string; readonly body: unknown }[] = [];
  readonly responses: RecordedResponse[] = [];
  /** KeepAlive messages received from socket clients. */
  keepAlivesReceived = 0;
  socketConnections = 0;
  /** Authorization headers seen on socket upgrades. */
  readonly socketAuthorizations: string[] = [];
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly subscribed = new Set<WebSocket>();
  private readonly connections = new Set<Socket>();
  private readonly children = new Set<ChildProcess>();
  private port = 0;
  private down = false;
  private socketRefused = false;
  private ownsMediaRoot: boolean;
  private readonly options: FakeJellyfinOptions;

  private constructor(options: FakeJellyfinOptions) {
    this.options = options;
    this.apiKey = options.apiKey ?? 'fake-api-key-0123456789abcdef';
    this.ownsMediaRoot = options.mediaRoot === undefined;
    this.mediaRoot = options.mediaRoot ?? mkdtempSync(join(tmpdir(), 'fake-jellyfin-media-'));
    const clip = options.clip;
    this.state = createFakeJellyfinState({
      ...options,
      ...(clip === undefined
        ? {}
        : {
            clipFile: {
              path: clip,
              size: statSync(clip).size,
              durationSeconds: options.clipDurationSeconds ?? 2,
              ...(options.clipDescription === undefined ? {} : { description: options.clipDescription }),
            },
          }),
    });
    this.library = this.state.library;
    this.liveTv = this.state.liveTv;
    this.sessions = this.state.sessions;
    if (clip !== undefined) this.layOutMedia(clip);
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.on('connection', (socket: Socket) => {
      this.connections.add(socket);
      socket.on('close', () => this.connections.delete(socket));
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.onUpgrade(req, socket, head));
  }

  /** Starts a stand-in on 127.0.0.1 with a free port. */
  static async start(options: FakeJellyfinOptions = {}): Promise<FakeJellyfin> {
    const fake = new FakeJellyfin(options);
    await fake.listen(0);
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** User ids by name: alice (administrator, every library), bob (TV Shows only). */
  get users(): { readonly alice: string; readonly bob: string } {
    return { alice: this.library.users[0]!.id, bob: this.library.users[1]!.id };
  }

  /** Calls to POST /Library/Media/Updated (each one's Updates). */
  get mediaUpdates(): readonly (readonly { Path: string; UpdateType: string }[])[] {
    return this.state.mediaUpdates;
  }

  get refreshCount(): number {
    return this.state.refreshCount;
  }

  item(name: string): FakeItem {
    const found = [...this.library.items.values()].find((i) => i.name === name);
    if (found === undefined) throw new Error(`no item named ${name}`);
    return found;
  }

  // ---- test API: playback ----

  play(spec: SessionSpec): string {
    const id = this.sessions.play(spec);
    this.pushSessions();
    return id;
  }
  pause(id: string): void {
    this.sessions.pause(id);
    this.pushSessions();
  }
  resume(id: string): void {
    this.sessions.resume(id);
    this.pushSessions();
  }
  seek(id: string, seconds: number): void {
    this.sessions.seek(id, seconds);
    this.pushSessions();
  }
  stopPlayback(id: string): void {
    this.sessions.stopPlayback(id);
    this.pushSessions();
  }

  // ---- test API: faults ----

  /** Drops every connection and refuses new ones for `refuseMs`, then listens again on the same port. */
  async restart(refuseMs = 1500): Promise<void> {
    await this.goDown();
    await new Promise((r) => setTimeout(r, refuseMs));
    await this.comeBack();
  }

  async goDown(): Promise<void> {
    if (this.down) return;
    this.down = true;
    for (const ws of this.wss.clients) ws.terminate();
    this.subscribed.clear();
    for (const c of this.children) c.kill('SIGKILL');
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const s of this.connections) s.destroy();
    await closed;
  }

  async comeBack(): Promise<void> {
    if (!this.down) return;
    await this.listen(this.port);
    this.down = false;
  }

  /** Refuse (503) WebSocket upgrades while REST keeps working. */
  setSocketRefused(refused: boolean): void {
    this.socketRefused = refused;
    if (refused) for (const ws of this.wss.clients) ws.terminate();
  }

  /** Makes an endpoint ("GET /Items") answer wrongly until repaired. */
  breakEndpoint(endpoint: string, breakage: Breakage): void {
    this.state.breakages.set(endpoint, breakage);
  }

  repairEndpoint(endpoint: string): void {
    this.state.breakages.delete(endpoint);
  }

  /** Same as close() (some suites call it stop()). */
  stop(): Promise<void> {
    return this.close();
  }

  async close(): Promise<void> {
    await this.goDown();
    this.wss.close();
    if (this.ownsMediaRoot) rmSync(this.mediaRoot, { recursive: true, force: true });
  }

  // ---- internals ----

  private layOutMedia(clip: string): void {
    for (const item of this.library.items.values()) {
      if (item.media === undefined || item.kind === 'Video') continue; // big folder: paths only
      const target = join(this.mediaRoot, item.media.jellyfinPath.replace(/^\/media\//, ''));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(clip, target);
    }
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private async readBody(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = url.pathname;
      const method = req.method ?? 'GET';
      const legacy = LEGACY_HEADERS.some((h) => req.headers[h] !== undefined) || [...url.searchParams.keys()].some((k) => k.toLowerCase() === 'api_key');
      const anonymous = ANONYMOUS.some((r) => r.test(path));
      const auth = authenticate(req.headers as Record<string, string | undefined>, url.searchParams, this.apiKey);
      this.requests.push({
        method,
        path,
        query: url.search,
        ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }),
        via: auth.ok ? auth.via : anonymous ? 'none' : 'rejected',
        legacyHeader: legacy,
      });
      if (!anonymous && !auth.ok) {
        res.writeHead(401).end();
        this.record(method, path, 401, undefined);
        return;
      }
      const body = method === 'POST' || method === 'PUT' ? await this.readBody(req) : undefined;
      if (body !== undefined) this.requestBodies.push({ method, path, query: url.search, body });
      const endpoint = `${method} ${path}`;
      const breakage = [...this.state.breakages.entries()].find(([k]) => k.toLowerCase() === endpoint.toLowerCase())?.[1];
      const install = /^\/Packages\/Installed\/([^/]+)$/i.exec(path);
      const answer: FakeResponse =
        breakage === undefined && method === 'POST' && install !== null
          ? await installPackage(this.state, decodeURIComponent(install[1] ?? ''), url.searchParams)
          : breakage === undefined
            ? route(this.state, { method, path, query: url.searchParams, ...(body === undefined ? {} : { body }) }) : breakResponse(breakage);
      await this.send(req, res, method, path, url.searchParams, answer);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(error));
      else res.destroy();
    }
  }

  private record(method: string, path: string, status: number, body: unknown): void {
    this.responses.push({ method, path, status, body });
    if (this.responses.length > 2000) this.responses.shift();
  }

  private async send(req: IncomingMessage, res: ServerResponse, method: string, path: string, query: URLSearchParams, answer: FakeResponse): Promise<void> {
    switch (answer.kind) {
      case 'json': {
        this.record(method, path, answer.status, answer.body);
        if (answer.body === undefined) {
          res.writeHead(answer.status).end();
          return;
        }
        const text = JSON.stringify(answer.body);
        res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) }).end(text);
        return;
      }
      case 'text':
        res.writeHead(answer.status, { 'Content-Type': answer.contentType }).end(answer.text);
        return;
      case 'static': {
        const file = this.mediaFile(answer.itemId);
        if (file === undefined) {
          res.writeHead(404).end();
          return;
        }
        serveStatic(req, res, file);
        return;
      }
      case 'transcode': {
        const file = this.mediaFile(answer.itemId);
        if (file === undefined) {
          res.writeHead(404).end();
          return;
        }
        const child = serveTranscode(req, res, file, answer.container, query);
        if (child !== undefined) {
          this.children.add(child);
          child.on('close', () => this.children.delete(child));
        }
        return;
      }
      case 'image': {
        const item = this.library.items.get(answer.itemId);
        if (item === undefined || !item.hasImage) {
          res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ title: 'Not Found', status: 404 }));
          return;
        }
        const format = (query.get('format') ?? 'Jpg').toLowerCase() === 'png' ? 'png' : 'jpg';
        const maxWidth = query.get('maxWidth');
        const maxHeight = query.get('maxHeight');
        const image = await renderImage(format, maxWidth === null ? undefined : Number(maxWidth), maxHeight === null ? undefined : Number(maxHeight));
        res.writeHead(200, { 'Content-Type': format === 'png' ? 'image/png' : 'image/jpeg', 'Content-Length': String(image.length) }).end(image);
        return;
      }
    }
  }

  private mediaFile(itemId: string): string | undefined {
    const item = this.library.items.get(itemId);
    if (item?.media?.localPath === undefined || item.virtual === true) return undefined;
    if (item.kind === 'Video') return item.media.localPath;
    return join(this.mediaRoot, item.media.jellyfinPath.replace(/^\/media\//, ''));
  }

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (this.down) return void socket.destroy();
    if (this.socketRefused) return refuse('503 Service Unavailable');
    const auth = authenticate(req.headers as Record<string, string | undefined>, url.searchParams, this.apiKey);
    if (!auth.ok) return refuse('401 Unauthorized');
    if (req.headers.authorization !== undefined) this.socketAuthorizations.push(req.headers.authorization);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, auth.fields, socket.remoteAddress ?? '127.0.0.1'));
  }

  private onSocket(ws: WebSocket, authFields: Readonly<Record<string, string>>, remote: string): void {
    this.socketConnections++;
    const sessionId = this.sessions.connect(authFields, remote);
    ws.send(JSON.stringify({ MessageType: 'ForceKeepAlive', Data: this.options.keepAliveSeconds ?? 60, MessageId: guid(`msg:${Date.now()}:${Math.random()}`) }));
    ws.on('message', (data) => {
      let message: { MessageType?: string; Data?: unknown };
      try {
        message = JSON.parse((Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)).toString('utf8')) as { MessageType?: string; Data?: unknown };
      } catch {
        return;
      }
      if (message.MessageType === 'KeepAlive') {
        this.keepAlivesReceived++;
        ws.send(JSON.stringify({ MessageType: 'KeepAlive', MessageId: guid(`ka:${Date.now()}:${Math.random()}`) }));
      } else if (message.MessageType === 'SessionsStart') {
        this.subscribed.add(ws);
        const delay = typeof message.Data === 'string' ? Number(message.Data.split(',')[0]) || 0 : 0;
        setTimeout(() => this.sendSessions(ws), delay);
      } else if (message.MessageType === 'SessionsStop') {
        this.subscribed.delete(ws);
      }
    });
    ws.on('close', () => {
      this.subscribed.delete(ws);
      this.sessions.disconnect(sessionId);
      this.pushSessions();
    });
    this.pushSessions();
  }

  private sendSessions(ws: WebSocket): void {
    if (this.options.socketSendsSessions === false || !this.subscribed.has(ws) || ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify({ MessageType: 'Sessions', Data: this.sessions.dtos(), MessageId: guid(`s:${Date.now()}:${Math.random()}`) }));
  }

  private pushSessions(): void {
    for (const ws of this.subscribed) this.sendSessions(ws);
  }
}
