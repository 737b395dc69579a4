/**
 * Configuration of the `camera` adapter: the global section `adapters.camera` (defaults for
 * every camera, the library folder, disk safety) and per-camera settings in device rules
 * `devices[].adapters.camera` (zod strictObjects: unknown keys are errors). Each camera is a
 * device; its folder and file names come from the device name (naming.ts).
 */
import { z } from 'zod';
import type { Migration } from '../../plugin/index.js';

const transport = z.enum(['tcp', 'udp']);
const nonAacAudio = z.enum(['convert', 'drop']);
const segmentSeconds = z.number().int().min(2).max(3600);
const timeoutSeconds = z.number().int().min(1).max(120);
const stallSeconds = z.number().int().min(2).max(600);
const audioKbps = z.number().int().min(16).max(320);
const megabytes = z.number().min(0.1);
const days = z.number().min(0.001).max(36_500);

export const cameraConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /**
   * Library folder the recordings go to (`<folder>/<Camera>/<YYYY-MM-DD>/…mp4`), on the same
   * filesystem as the hidden staging folder inside it. Required unless every camera sets one.
   */
  libraryFolder: z.string().min(1).exactOptional(),
  /** The same folder as Jellyfin sees it (for `/Library/Media/Updated`); default `libraryFolder`. */
  sourceFolder: z.string().min(1).exactOptional(),
  transport: transport.default('tcp'),
  segmentSeconds: segmentSeconds.default(60),
  /** RTSP socket timeout: ffmpeg gives up on a camera silent this long. */
  timeoutSeconds: timeoutSeconds.default(5),
  /** No progress for this long = stalled: the recorder is restarted. */
  stallSeconds: stallSeconds.default(8),
  /** What to do with audio mp4 cannot hold (G.711, …): AAC audio is always copied. */
  nonAacAudio: nonAacAudio.default('convert'),
  audioBitrateKbps: audioKbps.default(64),
  /** Per-camera byte budget; the oldest closed segments are deleted beyond it. */
  retainMegabytes: megabytes.default(20_480),
  /** Per-camera maximum age of a segment. */
  retainDays: days.default(30),
  /** Free space kept on the library filesystem; the oldest segments of all cameras go first. */
  minFreeMegabytes: megabytes.default(1024),
  minBackoffSeconds: z.number().min(0.1).max(60).default(1),
  maxBackoffSeconds: z.number().min(1).max(600).default(30),
  /** Longest clip the export route cuts. */
  maxClipMinutes: z.number().int().min(1).max(24 * 60).default(120),
  /** Ask Jellyfin to refresh at most this often while segments keep arriving. */
  refreshDebounceSeconds: z.number().min(0).max(3600).default(10),
});

export type CameraConfig = z.infer<typeof cameraConfigSchema>;

export const cameraDeviceSchema = z.strictObject({
  /** `rtsp://user:password@host:554/path`; the credentials never reach logs or the admin API. */
  rtspUrl: z.string().regex(/^rtsps?:\/\/[^\s]+$/i, 'expected an rtsp:// or rtsps:// URL').exactOptional(),
  libraryFolder: z.string().min(1).exactOptional(),
  sourceFolder: z.string().min(1).exactOptional(),
  transport: transport.exactOptional(),
  segmentSeconds: segmentSeconds.exactOptional(),
  timeoutSeconds: timeoutSeconds.exactOptional(),
  stallSeconds: stallSeconds.exactOptional(),
  nonAacAudio: nonAacAudio.exactOptional(),
  audioBitrateKbps: audioKbps.exactOptional(),
  retainMegabytes: megabytes.exactOptional(),
  retainDays: days.exactOptional(),
});

/** Effective per-camera settings. */
export interface CameraDeviceSettings {
  readonly rtspUrl?: string;
  readonly libraryFolder?: string;
  readonly sourceFolder?: string;
  readonly transport: 'tcp' | 'udp';
  readonly segmentSeconds: number;
  readonly timeoutSeconds: number;
  readonly stallSeconds: number;
  readonly nonAacAudio: 'convert' | 'drop';
  readonly audioBitrateKbps: number;
  readonly retainMegabytes: number;
  readonly retainDays: number;
}

export function cameraDeviceDefaults(config: CameraConfig): CameraDeviceSettings {
  return {
    ...(config.libraryFolder === undefined ? {} : { libraryFolder: config.libraryFolder }),
    ...(config.sourceFolder === undefined ? {} : { sourceFolder: config.sourceFolder }),
    transport: config.transport,
    segmentSeconds: config.segmentSeconds,
    timeoutSeconds: config.timeoutSeconds,
    stallSeconds: config.stallSeconds,
    nonAacAudio: config.nonAacAudio,
    audioBitrateKbps: config.audioBitrateKbps,
    retainMegabytes: config.retainMegabytes,
    retainDays: config.retainDays,
  };
}

/** The recordings index (DESIGN.md §6): one row per segment in the library. */
export const cameraMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'camera segments',
    sql: `CREATE TABLE camera_segments (
  id INTEGER PRIMARY KEY,
  camera TEXT NOT NULL,
  path TEXT NOT NULL UNIQUE,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('partial', 'complete'))
);
CREATE INDEX camera_segments_camera_start ON camera_segments (camera, start_ms);`,
  },
];
