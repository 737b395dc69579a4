/**
 * The core's public surface for adapters: adapters import only this file and plugin/adapter.ts.
 * Anything two adapters need lives in the core and is exported here.
 */
export type * from './adapter.js';
export type * from './devices/types.js';
export type * from './http/types.js';
export type * from './library/model.js';
export type * from './library/source.js';
export type * from './state/types.js';
export type * from './transcode/types.js';
export type { Clock, TimerHandle } from './util/clock.js';
export type { Logger, LogFields } from './log/logger.js';
export { SidecarError, isSidecarError, toSidecarError, errorMessage } from './util/errors.js';
export type { ErrorKind } from './util/errors.js';
export { systemClock } from './util/clock.js';
export { decideRange, formatContentRange, ifRangeMatches, parseRangeHeader, serveRangeEntity } from './http/range.js';
export type { ByteSpan, RangeDecision, RangeEntity, RangeRequest, RangeServeOptions } from './http/range.js';
export { escapeHtml } from './util/html.js';
export { normalizeIp } from './util/cidr.js';
export { sendJson } from './http/errors-to-http.js';
export { readBody } from './http/read-body.js';
export { pickAudioStream } from './transcode/profiles.js';
export { formatRfc822, formatXmltvTime, parseXmltvTime, zoneOffsetMinutes } from './library/metadata/xmltv-time.js';
