/**
 * Marketplace / Open VSX readiness of package.json and what it points at: the icon (128 × 128 PNG,
 * drawn by scripts/make-icon.mjs — the committed file is what the script draws), gallery banner,
 * repository/bugs/homepage, categories and keywords, a CHANGELOG entry for the version, the
 * declared extension kind and Restricted Mode support, the README's settings reference generated
 * from `contributes.configuration` (drift fails with the command that fixes it), and README
 * screenshots that the VS Code tests take.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers';

interface Manifest {
  version: string;
  icon?: string;
  galleryBanner?: { color?: string; theme?: string };
  repository?: { url?: string };
  bugs?: { url?: string };
  homepage?: string;
  categories?: string[];
  keywords?: string[];
  extensionKind?: string[];
  capabilities?: {
    untrustedWorkspaces?: {
      supported?: boolean | string;
      description?: string;
      restrictedConfigurations?: string[];
    };
  };
  contributes: { commands: { command: string }[]; configuration: { properties: object } };
}
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const node = (args: string[]) =>
  spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 60000 });

describe('Marketplace readiness', () => {
  it('the icon is a 128 × 128 PNG, and the committed one is what scripts/make-icon.mjs draws', () => {
    assert.equal(pkg.icon, 'docs/images/icon.png');
    const png = readFileSync(path.join(ROOT, pkg.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'nails-icon-')), 'icon.png');
    const r = node(['scripts/make-icon.mjs', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(
      readFileSync(out).equals(png),
      'docs/images/icon.png is stale: run node scripts/make-icon.mjs',
    );
  });

  it('gallery banner, repository, bugs, homepage, categories, keywords', () => {
    assert.match(pkg.galleryBanner?.color ?? '', /^#[0-9a-f]{6}$/i);
    assert.ok(pkg.galleryBanner?.theme === 'dark' || pkg.galleryBanner?.theme === 'light');
    for (const url of [pkg.repository?.url, pkg.bugs?.url, pkg.homepage])
      assert.match(url ?? '', /^https:\/\//);
    assert.ok((pkg.categories ?? []).includes('Programming Languages'));
    assert.ok((pkg.keywords ?? []).length >= 5 && (pkg.keywords ?? []).length <= 30);
  });

  it('runs on the workspace side and supports Restricted Mode in part', () => {
    assert.deepEqual(pkg.extensionKind, ['workspace']);
    const u = pkg.capabilities?.untrustedWorkspaces;
    assert.equal(u?.supported, 'limited');
    assert.ok((u?.description ?? '').length > 40);
    assert.deepEqual(u?.restrictedConfigurations, ['nails.dataDirectory']);
  });

  it('CHANGELOG.md has an entry for the package version', () => {
    const log = readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
    assert.match(log, new RegExp(`^## \\[${pkg.version.replace(/\./g, '\\.')}\\]`, 'm'));
  });

  it("the README's settings reference is generated from contributes.configuration", () => {
    const ok = node(['scripts/settings-reference.mjs', '--check']);
    assert.equal(ok.status, 0, ok.stderr);
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const key of Object.keys(pkg.contributes.configuration.properties))
      assert.ok(readme.includes(`| \`${key}\``), `${key} in the README's table`);
    // A setting added to package.json but not to the README: --check fails and says what to run.
    const dir = mkdtempSync(path.join(tmpdir(), 'nails-settings-'));
    copyFileSync(path.join(ROOT, 'README.md'), path.join(dir, 'README.md'));
    const changed = structuredClone(pkg);
    (changed.contributes.configuration.properties as Record<string, object>)['nails.newSetting'] = {
      type: 'boolean',
      default: false,
      description: 'A setting the README does not list yet.',
    };
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(changed));
    const drift = node([
      'scripts/settings-reference.mjs',
      '--check',
      path.join(dir, 'README.md'),
      path.join(dir, 'package.json'),
    ]);
    assert.equal(drift.status, 1);
    assert.match(drift.stderr, /run node scripts\/settings-reference\.mjs --write/);
  });

  it('every README screenshot is in docs/screenshots, taken by a VS Code test, and listed in SOURCE.md', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const shown = [...readme.matchAll(/\(docs\/screenshots\/([a-z0-9-]+)\.png\)/g)].map(
      (m) => m[1]!,
    );
    assert.ok(shown.length >= 4, `${shown.length} screenshots`);
    const tests = readdirSync(path.join(ROOT, 'test', 'vscode'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(path.join(ROOT, 'test', 'vscode', f), 'utf8'))
      .join('\n');
    const source = readFileSync(path.join(ROOT, 'docs', 'screenshots', 'SOURCE.md'), 'utf8');
    for (const name of shown) {
      assert.ok(
        tests.includes(`screenshot('${name}')`) || tests.includes(`SCREENSHOT ${name}'`),
        `${name}: no VS Code test takes it`,
      );
      assert.ok(
        source.includes(`\`${name}.png\``),
        `${name}.png not in docs/screenshots/SOURCE.md`,
      );
    }
    const files = readdirSync(path.join(ROOT, 'docs', 'screenshots')).filter((f) =>
      f.endsWith('.png'),
    );
    assert.deepEqual(
      files.sort(),
      shown.map((n) => `${n}.png`).sort(),
      'no picture the README does not show',
    );
  });
});
