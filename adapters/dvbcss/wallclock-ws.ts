/**
 * CSS-WC over WebSocket, the transport BBC's JavaScript library offers so browser companions
 * (which cannot send UDP) can sync: binary frames carry the 32-byte packet, text frames BBC's
 * JSON form. Malformed requests are ignored; the connection stays open.
 */
import type { RawData, WebSocket } from 'ws';
import type { Clock } from '../../plugin/index.js';
import { buildWcFollowUp, buildWcResponse, isWcRequest, WC_TYPE } from './wallclock-codec.js';
import { buildWcJsonResponse, parseWcJsonRequest } from './wallclock-json.js';
import { declaredUnits, type WallClockParameters } from './wallclock-responder.js';
import { rawToBuffer, rawToString } from './ts-server.js';

export interface WallClockWsOptions {
  readonly clock: Clock;
  readonly parameters: WallClockParameters;
  readonly onRequest: (answered: boolean) => void;
}

export function serveWallClockWs(ws: WebSocket, options: WallClockWsOptions): void {
  const { clock, parameters } = options;
  const { precisionSeconds, maxFreqErrorPpm } = declaredUnits(parameters);
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const t2 = clock.monotonicNs();
    if (ws.readyState !== ws.OPEN) return;
    if (isBinary) {
      const bytes = rawToBuffer(data);
      if (!isWcRequest(bytes)) {
        options.onRequest(false);
        return;
      }
      const type = parameters.followUp ? WC_TYPE.responseWithFollowUp : WC_TYPE.response;
      const response = buildWcResponse(bytes, type, parameters.precisionLog2, parameters.maxFreqError, t2, clock.monotonicNs());
      ws.send(response, { binary: true }, (err) => {
        if (!err && parameters.followUp && ws.readyState === ws.OPEN) ws.send(buildWcFollowUp(response, clock.monotonicNs()), { binary: true });
      });
      options.onRequest(true);
      return;
    }
    const request = parseWcJsonRequest(rawToString(data));
    if (request === undefined) {
      options.onRequest(false);
      return;
    }
    const type = parameters.followUp ? 2 : 1;
    ws.send(buildWcJsonResponse(request, type, precisionSeconds, maxFreqErrorPpm, t2, clock.monotonicNs()), (err) => {
      if (!err && parameters.followUp && ws.readyState === ws.OPEN) {
        ws.send(buildWcJsonResponse(request, 3, precisionSeconds, maxFreqErrorPpm, t2, clock.monotonicNs()));
      }
    });
    options.onRequest(true);
  });
}
