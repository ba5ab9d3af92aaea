/**
 * The README's settings reference is what src/language/settings-schema.ts declares (run
 * `npm run -s gen:settings` after changing a setting), and every setting `--set` takes that the
 * schema declares is described from it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as prettier from 'prettier';
import {
  SETTINGS,
  settingKey,
  settingProblem,
  findSetting,
} from '../../src/language/settings-schema';
import { withSettingsTable } from '../../src/language/settings-table';
import { SETTING_KEYS } from '../../src/language/spec-settings';
import { KEYWORD_DOCS } from '../../src/language/keyword-docs';
import { ROOT } from '../helpers';

describe('settings schema', () => {
  it('the README table is generated from it (npm run -s gen:settings)', async () => {
    const file = path.join(ROOT, 'README.md');
    const readme = readFileSync(file, 'utf8');
    const options = (await prettier.resolveConfig(file)) ?? {};
    const want = await prettier.format(withSettingsTable(readme), { ...options, filepath: file });
    assert.equal(readme, want, 'README.md settings table is stale: run npm run -s gen:settings');
    for (const d of SETTINGS) assert.ok(readme.includes(`\`${settingKey(d)}\``), settingKey(d));
  });

  it('each setting is declared once; --set, hover and the checker use it', () => {
    const keys = SETTINGS.map(settingKey);
    assert.equal(new Set(keys).size, keys.length, 'no setting declared twice');
    for (const d of SETTINGS) {
      assert.ok(KEYWORD_DOCS[d.name]?.includes(d.doc), `hover of ${d.name}`);
      const set = SETTING_KEYS[settingKey(d)];
      if (set) assert.ok(set.about.startsWith(d.doc), `--set ${settingKey(d)}: ${set.about}`);
    }
    const iterations = findSetting('solver', 'iterations')!;
    assert.equal(
      settingProblem(iterations, 0, '0'),
      'iterations must be a positive integer, got 0',
    );
    assert.equal(settingProblem(iterations, 3, '3'), undefined);
    const screen = findSetting('solver', 'screen')!;
    assert.equal(settingProblem(screen, 65, '65'), 'screen must be at most 64, got 65');
    const rho = findSetting('solver.admm', 'rho')!;
    assert.equal(settingProblem(rho, 0, '0'), 'admm rho must be positive, got 0');
  });
});
