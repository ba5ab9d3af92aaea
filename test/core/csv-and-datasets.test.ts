import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCsv } from '../../src/core/data/csv-file';
import { DATASETS } from '../../src/core/data/datasets';
import { getVector, tableFromCsv } from '../../src/core/data/signal-table';
import { NailsError } from '../../src/core/errors';
import { loadDataset, readSignalTable } from '../../src/io/data-files';
import { assertClose, DATA_DIR, needsData } from '../helpers';

const isNails = (re: RegExp) => (e: unknown) => e instanceof NailsError && re.test(e.message);

describe('CSV reader', () => {
  it(
    'reads the cascaded-tanks CSV: columns of different lengths, values as the MAT file (±5e-5)',
    needsData,
    () => {
      const csv = readSignalTable('cascaded_tanks/dataBenchmark.csv', DATA_DIR);
      const mat = readSignalTable('cascaded_tanks/dataBenchmark.mat', DATA_DIR);
      assert.deepEqual([...csv.signals.keys()], ['uEst', 'uVal', 'yEst', 'yVal', 'Ts']);
      for (const name of ['uEst', 'uVal', 'yEst', 'yVal']) {
        const a = getVector(csv, name);
        assert.equal(a.length, 1024);
        assertClose(a, getVector(mat, name), 0, 5e-5, name);
      }
      assert.deepEqual([...getVector(csv, 'Ts')], [4]);
    },
  );

  it('quoted names, semicolons, NaN and headerless files', () => {
    const t = readCsv('"a b";c\n1;2\n3;NaN\n');
    assert.deepEqual(t.names, ['a b', 'c']);
    assert.deepEqual([...t.columns.get('a b')!], [1, 3]);
    assert.ok(Number.isNaN(t.columns.get('c')![1]));
    const h = readCsv('1,2\n3,4\n');
    assert.deepEqual(h.names, ['col1', 'col2']);
    assert.deepEqual([...h.columns.get('col2')!], [2, 4]);
    assert.equal(h.headerless, true);
    assert.equal(t.headerless, false);
    // A trailing separator and NaN in the first row still mean: no header.
    const n = readCsv('1.0000000000000001e-01,NaN,\n2,3,\n');
    assert.deepEqual(n.names, ['col1', 'col2']);
    assert.equal(n.headerless, true);
    assert.throws(
      () => getVector(tableFromCsv(n, 'h.csv'), 'u'),
      isNails(
        /h\.csv has no column 'u': the file has no header row, so its columns are named col1, col2/,
      ),
    );
  });

  it('bad CSV input names the file, line and column', () => {
    assert.throws(
      () => readCsv('a,b\n1,x\n', 'f.csv'),
      isNails(/f\.csv:2: 'x' in column 'b' is not a number/),
    );
    assert.throws(
      () => readCsv('a,b\n1,2\n,3\n4,5\n', 'f.csv'),
      isNails(/f\.csv:4: column 'a' has an empty cell/),
    );
    assert.throws(() => readCsv('a,a\n1,2\n', 'f.csv'), isNails(/'a' appears twice/));
    assert.throws(() => readCsv('\n\n', 'f.csv'), isNails(/f\.csv is empty/));
    assert.throws(
      () => readCsv('a,b\n1,2,3\n', 'f.csv'),
      isNails(/3 cells but the header names 2 columns/),
    );
  });
});

describe('data files and benchmark datasets', () => {
  it('a missing file says where it looked', () => {
    assert.throws(
      () => readSignalTable('nope/missing.mat', DATA_DIR),
      isNails(/cannot find data file 'nope\/missing\.mat': looked at \/.*nope\/missing\.mat/),
    );
    assert.throws(
      () => loadDataset('silverbox', '/nonexistent-dir'),
      isNails(/looked at \/nonexistent-dir\/silverbox\/SNLS80mV\.mat/),
    );
  });

  it('an unsupported extension and an unknown dataset are named', needsData, () => {
    assert.throws(() => readSignalTable('README.md', DATA_DIR), isNails(/extension '\.md'/));
    assert.throws(
      () => loadDataset('silverbx', DATA_DIR),
      isNails(/unknown dataset 'silverbx'; known datasets: cascaded_tanks/),
    );
  });

  it('a missing variable suggests the nearest name', needsData, () => {
    const t = readSignalTable('cascaded_tanks/dataBenchmark.mat', DATA_DIR);
    assert.throws(
      () => getVector(t, 'uest'),
      isNails(
        /no variable or column 'uest' \(did you mean 'uEst'\?\); it has: uEst, uVal, yEst, yVal, Ts/,
      ),
    );
  });

  const expected: Record<string, { train: number[]; tests: Record<string, number> }> = {
    cascaded_tanks: { train: [1024], tests: { test: 1024 } },
    silverbox: {
      train: [65062],
      tests: { test_multisine: 21688, test_arrow_full: 40475, test_arrow_no_extrapolation: 32000 },
    },
    wiener_hammerstein_2009: { train: [100000], tests: { test: 78800 } },
    mr_damper: { train: [2000], tests: { test: 1499 } },
    two_tank: { train: [2000], tests: { test: 1000 } },
  };
  it('n_init per dataset: official where the benchmark has one, 10 by our choice otherwise', () => {
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(DATASETS).map(([id, d]) => [id, [d.nInit, d.nInitOfficial]]),
      ),
      {
        cascaded_tanks: [5, true],
        silverbox: [50, true],
        wiener_hammerstein_2009: [50, true],
        mr_damper: [10, false],
        two_tank: [10, false],
      },
    );
  });

  for (const id of Object.keys(DATASETS)) {
    it(`${id}: official split sizes`, needsData, () => {
      const d = loadDataset(id, DATA_DIR);
      assert.deepEqual(
        d.train.map((e) => e.N),
        expected[id]!.train,
      );
      assert.deepEqual(
        Object.fromEntries(Object.entries(d.tests).map(([k, e]) => [k, e.N])),
        expected[id]!.tests,
      );
      for (const e of [...d.train, ...Object.values(d.tests)]) {
        assert.equal(e.nu, 1);
        assert.equal(e.ny, 1);
      }
    });
  }

  it(
    'the splits take the right samples (silverbox train starts at 40650, WH test at 105200)',
    needsData,
    () => {
      const sb = readSignalTable('silverbox/SNLS80mV.mat', DATA_DIR);
      const d = loadDataset('silverbox', DATA_DIR);
      assert.equal(d.train[0]!.u[0], getVector(sb, 'V1')[40650]);
      assert.equal(d.tests.test_multisine!.y[21687], getVector(sb, 'V2')[127399]);
      const wh = readSignalTable('wiener_hammerstein_2009/WienerHammerBenchMark.mat', DATA_DIR);
      const w = loadDataset('wiener_hammerstein_2009', DATA_DIR);
      assert.equal(w.tests.test!.y[0], getVector(wh, 'yBenchMark')[105200]);
      const tt = loadDataset('two_tank', DATA_DIR);
      assert.deepEqual([...tt.train[0]!.u.subarray(0, 1)], [10]);
    },
  );
});
