import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { readMatFile, type MatValue } from '../../src/core/data/mat-file';
import { NailsError } from '../../src/core/errors';
import { assertClose, DATA_DIR, fixture, needsData, ROOT } from '../helpers';

interface VarSummary {
  dtype: string;
  shape: number[];
  sum: number;
  sumsq: number;
  min: number;
  max: number;
  first: number[];
  last: number[];
  probe_index: number[];
  probe_value: number[];
}

function numeric(v: MatValue | undefined): Extract<MatValue, { kind: 'numeric' }> {
  assert.ok(v && v.kind === 'numeric', 'expected a numeric variable');
  return v;
}

describe('MAT reader against scipy.io.loadmat (every file of the data directory)', () => {
  const summary = fixture<Record<string, Record<string, VarSummary>>>('mat-summary.json');
  assert.ok(Object.keys(summary).length >= 6, 'the fixture lists every MAT file');
  for (const [file, vars] of Object.entries(summary)) {
    it(`${file}: same variables, shapes and values`, needsData, () => {
      const m = readMatFile(readFileSync(path.join(DATA_DIR, file)), file);
      assert.deepEqual([...m.keys()].sort(), Object.keys(vars).sort());
      for (const [name, s] of Object.entries(vars)) {
        const v = numeric(m.get(name));
        assert.equal(
          v.className,
          { float64: 'double', float32: 'single', uint8: 'uint8', uint16: 'uint16' }[s.dtype],
          `${name} class`,
        );
        assert.deepEqual(v.dims, s.shape, `${name} shape`);
        const a = v.re;
        assertClose(a.subarray(0, 5), s.first, 0, 0, `${name} first`);
        assertClose(a.subarray(a.length - 5), s.last, 0, 0, `${name} last`);
        assertClose(
          s.probe_index.map((i) => a[i]!),
          s.probe_value,
          0,
          0,
          `${name} probes`,
        );
        let sum = 0;
        let sumsq = 0;
        let min = Infinity;
        let max = -Infinity;
        for (const x of a) {
          sum += x;
          sumsq += x * x;
          min = Math.min(min, x);
          max = Math.max(max, x);
        }
        assertClose(
          [sum, sumsq, min, max],
          [s.sum, s.sumsq, s.min, s.max],
          1e-9,
          1e-12,
          `${name} sum, sumsq, min, max`,
        );
      }
    });
  }
});

describe('MAT reader: storage types, compression, char, struct, cell, complex', () => {
  const expected = fixture<{
    dbl: { shape: number[]; values: number[] };
    i16: { shape: number[]; values: number[] };
    u8: { shape: number[]; values: number[] };
    sgl: { shape: number[]; values: number[] };
    txt: string;
    cpx: { re: number[]; im: number[] };
  }>('mat-synthetic.json');
  for (const file of ['synthetic-plain.mat', 'synthetic-compressed.mat']) {
    it(file, () => {
      const m = readMatFile(readFileSync(path.join(ROOT, 'test', 'fixtures', 'mat', file)));
      const dbl = numeric(m.get('dbl'));
      assert.deepEqual(dbl.dims, expected.dbl.shape);
      assertClose(dbl.re, expected.dbl.values, 0);
      const i16 = numeric(m.get('i16'));
      assert.equal(i16.className, 'int16');
      assertClose(i16.re, expected.i16.values, 0);
      const u8 = numeric(m.get('u8'));
      assert.equal(u8.className, 'uint8');
      assert.deepEqual(u8.dims, expected.u8.shape);
      assertClose(u8.re, expected.u8.values, 0);
      const sgl = numeric(m.get('sgl'));
      assert.equal(sgl.className, 'single');
      assertClose(sgl.re, expected.sgl.values, 0);
      const txt = m.get('txt');
      assert.ok(txt?.kind === 'char');
      assert.equal(txt.text, expected.txt);
      const cpx = numeric(m.get('cpx'));
      assertClose(cpx.re, expected.cpx.re, 0);
      assertClose(cpx.im ?? [], expected.cpx.im, 0);
      const st = m.get('st');
      assert.ok(st?.kind === 'struct');
      assertClose(numeric(st.elements[0]!.get('a')).re, [1, 2], 0);
      const b = st.elements[0]!.get('b');
      assert.ok(b?.kind === 'char' && b.text === 'xy');
      const cl = m.get('cl');
      assert.ok(cl?.kind === 'cell');
      assert.equal(cl.elements.length, 2);
      assertClose(numeric(cl.elements[1]).re, [2, 3], 0);
    });
  }
});

describe('MAT reader: bad files', () => {
  // Read when a test runs (the data may be absent: those tests are then skipped).
  let cached: Buffer | undefined;
  const tanks = () =>
    (cached ??= readFileSync(path.join(DATA_DIR, 'cascaded_tanks', 'dataBenchmark.mat')));

  it('a truncated file says it is truncated', needsData, () => {
    for (const cut of [60, 200, Math.floor(tanks().length / 2), tanks().length - 3]) {
      assert.throws(
        () => readMatFile(tanks().subarray(0, cut), 'tanks.mat'),
        (e: unknown) =>
          e instanceof NailsError &&
          /tanks\.mat/.test(e.message) &&
          /(truncated|damaged|too short)/.test(e.message),
      );
    }
  });

  it('a v7.3 (HDF5) file says how to re-save it', () => {
    const bytes = new Uint8Array(1024);
    bytes.set(
      new TextEncoder().encode(
        'MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024 HDF5 schema 1.00 .',
      ),
    );
    bytes.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 512);
    assert.throws(
      () => readMatFile(bytes, 'big.mat'),
      (e: unknown) => e instanceof NailsError && /v7\.3/.test(e.message) && /-v7/.test(e.message),
    );
  });

  it('a file that is not a MAT-file is named', () => {
    const bytes = new TextEncoder().encode('a,b\n1,2\n'.repeat(40));
    assert.throws(
      () => readMatFile(bytes, 'data.csv'),
      (e: unknown) =>
        e instanceof NailsError && /data\.csv/.test(e.message) && /not a MATLAB/.test(e.message),
    );
  });

  it('a corrupted compressed stream is reported, not thrown raw', () => {
    const m = readFileSync(path.join(ROOT, 'test', 'fixtures', 'mat', 'synthetic-compressed.mat'));
    const bad = Uint8Array.from(m);
    for (let i = 140; i < 200; i++) bad[i] = 0xff;
    assert.throws(
      () => readMatFile(bad, 'bad.mat'),
      (e: unknown) => e instanceof NailsError && /bad\.mat/.test(e.message),
    );
  });
});
