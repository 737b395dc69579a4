/**
 * The stand-in's sessions: clients "playing" items (driven by the test API) plus one session per
 * connected socket, identified by the Authorization header's device fields (as Jellyfin does).
 * Like Jellyfin's ticker, a playing session's position advances with time between reports.
 */
import { guid, jellyfinDate } from './ids.js';
import { ALL_FIELDS, itemDto, SERVER_ID, type FakeLibrary } from './library.js';

const TICKS = 10_000_000;

export interface SessionSpec {
  readonly id?: string;
  /** Defaults to the first user (alice). */
  readonly userId?: string;
  readonly itemId: string;
  readonly client?: string;
  readonly deviceId?: string;
  readonly deviceName?: string;
  readonly positionSeconds?: number;
  readonly isPaused?: boolean;
}

interface SessionRecord {
  readonly id: string;
  readonly userId?: string;
  readonly client: string;
  readonly deviceId: string;
  readonly deviceName: string;
  readonly version: string;
  readonly remoteEndPoint: string;
  itemId?: string | undefined;
  positionTicks: number;
  isPaused: boolean;
  /** Wall-clock ms of the last report (position anchor). */
  reportedAt: number;
  lastActivity: number;
}

export class FakeSessions {
  private readonly sessions = new Map<string, SessionRecord>();
  private seq = 0;

  constructor(
    private readonly library: FakeLibrary,
    private readonly now: () => number,
  ) {}

  play(spec: SessionSpec): string {
    const id = spec.id ?? guid(`session:${++this.seq}`);
    const t = this.now();
    this.sessions.set(id, {
      id,
      userId: spec.userId ?? this.library.users[0]!.id,
      client: spec.client ?? 'Jellyfin Web',
      deviceId: spec.deviceId ?? `device-${id.slice(0, 8)}`,
      deviceName: spec.deviceName ?? 'Living room TV',
      version: '10.11.11',
      remoteEndPoint: '192.0.2.50',
      itemId: spec.itemId,
      positionTicks: Math.round((spec.positionSeconds ?? 0) * TICKS),
      isPaused: spec.isPaused ?? false,
      reportedAt: t,
      lastActivity: t,
    });
    return id;
  }

  private get(id: string): SessionRecord {
    const s = this.sessions.get(id);
    if (s === undefined) throw new Error(`no session ${id}`);
    return s;
  }

  private settle(s: SessionRecord): void {
    const t = this.now();
    s.positionTicks = this.positionAt(s, t);
    s.reportedAt = t;
    s.lastActivity = t;
  }

  private positionAt(s: SessionRecord, t: number): number {
    return s.isPaused || s.itemId === undefined ? s.positionTicks : s.positionTicks + Math.round(((t - s.reportedAt) / 1000) * TICKS);
  }

  pause(id: string): void {
    const s = this.get(id);
    this.settle(s);
    s.isPaused = true;
  }

  resume(id: string): void {
    const s = this.get(id);
    this.settle(s);
    s.isPaused = false;
  }

  seek(id: string, seconds: number): void {
    const s = this.get(id);
    this.settle(s);
    s.positionTicks = Math.round(seconds * TICKS);
  }

  stopPlayback(id: string): void {
    const s = this.get(id);
    this.settle(s);
    s.itemId = undefined;
    s.positionTicks = 0;
    s.isPaused = false;
  }

  /** The session a socket connection creates (device fields from its Authorization header). */
  connect(auth: Readonly<Record<string, string>>, remote: string): string {
    const deviceId = auth['DeviceId'] ?? SERVER_ID;
    const id = guid(`socket-session:${deviceId}:${auth['Client'] ?? ''}`);
    const t = this.now();
    this.sessions.set(id, {
      id,
      client: auth['Client'] ?? 'Jellyfin Server',
      deviceId,
      deviceName: auth['Device'] ?? 'Jellyfin Server',
      version: auth['Version'] ?? '10.11.11',
      remoteEndPoint: remote,
      positionTicks: 0,
      isPaused: false,
      reportedAt: t,
      lastActivity: t,
    });
    return id;
  }

  disconnect(id: string): void {
    this.sessions.delete(id);
  }

  dtos(): Record<string, unknown>[] {
    const t = this.now();
    return [...this.sessions.values()].map((s) => this.dto(s, t));
  }

  private dto(s: SessionRecord, t: number): Record<string, unknown> {
    const user = this.library.user(s.userId);
    const item = s.itemId === undefined ? undefined : this.library.items.get(s.itemId);
    const dto: Record<string, unknown> = {
      PlayState: {
        ...(item === undefined ? {} : { PositionTicks: this.positionAt(s, t), MediaSourceId: item.id, PlayMethod: 'DirectPlay' }),
        CanSeek: item !== undefined,
        IsPaused: s.isPaused,
        IsMuted: false,
        RepeatMode: 'RepeatNone',
        PlaybackOrder: 'Default',
      },
      AdditionalUsers: [],
      Capabilities: { PlayableMediaTypes: ['Video'], SupportedCommands: [], SupportsMediaControl: item !== undefined, SupportsPersistentIdentifier: true },
      RemoteEndPoint: s.remoteEndPoint,
      PlayableMediaTypes: ['Video'],
      Id: s.id,
      Client: s.client,
      LastActivityDate: jellyfinDate(s.lastActivity),
      LastPlaybackCheckIn: jellyfinDate(s.reportedAt),
      DeviceName: s.deviceName,
      DeviceId: s.deviceId,
      ApplicationVersion: s.version,
      IsActive: true,
      SupportsMediaControl: item !== undefined,
      SupportsRemoteControl: item !== undefined,
      NowPlayingQueue: [],
      HasCustomDeviceName: false,
      ServerId: SERVER_ID,
      SupportedCommands: [],
    };
    // Jellyfin emits the empty GUID for user-less (API key) sessions.
    dto['UserId'] = user?.id ?? '0'.repeat(32);
    if (user !== undefined) dto['UserName'] = user.name;
    if (item !== undefined) dto['NowPlayingItem'] = itemDto(this.library, item, ALL_FIELDS);
    if (s.isPaused && item !== undefined) dto['LastPausedDate'] = jellyfinDate(s.reportedAt);
    return dto;
  }
}
