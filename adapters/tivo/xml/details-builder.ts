/**
 * `TvBusEnvelope` (TiVoVideoDetails, §5.4), the same XML that goes into the synthetic .TiVo
 * header (§7.2). Element order follows pyTivo's `TvBus.tmpl` (transcript 11). Deterministic for
 * a given item, so the header length is known when the listing is built. Pure.
 */
import type { TivoMetadata } from '../metadata.js';
import { builder, XML_DECLARATION, xmlText } from './xml.js';

const NAMESPACES = [
  'TvBusMarshalledStruct',
  'TvPgdRecording',
  'TvBusDuration',
  'TvPgdShowing',
  'TvDbShowingBit',
  'TvBusDateTime',
  'TvPgdProgram',
  'TvDbColorCode',
  'TvPgdSeries',
  'TvDbShowType',
  'TvPgdChannel',
  'TvDbTvRating',
  'TvDbRecordQuality',
  'TvDbBitstreamFormat',
] as const;

const ROOT_ATTRIBUTES: Readonly<Record<string, string>> = (() => {
  const attrs: Record<string, string> = { '@_xmlns:xs': 'http://www.w3.org/2001/XMLSchema-instance' };
  for (const ns of NAMESPACES) attrs[`@_xmlns:${ns}`] = `http://tivo.com/developer/xml/idl/${ns}`;
  attrs['@_xs:schemaLocation'] = NAMESPACES.map((ns) => `http://tivo.com/developer/xml/idl/${ns} ${ns}.xsd`).join(' ');
  attrs['@_xs:type'] = 'TvPgdRecording:TvPgdRecording';
  return attrs;
})();

/** ISO 8601 duration as TiVo writes it: `P0DT0H0M20S` (whole seconds). */
export function isoDuration(ms: number): string {
  let s = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `P${d}DT${h}H${m}M${s}S`;
}

/** `2026-11-21T04:14:26Z`. */
export function isoTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function list(values: readonly string[]): unknown {
  return values.length === 0 ? '' : { element: values.map(xmlText) };
}

export function buildTvBusDetails(m: TivoMetadata): string {
  const program: Record<string, unknown> = {
    vActor: list(m.actors),
    vAdvisory: '',
    vChoreographer: list(m.choreographers),
    colorCode: { '@_value': 4, '#text': 'COLOR' },
    description: xmlText(m.description),
    vDirector: list(m.directors),
  };
  if (m.episodeNumber !== undefined) program['episodeNumber'] = m.episodeNumber;
  if (m.episodeTitle !== undefined) program['episodeTitle'] = xmlText(m.episodeTitle);
  program['vExecProducer'] = list(m.execProducers);
  program['vProgramGenre'] = list(m.programGenres);
  program['vGuestStar'] = list(m.guestStars);
  program['vHost'] = list(m.hosts);
  program['isEpisode'] = m.isEpisode ? 'true' : 'false';
  if (m.movieYear !== undefined) program['movieYear'] = m.movieYear;
  else if (m.originalAirDate !== undefined) program['originalAirDate'] = m.originalAirDate;
  if (m.mpaaRating !== undefined) program['mpaaRating'] = { '@_value': m.mpaaRating.code, '#text': m.mpaaRating.label };
  program['vProducer'] = list(m.producers);
  const series: Record<string, unknown> = {
    isEpisodic: m.isEpisode ? 'true' : 'false',
    vSeriesGenre: list(m.isEpisode ? m.programGenres : []),
    seriesTitle: xmlText(m.seriesTitle ?? m.title),
  };
  if (m.seriesId !== undefined) series['uniqueId'] = m.seriesId;
  program['series'] = series;
  // pyTivo always sends SERIES (5); other TvDbShowType codes are unverified on hardware.
  program['showType'] = { '@_value': 5, '#text': 'SERIES' };
  program['title'] = xmlText(m.title);
  program['vWriter'] = list(m.writers);
  if (m.programId !== undefined) program['uniqueId'] = m.programId;

  const showing: Record<string, unknown> = {
    showingBits: { '@_value': 0 },
    time: isoTime(m.captureTime),
    duration: isoDuration(m.durationMs),
    program,
    channel: { displayMajorNumber: 0, displayMinorNumber: 0, callsign: xmlText(m.callsign) },
  };
  if (m.tvRating !== undefined) showing['tvRating'] = { '@_value': m.tvRating.code, '#text': m.tvRating.label };

  return (
    XML_DECLARATION +
    builder.build({
      'TvBusMarshalledStruct:TvBusEnvelope': {
        ...ROOT_ATTRIBUTES,
        recordedDuration: isoDuration(m.durationMs),
        vActualShowing: '',
        vBookmark: '',
        recordingQuality: { '@_value': 75, '#text': 'HIGH' },
        showing,
        startTime: isoTime(m.captureTime),
        stopTime: isoTime(m.captureTime + Math.round(m.durationMs / 1000)),
      },
    })
  );
}
