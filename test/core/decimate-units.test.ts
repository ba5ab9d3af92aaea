/**
 * Decimation's anti-alias filter against its frequency-domain purpose (pass band kept, aliasing
 * band removed, constants and ramps kept up to the ends), and unit conversion by SI prefix.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { antiAliasTaps, decimate } from '../../src/core/data/decimate';
import { unitFactor } from '../../src/core/data/units';

const rms = (a: Float64Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
const tone = (f: number, n: number) =>
  Float64Array.from({ length: n }, (_, k) => Math.sin(2 * Math.PI * f * k + 0.3));

describe('decimate', () => {
  for (const K of [2, 3, 8]) {
    it(`K = ${K}: ${20 * K + 1} symmetric taps with unit DC gain`, () => {
      const h = antiAliasTaps(K);
      assert.equal(h.length, 20 * K + 1);
      assert.ok(Math.abs(h.reduce((s, v) => s + v, 0) - 1) < 1e-14);
      for (let j = 0; j < h.length; j++) assert.equal(h[j], h[h.length - 1 - j]);
    });

    it(`K = ${K}: a tone at a quarter of the new Nyquist passes (±1 %), one above it is attenuated ≥ 40 dB`, () => {
      const n = 4000;
      const inner = (a: Float64Array) => a.subarray(40, a.length - 40); // away from the ends
      const low = tone(0.25 / (2 * K), n);
      const kept = decimate(low, K);
      const want = Float64Array.from({ length: kept.length }, (_, i) => low[i * K]!);
      assert.ok(Math.abs(rms(inner(kept)) / rms(inner(want)) - 1) < 0.01);
      const high = tone(0.5 - 0.15 / K, n); // folds into the new band without a filter
      const aliased = decimate(high, K);
      assert.ok(rms(inner(aliased)) < 0.01 * rms(high), `residual ${rms(inner(aliased))}`);
      const unfiltered = decimate(high, K, 'none');
      assert.ok(rms(unfiltered) > 0.3, 'without the filter the tone aliases');
    });
  }

  it('keeps a ramp exactly, up to both ends (odd reflection), and K = 1 changes nothing', () => {
    const ramp = Float64Array.from({ length: 500 }, (_, k) => 2 - 0.01 * k);
    const d = decimate(ramp, 4, 'fir', 10, 490);
    d.forEach((v, i) => assert.ok(Math.abs(v - ramp[10 + 4 * i]!) < 1e-12, `sample ${i}`));
    assert.deepEqual([...decimate(ramp, 1, 'fir', 5, 9)], [...ramp.subarray(5, 9)]);
    assert.equal(decimate(ramp, 3, 'fir', 0, 10).length, 4);
  });

  it('samples outside the part never leak in (a NaN beyond the range)', () => {
    const x = tone(0.01, 300);
    x[250] = NaN;
    assert.ok(decimate(x, 5, 'fir', 0, 250).every(Number.isFinite));
  });
});

describe('unitFactor', () => {
  const cases: [string, string, number | undefined][] = [
    ['V', 'V', 1],
    ['V', 'mV', 1000],
    ['mV', 'V', 1e-3],
    ['m', 'mm', 1000],
    ['mm', 'µm', 1000],
    ['um', 'm', 1e-6],
    ['kN', 'N', 1000],
    ['V', 'A', undefined],
    ['m', 's', undefined],
  ];
  for (const [from, to, f] of cases)
    it(`${from} → ${to}: ${String(f)}`, () => {
      const got = unitFactor(from, to);
      if (f === undefined) assert.equal(got, undefined);
      else assert.ok(got !== undefined && Math.abs(got / f - 1) < 1e-12, `${got}`);
    });
});
