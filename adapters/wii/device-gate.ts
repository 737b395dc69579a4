/**
 * How device resolutions map to each protocol's refusal (DESIGN.md §3 "Enablement"): pages get
 * HTTP 403; an RTMP connect from a held or refused device gets NetConnection.Connect.Rejected,
 * and a known device for which the wii adapter is merely not enabled gets NetStream.Play.Failed
 * when it plays. Pure.
 */
import type { DeviceResolution } from '../../plugin/index.js';

export type GateVerdict<S> =
  | { readonly kind: 'allowed'; readonly device: { readonly id: string; readonly userId?: string; readonly settings: S } }
  | { readonly kind: 'not-enabled'; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string };

export function gate<S>(resolution: DeviceResolution<S>): GateVerdict<S> {
  if (resolution.status === 'allowed') return { kind: 'allowed', device: resolution.device };
  if (resolution.status === 'refused' && resolution.cause === 'not-enabled') return { kind: 'not-enabled', reason: resolution.reason };
  return { kind: 'refused', reason: resolution.reason };
}
