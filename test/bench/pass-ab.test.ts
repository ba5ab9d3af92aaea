/**
 * bench/pass-ab.ts, the in-process A/B of the Gauss–Newton pass between two checkouts: run on
 * this checkout against itself (a small record), both sides reach the same loss to the bit, the
 * line reports a median for each and their ratio; without --a it stops with one line.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers';

function passAb(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'bench', 'pass-ab.ts'), ...args],
    { encoding: 'utf8', cwd: ROOT },
  );
}

describe('pass A/B benchmark', () => {
  it('a checkout against itself: the same loss on both sides, medians and their ratio', () => {
    const r = passAb(['--a', ROOT, '--b', ROOT, '--samples', '3000', '--rounds', '2']);
    assert.equal(r.status, 0, r.stderr);
    const loss = /^loss A (\S+) B (\S+)$/m.exec(r.stdout);
    assert.ok(loss, r.stdout);
    assert.ok(Number(loss[1]) > 0, r.stdout);
    assert.equal(loss[1], loss[2]);
    const line =
      /A median ([\d.]+) s .* B median ([\d.]+) s .* A \/ B ([\d.]+) over 6 passes each/.exec(
        r.stdout,
      );
    assert.ok(line, r.stdout);
    const [a, b, ratio] = [Number(line[1]), Number(line[2]), Number(line[3])];
    assert.ok(a > 0 && b > 0, r.stdout);
    // The medians are printed to 0.1 ms and the ratio to 1e-4: the ratio of the printed medians
    // agrees within their rounding.
    const slack = (a / b) * (5e-5 / a + 5e-5 / b) + 5e-5;
    assert.ok(Math.abs(ratio - a / b) <= slack, r.stdout);
  });

  it('without --a: one line and exit 2', () => {
    const r = passAb(['--samples', '100']);
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /--a DIR/);
  });
});
