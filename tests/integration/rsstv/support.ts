/**
 * Helpers for the RSSTV integration tests: a loopback feed server (real node:http, ETag and
 * 304 like a real publisher, every request recorded), test feeds, and an owner-API client.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Harness } from '../../support/adapter-harness.js';

export interface ServedRequest {
  readonly path: string;
  readonly status: number;
  readonly ifNoneMatch?: string;
}

/** Serves feeds set per path; answers 304 to a matching If-None-Match. */
export class FeedServer {
  readonly requests: ServedRequest[] = [];
  private readonly bodies = new Map<string, Buffer>();
  private readonly server: Server;
  private port = 0;

  private constructor() {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const body = this.bodies.get(path);
      const inm = req.headers['if-none-match'];
      const record = (status: number): void => {
        this.requests.push({ path, status, ...(inm === undefined ? {} : { ifNoneMatch: inm }) });
      };
      if (body === undefined) {
        record(404);
        res.writeHead(404).end();
        return;
      }
      const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      if (inm === etag) {
        record(304);
        res.writeHead(304, { ETag: etag }).end();
        return;
      }
      record(200);
      res.writeHead(200, { 'Content-Type': 'application/rss+xml', ETag: etag, 'Content-Length': String(body.length) }).end(body);
    });
  }

  static async start(): Promise<FeedServer> {
    const server = new FeedServer();
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    server.port = (server.server.address() as AddressInfo).port;
    return server;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  set(path: string, body: string | Buffer): void {
    this.bodies.set(path, typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
  }
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** An XMLTV time written in the given offset (minutes east of UTC). */
export function xmltv(ms: number, offsetMinutes = 0): string {
  const t = new Date(ms + offsetMinutes * 60_000);
  const abs = Math.abs(offsetMinutes);
  const zone = `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
  return `${t.getUTCFullYear()}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}${pad(t.getUTCSeconds())} ${zone}`;
}

export interface TestItem {
  readonly guid: string;
  readonly channel: string;
  readonly start: number;
  readonly stop: number;
  readonly title?: string;
  readonly offsetMinutes?: number;
}

/** An RSSTV feed in our profile. */
export function feedXml(items: readonly TestItem[]): string {
  const body = items
    .map(
      (i) =>
        `<item><title>${i.title ?? i.guid}</title><guid isPermaLink="false">${i.guid}</guid>` +
        `<rsstv:tvchannel>${i.channel}</rsstv:tvchannel><rsstv:tvstart>${xmltv(i.start, i.offsetMinutes)}</rsstv:tvstart>` +
        `<rsstv:tvstop>${xmltv(i.stop, i.offsetMinutes)}</rsstv:tvstop></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:rsstv="urn:jellybridge:rsstv:1"><channel><title>Test feed</title><link>http://127.0.0.1/</link><description>t</description>\n${body}\n</channel></rss>\n`;
}

/** The owner API of a running harness (Bearer token read from the adapter's data folder). */
export class OwnerClient {
  readonly token: string;

  constructor(
    private readonly harness: Harness,
    dataDir: string = harness.dataDir,
  ) {
    this.token = readFileSync(join(dataDir, 'adapters', 'rsstv', 'owner-token'), 'utf8').trim();
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ readonly status: number; readonly body: T }> {
    const res = await fetch(`${this.harness.deviceBaseUrl}/rsstv/owner/api/${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as T };
  }

  async poll(): Promise<void> {
    const r = await this.call('POST', 'poll');
    if (r.status !== 200) throw new Error(`poll answered ${r.status}`);
  }

  async items(): Promise<readonly OwnerItem[]> {
    return (await this.call<{ items: OwnerItem[] }>('GET', 'items')).body.items;
  }

  async item(guid: string): Promise<OwnerItem | undefined> {
    return (await this.items()).find((i) => i.guid === guid);
  }

  async invite(name: string, expiresInDays?: number): Promise<{ readonly id: string; readonly link: string; readonly token: string }> {
    const r = await this.call<{ invite: { id: string }; link: string }>('POST', 'invites', { name, ...(expiresInDays === undefined ? {} : { expiresInDays }) });
    if (r.status !== 201) throw new Error(`invite answered ${r.status}`);
    return { id: r.body.invite.id, link: r.body.link, token: r.body.link.split('/').pop() ?? '' };
  }
}

export interface OwnerItem {
  readonly subscriptionId: string;
  readonly guid: string;
  readonly status: string;
  readonly statusLine: string;
  readonly detail: string;
  readonly timerId: string | null;
  readonly attempts: number;
}

/** An XMLTV guide for the embedded default: FOOD (61), KERA-HD (13.1) and a channel whose titles are hostile. */
export function xmltvGuide(now: number, hours = 12): string {
  const first = Math.floor(now / (30 * 60_000)) * 30 * 60_000;
  const channels = [
    { id: 'food.example', number: '61', callSign: 'FOOD', title: 'Good Eats', episode: 'Pantry Raid' },
    { id: 'kera.example', number: '13.1', callSign: 'KERA-HD', title: 'Frontline', episode: 'Part' },
    { id: 'evil.example', number: '66', callSign: 'EVIL', title: 'Late <script>alert(1)</script> & Co ]]>', episode: '<img src=x onerror=alert(2)>' },
  ];
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<tv generator-info-name="rsstv-test">'];
  for (const c of channels) {
    lines.push(`<channel id="${c.id}"><display-name>${c.number} ${c.callSign}</display-name><display-name>${c.number}</display-name><display-name>${c.callSign}</display-name></channel>`);
  }
  for (const c of channels) {
    for (let i = 0; i < hours * 2; i++) {
      const start = first + i * 30 * 60_000;
      lines.push(
        `<programme start="${xmltv(start)}" stop="${xmltv(start + 30 * 60_000)}" channel="${c.id}"><title>${esc(c.title)}</title><sub-title>${esc(`${c.episode} ${i + 1}`)}</sub-title><desc>Slot ${i}.</desc></programme>`,
      );
    }
  }
  lines.push('</tv>', '');
  return lines.join('\n');
}

/** The friend's side of a harness, as a plain HTTP client. */
export class FriendClient {
  constructor(
    private readonly base: string,
    readonly token: string,
  ) {}

  get pageUrl(): string {
    return `${this.base}/rsstv/s/${this.token}`;
  }

  async page(): Promise<{ readonly status: number; readonly html: string; readonly headers: Headers }> {
    const res = await fetch(this.pageUrl);
    return { status: res.status, html: await res.text(), headers: res.headers };
  }

  async csrf(): Promise<string> {
    const { html } = await this.page();
    const m = /<meta name="csrf-token" content="([^"]+)">/.exec(html);
    if (!m?.[1]) throw new Error('no csrf token on the page');
    return m[1];
  }

  async api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ readonly status: number; readonly body: Record<string, unknown>; readonly headers: Headers }> {
    const res = await fetch(`${this.pageUrl}/api/${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: Record<string, unknown>;
    try {
      parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      parsed = { raw: text };
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  async suggest(programId: string, note: string, csrf: string): Promise<{ readonly status: number; readonly body: Record<string, unknown>; readonly headers: Headers }> {
    return this.api('POST', 'suggestions', { programId, note }, { 'X-CSRF-Token': csrf });
  }

  async programs(query = ''): Promise<readonly { id: string; title: string; channel: string; start: string; episodeTitle?: string }[]> {
    const r = await this.api('GET', `guide${query === '' ? '' : `?${query}`}`);
    return r.body['programs'] as { id: string; title: string; channel: string; start: string }[];
  }
}
