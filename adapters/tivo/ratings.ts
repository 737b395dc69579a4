/**
 * Rating strings (as Jellyfin has them) → TiVo codes (protocols/tivo.md §9, pyTivo
 * `metadata.py`). TV: Y7=1 Y=2 G=3 PG=4 14=5 MA=6 NR=7; MPAA: G=1 PG=2 PG-13=3 R=4 X=5 NC-17=6
 * NR=8. Pure.
 */

export interface TivoRating {
  readonly code: number;
  /** The label TiVo shows (TvBus text content). */
  readonly label: string;
}

const TV: Readonly<Record<string, TivoRating>> = {
  Y7: { code: 1, label: 'Y7' },
  Y: { code: 2, label: 'Y' },
  G: { code: 3, label: 'G' },
  PG: { code: 4, label: 'PG' },
  '14': { code: 5, label: '14' },
  MA: { code: 6, label: 'MA' },
  NR: { code: 7, label: 'NR' },
};

const MPAA: Readonly<Record<string, TivoRating>> = {
  G: { code: 1, label: 'G1' },
  PG: { code: 2, label: 'P2' },
  PG13: { code: 3, label: 'P3' },
  R: { code: 4, label: 'R4' },
  X: { code: 5, label: 'X5' },
  NC17: { code: 6, label: 'N6' },
  NR: { code: 8, label: 'N8' },
};

/** Either a TV rating or an MPAA rating (or neither) for one rating string. */
export interface MappedRating {
  readonly tv?: TivoRating;
  readonly mpaa?: TivoRating;
}

/**
 * Maps "TV-PG", "TV-Y7-FV", "PG-13", "NC-17", "Unrated", "US:TV-14"… Movies use the MPAA table
 * for G/PG/R-style strings; TV-prefixed strings always use the TV table.
 */
export function mapRating(rating: string | undefined): MappedRating {
  if (!rating) return {};
  const r = rating.trim().toUpperCase().replace(/^[A-Z]{2}:/, '');
  const tvMatch = /^TV[- ]?(Y7|Y|G|PG|14|MA|NR)\b/.exec(r);
  if (tvMatch?.[1]) {
    const tv = TV[tvMatch[1]];
    return tv ? { tv } : {};
  }
  const compact = r.replace(/[\s-]/g, '');
  if (compact === 'UNRATED' || compact === 'NOTRATED' || compact === 'NR') return { mpaa: MPAA['NR'] as TivoRating };
  const mpaa = MPAA[compact];
  return mpaa ? { mpaa } : {};
}
