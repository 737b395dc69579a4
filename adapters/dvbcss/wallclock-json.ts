/**
 * The JSON form of CSS-WC that BBC's JavaScript library speaks over WebSocket
 * (`createJsonWebSocketClient`; not part of the spec). Pure.
 *
 * Fields: `v` version, `t` type, `p` precision in seconds, `mfe` max frequency error in ppm,
 * `otvs`/`otvn` originate seconds/nanoseconds (echoed), `rt`/`tt` receive/transmit time in
 * seconds. BBC's own JS server puts nanoseconds in `rt`/`tt` while its client reads seconds
 * (its Candidate multiplies by 1e9); we send seconds, which is what the client computes with.
 */

export interface WcJsonRequest {
  readonly otvs: number;
  readonly otvn: number;
}

/** A JSON request (v 0, t 0, integer originate fields), or undefined for anything else. */
export function parseWcJsonRequest(text: string): WcJsonRequest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const o = value as Record<string, unknown>;
  const otvs = o['otvs'];
  const otvn = o['otvn'];
  if (o['v'] !== 0 || o['t'] !== 0 || !Number.isSafeInteger(otvs) || !Number.isSafeInteger(otvn)) return undefined;
  return { otvs: otvs as number, otvn: otvn as number };
}

/** Nanoseconds → seconds as a double, split first so large values keep their nanoseconds. */
export function nsToSeconds(ns: bigint): number {
  const s = ns / 1_000_000_000n;
  return Number(s) + Number(ns - s * 1_000_000_000n) / 1e9;
}

/** The JSON response to a request. */
export function buildWcJsonResponse(
  request: WcJsonRequest,
  type: 1 | 2 | 3,
  precisionSeconds: number,
  maxFreqErrorPpm: number,
  receiveNs: bigint,
  transmitNs: bigint,
): string {
  return JSON.stringify({
    v: 0,
    t: type,
    p: precisionSeconds,
    mfe: maxFreqErrorPpm,
    otvs: request.otvs,
    otvn: request.otvn,
    rt: nsToSeconds(receiveNs),
    tt: nsToSeconds(transmitNs),
  });
}
