import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DATA_DIR, needsData, ROOT } from '../helpers';

describe('benchmark harness', () => {
  it(
    'smoke mode (Cascaded Tanks, 3 iterations per method) writes complete records',
    needsData,
    () => {
      const out = path.join(mkdtempSync(path.join(tmpdir(), 'nails-smoke-')), 'smoke');
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(ROOT, 'bench', 'harness.ts'),
          '--smoke',
          '--out',
          out,
          '--data-dir',
          DATA_DIR,
        ],
        { encoding: 'utf8', cwd: ROOT },
      );
      assert.equal(r.status, 0, r.stderr);
      const records = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as Record<string, unknown>[];
      assert.deepEqual(
        records.map((x) => x.method),
        ['LBFGS', 'NAILM', 'NAILS', 'ADAM'],
      );
      for (const rec of records) {
        for (const key of [
          'dataset',
          'test_set',
          'method',
          'test_rmse',
          'unit',
          'fit_percent',
          'train_loss',
          'wall_s',
          'time_to_lbfgs_loss_s',
          'iterations',
          'starts',
          'peak_rss_mb',
          'command',
          'machine',
          'node_version',
          'commit',
        ]) {
          assert.ok(key in rec, `record has ${key}`);
        }
        assert.equal(rec.dataset, 'cascaded_tanks');
        assert.equal(rec.iterations, 3);
        assert.ok(
          Number.isFinite(rec.test_rmse) &&
            Number.isFinite(rec.train_loss) &&
            (rec.peak_rss_mb as number) > 0,
        );
        assert.match(
          String(rec.command),
          /^nails train bench\/specs\/cascaded_tanks\.nails --method \w+ --iterations 3/,
        );
      }
      assert.match(readFileSync(`${out}.md`, 'utf8'), /\| cascaded_tanks \| test \| NAILM \|/);
    },
  );
});
