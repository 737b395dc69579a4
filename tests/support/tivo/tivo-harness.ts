/**
 * The real sidecar (tests/support/adapter-harness.ts: the CLI's compose() with the device
 * registry, library source, transcode service with spool and real listeners) with the TiVo
 * adapter on loopback only: the HMO listener on 127.0.0.1:0, beacons and mDNS off unless a test
 * turns them on with loopback targets. Also the media libraries the suites share.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tivoAdapter } from '../../../adapters/tivo/index.js';
import type { Clock } from '../../../plugin/index.js';
import { startAdapterHarness, type Harness, type HarnessDevice } from '../adapter-harness.js';
import type { FakeJellyfin } from '../fake-jellyfin.js';
import { ffprobeJson, makeClip, place, type ClipSpec } from '../media.js';

/** Loopback-only TiVo config: HMO on 127.0.0.1:0, no beacons, no mDNS. */
export const TIVO_TEST_CONFIG = { port: 0, bind: '127.0.0.1', beacon: { enabled: false }, mdns: { enabled: false } } as const;

export interface TivoHarnessOptions {
  readonly source: { readonly local: string } | { readonly jellyfin: FakeJellyfin };
  readonly config?: Readonly<Record<string, unknown>>;
  readonly devices?: readonly HarnessDevice[];
  readonly policy?: 'allow' | 'hold' | 'refuse';
  readonly core?: Readonly<Record<string, unknown>>;
  readonly clock?: Clock;
  readonly dataDir?: string;
}

/** Starts the sidecar and, for a local folder, waits for its first full scan. */
export function startTivoHarness(options: TivoHarnessOptions): Promise<Harness> {
  const source = options.source;
  return startAdapterHarness({
    descriptor: tivoAdapter,
    config: { ...TIVO_TEST_CONFIG, ...options.config },
    ...('local' in source ? { source: 'local' as const, mediaRoot: source.local } : { source }),
    ...(options.devices ? { devices: options.devices } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.core ? { core: options.core } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    waitForScan: 'local' in source,
  });
}

/** Clips of the local test library (small: 2 cores are shared). */
export const CLIPS = {
  /** 640x360 H.264 + AAC: transcoded for PS TiVos, remuxed to TS for a Premiere. */
  clip: { duration: 10, width: 640, height: 360, fps: 30 },
  /** Noise: a hard clip for the size estimate and a mid-transcode drop. */
  hard: { duration: 8, pattern: 'noise' },
  /** MPEG-2 PS a Series 2 plays as it is: passthrough. */
  compat: { duration: 4, width: 720, height: 480, videoCodec: 'mpeg2video', audioCodec: 'ac3', ext: 'mpg', extraArgs: ['-r', '30000/1001', '-b:v', '4000k'] },
} as const satisfies Readonly<Record<string, ClipSpec>>;

/**
 * A fresh local library (tests may change files in it):
 * `Videos/{clip.mp4, hard.mp4, compat.mpg, notes.txt}`, `Videos/Shows/{Tom & Jerry <1> Ünï.mp4, broken.mp4}`.
 */
export async function makeLocalLibrary(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'jb-tivo-media-'));
  mkdirSync(join(root, 'Videos', 'Shows'), { recursive: true });
  const clip = await makeClip(CLIPS.clip);
  place(clip, join(root, 'Videos', 'clip.mp4'));
  place(clip, join(root, 'Videos', 'Shows', 'Tom & Jerry <1> Ünï.mp4'));
  place(clip, join(root, 'Videos', 'Shows', 'broken.mp4'));
  place(await makeClip(CLIPS.hard), join(root, 'Videos', 'hard.mp4'));
  place(await makeClip(CLIPS.compat), join(root, 'Videos', 'compat.mpg'));
  writeFileSync(join(root, 'Videos', 'notes.txt'), 'not a video');
  return root;
}

/**
 * How the Jellyfin stand-in should describe `clip` so its MediaSources tell the truth (codecs,
 * size, rates, bit rates), as a real Jellyfin's do after its own probe.
 */
export async function describeClip(clip: string): Promise<{ readonly container: string; readonly streams: readonly Record<string, unknown>[]; readonly durationSeconds: number }> {
  const probe = await ffprobeJson(clip);
  const rate = (r: string | undefined): number | undefined => {
    const [n, d] = (r ?? '').split('/').map(Number);
    return n !== undefined && d ? Math.round((n / d) * 1000) / 1000 : undefined;
  };
  const v = probe.streams.find((s) => s.codec_type === 'video');
  const a = probe.streams.find((s) => s.codec_type === 'audio');
  const video: Record<string, unknown> = {
    Codec: v?.codec_name,
    Width: v?.width,
    Height: v?.height,
    BitRate: v?.bit_rate === undefined ? undefined : Number(v.bit_rate),
    AverageFrameRate: rate(v?.r_frame_rate),
    RealFrameRate: rate(v?.r_frame_rate),
    IsAVC: v?.codec_name === 'h264',
    Level: v?.level ?? 0,
    Profile: v?.profile,
    AspectRatio: v?.display_aspect_ratio,
  };
  const audio: Record<string, unknown> = {
    Codec: a?.codec_name,
    Channels: a?.channels,
    SampleRate: a?.sample_rate === undefined ? undefined : Number(a.sample_rate),
    BitRate: a?.bit_rate === undefined ? undefined : Number(a.bit_rate),
  };
  const defined = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));
  return {
    container: probe.format.format_name,
    streams: [defined(video), defined(audio)],
    durationSeconds: Number(probe.format.duration ?? 0),
  };
}
