/**
 * One CSS-CII connection: the complete state at once, then per-connection diffs against what
 * this client was last sent. Anything the client sends is ignored (clause 5.6).
 */
import type { WebSocket } from 'ws';
import { CII_PROTOCOL_VERSION, diffCii, fullCii, serialiseCii, type CiiMessage, type CiiState, type TimelineOption } from './cii-message.js';
import { presentationPrivate, type Presentation } from './presentation.js';
import type { Follower } from './session-tracker.js';
import { sendFrame } from './ws-send.js';

/** Per-connection facts that do not come from playback. */
export interface CiiEndpointInfo {
  readonly wcUrl: string;
  readonly tsUrl: string;
  readonly timelines: readonly TimelineOption[];
}

/** The CII state for a presentation. Pure. */
export function ciiStateFor(p: Presentation, info: CiiEndpointInfo): CiiState {
  return {
    protocolVersion: CII_PROTOCOL_VERSION,
    mrsUrl: null,
    contentId: p.contentId,
    contentIdStatus: 'final',
    presentationStatus: p.presentationStatus,
    wcUrl: info.wcUrl,
    tsUrl: info.tsUrl,
    teUrl: null,
    timelines: info.timelines,
    private: presentationPrivate(p),
  };
}

export interface CiiConnectionHooks {
  readonly onMessageSent: (message: CiiMessage) => void;
}

/** Serves CII on an open socket until it closes; closes the follower with it. */
export function serveCii(ws: WebSocket, follower: Follower, info: CiiEndpointInfo, hooks: CiiConnectionHooks): void {
  let sent = ciiStateFor(follower.current(), info);
  const send = (message: CiiMessage): void => {
    if (sendFrame(ws, serialiseCii(message))) hooks.onMessageSent(message);
  };
  send(fullCii(sent));
  const off = follower.onChange((p) => {
    const next = ciiStateFor(p, info);
    const diff = diffCii(sent, next);
    sent = next;
    if (diff !== undefined) send(diff);
  });
  ws.on('message', () => undefined);
  ws.once('close', () => {
    off();
    follower.close();
  });
}
