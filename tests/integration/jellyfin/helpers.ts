/** Shared setup for the Jellyfin source integration tests. */
import { createJellyfinSource, type JellyfinSourceOptions } from '../../../plugin/jellyfin/index.js';
import type { LibrarySource } from '../../../plugin/library/source.js';
import { silentLogger } from '../../../plugin/log/logger.js';
import { systemClock } from '../../../plugin/util/clock.js';
import type { FakeJellyfin } from '../../support/fake-jellyfin.js';
import { specValidator } from '../../support/jellyfin-openapi-validator.js';

export const DEVICE_ID = 'jellybridge-test-device';

export interface Started {
  readonly source: LibrarySource;
  readonly abort: AbortController;
}

export async function startSource(fake: FakeJellyfin, overrides: Partial<JellyfinSourceOptions> = {}): Promise<Started> {
  const source = createJellyfinSource({
    url: fake.url,
    apiKey: fake.apiKey,
    pathMappings: [],
    sessionPollIntervalMs: 300,
    deviceId: DEVICE_ID,
    version: '0.1.0',
    clock: systemClock,
    log: silentLogger(),
    backoff: { initialMs: 100, maxMs: 1000 },
    ...overrides,
  });
  const abort = new AbortController();
  await source.start(abort.signal);
  return { source, abort };
}

/** Polls `predicate` until it holds (or fails after `timeoutMs` with the last value described). */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Validates every JSON answer the stand-in gave during a test against both specs. */
export function specErrors(fake: FakeJellyfin): string[] {
  const errors: string[] = [];
  for (const r of fake.responses) {
    if (r.status < 200 || r.status >= 300) continue;
    for (const version of ['10.11.11', '12.0.0'] as const) {
      const result = specValidator(version).validate(r.method, r.path, r.status, r.body);
      if (!result.ok) errors.push(`${version}: ${result.errors}`);
    }
  }
  return errors;
}
