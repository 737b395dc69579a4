/**
 * CSS-WC over UDP: what both responders share, and the choice between them. The native
 * responder (wallclock-native.ts) answers on its own thread with kernel receive timestamps; the
 * JS responder (wallclock-server.ts) answers from the event loop and is the fallback.
 */
import type { Clock, Logger } from '../../plugin/index.js';
import { nativeResponderAvailability, NativeWallClockUdpServer } from './wallclock-native.js';
import type { WallClockParameters } from './wallclock-responder.js';
import { WallClockUdpServer } from './wallclock-server.js';

export const WC_RESPONDERS = ['auto', 'native', 'js'] as const;

/**
 * How long a source address's registry decision is reused by either responder (UDP has no
 * handshake, so the registry is asked per address, not per packet); cleared on any registry change.
 */
export const WC_DECISION_TTL_MS = 10_000;
export type WcResponderChoice = (typeof WC_RESPONDERS)[number];

export interface WallClockUdpOptions {
  readonly clock: Clock;
  readonly log: Logger;
  readonly host: string;
  readonly port: number;
  readonly parameters: WallClockParameters;
  /** Whether requests from this address are answered (the device registry; the responder caches it). */
  readonly allow: (address: string) => boolean;
}

export interface WallClockUdpCounters {
  requests: number;
  ignored: number;
  refused: number;
  sendErrors: number;
  /** Requests from not-yet-decided addresses dropped because too many awaited a decision. */
  overflow: number;
}

export interface WallClockUdp {
  readonly kind: 'native' | 'js';
  readonly counters: WallClockUdpCounters;
  /** Binds; resolves with the bound port. */
  start(): Promise<number>;
  /** The bound port (0 before start). */
  port(): number;
  /** The device registry changed: ask it again for every address. */
  forgetDecisions(): void;
  stop(): Promise<void>;
}

/**
 * `auto` takes the native responder when it is available and says why not otherwise; `native`
 * insists (an error naming the reason); `js` never loads the addon.
 */
export function createWallClockUdp(choice: WcResponderChoice, options: WallClockUdpOptions): { readonly server: WallClockUdp; readonly fallbackReason?: string } {
  if (choice === 'js') return { server: new WallClockUdpServer(options) };
  const native = nativeResponderAvailability(options.clock);
  if (native.available) return { server: new NativeWallClockUdpServer(native.binding, options) };
  if (choice === 'native') throw new Error(`native wall-clock responder unavailable: ${native.reason}`);
  return { server: new WallClockUdpServer(options), fallbackReason: native.reason };
}
