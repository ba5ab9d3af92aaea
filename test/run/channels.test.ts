/** Output channel names and units for the run report and the results panel (src/run/channels.ts). */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { compileSpec } from '../../src/language/compiler';
import { checkSpecFile } from '../../src/language/load-spec';
import { datasetUnit, partChannels } from '../../src/run/channels';
import { DATA_DIR, ROOT } from '../helpers';

async function channelsOf(spec: string) {
  const check = await checkSpecFile(path.join(ROOT, 'examples', spec), [DATA_DIR]);
  assert.equal(check.errors, 0, check.problems.map((p) => p.text).join('\n'));
  const compiled = compileSpec(check.analysis.resolved!);
  return { compiled, channels: partChannels(compiled) };
}

describe('output channels of a run', () => {
  it("knows the benchmark datasets' units by their files", () => {
    assert.equal(datasetUnit('/data/cascaded_tanks/dataBenchmark.mat'), 'V');
    assert.equal(datasetUnit('/data/mr_damper/damper.mat'), 'N');
    assert.equal(datasetUnit('/data/mine/dataBenchmark.mat'), undefined);
    assert.equal(datasetUnit(undefined), undefined);
  });

  it('generated data: one output named y1, no unit', async () => {
    const { channels } = await channelsOf('binary-output.nails');
    assert.deepEqual(channels, [[{ name: 'y1' }], [{ name: 'y1' }]]);
  });

  const tanks = path.join(DATA_DIR, 'cascaded_tanks', 'dataBenchmark.mat');
  it(
    'file data: the names the spec selects (yEst, yVal) and the dataset unit (V)',
    { skip: existsSync(tanks) ? false : `data not found at ${tanks}` },
    async () => {
      const { compiled, channels } = await channelsOf('cascaded-tanks.nails');
      assert.deepEqual(
        compiled.parts.map((p) => p.kind),
        ['train', 'test'],
      );
      assert.deepEqual(channels, [[{ name: 'yEst', unit: 'V' }], [{ name: 'yVal', unit: 'V' }]]);
    },
  );
});
