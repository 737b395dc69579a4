/**
 * The parts of BBC's npm `dvbcss-protocols` / `dvbcss-clocks` 0.0.4 (untyped CommonJS) that the
 * DVB-CSS tests and bench drive as independent companion clients.
 */
declare module 'dvbcss-clocks' {
  import type { EventEmitter } from 'node:events';

  export class ClockBase extends EventEmitter {
    constructor();
    now(): number;
    getTickRate(): number;
    getNanos(): number;
    fromNanos(nanos: number): number;
    isAvailable(): boolean;
    availabilityFlag: boolean;
    setAvailabilityFlag(availability: boolean): void;
    dispersionAtTime(t: number): number;
    getParent(): ClockBase | null;
    getRootMaxFreqError(): number;
    speed: number;
    getEffectiveSpeed(): number;
    tickRate: number;
  }

  export class DateNowClock extends ClockBase {
    constructor(options?: { tickRate?: number; maxFreqErrorPpm?: number });
  }

  export class Correlation {
    constructor(parentTime: number, childTime: number, initialError?: number, errorGrowthRate?: number);
    readonly parentTime: number;
    readonly childTime: number;
  }

  export class CorrelatedClock extends ClockBase {
    constructor(parent: ClockBase, options?: { tickRate?: number; correlation?: Correlation; speed?: number });
    correlation: Correlation;
    readonly parent: ClockBase;
  }
}

declare module 'dvbcss-protocols' {
  import type { EventEmitter } from 'node:events';
  import type { Socket } from 'node:dgram';
  import type { ClockBase, CorrelatedClock } from 'dvbcss-clocks';

  /** A W3C-style WebSocket (ws's class qualifies). */
  type WebSocketLike = object;

  export interface Adaptor {
    stop(): void;
    isStarted(): boolean;
  }

  /** BBC's client keeps these eight properties (not teUrl or private). */
  export interface CiiState {
    protocolVersion: string | null;
    mrsUrl: string | null;
    contentId: string | null;
    contentIdStatus: string | null;
    presentationStatus: string | null;
    wcUrl: string | null;
    tsUrl: string | null;
    timelines: unknown[] | null;
  }

  export interface CiiClient extends EventEmitter, Adaptor {
    on(event: 'change', listener: (cii: CiiState, changes: Record<string, boolean>, mask: number) => void): this;
  }

  export const CII: {
    createCIIClient(ws: WebSocketLike, options?: object): CiiClient;
  };

  export const TimelineSynchronisation: {
    createTSClient(ws: WebSocketLike, timelineClock: CorrelatedClock, options: { contentIdStem: string; timelineSelector: string; tickrate?: number; tickRate?: number }): Adaptor;
  };

  export const WallClock: {
    createBinaryUdpClient(socket: Socket, wallClock: CorrelatedClock, options: { dest: { address: string; port: number }; requestInterval?: number }): Adaptor;
    createBinaryWebSocketClient(ws: WebSocketLike, wallClock: CorrelatedClock, options: { requestInterval?: number }): Adaptor;
    createJsonWebSocketClient(ws: WebSocketLike, wallClock: CorrelatedClock, options: { requestInterval?: number }): Adaptor;
  };

  export type { ClockBase };
}
