/**
 * Walks (part of) the library folder and stats what a scan needs: every visible directory,
 * every visible file (videos and their sidecars), and the files of `.meta/` folders (pyTivo).
 * Hidden names (leading `.`) are skipped: the camera adapter and the demo generator stage
 * unfinished files in hidden folders or under hidden names. Symbolic links are followed only
 * when they resolve inside the root, so nothing outside the root is ever indexed.
 */
import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

export interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly birthtimeMs: number;
}

export interface DirListing {
  /** Root-relative POSIX path ("" for the root). */
  readonly relPath: string;
  readonly stat: FileStat;
  /** Visible regular files by name. */
  readonly files: ReadonlyMap<string, FileStat>;
  /** Visible sub-directory names. */
  readonly subdirs: readonly string[];
  /** Files of the `.meta` sub-folder (pyTivo metadata), by name. */
  readonly metaFiles: ReadonlyMap<string, FileStat>;
}

export interface WalkResult {
  readonly dirs: ReadonlyMap<string, DirListing>;
  /** Directories that could not be read: their indexed contents must be kept, not deleted. */
  readonly unreadable: ReadonlySet<string>;
}

/** Joins root-relative POSIX paths. */
export function joinRel(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}

/** Absolute path of a root-relative POSIX path. */
export function absoluteOf(root: string, relPath: string): string {
  return relPath === '' ? root : join(root, ...relPath.split('/'));
}

function toFileStat(s: Stats): FileStat {
  return { size: s.size, mtimeMs: Math.floor(s.mtimeMs), birthtimeMs: Math.floor(s.birthtimeMs) };
}

/** Whether `candidate` (a real path) is `rootReal` or inside it. */
export function isInside(rootReal: string, candidate: string): boolean {
  return candidate === rootReal || candidate.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep);
}

const STAT_BATCH = 64;

/**
 * Walks the directory `baseRel` (root-relative) and everything below it. Throws when the base
 * itself cannot be read (the caller keeps the index unchanged then).
 */
export async function walk(root: string, rootReal: string, baseRel: string, signal?: AbortSignal): Promise<WalkResult> {
  const dirs = new Map<string, DirListing>();
  const unreadable = new Set<string>();
  const baseStat = await stat(absoluteOf(root, baseRel));
  const queue: { relPath: string; stat: FileStat }[] = [{ relPath: baseRel, stat: toFileStat(baseStat) }];
  while (queue.length > 0) {
    signal?.throwIfAborted();
    const current = queue.shift();
    if (!current) break;
    const abs = absoluteOf(root, current.relPath);
    let entries: Dirent[];
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch (cause) {
      if (current.relPath === baseRel) throw cause;
      unreadable.add(current.relPath);
      continue;
    }
    const files = new Map<string, FileStat>();
    const subdirs: string[] = [];
    let metaFiles = new Map<string, FileStat>();
    const visible = entries.filter((e) => !e.name.startsWith('.'));
    for (let i = 0; i < visible.length; i += STAT_BATCH) {
      const batch = visible.slice(i, i + STAT_BATCH);
      const stats = await Promise.all(batch.map((e) => statEntry(abs, e, rootReal)));
      batch.forEach((e, k) => {
        const s = stats[k];
        if (!s) return;
        if (s.isDirectory()) {
          subdirs.push(e.name);
          queue.push({ relPath: joinRel(current.relPath, e.name), stat: toFileStat(s) });
        } else if (s.isFile()) {
          files.set(e.name, toFileStat(s));
        }
      });
    }
    if (entries.some((e) => e.name === '.meta' && (e.isDirectory() || e.isSymbolicLink()))) {
      metaFiles = await listMeta(join(abs, '.meta'));
    }
    dirs.set(current.relPath, { relPath: current.relPath, stat: current.stat, files, subdirs, metaFiles });
  }
  return { dirs, unreadable };
}

async function statEntry(dirAbs: string, entry: Dirent, rootReal: string): Promise<Stats | undefined> {
  const abs = join(dirAbs, entry.name);
  try {
    if (entry.isSymbolicLink()) {
      const target = await realpath(abs);
      if (!isInside(rootReal, target)) return undefined;
    } else if (!entry.isFile() && !entry.isDirectory()) {
      return undefined;
    }
    return await stat(abs);
  } catch {
    // Vanished between readdir and stat, or a dangling link: not there.
    return undefined;
  }
}

async function listMeta(metaAbs: string): Promise<Map<string, FileStat>> {
  const out = new Map<string, FileStat>();
  try {
    for (const entry of await readdir(metaAbs, { withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.txt')) continue;
      try {
        out.set(entry.name, toFileStat(await stat(join(metaAbs, entry.name))));
      } catch {
        // vanished
      }
    }
  } catch {
    // unreadable .meta: no pyTivo metadata
  }
  return out;
}
