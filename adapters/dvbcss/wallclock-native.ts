/**
 * CSS-WC over UDP answered by a native thread (adapters/dvbcss/native, an optional dependency
 * built by node-gyp at `npm ci`). t2 is the kernel's receive timestamp and t3 is read right
 * before sendto() on that thread, so a client's round trip, and so its dispersion, no longer
 * counts the event-loop wake-up and the JS handler. The device registry still decides: a request
 * from an address without a cached verdict comes here first (see handleUnknown).
 */
import { lookup } from 'node:dns/promises';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import type { Clock } from '../../plugin/index.js';
import { WC_DECISION_TTL_MS, type WallClockUdp, type WallClockUdpCounters, type WallClockUdpOptions } from './wallclock-udp.js';

/** Opaque handle of an open responder. */
type Handle = object & { readonly __brand?: 'wallclock-responder' };

/** The addon's exports (src/wallclock_responder.c). */
interface ResponderBinding {
  open(
    options: { address: string; port: number; precisionLog2: number; maxFreqError: number; followUp: boolean; verdictTtlMs: number },
    onUnknown: (sender: Buffer, address: string, request: Buffer, t2: bigint) => void,
  ): Handle;
  port(handle: Handle): number;
  answer(handle: Handle, sender: Buffer, request: Buffer, t2: bigint): void;
  setVerdict(handle: Handle, sender: Buffer, allowed: boolean): void;
  clearVerdicts(handle: Handle): void;
  counters(handle: Handle): WallClockUdpCounters;
  close(handle: Handle): void;
  monotonicNs(): bigint;
}

export type NativeAvailability = { readonly available: true; readonly binding: ResponderBinding } | { readonly available: false; readonly reason: string };

/** Largest gap between the addon's clock and the adapter's for them to count as one clock. */
const SAME_CLOCK_TOLERANCE_NS = 1_000_000n;

let loaded: { binding: ResponderBinding } | { error: string } | undefined;

function loadBinding(): { binding: ResponderBinding } | { error: string } {
  if (loaded !== undefined) return loaded;
  if (process.platform !== 'linux') {
    loaded = { error: `the native responder is Linux-only (this is ${process.platform})` };
    return loaded;
  }
  try {
    loaded = { binding: createRequire(import.meta.url)('@jellybridge/dvbcss-wallclock-responder') as ResponderBinding };
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    loaded = { error: `the addon is not built (${message}); npm ci builds it with node-gyp, which needs make and a C compiler` };
  }
  return loaded;
}

/**
 * Whether the native responder can serve a wall clock for `clock`: the addon must load, and
 * its CLOCK_MONOTONIC must be the clock the adapter stamps control timestamps with (not so for a
 * test's fake clock, or where hrtime is not CLOCK_MONOTONIC).
 */
export function nativeResponderAvailability(clock: Clock): NativeAvailability {
  const result = loadBinding();
  if ('error' in result) return { available: false, reason: result.error };
  const before = clock.monotonicNs();
  const native = result.binding.monotonicNs();
  const after = clock.monotonicNs();
  if (native < before - SAME_CLOCK_TOLERANCE_NS || native > after + SAME_CLOCK_TOLERANCE_NS) {
    return { available: false, reason: "the adapter's clock is not this host's CLOCK_MONOTONIC" };
  }
  return { available: true, binding: result.binding };
}

export class NativeWallClockUdpServer implements WallClockUdp {
  readonly kind = 'native';
  private handle: Handle | undefined;
  private boundPort = 0;
  private deferredErrors = 0;
  /** The thread's counters as they stood when it was stopped (health still reports them). */
  private final: WallClockUdpCounters | undefined;

  constructor(
    private readonly binding: ResponderBinding,
    private readonly options: WallClockUdpOptions,
  ) {}

  get counters(): WallClockUdpCounters {
    const zero = { requests: 0, ignored: 0, refused: 0, sendErrors: 0, overflow: 0 };
    const native = this.handle === undefined ? (this.final ?? zero) : this.binding.counters(this.handle);
    return { ...native, sendErrors: native.sendErrors + this.deferredErrors };
  }

  async start(): Promise<number> {
    const { host, port, parameters } = this.options;
    const address = isIP(host) !== 0 ? host : (await lookup(host)).address;
    this.handle = this.binding.open({ address, port, ...parameters, verdictTtlMs: WC_DECISION_TTL_MS }, (sender, from, request, t2) => this.handleUnknown(sender, from, request, t2));
    this.boundPort = this.binding.port(this.handle);
    return this.boundPort;
  }

  port(): number {
    return this.handle === undefined ? 0 : this.boundPort;
  }

  forgetDecisions(): void {
    if (this.handle !== undefined) this.binding.clearVerdicts(this.handle);
  }

  stop(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle !== undefined) {
      this.final = this.binding.counters(handle);
      this.binding.close(handle);
    }
    return Promise.resolve();
  }

  /**
   * A request from an address the thread has no verdict for: the registry decides, the thread
   * caches the decision, and an allowed request is answered now (t2 is still the kernel's).
   */
  private handleUnknown(sender: Buffer, address: string, request: Buffer, t2: bigint): void {
    const handle = this.handle;
    if (handle === undefined) return;
    try {
      const allowed = this.options.allow(address);
      this.binding.setVerdict(handle, sender, allowed);
      if (allowed) this.binding.answer(handle, sender, request, t2);
    } catch (err) {
      this.deferredErrors++;
      this.options.log.warn('wall clock request not answered', { code: 'ERR_DVBCSS_WC_SOCKET', error: err instanceof Error ? err.message : String(err) });
    }
  }
}
