/**
 * Lets the services report every Jellyfin call's outcome to the source, which turns repeated
 * unavailability into `degraded` health and starts reconnecting.
 */
import { toSidecarError, type SidecarError } from '../util/errors.js';

export interface CallObserver {
  succeeded(): void;
  failed(error: SidecarError): void;
}

/** Runs `fn`, reports the outcome, rethrows failures as SidecarError. */
export async function observed<T>(observer: CallObserver, fn: () => Promise<T>): Promise<T> {
  try {
    const value = await fn();
    observer.succeeded();
    return value;
  } catch (error) {
    const e = toSidecarError(error, 'ERR_JELLYFIN_INTERNAL');
    observer.failed(e);
    throw e;
  }
}
