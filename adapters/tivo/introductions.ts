/**
 * TiVos introduce themselves with beacons (UDP broadcasts every minute or so, and the TCP
 * exchange): `identity=` is the TSN, `machine=` the name the owner gave the box. Feeding them to
 * the device registry makes a new TiVo appear in the admin device list with its own name before
 * (or without) its first HMO request; the registry applies its new-device policy as for any
 * request. Repeats of the same beacon are dropped for a while so the registry is not asked
 * every few seconds.
 */
import type { AdapterDevices, Logger } from '../../plugin/index.js';
import type { TivoIntroduction } from './beacon.js';
import type { TivoDeviceSettings } from './config.js';
import { Lru } from './lru.js';
import { normaliseTsn } from './models.js';

/** The same TiVo (address, TSN, name) is passed on at most once per this period. */
export const INTRODUCTION_REPEAT_MS = 60_000;
const MAX_REMEMBERED = 256;
const MAX_NAME = 64;

/** A beacon's `machine=` value made safe for display: control characters dropped, trimmed, capped. */
export function cleanMachineName(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const name = raw.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, MAX_NAME).trim();
  return name === '' ? undefined : name;
}

export class TivoIntroductions {
  private readonly recent = new Lru<string, number>(MAX_REMEMBERED);

  constructor(
    private readonly devices: AdapterDevices<TivoDeviceSettings>,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {}

  /** A TiVo beacon arrived; beacons without a usable TSN are ignored (the address alone says too little). */
  seen(tivo: TivoIntroduction): void {
    const tsn = normaliseTsn(tivo.tsn);
    if (tsn === undefined || tivo.ip === '') return;
    const name = cleanMachineName(tivo.machine);
    const key = `${tivo.ip}|${tsn}|${name ?? ''}`;
    const at = this.now();
    const last = this.recent.get(key);
    if (last !== undefined && at - last < INTRODUCTION_REPEAT_MS) return;
    this.recent.set(key, at);
    const resolution = this.devices.resolve({ ip: tivo.ip, tsn, ...(name !== undefined ? { announcedName: name } : {}) });
    this.log.debug('TiVo announced itself', {
      tsn,
      name,
      ip: tivo.ip,
      status: resolution.status,
      device: resolution.status === 'allowed' ? resolution.device.id : resolution.deviceId,
    });
  }
}
