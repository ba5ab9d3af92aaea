/**
 * Ctrl-C on `nails train` is a cancel that leaves a complete run folder. Deterministic: SIGINT is
 * sent as soon as the first progress line has been read, not after a sleep.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.cjs');

describe('Ctrl-C on nails train', () => {
  it('cancels and writes model, report (cancelled), history and predictions', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'nails-cancel-'));
    const spec = path.join(ROOT, 'examples', 'binary-output.nails');
    const child = spawn(process.execPath, [
      CLI,
      'train',
      spec,
      '--iterations',
      '100000',
      '--out',
      out,
    ]);
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      if (!sent && /^\s+iteration\s+\d+\s+loss/m.test(stdout)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.ok(sent, `no progress line before the end: ${stdout}${stderr}`);
    assert.equal(code, 130, stdout + stderr);
    const dir = path.join(out, readdirSync(out)[0]!);
    assert.match(stdout, new RegExp(`run folder: ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    for (const f of ['spec.nails', 'model.json', 'report.json', 'history.csv'])
      assert.ok(existsSync(path.join(dir, f)), f);
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as {
      status: string;
      value: number;
      iterations: number;
      parts: { kind: string; N: number; metrics: { rmse: number }[] }[];
    };
    assert.equal(report.status, 'cancelled');
    assert.ok(report.iterations < 100000);
    assert.ok(Number.isFinite(report.value));
    const rows = readFileSync(path.join(dir, 'history.csv'), 'utf8').trim().split('\n');
    assert.ok(rows.length >= 2, 'history has rows');
    const lastLoss = Number(rows.at(-1)!.split(',')[1]);
    assert.ok(Math.abs(lastLoss - report.value) <= 1e-12 * report.value, 'value = last row');
    // Predictions of the kept parameters for every part, scored in the report.
    for (const p of report.parts) {
      const csv = path.join(dir, 'predictions', `${p.kind}-${p.kind}.csv`);
      assert.equal(readFileSync(csv, 'utf8').trim().split('\n').length, p.N + 1, csv);
      assert.ok(Number.isFinite(p.metrics[0]!.rmse));
    }
  });
});
