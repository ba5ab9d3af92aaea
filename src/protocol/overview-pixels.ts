/**
 * A long part's overview trimmed to the pixel columns the panel draws it on. The job thread reads
 * a part longer than it sends whole as an overview of OVERVIEW_BUCKETS buckets (per bucket the
 * rows of each series' minimum and maximum: PartView.overview), before the panel has said how wide
 * it is; the panel draws a chart on at most ~1,000 columns, one bucket per column. So once it has
 * (the `ready` message), the host keeps the same min/max rows over the overview's rows for that
 * many buckets: the chart shows the same extremes, and what crosses to the page (and what it saves
 * as its state) is about four times smaller. A zoomed chart still asks for its range at full
 * resolution.
 */
import type { HostToView, PartView, RunView } from './webview-messages.js';
import { minMaxRows } from './min-max-rows.js';

/** `p` with its overview rows reduced to `pixels` min/max buckets (p itself when not an overview). */
export function overviewForPixels(p: PartView, pixels: number): PartView {
  if (!p.overview) return p;
  const rows = minMaxRows(
    [...p.y, ...p.yhat].map((s) => Float64Array.from(s)),
    0,
    p.k.length,
    pixels,
  );
  if (rows.length === p.k.length) return p;
  const pick = (s: readonly number[]) => rows.map((r) => s[r]!);
  return { ...p, k: pick(p.k), y: p.y.map(pick), yhat: p.yhat.map(pick) };
}

const runForPixels = (r: RunView, pixels: number): RunView =>
  r.parts.some((p) => p.overview)
    ? { ...r, parts: r.parts.map((p) => overviewForPixels(p, pixels)) }
    : r;

/** A host message as a panel drawing on `pixels` columns needs it (runs and comparisons). */
export function messageForPixels(m: HostToView, pixels: number | undefined): HostToView {
  if (pixels === undefined) return m;
  if (m.type === 'run') return { ...m, run: runForPixels(m.run, pixels) };
  if (m.type === 'compare') return { ...m, runs: m.runs.map((r) => runForPixels(r, pixels)) };
  return m;
}
