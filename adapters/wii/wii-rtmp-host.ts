/**
 * The RTMP application behind the Wii's player: connect checks the app name and the device,
 * stream names are library item ids, and each run is a `wii-flv` transcode through the core
 * transcode service (input-side seek, absolute timestamps).
 */
import type { AdapterContext, DeviceContext, MediaItem } from '../../plugin/index.js';
import { errorMessage, isSidecarError } from '../../plugin/index.js';
import type { WiiConfig, WiiDeviceSettings } from './config.js';
import { gate } from './device-gate.js';
import { buildMetaData, itemDuration, itemStreams, wiiTranscodeRequest } from './profile.js';
import type { ConnectDecision, ConnectRequest, MediaRunResult, OpenedMedia, PlayableSource, RtmpApplicationHost, StreamResolution } from './rtmp/application.js';

/** `mp4:id`, `flv:id`, `id.flv`, `id?x=y` → `id` (rtmpdump strips `.flv` itself). */
export function streamNameToItemId(name: string): string {
  let id = name.trim();
  const q = id.indexOf('?');
  if (q >= 0) id = id.slice(0, q);
  id = id.replace(/^(mp4|flv|mp3):/i, '').replace(/\.flv$/i, '');
  return id;
}

export class WiiRtmpHost implements RtmpApplicationHost {
  constructor(private readonly context: AdapterContext<WiiConfig, WiiDeviceSettings>) {}

  connect(request: ConnectRequest): ConnectDecision {
    const { context } = this;
    if (request.app !== context.config.app) {
      return { ok: false, code: 'NetConnection.Connect.InvalidApp', description: `Application '${request.app}' does not exist.` };
    }
    const verdict = gate(context.devices.resolve({ ip: request.remoteAddress, ...(request.flashVer !== undefined ? { userAgent: request.flashVer } : {}) }));
    if (verdict.kind === 'refused') {
      return { ok: false, code: 'NetConnection.Connect.Rejected', description: 'This device is not allowed (yet): approve it in the Jellybridge admin page.' };
    }
    const device = verdict.kind === 'allowed' ? verdict.device : undefined;
    return {
      ok: true,
      ...(device ? { deviceId: device.id } : {}),
      session: { resolveStream: (name, signal) => this.resolve(device, name, signal) },
    };
  }

  private async resolve(device: Pick<DeviceContext<WiiDeviceSettings>, 'id' | 'userId' | 'settings'> | undefined, name: string, signal: AbortSignal): Promise<StreamResolution> {
    if (!device) return { ok: false, code: 'NetStream.Play.Failed', description: 'Playback is not enabled for this device.' };
    const { context } = this;
    const itemId = streamNameToItemId(name);
    if (itemId === '') return { ok: false, code: 'NetStream.Play.StreamNotFound', description: 'No stream name.' };
    let item: MediaItem;
    let input;
    try {
      const entry = await context.library.getItem(device.userId, itemId);
      if (!entry || entry.kind !== 'item' || !entry.playable) return { ok: false, code: 'NetStream.Play.StreamNotFound', description: `Stream not found: ${itemId}` };
      item = entry;
      input = await context.library.getMediaInput(device.userId, itemId);
    } catch (cause) {
      if (isSidecarError(cause) && cause.kind === 'not-found') return { ok: false, code: 'NetStream.Play.StreamNotFound', description: `Stream not found: ${itemId}` };
      context.log.warn('cannot resolve stream', { device: device.id, item: itemId, code: isSidecarError(cause) ? cause.code : 'ERR_INTERNAL', reason: errorMessage(cause) });
      return { ok: false, code: 'NetStream.Play.Failed', description: 'The library is not reachable.' };
    }
    if (signal.aborted) return { ok: false, code: 'NetStream.Play.Failed', description: 'Aborted.' };
    const settings = device.settings;
    const streams = itemStreams(item);
    const mediaInput = input;
    const source: PlayableSource = {
      durationSeconds: itemDuration(item),
      hasVideo: streams.hasVideo,
      metadata: buildMetaData(item, settings, streams),
      label: item.id,
      open: (startSeconds, runSignal): OpenedMedia => {
        const session = context.transcoder.open(
          wiiTranscodeRequest({ adapterId: context.id, deviceId: device.id, item, input: mediaInput, settings, startSeconds, signal: runSignal }),
        );
        const done = session.done.then(
          (r): MediaRunResult => (r.exit === 'failed' ? { exit: 'failed', reason: r.error?.message ?? (r.stderrTail.split('\n').pop() || 'ffmpeg failed') } : { exit: r.exit }),
        );
        return { output: session.output, done, stop: async () => {
            await session.stop();
          },
        };
      },
    };
    return { ok: true, source };
  }
}
