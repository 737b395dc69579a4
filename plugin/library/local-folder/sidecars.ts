/**
 * Which sidecar files belong to a video file or folder, a signature of them (so a changed
 * `.nfo` or poster is picked up without probing the video again), and reading them into
 * metadata. Lookup rules:
 *  - `.nfo`: `<base>.nfo`, else `movie.nfo` when the video is alone in its folder; folders:
 *    `tvshow.nfo` (series).
 *  - pyTivo (later override earlier): `default.txt`, `<file.ext>.txt`, `.meta/default.txt`,
 *    `.meta/<file.ext>.txt` (tivo.md §9; `default.txt` of ancestor folders is not read).
 *  - images: `<base>-poster`, `<base>`, `<base>-thumb` (.jpg/.jpeg/.png), else, when the video is
 *    alone in its folder, `poster`, `folder`, `cover`; folders: `poster`, `folder`, `cover`.
 */
import { readFile } from 'node:fs/promises';
import type { ItemMetadata } from '../metadata/item-metadata.js';
import { mergeMetadata } from '../metadata/item-metadata.js';
import { baseNameOf, isVideoFile, parseFileName, parseFolderName, parseSeasonFolder } from '../metadata/file-name.js';
import { parseNfo } from '../metadata/nfo.js';
import { mergePyTivoRecords, parsePyTivoText, pyTivoToMetadata } from '../metadata/pytivo.js';
import type { PyTivoRecord } from '../metadata/pytivo.js';
import { fileTag } from './ids.js';
import type { DirListing, FileStat } from './walk.js';
import { absoluteOf, joinRel } from './walk.js';

const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png'] as const;
const FOLDER_IMAGE_NAMES = ['poster', 'folder', 'cover'] as const;

interface Sidecar {
  readonly relPath: string;
  readonly stat: FileStat;
}

export interface SidecarPlan {
  readonly nfo?: Sidecar;
  readonly pyTivo: readonly Sidecar[];
  readonly image?: Sidecar;
  /** Changes when any sidecar is added, removed or modified. */
  readonly signature: string;
}

function find(listing: DirListing, name: string): Sidecar | undefined {
  const stat = listing.files.get(name);
  return stat ? { relPath: joinRel(listing.relPath, name), stat } : undefined;
}

function findMeta(listing: DirListing, name: string): Sidecar | undefined {
  const stat = listing.metaFiles.get(name);
  return stat ? { relPath: joinRel(joinRel(listing.relPath, '.meta'), name), stat } : undefined;
}

function findImage(listing: DirListing, bases: readonly string[]): Sidecar | undefined {
  for (const base of bases) {
    for (const ext of IMAGE_EXTENSIONS) {
      const hit = find(listing, `${base}.${ext}`);
      if (hit) return hit;
    }
  }
  return undefined;
}

function signatureOf(parts: readonly (Sidecar | undefined)[]): string {
  return parts
    .filter((p): p is Sidecar => p !== undefined)
    .map((p) => `${p.relPath}:${p.stat.size}:${p.stat.mtimeMs}`)
    .join('|');
}

/** Whether a folder holds exactly one video (a movie folder: folder-level sidecars are its own). */
function aloneInFolder(listing: DirListing): boolean {
  let videos = 0;
  for (const name of listing.files.keys()) if (isVideoFile(name) && ++videos > 1) return false;
  return videos === 1;
}

/** Sidecars of the video `fileName` in `listing`. Pure. */
export function planItemSidecars(listing: DirListing, fileName: string): SidecarPlan {
  const base = baseNameOf(fileName);
  const alone = aloneInFolder(listing);
  const nfo = find(listing, `${base}.nfo`) ?? (alone ? find(listing, 'movie.nfo') : undefined);
  const pyTivo = [find(listing, 'default.txt'), find(listing, `${fileName}.txt`), findMeta(listing, 'default.txt'), findMeta(listing, `${fileName}.txt`)].filter(
    (s): s is Sidecar => s !== undefined,
  );
  const image = findImage(listing, [`${base}-poster`, base, `${base}-thumb`]) ?? (alone ? findImage(listing, FOLDER_IMAGE_NAMES) : undefined);
  return { ...(nfo ? { nfo } : {}), pyTivo, ...(image ? { image } : {}), signature: signatureOf([nfo, ...pyTivo, image]) };
}

/** Sidecars of a folder (`tvshow.nfo`, poster). Pure. */
export function planFolderSidecars(listing: DirListing): SidecarPlan {
  const nfo = find(listing, 'tvshow.nfo');
  const image = findImage(listing, FOLDER_IMAGE_NAMES);
  return { ...(nfo ? { nfo } : {}), pyTivo: [], ...(image ? { image } : {}), signature: signatureOf([nfo, image]) };
}

async function readText(root: string, relPath: string): Promise<string | undefined> {
  try {
    return await readFile(absoluteOf(root, relPath), 'utf8');
  } catch {
    return undefined; // vanished or unreadable: as if absent
  }
}

/** Reads an item's metadata: file name, then `.nfo`, then pyTivo files (later wins). */
export async function readItemMetadata(root: string, fileName: string, plan: SidecarPlan): Promise<ItemMetadata> {
  const fromName = parseFileName(fileName);
  const nfoText = plan.nfo ? await readText(root, plan.nfo.relPath) : undefined;
  const fromNfo = nfoText === undefined ? undefined : parseNfo(nfoText);
  const records: PyTivoRecord[] = [];
  for (const file of plan.pyTivo) {
    const text = await readText(root, file.relPath);
    if (text !== undefined) records.push(parsePyTivoText(text));
  }
  const fromPyTivo = records.length > 0 ? pyTivoToMetadata(mergePyTivoRecords(...records)) : undefined;
  return mergeMetadata(fromName, fromNfo, fromPyTivo);
}

/** Reads a folder's metadata: its name (title, year, season), then `tvshow.nfo`. */
export async function readFolderMetadata(root: string, folderName: string, plan: SidecarPlan): Promise<ItemMetadata> {
  const parsed = parseFolderName(folderName);
  const season = parseSeasonFolder(folderName);
  const fromName: ItemMetadata = {
    title: parsed.title,
    ...(parsed.productionYear !== undefined ? { productionYear: parsed.productionYear } : {}),
    ...(season !== undefined ? { seasonNumber: season } : {}),
  };
  const nfoText = plan.nfo ? await readText(root, plan.nfo.relPath) : undefined;
  const nfo = nfoText === undefined ? undefined : parseNfo(nfoText);
  // tvshow.nfo names the series in `title`, which parseNfo maps to seriesName.
  const fromNfo: ItemMetadata | undefined = nfo ? { ...nfo, ...(nfo.seriesName ? { title: nfo.seriesName } : {}) } : undefined;
  return mergeMetadata(fromName, fromNfo);
}

/** The image reference of a plan, as stored. */
export function imageOf(plan: SidecarPlan): { readonly imagePath?: string; readonly imageTag?: string } {
  return plan.image ? { imagePath: plan.image.relPath, imageTag: fileTag(plan.image.relPath, plan.image.stat.size, plan.image.stat.mtimeMs) } : {};
}
