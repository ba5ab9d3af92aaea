/** Minimal line plots as SVG (converted to PNG by rsvg-convert when it is installed). */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export interface Series {
  name: string;
  x: number[];
  y: number[];
  color: string;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

export function color(i: number): string {
  return COLORS[i % COLORS.length]!;
}

function ticks(lo: number, hi: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
    return out.filter((t) => t >= lo / 1.0001 && t <= hi * 1.0001);
  }
  const step = 10 ** Math.floor(Math.log10((hi - lo) / 4 || 1));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (hi - lo) / s <= 6) ?? step * 10;
  const out: number[] = [];
  for (let t = Math.ceil(lo / nice) * nice; t <= hi + 1e-12; t += nice)
    out.push(Number(t.toPrecision(12)));
  return out;
}

/** Writes `<file>.svg` and, if possible, `<file>.png`; returns the PNG path (or the SVG's). */
export function linePlot(
  file: string,
  o: {
    title: string;
    xlabel: string;
    ylabel: string;
    series: Series[];
    logX?: boolean;
    logY?: boolean;
  },
): string {
  // The legend sits right of the plot: room for the longest name (about 7.2 px per character of
  // the 13-px font), the plot itself 620 px wide.
  const longest = Math.max(0, ...o.series.map((s) => s.name.length));
  const m = { l: 80, r: Math.max(200, 56 + Math.ceil(7.2 * longest)), t: 40, b: 55 };
  const W = m.l + 620 + m.r;
  const H = 500;
  const pts = o.series
    .flatMap((s) => s.x.map((x, i) => [x, s.y[i]!] as const))
    .filter(
      ([x, y]) =>
        Number.isFinite(x) && Number.isFinite(y) && (!o.logX || x > 0) && (!o.logY || y > 0),
    );
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const [x0, y0] = [Math.min(...xs), Math.min(...ys)];
  let [x1, y1] = [Math.max(...xs), Math.max(...ys)];
  if (x0 === x1) x1 = x0 + 1;
  if (y0 === y1) y1 = y0 + 1;
  const tx = (x: number) =>
    m.l +
    ((o.logX ? Math.log10(x) - Math.log10(x0) : x - x0) /
      (o.logX ? Math.log10(x1) - Math.log10(x0) : x1 - x0)) *
      (W - m.l - m.r);
  const ty = (y: number) =>
    H -
    m.b -
    ((o.logY ? Math.log10(y) - Math.log10(y0) : y - y0) /
      (o.logY ? Math.log10(y1) - Math.log10(y0) : y1 - y0)) *
      (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.l}" y="24" font-size="16">${o.title}</text>`,
    `<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#444"/>`,
  ];
  for (const t of ticks(x0, x1, !!o.logX))
    parts.push(
      `<line x1="${tx(t)}" x2="${tx(t)}" y1="${m.t}" y2="${H - m.b}" stroke="#ddd"/><text x="${tx(t)}" y="${H - m.b + 18}" text-anchor="middle">${t.toPrecision(3)}</text>`,
    );
  for (const t of ticks(y0, y1, !!o.logY))
    parts.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${ty(t)}" y2="${ty(t)}" stroke="#ddd"/><text x="${m.l - 6}" y="${ty(t) + 4}" text-anchor="end">${t.toPrecision(3)}</text>`,
    );
  parts.push(
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 12}" text-anchor="middle">${o.xlabel}</text>`,
  );
  parts.push(
    `<text transform="translate(18 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${o.ylabel}</text>`,
  );
  o.series.forEach((s, k) => {
    const d = s.x
      .map((x, i) => [x, s.y[i]!] as const)
      .filter(
        ([x, y]) =>
          Number.isFinite(x) && Number.isFinite(y) && (!o.logX || x > 0) && (!o.logY || y > 0),
      )
      .map(([x, y], i) => `${i ? 'L' : 'M'}${tx(x).toFixed(1)},${ty(y).toFixed(1)}`)
      .join('');
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"/>`);
    parts.push(
      `<line x1="${W - m.r + 15}" x2="${W - m.r + 40}" y1="${m.t + 15 + 20 * k}" y2="${m.t + 15 + 20 * k}" stroke="${s.color}" stroke-width="3"/><text x="${W - m.r + 46}" y="${m.t + 19 + 20 * k}">${s.name}</text>`,
    );
  });
  parts.push('</svg>');
  writeFileSync(`${file}.svg`, parts.join('\n'));
  try {
    execFileSync('rsvg-convert', ['-o', `${file}.png`, `${file}.svg`]);
    return `${file}.png`;
  } catch {
    return `${file}.svg`;
  }
}
