/**
 * The Jellyfin LibrarySource: library, live TV and playback facades over one client, plus the
 * connection lifecycle. Jellyfin being down never fails the sidecar: start() resolves, health
 * says `degraded` with the reason, and probes retry with exponential backoff until Jellyfin
 * answers again (then the session socket reconnects at once).
 */
import type { LibrarySource, SourceHealth } from '../library/source.js';
import type { Logger } from '../log/logger.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import { errorMessage, toSidecarError, type SidecarError } from '../util/errors.js';
import type { ClientIdentity } from './auth-header.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import type { CallObserver } from './call-observer.js';
import { JellyfinClient, type PublicSystemInfo } from './client.js';
import { HealthTracker } from './health-tracker.js';
import { JellyfinLibraryService } from './library-service.js';
import { JellyfinLiveTvService } from './live-tv-service.js';
import { JellyfinPlaybackService } from './playback-service.js';

/** Client name the sidecar reports to Jellyfin (dashboard, sessions). */
export const CLIENT_NAME = 'Jellybridge';

export interface JellyfinSourceOptions {
  readonly url: string;
  readonly apiKey: string;
  /** Jellyfin-path prefix → local path prefix, so the sidecar reads files directly when it can. */
  readonly pathMappings: readonly { readonly from: string; readonly to: string }[];
  /** User used when a device has no user assigned (else the first administrator). */
  readonly defaultUserId?: string;
  /** Polling fallback for sessions, e.g. 5000. */
  readonly sessionPollIntervalMs: number;
  readonly deviceId: string;
  readonly version: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** Device name shown in Jellyfin's dashboard; default "Jellybridge sidecar". */
  readonly deviceName?: string;
  /** Reconnect backoff; default 0.5 s doubling to 30 s with ±10 % jitter. */
  readonly backoff?: Partial<BackoffPolicy>;
  /** How long start() waits for the first probe before resolving anyway; default 5 s. */
  readonly startProbeWaitMs?: number;
  /** Per-request timeout; default 15 s. */
  readonly requestTimeoutMs?: number;
}

function identityOf(options: { deviceId: string; version: string; deviceName?: string }): ClientIdentity {
  return { client: CLIENT_NAME, device: options.deviceName ?? 'Jellybridge sidecar', deviceId: options.deviceId, version: options.version };
}

/** The server answers and accepts the API key (the public info alone is anonymous). */
async function reachWithKey(client: JellyfinClient, signal?: AbortSignal): Promise<PublicSystemInfo> {
  const info = await client.publicInfo(signal);
  await client.users(signal);
  return info;
}

/** Errors that mean "Jellyfin is not usable right now" (as opposed to a bad request). */
function isConnectionProblem(error: SidecarError): boolean {
  return error.kind === 'unavailable' || error.code === 'ERR_JELLYFIN_AUTH';
}

class JellyfinSource implements LibrarySource {
  readonly library: JellyfinLibraryService;
  readonly liveTv: JellyfinLiveTvService;
  readonly playback: JellyfinPlaybackService;
  private readonly client: JellyfinClient;
  private readonly tracker: HealthTracker;
  private readonly backoff: BackoffPolicy;
  private readonly log: Logger;
  private running = false;
  private probeTimer: TimerHandle | undefined;
  private probeInFlight: Promise<boolean> | undefined;
  private probeAttempt = 0;
  private abortListener: { signal: AbortSignal; fn: () => void } | undefined;

  constructor(private readonly options: JellyfinSourceOptions) {
    this.log = options.log;
    this.tracker = new HealthTracker(options.clock);
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.client = new JellyfinClient({
      url: options.url,
      apiKey: options.apiKey,
      identity: identityOf(options),
      ...(options.requestTimeoutMs === undefined ? {} : { timeoutMs: options.requestTimeoutMs }),
    });
    const observer: CallObserver = {
      succeeded: () => {
        this.tracker.count('requests');
        // A call got through while degraded: confirm with a probe now instead of waiting.
        if (this.running && this.tracker.current === 'degraded') this.scheduleProbe(true);
      },
      failed: (error) => {
        this.tracker.count('requests');
        this.tracker.count('requestFailures');
        this.tracker.recordError(error);
        if (this.running && isConnectionProblem(error)) {
          this.degrade(error);
          this.scheduleProbe(false);
        }
      },
    };
    this.library = new JellyfinLibraryService({
      client: this.client,
      observer,
      apiKey: options.apiKey,
      deviceId: options.deviceId,
      pathMappings: options.pathMappings,
      ...(options.defaultUserId === undefined ? {} : { defaultUserId: options.defaultUserId }),
    });
    this.liveTv = new JellyfinLiveTvService(this.client, observer, (userId) => this.library.resolveUser(userId));
    this.playback = new JellyfinPlaybackService({
      client: this.client,
      observer,
      clock: options.clock,
      log: options.log,
      health: this.tracker,
      own: { deviceId: options.deviceId, client: CLIENT_NAME },
      pollIntervalMs: options.sessionPollIntervalMs,
      backoff: this.backoff,
      onSocketLost: () => this.scheduleProbe(true),
    });
  }

  async start(signal: AbortSignal): Promise<void> {
    if (this.running) return;
    this.running = true;
    const fn = (): void => void this.stop();
    signal.addEventListener('abort', fn, { once: true });
    this.abortListener = { signal, fn };
    this.tracker.set('starting', `connecting to ${this.options.url}`);
    this.playback.start();
    const first = this.probe();
    const waitMs = this.options.startProbeWaitMs ?? 5_000;
    const waited = new AbortController();
    // Resolve after the first probe or after waitMs, whichever is first; never reject.
    await Promise.race([first.then(() => undefined), this.options.clock.sleep(waitMs, waited.signal).catch(() => undefined)]);
    waited.abort();
  }

  async stop(): Promise<void> {
    if (!this.running) {
      if (this.tracker.current !== 'stopped') this.tracker.set('stopped', 'stopped');
      return;
    }
    this.running = false;
    this.probeTimer?.cancel();
    this.probeTimer = undefined;
    this.playback.stop();
    if (this.abortListener) this.abortListener.signal.removeEventListener('abort', this.abortListener.fn);
    await this.probeInFlight?.catch(() => undefined);
    this.tracker.set('stopped', 'stopped');
  }

  health(): SourceHealth {
    return this.tracker.snapshot(this.running ? this.playback.describe() : undefined);
  }

  private degrade(error: SidecarError): void {
    const detail = `${error.code}: ${error.message}; retrying`;
    if (this.tracker.current !== 'degraded') this.log.warn('jellyfin unavailable', { code: error.code, error: error.message });
    this.tracker.set('degraded', detail);
  }

  /** One reachability + credentials check; updates health; never rejects. */
  private probe(): Promise<boolean> {
    if (this.probeInFlight) return this.probeInFlight;
    const run = async (): Promise<boolean> => {
      try {
        const info = await reachWithKey(this.client);
        if (!this.running) return true;
        const wasReady = this.tracker.current === 'ready';
        this.tracker.set('ready', `connected to ${info.ServerName ?? 'Jellyfin'} ${info.Version ?? ''}`.trim());
        if (!wasReady) this.log.info('jellyfin connected', { server: info.ServerName, version: info.Version });
        this.probeAttempt = 0;
        this.playback.reconnectNow();
        return true;
      } catch (error) {
        const e = toSidecarError(error, 'ERR_JELLYFIN_UNAVAILABLE', 'unavailable');
        this.tracker.recordError(e);
        if (this.running) {
          this.degrade(e);
          this.scheduleProbe(false);
        }
        return false;
      } finally {
        this.probeInFlight = undefined;
      }
    };
    this.probeInFlight = run();
    return this.probeInFlight;
  }

  /** Schedules the next probe: at once (`immediate`) or after the backoff delay. */
  private scheduleProbe(immediate: boolean): void {
    if (!this.running || this.probeInFlight) return;
    if (this.probeTimer !== undefined && !immediate) return;
    this.probeTimer?.cancel();
    const delay = immediate ? 0 : backoffDelay(this.probeAttempt++, this.backoff);
    this.tracker.count('reconnectAttempts');
    this.probeTimer = this.options.clock.setTimeout(() => {
      this.probeTimer = undefined;
      this.probe().catch((error: unknown) => this.log.error('jellyfin probe failed', { error: errorMessage(error) }));
    }, delay);
  }
}

/**
 * Creates the Jellyfin library source. Nothing connects until `start()`; `start()` resolves
 * even when Jellyfin is unreachable (health `degraded`, retried with backoff).
 */
export function createJellyfinSource(options: JellyfinSourceOptions): LibrarySource {
  return new JellyfinSource(options);
}

/**
 * Checks a URL + API key pair (setup wizard, admin UI): the server answers, and the key is
 * accepted. Never throws; the error text contains no secret.
 */
export async function testJellyfinConnection(
  url: string,
  apiKey: string,
  signal?: AbortSignal,
): Promise<{ ok: true; serverName: string; version: string; serverId: string } | { ok: false; error: string }> {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, error: 'the URL must start with http:// or https://' };
  } catch {
    return { ok: false, error: 'not a valid URL' };
  }
  const client = new JellyfinClient({
    url,
    apiKey,
    identity: identityOf({ deviceId: 'jellybridge-connection-test', version: '0' }),
    timeoutMs: 10_000,
  });
  try {
    const info = await reachWithKey(client, signal);
    return { ok: true, serverName: info.ServerName ?? '', version: info.Version ?? '', serverId: info.Id ?? '' };
  } catch (error) {
    return { ok: false, error: errorMessage(error) };
  }
}
