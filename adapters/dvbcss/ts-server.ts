/**
 * One CSS-TS connection: waits for a valid SetupData (ignoring anything else, as pydvbcss does),
 * then sends a Control Timestamp at once and whenever availability, content or speed change, or
 * the reported position leaves the line last sent by more than the tolerance. AptEptLpt is
 * parsed and ignored. Binary frames are not part of the protocol: close 1003.
 */
import type { RawData, WebSocket } from 'ws';
import type { Clock } from '../../plugin/index.js';
import type { Follower } from './session-tracker.js';
import { controlTimestampFor, needsControlTimestamp, parseTimelineSelector, stemMatches, type SentTimeline, type WantedTimeline } from './timeline.js';
import { parseTsClientMessage, serialiseControlTimestamp, type ControlTimestamp, type SetupData } from './ts-message.js';
import { sendFrame } from './ws-send.js';

export interface TsConnectionOptions {
  readonly clock: Clock;
  readonly toleranceNs: bigint;
  readonly onControlTimestamp: (ct: ControlTimestamp) => void;
  readonly onInvalidMessage: (reason: string) => void;
}

/** Serves TS on an open socket until it closes; closes the follower with it. */
export function serveTs(ws: WebSocket, follower: Follower, options: TsConnectionOptions): void {
  let setup: SetupData | undefined;
  let ticksPerSecond: bigint | undefined;
  let last: SentTimeline | undefined;

  const evaluate = (): void => {
    if (setup === undefined) return;
    const p = follower.current();
    const available = ticksPerSecond !== undefined && p.anchor !== undefined && stemMatches(p.contentId, setup.contentIdStem);
    const wanted: WantedTimeline = available && p.anchor !== undefined ? { contentId: p.contentId, anchor: p.anchor } : { contentId: p.contentId };
    const rate = ticksPerSecond ?? 1n;
    if (!needsControlTimestamp(last, wanted, rate, options.toleranceNs)) return;
    let ct: ControlTimestamp;
    if (wanted.anchor !== undefined) {
      const correlation = controlTimestampFor(wanted.anchor, rate);
      ct = correlation;
      last = { contentId: wanted.contentId, correlation };
    } else {
      ct = { contentTime: null, wallClockTime: options.clock.monotonicNs(), timelineSpeedMultiplier: null };
      last = { contentId: wanted.contentId };
    }
    if (sendFrame(ws, serialiseControlTimestamp(ct))) options.onControlTimestamp(ct);
  };

  const off = follower.onChange(evaluate);
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      ws.close(1003, 'CSS-TS messages are JSON text');
      return;
    }
    const message = parseTsClientMessage(rawToString(data), setup === undefined);
    if (message.kind === 'setup') {
      setup = message.setup;
      ticksPerSecond = parseTimelineSelector(setup.timelineSelector);
      evaluate();
    } else if (message.kind === 'invalid') {
      options.onInvalidMessage(message.reason);
    }
  });
  ws.once('close', () => {
    off();
    follower.close();
  });
}

/** ws delivers text frames as Buffer (or fragments); join them into a string. */
export function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** ws delivers binary frames as Buffer, ArrayBuffer or fragments; join them into one Buffer. */
export function rawToBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}
