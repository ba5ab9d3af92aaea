/**
 * What the panels plot: min/max-per-pixel decimation of long records (every spike kept, full
 * resolution once zoomed in, the record's ends kept) and the SVG export of a chart.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minMaxDecimate, spliceDetail } from '../../webview/charts/min-max';
import { chartSvg } from '../../webview/charts/svg';

const N = 200_000;
const xs = Array.from({ length: N }, (_, k) => k);
const ys = xs.map((k) => Math.sin(k / 500));
ys[123_457] = 50; // one spike
ys[77_777] = -40;

describe('min/max decimation', () => {
  it('a 200,000-sample record on 500 pixels: ≤ 2 points per pixel, every extreme kept', () => {
    const [x, y] = minMaxDecimate(xs, [ys], 0, N - 1, 500);
    assert.ok(x.length <= 2 * 500 + 2, `${x.length} points`);
    assert.equal(x.length, y!.length);
    assert.ok(y!.includes(50) && y!.includes(-40), 'the spikes survive');
    assert.equal(x[0], 0);
    assert.equal(x.at(-1), N - 1);
    for (let i = 1; i < x.length; i++) assert.ok(x[i]! >= x[i - 1]!, 'x stays sorted');
  });

  it('zoomed in to 300 samples on 500 pixels: every sample, plus the ends of the record', () => {
    const [x, y] = minMaxDecimate(xs, [ys], 1000, 1299, 500);
    // [first of record] + 999 … 1300 (one neighbour each side) + [last of record]
    assert.equal(x.length, 1 + 302 + 1);
    assert.equal(x[1], 999);
    assert.equal(x.at(-2), 1300);
    for (let i = 1; i < x.length - 1; i++) assert.equal(y![i], ys[x[i]!]);
  });

  it('gaps (null) stay gaps and several series share the buckets', () => {
    const a = xs.map((k) => (k % 1000 < 10 ? null : 1));
    const b = xs.map((k) => -k);
    const [x, ra, rb] = minMaxDecimate(xs, [a, b], 0, N - 1, 100);
    assert.equal(ra!.length, x.length);
    assert.equal(rb!.length, x.length);
    assert.ok(rb!.includes(-(N - 1)) && rb!.includes(0));
    const all = minMaxDecimate(xs, [xs.map(() => null)], 0, N - 1, 100)[1]!;
    assert.ok(all.every((v) => v === null));
  });
});

describe('an overview with a zoomed range at full resolution', () => {
  it('the held points outside the range, the detail inside it, sorted; then decimated per pixel', () => {
    // An overview of 0…1e6 every 1,000 samples; the detail: every sample of 5,000…6,000.
    const ox = Array.from({ length: 1001 }, (_, i) => i * 1000);
    const oy = ox.map((k) => k / 1000);
    const dx = Array.from({ length: 1001 }, (_, i) => 5000 + i);
    const dy = dx.map((k) => -k);
    const [x, y] = spliceDetail(ox, [oy], dx, [dy]);
    assert.equal(x.length, 1001 - 2 + 1001, 'overview points 5000 and 6000 replaced');
    for (let i = 1; i < x.length; i++) assert.ok(x[i]! > x[i - 1]!, 'x sorted, no duplicates');
    assert.equal(y![x.indexOf(5500)], -5500);
    assert.equal(y![x.indexOf(7000)], 7);
    // 1,001 detail samples drawn on 300 pixels: min/max decimated, the extremes kept.
    const [vx, vy] = minMaxDecimate(x, [y!], 5000, 6000, 300);
    assert.ok(vx.length <= 2 * 300 + 4);
    // (plus the record's ends, 0 and 1e6, kept so that the full range stays known)
    const shown = vy!.filter((v, i): v is number => v !== null && vx[i]! > 0 && vx[i]! < 1e6);
    assert.equal(Math.min(...shown), -6000);
    assert.equal(Math.max(...shown), 7, 'the neighbour beyond the range (7000) is drawn too');
    // An empty detail leaves the overview as it was.
    assert.deepEqual(spliceDetail(ox, [oy], [], [[]]), [ox, oy]);
  });
});

describe('SVG export', () => {
  it('polylines in the series colours, broken at gaps, with the title escaped', () => {
    const svg = chartSvg({
      title: 'Residuals <test> & "y"',
      xlabel: 'sample',
      ylabel: 'e [V]',
      xs: [0, 1, 2, 3, 4, 5],
      series: [
        { label: 'e', color: '#3794ff', values: [0, 1, null, 2, 3, 4] },
        { label: '+99 %', color: 'rgba(1, 2, 3, 0.5)', values: [1, 1, 1, 1, 1, 1], dash: true },
      ],
      width: 400,
      height: 300,
      foreground: '#cccccc',
      background: '#1e1e1e',
    });
    assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
    assert.ok(svg.includes('Residuals &lt;test&gt; &amp; &quot;y&quot;'));
    const lines = [...svg.matchAll(/<polyline[^>]*stroke="([^"]+)"[^>]*points="([^"]+)"/g)];
    assert.deepEqual(
      lines.map((m) => [m[1], m[2]!.split(' ').length]),
      [
        ['#3794ff', 2],
        ['#3794ff', 3],
        ['rgba(1, 2, 3, 0.5)', 6],
      ],
    );
    assert.ok(svg.includes('stroke-dasharray'));
    assert.ok(svg.includes('fill="#1e1e1e"'));
  });
});
