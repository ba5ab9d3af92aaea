/**
 * A chart as a standalone SVG document (export): the plotted series as polylines (broken at
 * gaps) in their theme colours, a frame, the x and y ranges as tick labels, the title and the
 * legend. Pure (no DOM), so that it is tested in Node.
 */

export interface SvgSeries {
  label: string;
  color: string;
  values: readonly (number | null)[];
  /** Dashed (confidence bands). */
  dash?: boolean;
}

export interface SvgChart {
  title: string;
  xlabel: string;
  ylabel?: string;
  xs: readonly number[];
  series: readonly SvgSeries[];
  width: number;
  height: number;
  foreground: string;
  background: string;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (v: number) => Number(v.toPrecision(4)).toString();

/** The SVG text of a chart. */
export function chartSvg(c: SvgChart): string {
  const m = { left: 64, right: 16, top: 28, bottom: 44 };
  const w = c.width - m.left - m.right;
  const h = c.height - m.top - m.bottom - 16 * Math.ceil(c.series.length / 3);
  const finite = (v: number | null | undefined): v is number =>
    v !== null && v !== undefined && Number.isFinite(v);
  const xs = c.xs.filter(finite);
  const ys = c.series.flatMap((s) => s.values.filter(finite));
  const [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  let [y0, y1] = ys.length
    ? [ys.reduce((a, b) => Math.min(a, b)), ys.reduce((a, b) => Math.max(a, b))]
    : [0, 1];
  if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
  const px = (x: number) => m.left + ((x - x0) / (x1 - x0 || 1)) * w;
  const py = (y: number) => m.top + (1 - (y - y0) / (y1 - y0)) * h;
  const lines = c.series.map((s) => {
    const runs: string[] = [];
    let run: string[] = [];
    s.values.forEach((v, i) => {
      const x = c.xs[i];
      if (finite(v) && finite(x)) run.push(`${px(x).toFixed(2)},${py(v).toFixed(2)}`);
      else if (run.length) {
        runs.push(run.join(' '));
        run = [];
      }
    });
    if (run.length) runs.push(run.join(' '));
    return runs
      .map(
        (p) =>
          `<polyline fill="none" stroke="${esc(s.color)}" stroke-width="1.5"${s.dash ? ' stroke-dasharray="4 3"' : ''} points="${p}"/>`,
      )
      .join('\n');
  });
  const text = (x: number, y: number, s: string, anchor = 'middle') =>
    `<text x="${x}" y="${y}" text-anchor="${anchor}" fill="${esc(c.foreground)}" font-family="sans-serif" font-size="11">${esc(s)}</text>`;
  const legendY = m.top + h + 36;
  const legend = c.series.map((s, i) => {
    const x = m.left + (i % 3) * (w / 3);
    const y = legendY + 16 * Math.floor(i / 3);
    return `<line x1="${x}" y1="${y - 4}" x2="${x + 18}" y2="${y - 4}" stroke="${esc(s.color)}" stroke-width="2"/>${text(x + 24, y, s.label, 'start')}`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${c.width}" height="${c.height}" viewBox="0 0 ${c.width} ${c.height}">`,
    `<rect width="100%" height="100%" fill="${esc(c.background)}"/>`,
    text(c.width / 2, 16, c.title),
    `<rect x="${m.left}" y="${m.top}" width="${w}" height="${h}" fill="none" stroke="${esc(c.foreground)}" stroke-opacity="0.4"/>`,
    ...lines,
    text(m.left, m.top + h + 14, fmt(x0), 'start'),
    text(m.left + w, m.top + h + 14, fmt(x1), 'end'),
    text(m.left + w / 2, m.top + h + 28, c.xlabel),
    text(m.left - 4, m.top + 10, fmt(y1), 'end'),
    text(m.left - 4, m.top + h, fmt(y0), 'end'),
    ...(c.ylabel ? [text(m.left - 4, m.top + h / 2, c.ylabel, 'end')] : []),
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}
