/**
 * The cameras' live feeds, created when an admin opens a camera's live view and forgotten when
 * its ffmpeg has stopped, and the HTTP side of a viewer: fragmented mp4 streamed as the response
 * body (`Content-Type: video/mp4`, no length), with the init segment's codecs in
 * `X-Jellybridge-Codecs` so the page can feed Media Source Extensions.
 */
import type { ServerResponse } from 'node:http';
import type { Clock, FileJobService, Logger, RequestContext } from '../../plugin/index.js';
import { SidecarError } from '../../plugin/index.js';
import { LiveFeed, type LiveFeedSpec, type LiveViewer } from './live-feed.js';

/** Header naming the stream's RFC 6381 codecs (absent when unknown). */
export const CODECS_HEADER = 'X-Jellybridge-Codecs';
/** A viewer with more than this many bytes unsent is dropped (about 10 s of a 8 Mbit/s camera). */
const MAX_BACKLOG_BYTES = 8 * 1024 * 1024;

export interface LiveHubDeps {
  readonly files: () => FileJobService;
  readonly clock: Clock;
  readonly log: Logger;
  readonly lingerMs: number;
}

export class LiveHub {
  private readonly feeds = new Map<string, LiveFeed>();
  private closed = false;

  constructor(private readonly deps: LiveHubDeps) {}

  /** Viewers watching now, over all cameras. */
  viewers(): number {
    let n = 0;
    for (const f of this.feeds.values()) n += f.viewerCount();
    return n;
  }

  /** Cameras whose live ffmpeg runs now. */
  running(): number {
    let n = 0;
    for (const f of this.feeds.values()) if (f.running()) n += 1;
    return n;
  }

  /**
   * Streams the camera's live view into `res` until the client goes away or the feed ends.
   * Rejects (before any header is sent) when the camera cannot be opened.
   */
  serve(spec: LiveFeedSpec, res: ServerResponse, ctx: RequestContext): Promise<void> {
    if (this.closed) return Promise.reject(new SidecarError('ERR_CAMERA_LIVE_UNAVAILABLE', 'unavailable', 'the camera adapter is stopping'));
    const feed = this.feedFor(spec);
    return new Promise<void>((resolve, reject) => {
      let started = false;
      let leave: () => void = () => undefined;
      const viewer: LiveViewer = {
        init(bytes, codecs) {
          res.writeHead(200, {
            'Content-Type': 'video/mp4',
            'Cache-Control': 'no-store',
            'X-Content-Type-Options': 'nosniff',
            ...(codecs === undefined ? {} : { [CODECS_HEADER]: codecs }),
          });
          started = true;
          res.write(bytes);
        },
        fragment(bytes) {
          if (!started || res.writableEnded) return true;
          res.write(bytes);
          return res.writableLength <= MAX_BACKLOG_BYTES;
        },
        end(error) {
          ctx.signal.removeEventListener('abort', onAbort);
          if (!started) {
            reject(error);
            return;
          }
          if (!res.writableEnded) res.end();
          resolve();
        },
      };
      const onAbort = (): void => {
        leave();
        resolve();
      };
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      leave = feed.join(viewer);
    });
  }

  /** Ends the feed of a camera whose settings changed or that was removed. */
  async drop(camera: string): Promise<void> {
    const feed = this.feeds.get(camera);
    if (feed === undefined) return;
    this.feeds.delete(camera);
    await feed.close();
  }

  /** Ends every feed (adapter stop); later requests are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const feeds = [...this.feeds.values()];
    this.feeds.clear();
    await Promise.all(feeds.map((f) => f.close()));
  }

  private feedFor(spec: LiveFeedSpec): LiveFeed {
    const existing = this.feeds.get(spec.camera);
    if (existing !== undefined && sameSpec(existing.spec, spec)) return existing;
    if (existing !== undefined) void existing.close();
    const feed: LiveFeed = new LiveFeed(spec, {
      files: this.deps.files,
      clock: this.deps.clock,
      log: this.deps.log,
      lingerMs: this.deps.lingerMs,
      onIdle: () => {
        if (this.feeds.get(spec.camera) === feed && feed.viewerCount() === 0) this.feeds.delete(spec.camera);
      },
    });
    this.feeds.set(spec.camera, feed);
    return feed;
  }
}

function sameSpec(a: LiveFeedSpec, b: LiveFeedSpec): boolean {
  return a.url === b.url && a.transport === b.transport && a.timeoutSeconds === b.timeoutSeconds;
}
