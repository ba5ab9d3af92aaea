/**
 * Min/max row selection for drawing a long record on a few pixel columns (no Node modules: the
 * job thread's reads and the wire form of a run for a panel's width, overview-pixels.ts, use it).
 */

/**
 * The rows of [from, to) to draw on `buckets` columns: every row when there are at most
 * 2 × buckets, else per bucket its first and last row and the rows of each series' finite
 * minimum and maximum, ascending (at most 2 + 2·series rows per bucket).
 */
export function minMaxRows(
  series: readonly Float64Array[],
  from: number,
  to: number,
  buckets: number,
): number[] {
  const n = Math.max(0, to - from);
  const b = Math.max(1, Math.floor(buckets));
  if (n <= 2 * b) return Array.from({ length: n }, (_, i) => from + i);
  const out: number[] = [];
  const per = n / b;
  const picked: number[] = [];
  for (let c = 0; c < b; c++) {
    const i0 = from + Math.floor(c * per);
    const i1 = Math.min(to, from + Math.floor((c + 1) * per));
    if (i1 <= i0) continue;
    picked.length = 0;
    picked.push(i0, i1 - 1);
    for (const s of series) {
      let iLo = -1;
      let iHi = -1;
      for (let i = i0; i < i1; i++) {
        const v = s[i]!;
        if (!Number.isFinite(v)) continue;
        if (iLo < 0 || v < s[iLo]!) iLo = i;
        if (iHi < 0 || v > s[iHi]!) iHi = i;
      }
      if (iLo >= 0) picked.push(iLo, iHi);
    }
    picked.sort((x, y) => x - y);
    for (let i = 0; i < picked.length; i++)
      if (i === 0 || picked[i] !== picked[i - 1]) out.push(picked[i]!);
  }
  return out;
}
