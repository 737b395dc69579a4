/**
 * CSS-WC over WebSocket, the transport BBC's JavaScript library offers so browser companions
 * (which cannot send UDP) can sync: binary frames carry the 32-byte packet, text frames BBC's
 * JSON form. Malformed requests are ignored; the connection stays open. Replies go through
 * sendFrame, so a client that sends requests but stops reading is dropped, not buffered for.
 */
import type { RawData, WebSocket } from 'ws';
import type { Clock } from '../../plugin/index.js';
import { buildWcFollowUp, buildWcResponse, isWcRequest, WC_TYPE } from './wallclock-codec.js';
import { buildWcJsonResponse, parseWcJsonRequest } from './wallclock-json.js';
import { declaredUnits, type WallClockParameters } from './wallclock-responder.js';
import { rawToBuffer, rawToString } from './ts-server.js';
import { sendFrame } from './ws-send.js';

export interface WallClockWsOptions {
  readonly clock: Clock;
  readonly parameters: WallClockParameters;
  readonly onRequest: (answered: boolean) => void;
}

export function serveWallClockWs(ws: WebSocket, options: WallClockWsOptions): void {
  const { clock, parameters } = options;
  const { precisionSeconds, maxFreqErrorPpm } = declaredUnits(parameters);
  const responseType = parameters.followUp ? WC_TYPE.responseWithFollowUp : WC_TYPE.response;
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const t2 = clock.monotonicNs();
    if (ws.readyState !== ws.OPEN) return;
    if (isBinary) {
      const bytes = rawToBuffer(data);
      if (!isWcRequest(bytes)) {
        options.onRequest(false);
        return;
      }
      const response = buildWcResponse(bytes, responseType, parameters.precisionLog2, parameters.maxFreqError, t2, clock.monotonicNs());
      sendFrame(ws, response, (err) => {
        if (!err && parameters.followUp) sendFrame(ws, buildWcFollowUp(response, clock.monotonicNs()));
      });
      options.onRequest(true);
      return;
    }
    const request = parseWcJsonRequest(rawToString(data));
    if (request === undefined) {
      options.onRequest(false);
      return;
    }
    sendFrame(ws, buildWcJsonResponse(request, responseType, precisionSeconds, maxFreqErrorPpm, t2, clock.monotonicNs()), (err) => {
      if (!err && parameters.followUp) sendFrame(ws, buildWcJsonResponse(request, WC_TYPE.followUp, precisionSeconds, maxFreqErrorPpm, t2, clock.monotonicNs()));
    });
    options.onRequest(true);
  });
}
