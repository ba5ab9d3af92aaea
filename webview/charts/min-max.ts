/**
 * Min/max decimation per pixel for long records: the samples of the visible x range are split
 * into one bucket per pixel column and each bucket keeps its first and last x with every
 * series' minimum and maximum (in the order they occur), so that a 200,000-sample record is drawn
 * from ~2 points per pixel and still shows every spike. A range of at most 2 points per pixel is
 * returned as it is: zooming in reaches full resolution. The record's first and last samples are
 * always kept so that the full range stays known (double-click resets to it).
 */

export type Series = readonly (number | null)[];

/** Index of the first x ≥ v (or > v with `after`) in sorted xs. */
function bound(xs: readonly number[], v: number, after = false): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < v || (after && xs[mid] === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * xs (sorted) and its series reduced for drawing [xmin, xmax] on `pixels` columns.
 * @returns [xs, ...series] of the reduced data (a copy; the input is not changed).
 */
export function minMaxDecimate(
  xs: readonly number[],
  series: readonly Series[],
  xmin: number,
  xmax: number,
  pixels: number,
): [number[], ...(number | null)[][]] {
  const n = xs.length;
  // The visible samples and one neighbour on each side (so lines run to the plot's edges).
  const a = Math.max(0, bound(xs, xmin) - 1);
  const b = Math.min(n, bound(xs, xmax, true) + 1);
  const outX: number[] = [];
  const outS: (number | null)[][] = series.map(() => []);
  const push = (i: number) => {
    outX.push(xs[i]!);
    series.forEach((s, j) => outS[j]!.push(s[i] ?? null));
  };
  if (n === 0) return [outX, ...outS];
  if (a > 0) push(0);
  const buckets = Math.max(1, Math.floor(pixels));
  if (b - a <= 2 * buckets) for (let i = a; i < b; i++) push(i);
  else {
    const per = (b - a) / buckets;
    for (let c = 0; c < buckets; c++) {
      const i0 = a + Math.floor(c * per);
      const i1 = Math.min(b, a + Math.floor((c + 1) * per));
      if (i1 <= i0) continue;
      outX.push(xs[i0]!, xs[i1 - 1]!);
      series.forEach((s, j) => {
        let lo: number | null = null;
        let hi: number | null = null;
        let iLo = i0;
        let iHi = i0;
        for (let i = i0; i < i1; i++) {
          const v = s[i];
          if (v === null || v === undefined || !Number.isFinite(v)) continue;
          if (lo === null || v < lo) [lo, iLo] = [v, i];
          if (hi === null || v > hi) [hi, iHi] = [v, i];
        }
        outS[j]!.push(...(iLo <= iHi ? [lo, hi] : [hi, lo]));
      });
    }
  }
  if (b < n) push(n - 1);
  return [outX, ...outS];
}

/**
 * The series with [dxs[0], dxs.at(-1)] replaced by finer data for that range (a zoomed range of a
 * long record read at full resolution): the held points outside it, then the detail.
 * @returns [xs, ...series], sorted by x like the inputs.
 */
export function spliceDetail(
  xs: readonly number[],
  series: readonly Series[],
  dxs: readonly number[],
  dseries: readonly Series[],
): [number[], ...(number | null)[][]] {
  if (dxs.length === 0) return [[...xs], ...series.map((s) => [...s])];
  const lo = bound(xs, dxs[0]!);
  const hi = bound(xs, dxs[dxs.length - 1]!, true);
  const cut = <T>(a: readonly T[], d: readonly T[]) => [...a.slice(0, lo), ...d, ...a.slice(hi)];
  return [cut(xs, dxs), ...series.map((s, j) => cut<number | null>(s, dseries[j] ?? []))];
}
