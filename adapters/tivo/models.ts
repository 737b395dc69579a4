/**
 * TiVo model capabilities from the TSN (protocols/tivo.md §3, pyTivo `config.py`): which formats
 * a unit accepts and how SD units handle 16:9. Pure.
 */

/** Capability class of a TiVo; the device setting `model` overrides what the TSN says. */
export type TivoModelClass = 'sd' | 'hd' | 'ts';

export interface TivoCapabilities {
  readonly modelClass: TivoModelClass;
  /** HD sizes (up to 1920×1080) allowed. */
  readonly hd: boolean;
  /** Accepts `video/x-tivo-mpeg-ts` (H.264 copied when compatible). */
  readonly ts: boolean;
  /** SD unit that shows 16:9 frames itself (Series 2 DT, prefix 649); others get letterboxing. */
  readonly sdPads169: boolean;
  /** Largest frame the unit takes. */
  readonly maxWidth: number;
  readonly maxHeight: number;
  /** Display name for logs and the admin UI. */
  readonly label: string;
}

const LABELS: Readonly<Record<string, string>> = {
  '540': 'Series 2',
  '240': 'Series 2',
  '130': 'Series 2',
  '649': 'Series 2 DT',
  '648': 'Series 3',
  '652': 'TiVo HD',
  '658': 'TiVo HD XL',
  '663': 'TiVo HD (TS)',
  '746': 'Premiere',
  '748': 'Premiere',
  '750': 'Premiere',
  '758': 'Premiere',
  '846': 'Roamio',
  '848': 'Roamio',
  '849': 'Bolt',
};

/** Normalises a TSN: strips dashes/spaces and a `tsn:` prefix, upper-cases. */
export function normaliseTsn(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const tsn = raw.trim().replace(/^tsn:/i, '').replace(/[\s-]/g, '').toUpperCase();
  return /^[0-9A-F]{3,32}$/.test(tsn) ? tsn : undefined;
}

/**
 * Capabilities for a TSN, as pyTivo derives them: HD if the first digit ≥ 6 (except 649), TS if
 * ≥ 7 or prefix 663. An unknown or missing TSN is treated as a Series 2 (the safe choice: every
 * TiVo plays SD MPEG-2 PS).
 */
export function capabilitiesForTsn(tsn: string | undefined, override?: TivoModelClass): TivoCapabilities {
  const t = normaliseTsn(tsn) ?? '';
  const prefix = t.slice(0, 3);
  const first = Number.parseInt(t.charAt(0), 16);
  const label = LABELS[prefix] ?? (t === '' ? 'unknown TiVo' : `TiVo ${prefix}`);
  let modelClass: TivoModelClass = 'sd';
  if (!Number.isNaN(first) && first >= 6 && prefix !== '649') modelClass = 'hd';
  if ((!Number.isNaN(first) && first >= 7) || prefix === '663') modelClass = 'ts';
  if (override) modelClass = override;
  return capabilitiesForClass(modelClass, prefix === '649', label);
}

export function capabilitiesForClass(modelClass: TivoModelClass, sdPads169 = false, label: string = modelClass): TivoCapabilities {
  const hd = modelClass !== 'sd';
  return {
    modelClass,
    hd,
    ts: modelClass === 'ts',
    sdPads169: !hd && sdPads169,
    maxWidth: hd ? 1920 : 720,
    maxHeight: hd ? 1080 : 480,
    label,
  };
}
