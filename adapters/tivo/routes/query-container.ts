/**
 * `Command=QueryContainer` (root and folders) and `Command=TVBusQuery` (DESIGN.md §4 step 1).
 * Listings are read whole from the library (cached briefly), filtered by MIME, windowed with
 * ItemCount/AnchorItem/AnchorOffset, and only the returned window is described (probed if
 * needed), so every video carries SourceSize and Duration.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Folder, LibraryEntry, MediaItem } from '../../../plugin/index.js';
import { listingMime } from '../transfer-plan.js';
import { anchorId, containerPath, filterAccepts, param, parseContainerQuery, pageWindow, type ContainerQuery } from '../query.js';
import { buildFolderContainer, buildRootContainer, type EntryView } from '../xml/container-builder.js';
import { uniqueIdOf } from '../xml/xml.js';
import { contentUrl, detailsUrl, sendNotFound, sendXml, type TivoDevice, type TivoServices } from './shared.js';

const FOLDER_MIME = 'x-tivo-container/folder';

function isVideo(entry: LibraryEntry): entry is MediaItem {
  return entry.kind === 'item' && entry.type !== 'audio';
}

async function resolveFolder(s: TivoServices, device: TivoDevice, path: readonly string[]): Promise<Folder | undefined> {
  const id = path[path.length - 1];
  if (id === undefined) return undefined;
  const entry = await s.library.getItem(device.userId, id);
  if (entry?.kind !== 'folder') return undefined;
  if (entry.folderType === 'library' && s.config.hiddenCollectionTypes.includes(entry.collectionType ?? '')) return undefined;
  return entry;
}

export async function handleQueryContainer(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, s: TivoServices, device: TivoDevice): Promise<void> {
  const q = parseContainerQuery(query);
  const path = containerPath(q.container);
  if (path === undefined) {
    sendNotFound(res, 'No such container');
    return;
  }
  if (path.length === 0) {
    const roots = await s.library.listRoots(device.userId);
    const shares = roots.filter((r) => !s.config.hiddenCollectionTypes.includes(r.collectionType ?? '')).map((r) => ({ title: r.title, container: r.id }));
    sendXml(res, buildRootContainer(s.serverName, shares), req);
    return;
  }
  const folder = await resolveFolder(s, device, path);
  if (!folder) {
    sendNotFound(res, 'No such container');
    return;
  }
  const entries = await listEntries(s, device, folder, q);
  const anchor = q.anchorItem === undefined ? undefined : anchorIndex(entries, q.anchorItem);
  const window = pageWindow(entries.length, q.itemCount, anchor, q.anchorOffset);
  const page = entries.slice(window.start, window.start + window.count);
  const views = await Promise.all(page.map((e) => entryView(s, device, folder, e)));
  sendXml(
    res,
    buildFolderContainer({ title: folder.title, uniqueId: uniqueIdOf(folder.id), totalItems: entries.length, itemStart: window.start, entries: views }),
    req,
  );
}

function anchorIndex(entries: readonly LibraryEntry[], anchor: string): number {
  const id = anchorId(anchor);
  return id === undefined ? -1 : entries.findIndex((e) => e.id === id);
}

async function listEntries(s: TivoServices, device: TivoDevice, folder: Folder, q: ContainerQuery): Promise<readonly LibraryEntry[]> {
  const sort = q.foldersFirst && !q.recurse ? [{ by: 'type' as const }, ...q.sort] : q.sort;
  const seeded = q.sort.some((x) => x.by === 'random');
  const key = JSON.stringify([device.userId ?? '', folder.id, q.recurse, sort, seeded ? q.randomSeed ?? s.now() : 0]);
  const all = await s.listings.get(key, async () => {
    const page = await s.library.listChildren(device.userId, folder.id, { sort, ...(q.recurse ? { recursive: true, only: 'items' as const } : {}) });
    return page.items.filter((e) => e.kind === 'folder' || isVideo(e));
  });
  if (q.filter.length === 0) return all;
  return all.filter((e) => filterAccepts(q.filter, e.kind === 'folder' ? FOLDER_MIME : listingMime(e.media, device.caps, device.settings)));
}

async function entryView(s: TivoServices, device: TivoDevice, folder: Folder, entry: LibraryEntry): Promise<EntryView> {
  if (entry.kind === 'folder') {
    return {
      kind: 'folder',
      title: entry.title,
      container: entry.id,
      uniqueId: uniqueIdOf(entry.id),
      totalItems: entry.childCount ?? 0,
      lastCaptureTime: Math.floor((Date.parse(entry.dateCreated) || 0) / 1000),
    };
  }
  const d = await s.catalog.describe(device.userId, entry, device.caps, device.settings);
  const m = d.metadata;
  return {
    kind: 'video',
    title: m.title,
    mime: d.mime,
    sourceSize: d.sourceSize,
    durationMs: m.durationMs,
    ...(m.episodeTitle !== undefined ? { episodeTitle: m.episodeTitle } : {}),
    description: m.description,
    callsign: m.callsign,
    ...(m.programId !== undefined ? { programId: m.programId } : {}),
    ...(m.seriesId !== undefined ? { seriesId: m.seriesId } : {}),
    ...(m.episodeNumber !== undefined ? { episodeNumber: m.episodeNumber } : {}),
    ...(m.tvRating !== undefined ? { tvRating: m.tvRating.code } : {}),
    ...(m.mpaaRating !== undefined ? { mpaaRating: m.mpaaRating.code } : {}),
    captureTime: m.captureTime,
    uniqueId: uniqueIdOf(entry.id),
    contentUrl: contentUrl(entry.id, entry.title, d.mime),
    detailsUrl: detailsUrl(folder.id, entry.id),
  };
}

export async function handleTvBusQuery(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, s: TivoServices, device: TivoDevice): Promise<void> {
  const file = param(query, 'File') ?? '';
  const id = containerPath(file)?.[0];
  const entry = id === undefined ? undefined : await s.library.getItem(device.userId, id);
  if (!entry || !isVideo(entry)) {
    sendNotFound(res, 'No such item');
    return;
  }
  const d = await s.catalog.describe(device.userId, entry, device.caps, device.settings);
  sendXml(res, d.detailsXml, req);
}
