/** The Sweep panel's page: sorted rows, run links, the Pareto chart, a strict CSP, escaped text. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sweepHtml } from '../../src/extension/sweep-html';
import type { SweepFile, SweepRow } from '../../src/protocol/sweep';

const row = (id: string, states: number, v: number, extra: Partial<SweepRow> = {}): SweepRow => ({
  id,
  seed: 1,
  settings: { 'model.states': String(states) },
  status: 'done',
  run: `fits/${id}`,
  stop: 'converged',
  metrics: { validationRmse: v, states },
  wall: 1,
  ...extra,
});

const SWEEP: SweepFile = {
  format: 'nails-sweep/1',
  spec: 'a.nails',
  grid: { axes: [{ key: 'model.states', values: ['1', '2', '3'] }], seeds: [1] },
  selectBy: 'validationRmse',
  rows: [
    row('s3', 3, 0.2),
    row('s1', 1, 0.5),
    row('s2', 2, 0.1),
    row('bad', 4, NaN, { status: 'failed', error: 'states <b>', metrics: {} }),
  ],
  pareto: ['s1', 's2'],
  best: { id: 's2', settings: { 'model.states': '2' }, metric: 0.1 },
  started: '',
  updated: '',
};

describe('sweep panel page', () => {
  it('sorts by the metric, links runs, draws the front, escapes text, allows no script', () => {
    const html = sweepHtml(SWEEP, '/sweeps/x', 'validationRmse');
    const order = ['s2', 's3', 's1'].map((id) => html.indexOf(`fits%2F${id}`));
    assert.ok(order[0]! < order[1]! && order[1]! < order[2]!, 'sorted by validation RMSE');
    assert.ok(html.indexOf('failed: states &#60;b&#62;') > order[2]!, 'failed rows last, escaped');
    assert.match(html, /command:nails\.showResults\?/);
    assert.match(html, /command:nails\.sweepPanelSort\?%5B%22testRmse%22%5D/);
    assert.match(html, /<polyline class="front"/);
    assert.match(html, /default-src 'none'/);
    assert.doesNotMatch(html, /<script/);
    assert.match(html, /Selected: model\.states=2/);
    const byWall = sweepHtml(SWEEP, '/sweeps/x', 'states');
    assert.ok(byWall.indexOf('fits%2Fs1') < byWall.indexOf('fits%2Fs2'));
  });
});
