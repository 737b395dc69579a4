/**
 * Sending on a WebSocket without letting one slow client hold unbounded memory: a client that
 * stops reading is dropped (1008 would be wrong; 1013 "try again later" says what happened).
 */
import { WebSocket } from 'ws';

/** A client more than this far behind is disconnected. */
export const MAX_BUFFERED_BYTES = 1 << 20;

/** Sends a text frame if the socket is open; false when it could not. */
export function sendText(ws: WebSocket, text: string): boolean {
  if (ws.readyState !== WebSocket.OPEN) return false;
  if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
    ws.close(1013, 'client not reading');
    return false;
  }
  ws.send(text);
  return true;
}
