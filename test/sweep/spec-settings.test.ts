/** `--set` keys applied to spec text through the parse tree, and the grid they make. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { setting, settingProblem } from '../../src/language/settings-schema';
import { applySettings } from '../../src/language/spec-settings';
import { combinations, fitId, parseAxis, parseSeeds } from '../../src/sweep/grid';
import { ROOT } from '../helpers';

const TANKS = readFileSync(path.join(ROOT, 'examples', 'cascaded-tanks.nails'), 'utf8');
const BARE =
  'data {\n  generate binary_output seed 1 samples 400\n  train 0..200\n}\nmodel linear { states 2 }\nsolver nails\n';

describe('applySettings', () => {
  it('replaces the value in place and keeps comments and layout', () => {
    const t = applySettings(TANKS, { 'model.states': '5', 'regularize.l1': '0.01' });
    assert.match(t, /^ {2}states 5$/m);
    assert.match(t, /^ {2}l1 0\.01 +\/\/ ADMM: exact zeros in θ$/m);
    assert.equal(t.split('\n').length, TANKS.split('\n').length);
    assert.equal(applySettings(TANKS, {}), TANKS);
  });

  it('replaces hidden sizes, activations, solver and ADMM settings', () => {
    const t = applySettings(TANKS, {
      'model.state.hidden': '4x6',
      'model.output.activation': 'tanh',
      'solver.iterations': '7',
      'solver.admm.rho': '0.5',
      'solver.method': 'nailm',
    });
    assert.match(t, /state \{ hidden \[4, 6\] activation elu linear \}/);
    assert.match(t, /output \{ hidden \[8\] activation tanh linear \}/);
    assert.match(t, /^ {2}iterations 7$/m);
    assert.match(t, /admm \{ rho 0\.5 iterations 100/);
    assert.match(t, /^solver nailm \{/m);
  });

  it('inserts a setting the spec does not have, where it belongs', () => {
    const t = applySettings(BARE, {
      'model.seed': '4',
      'solver.iterations': '3',
      'regularize.l1': '1e-3',
    });
    assert.match(t, /model linear \{ seed 4 states 2 \}/);
    assert.match(t, /solver nails \{ iterations 3 \}/);
    assert.match(t, /regularize \{ l1 1e-3 \}/);
  });

  it('refuses text that would change the spec beyond the value, and settings with nowhere to go', () => {
    assert.throws(() => applySettings(BARE, { 'model.states': '2 } data {' }), /number or a name/);
    assert.throws(() => applySettings(BARE, { 'model.state.hidden': '8' }), /no state \{ … \} map/);
    assert.throws(() => applySettings(BARE, { 'model.state.hidden': '8x' }), /whole numbers/);
  });
});

describe('--set values are checked by the settings schema', () => {
  it('an out-of-range value is refused with the schema message (the sweep row fails with it)', () => {
    const message = settingProblem(setting('solver', 'iterations'), 0, '0')!;
    assert.equal(message, 'iterations must be a positive integer, got 0');
    assert.throws(
      () => applySettings(BARE, { 'solver.iterations': '0' }),
      (e: Error) => e.message === `solver.iterations=0: ${message}`,
    );
    assert.throws(
      () => applySettings(BARE, { 'model.states': '0' }),
      /model\.states=0: states must be an integer from 1 to 1000, got 0/,
    );
    assert.throws(
      () => applySettings(BARE, { 'solver.admm.rho': '0' }),
      /solver\.admm\.rho=0: admm rho must be positive, got 0/,
    );
    assert.throws(
      () => applySettings(TANKS, { 'model.state.hidden': '8x0' }),
      /hidden layer sizes must be integers from 1 to 4096, got 0/,
    );
    assert.throws(
      () => applySettings(BARE, { 'solver.method': 'nailz' }),
      /solver\.method=nailz: unknown solver 'nailz'; use one of nailm, nails, adam, lbfgs/,
    );
    assert.match(applySettings(BARE, { 'regularize.l2': '1e-3' }), /l2 weights 1e-3/);
  });
});

describe('the grid', () => {
  it('an unknown key names the nearest one', () => {
    assert.throws(
      () => parseAxis('model.stats=2,3'),
      /unknown key 'model\.stats'; did you mean model\.states\?/,
    );
    assert.throws(() => parseAxis('states'), /KEY=V1,V2/);
  });

  it('log and linear ranges, lists and seeds', () => {
    assert.deepEqual(parseAxis('regularize.l1=1e-4:1e-1:log:4').values, [
      '0.0001',
      '0.001',
      '0.01',
      '0.1',
    ]);
    assert.deepEqual(parseAxis('solver.iterations=10:30:3').values, ['10', '20', '30']);
    assert.deepEqual(parseAxis('model.states=2, 4,2').values, ['2', '4']);
    assert.deepEqual(parseSeeds('1..3'), [1, 2, 3]);
    assert.deepEqual(parseSeeds('5,7'), [5, 7]);
    assert.throws(() => parseSeeds('3..1'), /A\.\.B/);
  });

  it('every combination once, with stable ids', () => {
    const c = combinations([parseAxis('model.states=1,2'), parseAxis('regularize.l1=0.1,0.2')]);
    assert.equal(c.length, 4);
    assert.equal(new Set(c.map((s) => fitId(s, 1))).size, 4);
    assert.equal(fitId(c[1]!, 3), 'model.states=1,regularize.l1=0.2,seed=3');
  });
});
