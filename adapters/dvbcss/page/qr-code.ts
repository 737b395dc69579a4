/**
 * A QR Code encoder (ISO/IEC 18004:2015), byte mode only, all 40 versions and the four error
 * correction levels. Pure: text in, module matrix out. It exists so the admin UI and the
 * companion page can show a scannable link to the page without a CDN or an npm package; the
 * structure follows the well-known layout of Nayuki's reference generator (MIT), rewritten here.
 *
 * Checked against Debian's `qrencode` (libqrencode) matrices in golden tests, and decoded by
 * `zbarimg` in an integration test.
 */

export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

export interface QrCode {
  readonly version: number;
  readonly errorCorrection: QrErrorCorrection;
  readonly mask: number;
  /** Modules per side (17 + 4·version). */
  readonly size: number;
  /** `modules[y][x]`: true = dark. */
  readonly modules: readonly (readonly boolean[])[];
}

export interface QrOptions {
  /** Default 'M' (15 % of codewords recoverable: enough for a screen, short enough for a phone). */
  readonly errorCorrection?: QrErrorCorrection;
  /** Smallest version to use (1–40); the smallest that fits is chosen from there. */
  readonly minVersion?: number;
  /** Force a mask pattern (0–7); default: the one with the lowest penalty score. */
  readonly mask?: number;
}

/** Thrown when the text does not fit version 40 at the requested level. */
export class QrDataTooLongError extends RangeError {
  constructor(bytes: number, level: QrErrorCorrection) {
    super(`QR: ${bytes} bytes do not fit a version-40 symbol at level ${level}`);
    this.name = 'QrDataTooLongError';
  }
}

/** Format-information bits of each level (not in L, M, Q, H order). */
const FORMAT_BITS: Readonly<Record<QrErrorCorrection, number>> = { L: 1, M: 0, Q: 3, H: 2 };

/** Error-correction codewords per block, by level then version (index 0 unused). */
const ECC_PER_BLOCK: Readonly<Record<QrErrorCorrection, readonly number[]>> = {
  L: [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  M: [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
  Q: [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
  H: [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
};

/** Number of error-correction blocks, by level then version (index 0 unused). */
const BLOCKS: Readonly<Record<QrErrorCorrection, readonly number[]>> = {
  L: [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
  M: [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
  Q: [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
  H: [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
};

/** Encodes text (UTF-8, byte mode) into the smallest symbol that holds it. */
export function encodeQr(text: string, options: QrOptions = {}): QrCode {
  const level = options.errorCorrection ?? 'M';
  const data = new TextEncoder().encode(text);
  const first = Math.min(40, Math.max(1, Math.floor(options.minVersion ?? 1)));
  for (let version = first; version <= 40; version++) {
    const headerBits = 4 + (version <= 9 ? 8 : 16);
    if (headerBits + data.length * 8 <= dataCodewords(version, level) * 8) return build(data, version, level, options.mask);
  }
  throw new QrDataTooLongError(data.length, level);
}

/** Data codewords a symbol holds (total minus error correction). */
export function dataCodewords(version: number, level: QrErrorCorrection): number {
  return Math.floor(rawDataModules(version) / 8) - (ECC_PER_BLOCK[level][version] ?? 0) * (BLOCKS[level][version] ?? 0);
}

/** Modules left for data and error correction once the function patterns are drawn. */
function rawDataModules(version: number): number {
  let result = (16 * version + 128) * version + 64;
  if (version >= 2) {
    const align = Math.floor(version / 7) + 2;
    result -= (25 * align - 10) * align - 55;
    if (version >= 7) result -= 36;
  }
  return result;
}

/** Centre coordinates of the alignment patterns (both axes). */
export function alignmentPositions(version: number): readonly number[] {
  if (version === 1) return [];
  const count = Math.floor(version / 7) + 2;
  const step = Math.floor((version * 8 + count * 3 + 5) / (count * 4 - 4)) * 2;
  const size = version * 4 + 17;
  const out: number[] = [];
  for (let pos = size - 7; out.length < count - 1; pos -= step) out.unshift(pos);
  out.unshift(6);
  return out;
}

class Matrix {
  readonly dark: boolean[][];
  readonly fixed: boolean[][];
  constructor(readonly size: number) {
    this.dark = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
    this.fixed = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  }
  setFunction(x: number, y: number, dark: boolean): void {
    const row = this.dark[y];
    const fixedRow = this.fixed[y];
    if (row === undefined || fixedRow === undefined || x < 0 || x >= this.size) return;
    row[x] = dark;
    fixedRow[x] = true;
  }
  get(x: number, y: number): boolean {
    return this.dark[y]?.[x] === true;
  }
  isFixed(x: number, y: number): boolean {
    return this.fixed[y]?.[x] === true;
  }
  flip(x: number, y: number): void {
    const row = this.dark[y];
    if (row !== undefined) row[x] = !row[x];
  }
}

function build(data: Uint8Array, version: number, level: QrErrorCorrection, forcedMask: number | undefined): QrCode {
  const codewords = interleave(dataWithPadding(data, version, level), version, level);
  const size = version * 4 + 17;
  const base = new Matrix(size);
  drawFunctionPatterns(base, version, level);
  drawCodewords(base, codewords);
  let best: { mask: number; matrix: Matrix } | undefined;
  let bestPenalty = Infinity;
  const masks = forcedMask === undefined ? [0, 1, 2, 3, 4, 5, 6, 7] : [forcedMask & 7];
  for (const mask of masks) {
    const m = copyMatrix(base);
    applyMask(m, mask);
    drawFormatBits(m, level, mask);
    const penalty = masks.length === 1 ? 0 : penaltyScore(m);
    if (penalty < bestPenalty) {
      bestPenalty = penalty;
      best = { mask, matrix: m };
    }
  }
  if (best === undefined) throw new RangeError('QR: no mask');
  return { version, errorCorrection: level, mask: best.mask, size, modules: best.matrix.dark };
}

function copyMatrix(m: Matrix): Matrix {
  const out = new Matrix(m.size);
  for (let y = 0; y < m.size; y++) {
    out.dark[y] = [...(m.dark[y] ?? [])];
    out.fixed[y] = [...(m.fixed[y] ?? [])];
  }
  return out;
}

/** Mode indicator, count, data, terminator, bit padding and the 0xEC/0x11 pad bytes. */
function dataWithPadding(data: Uint8Array, version: number, level: QrErrorCorrection): number[] {
  const bits: number[] = [];
  const push = (value: number, length: number): void => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  push(0b0100, 4);
  push(data.length, version <= 9 ? 8 : 16);
  for (const b of data) push(b, 8);
  const capacity = dataCodewords(version, level) * 8;
  push(0, Math.min(4, capacity - bits.length));
  push(0, (8 - (bits.length % 8)) % 8);
  const bytes: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    let b = 0;
    for (let j = 0; j < 8; j++) b = (b << 1) | (bits[i + j] ?? 0);
    bytes.push(b);
  }
  for (let pad = 0xec; bytes.length < capacity / 8; pad ^= 0xec ^ 0x11) bytes.push(pad);
  return bytes;
}

/** Splits into blocks, appends each block's Reed–Solomon codewords and interleaves them. */
function interleave(data: readonly number[], version: number, level: QrErrorCorrection): number[] {
  const blockCount = BLOCKS[level][version] ?? 1;
  const eccLength = ECC_PER_BLOCK[level][version] ?? 0;
  const raw = Math.floor(rawDataModules(version) / 8);
  const shortBlocks = blockCount - (raw % blockCount);
  const shortLength = Math.floor(raw / blockCount);
  const divisor = reedSolomonDivisor(eccLength);
  const blocks: number[][] = [];
  for (let i = 0, k = 0; i < blockCount; i++) {
    const block = data.slice(k, k + shortLength - eccLength + (i < shortBlocks ? 0 : 1));
    k += block.length;
    const ecc = reedSolomonRemainder(block, divisor);
    if (i < shortBlocks) block.push(0);
    blocks.push([...block, ...ecc]);
  }
  const out: number[] = [];
  const width = blocks[0]?.length ?? 0;
  for (let i = 0; i < width; i++) {
    for (let j = 0; j < blocks.length; j++) {
      // The padding byte of short blocks is not transmitted.
      if (i !== shortLength - eccLength || j >= shortBlocks) out.push(blocks[j]?.[i] ?? 0);
    }
  }
  return out;
}

/** GF(2^8) product modulo x^8 + x^4 + x^3 + x^2 + 1 (0x11D). */
export function gfMultiply(x: number, y: number): number {
  let z = 0;
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d);
    z ^= ((y >>> i) & 1) * x;
  }
  return z & 0xff;
}

/** Coefficients (highest first, leading 1 dropped) of ∏ (x − α^i), i < degree. */
export function reedSolomonDivisor(degree: number): number[] {
  const result = new Array<number>(degree).fill(0);
  result[degree - 1] = 1;
  let root = 1;
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < degree; j++) {
      result[j] = gfMultiply(result[j] ?? 0, root);
      if (j + 1 < degree) result[j] = (result[j] ?? 0) ^ (result[j + 1] ?? 0);
    }
    root = gfMultiply(root, 0x02);
  }
  return result;
}

/** Remainder of data·x^degree divided by the generator: the error-correction codewords. */
export function reedSolomonRemainder(data: readonly number[], divisor: readonly number[]): number[] {
  const result = new Array<number>(divisor.length).fill(0);
  for (const b of data) {
    const factor = b ^ (result.shift() ?? 0);
    result.push(0);
    for (let i = 0; i < divisor.length; i++) result[i] = (result[i] ?? 0) ^ gfMultiply(divisor[i] ?? 0, factor);
  }
  return result;
}

function drawFunctionPatterns(m: Matrix, version: number, level: QrErrorCorrection): void {
  const size = m.size;
  for (let i = 0; i < size; i++) {
    m.setFunction(6, i, i % 2 === 0);
    m.setFunction(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [
    [3, 3],
    [size - 4, 3],
    [3, size - 4],
  ] as const) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const dist = Math.max(Math.abs(dx), Math.abs(dy));
        const x = cx + dx;
        const y = cy + dy;
        if (x >= 0 && x < size && y >= 0 && y < size) m.setFunction(x, y, dist !== 2 && dist !== 4);
      }
    }
  }
  const align = alignmentPositions(version);
  const last = align.length - 1;
  for (let i = 0; i < align.length; i++) {
    for (let j = 0; j < align.length; j++) {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) continue;
      const cx = align[i] ?? 0;
      const cy = align[j] ?? 0;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) m.setFunction(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    }
  }
  // Reserve the format areas (drawn for real once the mask is known) and draw version info.
  drawFormatBits(m, level, 0);
  if (version >= 7) {
    let rem = version;
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
    const bits = (version << 12) | rem;
    for (let i = 0; i < 18; i++) {
      const dark = ((bits >>> i) & 1) !== 0;
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      m.setFunction(a, b, dark);
      m.setFunction(b, a, dark);
    }
  }
}

/** The 15 format bits (level and mask, BCH-protected, XOR 0x5412). */
export function formatBits(level: QrErrorCorrection, mask: number): number {
  const data = (FORMAT_BITS[level] << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return ((data << 10) | rem) ^ 0x5412;
}

function drawFormatBits(m: Matrix, level: QrErrorCorrection, mask: number): void {
  const bits = formatBits(level, mask);
  const bit = (i: number): boolean => ((bits >>> i) & 1) !== 0;
  const size = m.size;
  for (let i = 0; i <= 5; i++) m.setFunction(8, i, bit(i));
  m.setFunction(8, 7, bit(6));
  m.setFunction(8, 8, bit(7));
  m.setFunction(7, 8, bit(8));
  for (let i = 9; i < 15; i++) m.setFunction(14 - i, 8, bit(i));
  for (let i = 0; i < 8; i++) m.setFunction(size - 1 - i, 8, bit(i));
  for (let i = 8; i < 15; i++) m.setFunction(8, size - 15 + i, bit(i));
  m.setFunction(8, size - 8, true);
}

/** Places the codewords in the zigzag of two-module columns, right to left. */
function drawCodewords(m: Matrix, codewords: readonly number[]): void {
  const size = m.size;
  let i = 0;
  const total = codewords.length * 8;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let vert = 0; vert < size; vert++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        const upward = ((right + 1) & 2) === 0;
        const y = upward ? size - 1 - vert : vert;
        if (!m.isFixed(x, y) && i < total) {
          if ((((codewords[i >>> 3] ?? 0) >>> (7 - (i & 7))) & 1) !== 0) m.flip(x, y);
          i++;
        }
      }
    }
  }
}

/** Whether mask pattern `mask` inverts module (x, y). */
export function maskInverts(mask: number, x: number, y: number): boolean {
  switch (mask) {
    case 0:
      return (x + y) % 2 === 0;
    case 1:
      return y % 2 === 0;
    case 2:
      return x % 3 === 0;
    case 3:
      return (x + y) % 3 === 0;
    case 4:
      return (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0;
    case 5:
      return ((x * y) % 2) + ((x * y) % 3) === 0;
    case 6:
      return (((x * y) % 2) + ((x * y) % 3)) % 2 === 0;
    default:
      return (((x + y) % 2) + ((x * y) % 3)) % 2 === 0;
  }
}

function applyMask(m: Matrix, mask: number): void {
  for (let y = 0; y < m.size; y++) {
    for (let x = 0; x < m.size; x++) if (!m.isFixed(x, y) && maskInverts(mask, x, y)) m.flip(x, y);
  }
}

/** The standard's penalty rules N1–N4 (runs, 2×2 blocks, finder-like patterns, balance). */
export function penaltyScore(m: { readonly size: number; get(x: number, y: number): boolean }): number {
  const size = m.size;
  let score = 0;
  const lines: boolean[][] = [];
  for (let y = 0; y < size; y++) lines.push(Array.from({ length: size }, (_, x) => m.get(x, y)));
  for (let x = 0; x < size; x++) lines.push(Array.from({ length: size }, (_, y) => m.get(x, y)));
  const finderA = [true, false, true, true, true, false, true, false, false, false, false];
  const finderB = [...finderA].reverse();
  for (const line of lines) {
    let run = 1;
    for (let i = 1; i <= size; i++) {
      if (i < size && line[i] === line[i - 1]) run++;
      else {
        if (run >= 5) score += 3 + (run - 5);
        run = 1;
      }
    }
    for (let i = 0; i + 11 <= size; i++) {
      if (finderA.every((v, k) => line[i + k] === v) || finderB.every((v, k) => line[i + k] === v)) score += 40;
    }
  }
  let dark = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = m.get(x, y);
      if (c) dark++;
      if (x + 1 < size && y + 1 < size && c === m.get(x + 1, y) && c === m.get(x, y + 1) && c === m.get(x + 1, y + 1)) score += 3;
    }
  }
  const total = size * size;
  score += Math.floor(Math.abs(dark * 20 - total * 10) / total) * 10;
  return score;
}

/**
 * The symbol as SVG: one path of unit squares with a light quiet zone of `border` modules
 * (the standard asks for 4), scaled to `moduleSize` px per module.
 */
export function qrToSvg(code: QrCode, options: { readonly border?: number; readonly moduleSize?: number } = {}): string {
  const border = options.border ?? 4;
  const moduleSize = options.moduleSize ?? 4;
  const dim = code.size + border * 2;
  const parts: string[] = [];
  code.modules.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) parts.push(`M${x + border},${y + border}h1v1h-1z`);
    });
  });
  const px = dim * moduleSize;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 ${dim} ${dim}" width="${px}" height="${px}" shape-rendering="crispEdges">` +
    `<rect width="100%" height="100%" fill="#fff"/><path d="${parts.join('')}" fill="#000"/></svg>`
  );
}
