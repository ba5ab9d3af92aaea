/**
 * The wire form of a run for a page's plot width (src/protocol/overview-pixels.ts): a long part's
 * overview is trimmed to the page's pixel columns and keeps every extreme a chart of that width
 * shows; short parts and messages without a width cross unchanged. Also the `ready` guard.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minMaxRows } from '../../src/protocol/min-max-rows';
import { messageForPixels, overviewForPixels } from '../../src/protocol/overview-pixels';
import { isViewMessage, type HostToView, type PartView } from '../../src/protocol/webview-messages';
import { OVERVIEW_BUCKETS } from '../../src/run/run-view';
import { Random } from '../../src/core/random';

/** A 1e6-sample record with noise and 40 isolated spikes (up and down), as the job thread sends it. */
function longPart() {
  const N = 1_000_000;
  const rng = new Random(3);
  const y = new Float64Array(N);
  const yhat = new Float64Array(N);
  for (let k = 0; k < N; k++) {
    y[k] = Math.sin(k / 3000) + 0.05 * rng.normal();
    yhat[k] = Math.sin(k / 3000);
  }
  const spikes = Array.from({ length: 40 }, (_, i) => 12_345 + i * 24_601);
  spikes.forEach((k, i) => (y[k] = i % 2 ? -6 - i / 10 : 6 + i / 10));
  const rows = minMaxRows([y, yhat], 0, N, OVERVIEW_BUCKETS);
  const pick = (s: Float64Array) => rows.map((r) => s[r]!);
  const part: PartView = {
    kind: 'test',
    name: 'test',
    N,
    nInit: 5,
    outputs: [{ name: 'y' }],
    metrics: [],
    overview: true,
    k: rows,
    y: [pick(y)],
    yhat: [pick(yhat)],
  };
  return { part, spikes, y, yhat, N };
}

describe('a long part trimmed to the page plot width', () => {
  it('keeps each pixel column’s extremes and every spike, in a message about four times smaller', () => {
    const { part, spikes, y, N } = longPart();
    const pixels = 1020;
    const t = overviewForPixels(part, pixels);
    assert.equal(t.overview, true);
    assert.ok(t.k.length <= pixels * 6, `${t.k.length} rows for ${pixels} columns`);
    assert.ok(
      t.k.length >= pixels * 2,
      `${t.k.length} rows: first and last of every column at least`,
    );
    for (let i = 1; i < t.k.length; i++)
      assert.ok(t.k[i]! > t.k[i - 1]!, 'rows ascending, once each');
    // Whole rows: every value is the record's value at its k.
    t.k.forEach((k, i) => assert.equal(t.y[0]![i], y[k]));
    for (const k of spikes) assert.ok(t.k.includes(k), `spike at ${k}`);
    // No extreme is lost by more than a pixel column: the extremes of the record in each of 50
    // windows are among the trimmed rows within one column (N / pixels samples) of the window.
    const slack = (2 * N) / pixels;
    for (let w = 0; w < 50; w++) {
      const a = Math.floor((w * N) / 50);
      const b = Math.floor(((w + 1) * N) / 50);
      let lo = Infinity;
      let hi = -Infinity;
      for (let k = a; k < b; k++) [lo, hi] = [Math.min(lo, y[k]!), Math.max(hi, y[k]!)];
      const near = t.y[0]!.filter((_, i) => t.k[i]! >= a - slack && t.k[i]! < b + slack);
      assert.ok(Math.min(...near) <= lo, `window ${w} minimum`);
      assert.ok(Math.max(...near) >= hi, `window ${w} maximum`);
    }
    const before = JSON.stringify(part).length;
    const after = JSON.stringify(t).length;
    assert.ok(after * 3 < before, `${after} characters against ${before}`);
  });

  it('a short part, a message without a width and a live message cross unchanged', () => {
    const { part } = longPart();
    const short: PartView = { ...part, k: [0, 1, 2], y: [[1, 2, 3]], yhat: [[1, 2, 3]] };
    delete short.overview;
    assert.equal(overviewForPixels(short, 100), short);
    const run = {
      title: 'r',
      runDir: '/r',
      method: 'nailm',
      status: 'converged',
      message: '',
      value: 1,
      iterations: 1,
      wallSeconds: 1,
      history: [],
      parts: [short],
    };
    const m: HostToView = { type: 'run', run };
    assert.equal(messageForPixels(m, undefined), m);
    assert.deepEqual(messageForPixels(m, 800), m);
    const live: HostToView = { type: 'live', title: 't', history: [] };
    assert.equal(messageForPixels(live, 800), live);
    const long: HostToView = { type: 'compare', runs: [{ ...run, parts: [part, short] }] };
    const c = messageForPixels(long, 800) as Extract<HostToView, { type: 'compare' }>;
    assert.ok(c.runs[0]!.parts[0]!.k.length < part.k.length);
    assert.equal(c.runs[0]!.parts[1], short);
  });

  it('the page’s ready message carries a whole, positive plot width or none', () => {
    assert.ok(isViewMessage({ type: 'ready' }));
    assert.ok(isViewMessage({ type: 'ready', pixels: 1020 }));
    for (const pixels of [0, -5, 1.5, Number.NaN, '800', 1e9])
      assert.ok(!isViewMessage({ type: 'ready', pixels }), String(pixels));
  });
});
