/**
 * The real sidecar (tests/support/adapter-harness.ts: the CLI's compose() with the device
 * registry, library source, transcode service and listeners) with the Wii adapter enabled on
 * free loopback ports, plus a small local media folder of generated clips for the RTMP tests.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wiiAdapter } from '../../../../adapters/wii/index.js';
import { entryIdOf } from '../../../../plugin/library/local-folder/index.js';
import { startAdapterHarness, type Harness, type HarnessDevice } from '../../../support/adapter-harness.js';
import type { FakeJellyfin } from '../../../support/fake-jellyfin.js';
import { makeClip, place, type ClipSpec } from '../../../support/media.js';

// The Wii suites import it from here with the rest of their harness.

/** Clips of the generated test library, by file name under `Clips/`. */
export const TEST_CLIPS = {
  short: { duration: 4, width: 320, height: 240 },
  long: { duration: 120, width: 320, height: 240, fps: 25 },
} as const satisfies Readonly<Record<string, ClipSpec>>;

export type TestClipName = keyof typeof TEST_CLIPS;

let library: Promise<string> | undefined;

/** `<tmp>/Clips/{short,long}.mp4` (generated once per process); the folder is a library. */
export function ensureClipLibrary(): Promise<string> {
  library ??= (async () => {
    const root = join(tmpdir(), `jellybridge-wii-clips-${process.pid}`);
    mkdirSync(join(root, 'Clips'), { recursive: true });
    for (const [name, spec] of Object.entries(TEST_CLIPS)) {
      const target = join(root, 'Clips', `${name}.mp4`);
      if (!existsSync(target)) place(await makeClip(spec), target);
    }
    return root;
  })();
  return library;
}

/** Item id of a generated clip in the local library (ids hash the root-relative path). */
export function clipId(name: TestClipName): string {
  return entryIdOf(`Clips/${name}.mp4`);
}

export interface WiiHarnessOptions {
  readonly config?: Readonly<Record<string, unknown>>;
  readonly devices?: readonly HarnessDevice[];
  readonly policy?: 'allow' | 'hold' | 'refuse';
  /** Default: the generated clip library; `demo`: the core's demo library; or a folder, or the stand-in. */
  readonly source?: 'clips' | 'demo' | { readonly folder: string } | { readonly jellyfin: FakeJellyfin };
  /** Core config; default raises `transcode.maxConcurrent` to 8 (the core default is 2). */
  readonly core?: Readonly<Record<string, unknown>>;
}

/** Wii defaults for tests: RTMP on 127.0.0.1:0, the progressive-FLV debug path on, short handshake timeout. */
export const WII_TEST_CONFIG = { rtmpPort: 0, rtmpHost: '127.0.0.1', httpFlv: true, handshakeTimeoutMs: 1000 } as const;

export async function startWiiHarness(options: WiiHarnessOptions = {}): Promise<Harness> {
  const source = options.source ?? 'clips';
  const local = source === 'clips' || source === 'demo' || 'folder' in source;
  return startAdapterHarness({
    descriptor: wiiAdapter,
    config: { ...WII_TEST_CONFIG, ...options.config },
    ...(source === 'clips'
      ? { source: 'local' as const, mediaRoot: await ensureClipLibrary() }
      : source === 'demo'
        ? { source: 'local' as const }
        : 'folder' in source
          ? { source: 'local' as const, mediaRoot: source.folder }
          : { source }),
    ...(options.devices ? { devices: options.devices } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    core: options.core ?? { transcode: { maxConcurrent: 8 } },
    waitForScan: local,
  });
}

/** The Wii adapter's bound RTMP port. */
export function rtmpPort(harness: Harness): number {
  return harness.adapter.health().ports?.['rtmp'] ?? 0;
}
