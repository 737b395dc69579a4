/**
 * PlaybackFacade backed by Jellyfin sessions: pushed over `/socket` (Sessions messages), with
 * `GET /Sessions` polling whenever the socket is down or has not delivered any Sessions
 * message (10.10 sends none to API-key sockets; protocols/jellyfin.md §4.6). Every state is
 * anchored at its arrival on the shared clock. Nothing thrown here escapes a timer or socket.
 */
import type { PlaybackEvent, PlaybackSession } from '../library/model.js';
import type { PlaybackFacade } from '../library/source.js';
import type { Logger } from '../log/logger.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import { errorMessage } from '../util/errors.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import type { JellyfinClient, SessionInfoDto } from './client.js';
import { observed, type CallObserver } from './call-observer.js';
import type { HealthTracker } from './health-tracker.js';
import { mapSessions, type OwnIdentity } from './map-session.js';
import { SessionSocket } from './session-socket.js';
import { socketUrl } from './urls.js';

export interface PlaybackServiceOptions {
  readonly client: JellyfinClient;
  readonly observer: CallObserver;
  readonly clock: Clock;
  readonly log: Logger;
  readonly health: HealthTracker;
  readonly own: OwnIdentity;
  readonly pollIntervalMs: number;
  readonly backoff: BackoffPolicy;
  /** Called when the socket drops, so the source can re-probe Jellyfin at once. */
  readonly onSocketLost: (reason: string) => void;
}

type ConnectionState = 'connected' | 'polling' | 'disconnected';

export class JellyfinPlaybackService implements PlaybackFacade {
  private current: readonly PlaybackSession[] = [];
  private readonly listeners = new Set<(event: PlaybackEvent) => void>();
  private socket: SessionSocket | undefined;
  private socketOpen = false;
  /** Whether the open socket has delivered a Sessions message (else we keep polling). */
  private socketDelivers = false;
  private reconnectTimer: TimerHandle | undefined;
  private pollTimer: TimerHandle | undefined;
  private attempt = 0;
  private running = false;
  private polling = false;
  private connection: ConnectionState = 'disconnected';
  private lastSocketProblem = 'not connected yet';

  constructor(private readonly options: PlaybackServiceOptions) {}

  sessions(): readonly PlaybackSession[] {
    return this.current;
  }

  subscribe(listener: (event: PlaybackEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One line for the source's health detail. */
  describe(): string {
    if (!this.running) return 'sessions: stopped';
    if (this.socketOpen && this.socketDelivers) return 'sessions: pushed over the socket';
    if (this.socketOpen) return 'sessions: polling (socket open, no Sessions pushed yet)';
    return `sessions: polling (socket: ${this.lastSocketProblem})`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.pollTimer = this.options.clock.setInterval(() => void this.pollIfNeeded(), this.options.pollIntervalMs);
    this.connect();
    void this.pollIfNeeded();
  }

  stop(): void {
    this.running = false;
    this.pollTimer?.cancel();
    this.reconnectTimer?.cancel();
    this.socket?.close();
    this.socket = undefined;
    this.socketOpen = false;
    this.setConnection('disconnected');
  }

  /** Reconnect now (the source calls this when Jellyfin is reachable again). */
  reconnectNow(): void {
    if (!this.running || this.socket !== undefined) return;
    this.reconnectTimer?.cancel();
    this.attempt = 0;
    this.connect();
  }

  private connect(): void {
    if (!this.running) return;
    const { client, clock, log, health } = this.options;
    const socket = new SessionSocket(socketUrl(client.baseUrl), client.authorization, clock, {
      onOpen: () => {
        if (this.socket !== socket) return;
        this.socketOpen = true;
        this.socketDelivers = false;
        this.attempt = 0;
        health.count('socketConnects');
        log.debug('jellyfin socket connected');
        this.setConnection('connected');
      },
      onSessions: (dtos) => {
        if (this.socket !== socket) return;
        health.count('socketMessages');
        this.socketDelivers = true;
        this.update(dtos);
      },
      onClose: (reason) => {
        if (this.socket !== socket) return;
        this.socket = undefined;
        const wasOpen = this.socketOpen;
        this.socketOpen = false;
        this.socketDelivers = false;
        this.lastSocketProblem = reason;
        if (!this.running) return;
        this.setConnection('polling');
        log.debug('jellyfin socket down', { reason });
        if (wasOpen) this.options.onSocketLost(reason);
        this.scheduleReconnect();
        void this.pollIfNeeded();
      },
    });
    this.socket = socket;
    socket.open();
  }

  private scheduleReconnect(): void {
    if (!this.running) return;
    const delay = backoffDelay(this.attempt++, this.options.backoff);
    this.options.health.count('reconnectAttempts');
    this.reconnectTimer?.cancel();
    this.reconnectTimer = this.options.clock.setTimeout(() => {
      if (this.socket === undefined) this.connect();
    }, delay);
  }

  private async pollIfNeeded(): Promise<void> {
    if (!this.running || this.polling || (this.socketOpen && this.socketDelivers)) return;
    this.polling = true;
    try {
      const dtos = await observed(this.options.observer, () => this.options.client.sessions());
      this.options.health.count('sessionPolls');
      // The socket may have started delivering while the poll was in flight: it is fresher.
      if (this.running && !(this.socketOpen && this.socketDelivers)) this.update(dtos);
      if (!this.socketOpen) this.setConnection('polling');
    } catch (error) {
      this.options.log.debug('session poll failed', { error: errorMessage(error) });
    } finally {
      this.polling = false;
    }
  }

  private update(dtos: readonly SessionInfoDto[]): void {
    const { clock, own } = this.options;
    this.current = mapSessions(dtos, { receivedAt: clock.now(), receivedMonotonicNs: clock.monotonicNs() }, own);
    this.emit({ type: 'sessions', sessions: this.current });
  }

  private setConnection(state: ConnectionState): void {
    if (state === this.connection) return;
    this.connection = state;
    this.emit({ type: 'connection', state });
  }

  private emit(event: PlaybackEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.options.log.warn('playback listener threw', { error: errorMessage(error) });
      }
    }
  }
}
