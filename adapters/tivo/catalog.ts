/**
 * What a TiVo is told about an item: metadata, listing MIME, transfer plan, synthetic header
 * and SourceSize, computed once per (item, device class, settings) and cached, so the listing
 * and the transfer agree byte for byte. Probes items whose media details are unknown.
 */
import { createHash } from 'node:crypto';
import type { MediaInfo, MediaItem, TranscodeService, LibraryFacade } from '../../plugin/index.js';
import type { TivoDeviceSettings } from './config.js';
import { tivoMetadata, type TivoMetadata } from './metadata.js';
import { Lru } from './lru.js';
import type { TivoCapabilities } from './models.js';
import { estimateSize } from './size-estimate.js';
import { buildTivoHeader } from './tivo-header.js';
import { FORMAT_VERSION, listingMime, planTransfer, type TivoMime, type TransferPlan } from './transfer-plan.js';
import { buildTvBusDetails } from './xml/details-builder.js';

export interface ItemDescription {
  readonly item: MediaItem;
  readonly media: MediaInfo;
  /** True when media details came from a guess (probe failed). */
  readonly guessed: boolean;
  readonly metadata: TivoMetadata;
  readonly detailsXml: string;
  readonly mime: TivoMime;
  readonly plan: TransferPlan;
  /** Empty for TS. */
  readonly header: Buffer;
  readonly sourceSize: number;
  /** Spool key / ETag basis: item + plan profile + format version + settings. */
  readonly key: string;
}

/** Media details stand-in for an item that cannot be probed: treated as a full transcode. */
function guessedMedia(item: MediaItem): MediaInfo {
  return {
    container: 'unknown',
    sizeBytes: 0,
    durationSeconds: item.durationSeconds ?? 0,
    streams: [
      { type: 'video', index: 0, codec: 'unknown' },
      { type: 'audio', index: 1, codec: 'unknown' },
    ],
  };
}

export class Catalog {
  private readonly probes = new Lru<string, Promise<MediaInfo | undefined>>(5000);
  private readonly descriptions = new Lru<string, ItemDescription>(4000);

  constructor(
    private readonly library: LibraryFacade,
    private readonly transcoder: TranscodeService,
    private readonly onProbeError: (item: MediaItem, error: unknown) => void,
    /** Ends probes at adapter shutdown: a probe is shared by every request for the item, so no single request may abort it. */
    private readonly shutdown: AbortSignal,
  ) {}

  clear(): void {
    this.probes.clear();
    this.descriptions.clear();
  }

  /**
   * Media details from the item, else a (cached) probe; undefined when probing failed. A failed
   * probe is not kept: the next request probes again instead of describing the item from a
   * guess (other SourceSize, other spool key) until a FlushServer.
   */
  async mediaOf(userId: string | undefined, item: MediaItem): Promise<MediaInfo | undefined> {
    if (item.media) return item.media;
    const cached = this.probes.get(item.id);
    if (cached) return cached;
    const pending: Promise<MediaInfo | undefined> = this.library
      .getMediaInput(userId, item.id)
      .then((input) => this.transcoder.probe(input, this.shutdown))
      .catch((error: unknown) => {
        this.onProbeError(item, error);
        // Only this probe's own entry: a clear() and a newer probe may have replaced it.
        if (this.probes.get(item.id) === pending) this.probes.delete(item.id);
        return undefined;
      });
    this.probes.set(item.id, pending);
    return pending;
  }

  /**
   * Describes an item for a TiVo. `mime` forces the transfer format (the `Format` parameter);
   * without it the listing MIME is used.
   */
  async describe(userId: string | undefined, item: MediaItem, caps: TivoCapabilities, settings: TivoDeviceSettings, mime?: TivoMime): Promise<ItemDescription> {
    const probed = await this.mediaOf(userId, item);
    const media = probed ?? guessedMedia(item);
    const chosen = mime ?? listingMime(probed, caps, settings);
    const settingsKey = JSON.stringify(settings);
    const cacheKey = `${item.id}|${item.dateCreated}|${caps.modelClass}|${caps.sdPads169}|${chosen}|${settingsKey}|${media.sizeBytes}|${media.durationSeconds}|${item.title}|${item.overview ?? ''}`;
    const cached = this.descriptions.get(cacheKey);
    if (cached) return cached;
    const metadata = tivoMetadata(item.durationSeconds === undefined && media.durationSeconds > 0 ? { ...item, durationSeconds: media.durationSeconds } : item);
    const plan = planTransfer({ media: { ...media, durationSeconds: media.durationSeconds || metadata.durationMs / 1000 }, caps, settings, mime: chosen });
    const detailsXml = buildTvBusDetails(metadata);
    const header = plan.header ? buildTivoHeader(detailsXml) : Buffer.alloc(0);
    const sourceSize = estimateSize({ ...plan.estimate, headerBytes: header.length }).total;
    const key = createHash('sha1')
      .update(`${FORMAT_VERSION}|${item.id}|${chosen}|${plan.path}|${JSON.stringify(plan.profile ?? null)}|${createHash('sha1').update(header).digest('hex')}|${media.sizeBytes}|${sourceSize}`)
      .digest('hex')
      .slice(0, 24);
    const description: ItemDescription = { item, media, guessed: probed === undefined, metadata, detailsXml, mime: chosen, plan, header, sourceSize, key };
    this.descriptions.set(cacheKey, description);
    return description;
  }
}
