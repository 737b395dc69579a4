/**
 * Sending on a WebSocket without letting one slow client hold unbounded memory: a client that
 * stops reading is dropped (1008 would be wrong; 1013 "try again later" says what happened).
 */
import { WebSocket } from 'ws';

/** A client more than this far behind is disconnected. */
const MAX_BUFFERED_BYTES = 1 << 20;

/**
 * Sends a frame (text for a string, binary for a Buffer) if the socket is open; false when it
 * could not. `onSent` runs once the frame is written (for a follow-up that must come after it).
 */
export function sendFrame(ws: WebSocket, data: string | Buffer, onSent?: (err?: Error) => void): boolean {
  if (ws.readyState !== WebSocket.OPEN) return false;
  if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
    ws.close(1013, 'client not reading');
    return false;
  }
  ws.send(data, { binary: typeof data !== 'string' }, onSent);
  return true;
}
