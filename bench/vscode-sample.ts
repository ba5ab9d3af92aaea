/**
 * Measurements taken inside a real VS Code (the server build from code-server's npm package, see
 * scripts/setup-vscode-test.sh): runs one suite of dist-test/vscode-suite.cjs in a fresh
 * workspace, `runs` times, each run writing its measurement as JSON to the file named by the
 * environment variable `outVar`. Used by bench/activation.ts and bench/results-panel.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The samples of `runs` runs of `suite` on code-server `codeServer` (installed when missing). */
export function vscodeSamples<T>(o: {
  suite: string;
  runs: number;
  codeServer: string;
  outVar: string;
  env?: Record<string, string>;
  /** Called after each run with its sample and its number (from 1). */
  onSample?: (sample: T, run: number) => void;
}): T[] {
  if (o.runs === 0) return [];
  const [node, vscodeDir] = execFileSync(
    'bash',
    [path.join(ROOT, 'scripts', 'setup-vscode-test.sh'), o.codeServer],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  )
    .trim()
    .split('\n')
    .pop()!
    .split(' ');
  const samples: T[] = [];
  for (let i = 0; i < o.runs; i++) {
    const tmp = mkdtempSync(path.join(tmpdir(), `nails-${o.suite}-`));
    const workspace = path.join(tmp, 'workspace');
    mkdirSync(workspace);
    const out = path.join(tmp, 'sample.json');
    const run = spawnSync(
      'timeout',
      [
        ...['-k', '10', '300', process.execPath, 'scripts/vscode-test.mjs'],
        ...[node!, vscodeDir!, workspace, 'dist-test/vscode-suite.cjs', '--suite', o.suite],
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...o.env, [o.outVar]: out } },
    );
    let sample: T;
    try {
      sample = JSON.parse(readFileSync(out, 'utf8')) as T;
    } catch {
      console.error(`run ${i + 1} wrote no measurement:\n${run.stdout}\n${run.stderr}`);
      process.exit(1);
    }
    rmSync(tmp, { recursive: true, force: true });
    samples.push(sample);
    o.onSample?.(sample, i + 1);
  }
  return samples;
}
