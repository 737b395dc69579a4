/**
 * What the RTMP layer asks of the application behind it (the Wii adapter, or a test double):
 * whether a connect is accepted, and what a stream name plays. Keeps the protocol code free of
 * library, device and transcode concerns.
 */
import type { Readable } from 'node:stream';
import type { AmfEcmaArray } from './amf0.js';

export interface ConnectRequest {
  /** `app` from the connect command object, without query string or trailing slash. */
  readonly app: string;
  readonly tcUrl?: string;
  readonly flashVer?: string;
  readonly pageUrl?: string;
  readonly swfUrl?: string;
  readonly remoteAddress: string;
}

export type ConnectDecision =
  | { readonly ok: true; readonly session: RtmpAppSession; readonly deviceId?: string }
  | {
      readonly ok: false;
      readonly code: 'NetConnection.Connect.InvalidApp' | 'NetConnection.Connect.Rejected';
      readonly description: string;
    };

export type StreamResolution =
  | { readonly ok: true; readonly source: PlayableSource }
  | { readonly ok: false; readonly code: 'NetStream.Play.StreamNotFound' | 'NetStream.Play.Failed'; readonly description: string };

export interface RtmpAppSession {
  /** Looks a stream name up; never throws (failures come back as a status). */
  resolveStream(name: string, signal: AbortSignal): Promise<StreamResolution>;
}

/** The outcome of one media run, for logs and the end-of-stream status. */
export interface MediaRunResult {
  readonly exit: 'completed' | 'stopped' | 'failed';
  /** Short reason for logs when failed (never sent to clients verbatim). */
  readonly reason?: string;
}

export interface OpenedMedia {
  /** FLV bytes whose timestamps are absolute (start offset included). */
  readonly output: Readable;
  /** Resolves when the producer ends; never rejects. */
  readonly done: Promise<MediaRunResult>;
  /** Stops the producer (idempotent). */
  stop(): Promise<void>;
}

export interface PlayableSource {
  /** Real duration in seconds (0 when unknown). */
  readonly durationSeconds: number;
  readonly hasVideo: boolean;
  /** onMetaData to announce. */
  readonly metadata: AmfEcmaArray;
  /** For logs: item id / title. */
  readonly label: string;
  /** Starts producing FLV from `startSeconds`; throws a SidecarError when it cannot. */
  open(startSeconds: number, signal: AbortSignal): OpenedMedia;
}

/** Decides connects; one per server. */
export interface RtmpApplicationHost {
  connect(request: ConnectRequest): ConnectDecision | Promise<ConnectDecision>;
}
