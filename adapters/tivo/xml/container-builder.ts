/**
 * `<TiVoContainer>` listings (§5.2 root, §5.3 folders), in pyTivo's element order, which TiVos
 * are known to accept. Unlike pyTivo, every video always carries SourceSize and Duration. Pure.
 */
import { builder, hexTime, XML_DECLARATION, xmlText } from './xml.js';

export interface ShareView {
  readonly title: string;
  /** Value of `Container=` for this share. */
  readonly container: string;
}

export interface FolderView {
  readonly kind: 'folder';
  readonly title: string;
  readonly container: string;
  readonly uniqueId: number;
  readonly totalItems: number;
  readonly lastCaptureTime: number;
}

export interface VideoView {
  readonly kind: 'video';
  readonly title: string;
  readonly mime: string;
  readonly sourceSize: number;
  readonly durationMs: number;
  readonly episodeTitle?: string;
  readonly description: string;
  readonly callsign: string;
  readonly programId?: string;
  readonly seriesId?: string;
  readonly episodeNumber?: number;
  readonly tvRating?: number;
  readonly mpaaRating?: number;
  readonly captureTime: number;
  readonly uniqueId: number;
  /** Absolute path of the content, URL-encoded. */
  readonly contentUrl: string;
  /** Absolute path of the TVBusQuery, URL-encoded. */
  readonly detailsUrl: string;
}

export type EntryView = FolderView | VideoView;

export interface ContainerView {
  readonly title: string;
  readonly uniqueId: number;
  readonly totalItems: number;
  readonly itemStart: number;
  readonly entries: readonly EntryView[];
}

export function queryContainerUrl(container: string): string {
  return `/TiVoConnect?Command=QueryContainer&Container=${encodeURIComponent(container)}`;
}

export function buildRootContainer(serverName: string, shares: readonly ShareView[]): string {
  return (
    XML_DECLARATION +
    builder.build({
      TiVoContainer: {
        Details: {
          Title: xmlText(serverName),
          ContentType: 'x-container/tivo-server',
          SourceFormat: 'x-container/folder',
          TotalItems: shares.length,
        },
        Item: shares.map((s) => ({
          Details: { Title: xmlText(s.title), ContentType: 'x-container/tivo-videos', SourceFormat: 'x-container/folder' },
          Links: { Content: { Url: queryContainerUrl(s.container), ContentType: 'x-container/tivo-videos' } },
        })),
        ItemStart: 0,
        ItemCount: shares.length,
      },
    })
  );
}

function folderItem(f: FolderView): unknown {
  return {
    Details: {
      Title: xmlText(f.title),
      ContentType: 'x-tivo-container/tivo-videos',
      SourceFormat: 'x-tivo-container/folder',
      UniqueId: f.uniqueId,
      TotalItems: f.totalItems,
      LastCaptureDate: hexTime(f.lastCaptureTime),
    },
    Links: { Content: { Url: queryContainerUrl(f.container), ContentType: 'x-tivo-container/folder' } },
  };
}

function videoItem(v: VideoView): unknown {
  const details: Record<string, unknown> = {
    Title: xmlText(v.title),
    ContentType: v.mime,
    SourceFormat: v.mime,
    SourceSize: v.sourceSize,
    Duration: v.durationMs,
  };
  if (v.episodeTitle !== undefined) details['EpisodeTitle'] = xmlText(v.episodeTitle);
  details['Description'] = xmlText(v.description);
  details['SourceChannel'] = 0;
  details['SourceStation'] = xmlText(v.callsign);
  if (v.programId !== undefined) details['ProgramId'] = v.programId;
  details['SeriesId'] = v.seriesId ?? '';
  if (v.episodeNumber !== undefined) details['EpisodeNumber'] = v.episodeNumber;
  if (v.tvRating !== undefined) details['TvRating'] = v.tvRating;
  if (v.mpaaRating !== undefined) details['MpaaRating'] = v.mpaaRating;
  details['ShowingBits'] = 0;
  details['CaptureDate'] = hexTime(v.captureTime);
  details['UniqueId'] = v.uniqueId;
  return {
    Details: details,
    Links: {
      Content: { ContentType: v.mime, Url: v.contentUrl },
      CustomIcon: { ContentType: 'image/*', AcceptsParams: 'No', Url: 'urn:tivo:image:save-until-i-delete-recording' },
      TiVoVideoDetails: { ContentType: 'text/xml', AcceptsParams: 'No', Url: v.detailsUrl },
    },
  };
}

export function buildFolderContainer(view: ContainerView): string {
  return (
    XML_DECLARATION +
    builder.build({
      TiVoContainer: {
        ItemStart: view.itemStart,
        ItemCount: view.entries.length,
        Details: {
          Title: xmlText(view.title),
          ContentType: 'x-tivo-container/folder',
          SourceFormat: 'x-tivo-container/folder',
          TotalItems: view.totalItems,
          UniqueId: view.uniqueId,
        },
        Item: view.entries.map((e) => (e.kind === 'folder' ? folderItem(e) : videoItem(e))),
      },
    })
  );
}
