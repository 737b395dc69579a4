/**
 * ffmpeg's live CSV segment list (pure): `-segment_list_flags live` appends `name,start,end`
 * once a segment is closed. Lines may arrive in pieces, so the parser keeps the unfinished tail.
 */

export interface ClosedSegment {
  /** File name as ffmpeg wrote it (the path given to the muxer, without its folder). */
  readonly name: string;
  readonly startSeconds: number;
  readonly endSeconds: number;
}

/** Splits appended CSV text into complete entries; call again with the next chunk. */
export class SegmentListParser {
  private pending = '';

  push(chunk: string): ClosedSegment[] {
    this.pending += chunk;
    const out: ClosedSegment[] = [];
    let nl = this.pending.indexOf('\n');
    while (nl !== -1) {
      const line = this.pending.slice(0, nl).replace(/\r$/, '');
      this.pending = this.pending.slice(nl + 1);
      const entry = parseListLine(line);
      if (entry) out.push(entry);
      nl = this.pending.indexOf('\n');
    }
    return out;
  }
}

/** One CSV line; the name may be quoted ("a,b" with "" for a quote). */
export function parseListLine(line: string): ClosedSegment | undefined {
  const lastComma = line.lastIndexOf(',');
  const prevComma = lastComma > 0 ? line.lastIndexOf(',', lastComma - 1) : -1;
  if (prevComma <= 0) return undefined;
  let name = line.slice(0, prevComma);
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).split('""').join('"');
  const startSeconds = Number(line.slice(prevComma + 1, lastComma));
  const endSeconds = Number(line.slice(lastComma + 1));
  if (name === '' || !Number.isFinite(startSeconds) || !Number.isFinite(endSeconds)) return undefined;
  const slash = name.lastIndexOf('/');
  return { name: slash === -1 ? name : name.slice(slash + 1), startSeconds, endSeconds };
}
