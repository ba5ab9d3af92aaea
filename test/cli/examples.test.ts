/**
 * Every spec in examples/ trains from the command line for a few iterations with finite metrics
 * (the ones that read benchmark data are skipped visibly without them).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DATA_DIR, needsData, ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.cjs');
const EXAMPLES = path.join(ROOT, 'examples');

interface Report {
  status: string;
  value: number | null;
  history: { value: number | null }[];
  parts: { kind: string; outputs: string[]; metrics: Record<string, number | null>[] }[];
}

describe('every example trains', () => {
  const specs = readdirSync(EXAMPLES).filter((f) => f.endsWith('.nails'));
  it('there are examples', () => assert.ok(specs.length >= 6, specs.join(', ')));
  for (const f of specs) {
    const generated = /^\s*generate\b/m.test(readFileSync(path.join(EXAMPLES, f), 'utf8'));
    it(f, generated ? {} : needsData, () => {
      const out = mkdtempSync(path.join(tmpdir(), 'nails-example-'));
      const r = spawnSync(
        process.execPath,
        [CLI, 'train', path.join(EXAMPLES, f), '--iterations', '3', '--quiet', '--out', out],
        { encoding: 'utf8', env: { ...process.env, NAILS_DATA_DIR: DATA_DIR } },
      );
      assert.equal(r.status, 0, r.stdout + r.stderr);
      // --quiet: the final line and the run folder only.
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines.length, 2, r.stdout);
      assert.match(lines[0]!, /loss [0-9.e+-]+, wall/);
      assert.match(lines[1]!, /^run folder: /);
      assert.doesNotMatch(r.stdout, /infinity|nan/i);
      const dir = lines[1]!.replace('run folder: ', '');
      const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Report;
      assert.ok(Number.isFinite(report.value), `value ${report.value}`);
      const last = report.history.at(-1)!.value!;
      assert.ok(
        Math.abs(last - report.value!) <= 1e-12 * Math.abs(report.value!),
        `value ${report.value} is the last history row (${last})`,
      );
      for (const p of report.parts) {
        assert.ok(p.outputs.length > 0 && p.outputs.length === p.metrics.length, p.kind);
        for (const m of p.metrics)
          for (const [k, v] of Object.entries(m))
            assert.ok(typeof v === 'number' && Number.isFinite(v), `${p.kind} ${k} = ${v}`);
      }
    });
  }
});
