/**
 * Serves the plugin repository from the sidecar's device-facing host (protocols/jellyfin.md §6.2,
 * §6.4): `GET /catalog/manifest.json` and `GET /catalog/<zip>`, so an admin can add
 * `http://<sidecar>/catalog/manifest.json` as a Jellyfin plugin repository. The files are the ones
 * `npm run package-plugin` writes to dist/catalog/; each version's `sourceUrl` is rewritten to
 * this sidecar's own URL, and a version whose zip is missing or does not match its checksum is
 * left out (Jellyfin would fail the install on it).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { sendJson } from '../http/errors-to-http.js';
import type { RequestContext, RequestHandler } from '../http/types.js';
import type { Logger } from '../log/logger.js';
import { SidecarError } from '../util/errors.js';
import type { ManifestPackage, ManifestVersion } from './manifest.js';
import { listZipEntries } from './zip.js';

/** Where the handler is mounted on the device-facing host. */
export const CATALOG_PREFIX = '/catalog/';

export interface CatalogVersionInfo {
  readonly version: string;
  readonly targetAbi: string;
  readonly zipName: string;
  /** The zip exists and its MD5 is the manifest's checksum. */
  readonly available: boolean;
  /** DLLs in the zip: Jellyfin drops a plugin folder without one after its restart. */
  readonly assemblies: readonly string[];
  readonly problem?: string;
}

export interface CatalogInfo {
  /** Some version can be installed. */
  readonly available: boolean;
  readonly name?: string;
  readonly guid?: string;
  readonly versions: readonly CatalogVersionInfo[];
  /** Why nothing is available (one line). */
  readonly detail?: string;
}

interface ZipFacts {
  readonly key: string;
  readonly md5: string;
  readonly entries: readonly string[];
}

const ZIP_NAME = /^[A-Za-z0-9._-]+\.zip$/;

/** The catalog folder (manifest.json + zips) as the sidecar serves it. */
export class Catalog {
  private readonly facts = new Map<string, ZipFacts>();
  private lastWarning = '';

  constructor(private readonly options: { readonly dir: string; readonly log: Logger }) {}

  /** What is installable now (re-reads the folder; zip checksums are cached by size and mtime). */
  info(): CatalogInfo {
    const manifest = this.readManifest();
    if (manifest === undefined) return { available: false, versions: [], detail: `no catalog in ${this.options.dir}: run \`npm run package-plugin\`` };
    const entry = manifest.pkg;
    const versions = entry.versions.map((v) => this.check(v));
    const available = versions.some((v) => v.available);
    return {
      available,
      name: entry.name,
      guid: entry.guid,
      versions,
      ...(available ? {} : { detail: versions.map((v) => `${v.zipName}: ${v.problem ?? 'unavailable'}`).join('; ') }),
    };
  }

  /** The manifest with only installable versions, each `sourceUrl` under `origin`. */
  manifestFor(origin: string): readonly ManifestPackage[] {
    const manifest = this.readManifest();
    if (manifest === undefined) throw new SidecarError('ERR_CATALOG_NOT_BUILT', 'unavailable', 'the plugin catalog has not been built (run `npm run package-plugin`)');
    const base = origin.replace(/\/+$/, '');
    const versions: ManifestVersion[] = [];
    for (const v of manifest.pkg.versions) {
      const info = this.check(v);
      if (info.available) versions.push({ ...v, sourceUrl: `${base}${CATALOG_PREFIX}${info.zipName}` });
      else this.warnOnce(`catalog version ${v.version} left out: ${info.problem ?? 'unavailable'}`);
    }
    if (versions.length === 0) throw new SidecarError('ERR_CATALOG_NOT_BUILT', 'unavailable', 'no catalog zip matches manifest.json (run `npm run package-plugin`)');
    return [{ ...manifest.pkg, versions }, ...manifest.rest];
  }

  /** The RequestHandler to mount at CATALOG_PREFIX. */
  handler(): RequestHandler {
    return (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new SidecarError('ERR_CATALOG_NOT_FOUND', 'not-found', 'the catalog answers only GET and HEAD');
      const name = ctx.path.replace(/^\/+/, '');
      if (name === 'manifest.json') {
        sendJson(res, 200, this.manifestFor(ctx.origin));
        return;
      }
      const version = ZIP_NAME.test(name) ? this.readManifest()?.pkg.versions.find((v) => zipNameOf(v) === name) : undefined;
      const info = version && this.check(version);
      if (!info?.available) throw new SidecarError('ERR_CATALOG_NOT_FOUND', 'not-found', `no catalog file "${name}"`);
      const data = readFileSync(join(this.options.dir, name));
      res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': data.length, 'Cache-Control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : data);
    };
  }

  private readManifest(): { pkg: ManifestPackage; rest: readonly ManifestPackage[] } | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(join(this.options.dir, 'manifest.json'), 'utf8'));
    } catch {
      return undefined;
    }
    if (!Array.isArray(parsed) || parsed.length === 0) return undefined;
    const [pkg, ...rest] = parsed as ManifestPackage[];
    if (pkg === undefined || !Array.isArray(pkg.versions)) return undefined;
    return { pkg, rest };
  }

  private check(v: ManifestVersion): CatalogVersionInfo {
    const zipName = zipNameOf(v);
    const base = { version: v.version, targetAbi: v.targetAbi, zipName };
    if (!ZIP_NAME.test(zipName)) return { ...base, available: false, assemblies: [], problem: 'sourceUrl does not name a .zip' };
    const path = join(this.options.dir, zipName);
    let facts: ZipFacts;
    try {
      const stat = statSync(path);
      const key = `${stat.size}:${stat.mtimeMs}`;
      const cached = this.facts.get(zipName);
      if (cached?.key === key) facts = cached;
      else {
        const data = readFileSync(path);
        facts = { key, md5: createHash('md5').update(data).digest('hex'), entries: listZipEntries(data) };
        this.facts.set(zipName, facts);
      }
    } catch (error) {
      return { ...base, available: false, assemblies: [], problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'zip missing' : 'zip unreadable' };
    }
    const assemblies = facts.entries.filter((e) => e.toLowerCase().endsWith('.dll'));
    if (facts.md5 !== v.checksum.toLowerCase()) return { ...base, available: false, assemblies, problem: 'zip does not match the manifest checksum' };
    return { ...base, available: true, assemblies };
  }

  private warnOnce(message: string): void {
    if (message === this.lastWarning) return;
    this.lastWarning = message;
    this.options.log.warn(message, { code: 'ERR_CATALOG_NOT_BUILT' });
  }
}

function zipNameOf(v: ManifestVersion): string {
  const path = (() => {
    try {
      return new URL(v.sourceUrl).pathname;
    } catch {
      return v.sourceUrl;
    }
  })();
  return path.slice(path.lastIndexOf('/') + 1);
}
