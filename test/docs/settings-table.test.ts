/**
 * The settings schema (src/language/settings-schema.ts) covers the grammar: every keyword that
 * takes a value has an entry, and every entry names rules and keywords the grammar has. The
 * README's settings reference is what the schema declares (run `npm run -s gen:settings` after
 * changing a setting), and hover, `--set` and the checker's messages come from it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AstUtils, GrammarAST } from 'langium';
import * as prettier from 'prettier';
import { resolveOptions } from '../../src/core/solver/types';
import type { Problem } from '../../src/core/solver/problem';
import { NailsGrammar } from '../../src/language/generated/grammar';
import { keywordDoc } from '../../src/language/keyword-docs';
import {
  SETTINGS,
  defaultNumber,
  keywordOf,
  setKeys,
  settingForKeyword,
  settingKey,
  settingProblem,
  setting,
} from '../../src/language/settings-schema';
import { withSettingsTable } from '../../src/language/settings-table';
import { SETTING_KEYS } from '../../src/language/spec-settings';
import { ROOT } from '../helpers';

const isWord = (e: GrammarAST.AbstractElement | undefined): e is GrammarAST.Keyword =>
  GrammarAST.isKeyword(e) && /^\w+$/.test(e.value);

/** The keywords of an assignment `key=('a' | 'b')`, or none when it assigns something else. */
function assignedKeywords(e: GrammarAST.AbstractElement): string[] {
  if (!GrammarAST.isAssignment(e)) return [];
  const t = e.terminal;
  if (isWord(t)) return [t.value];
  if (GrammarAST.isAlternatives(t) && t.elements.every(isWord))
    return t.elements.map((k) => k.value);
  return [];
}

/** Whether `e` begins with an assignment (a value, not a block `{ … }` or another keyword). */
function startsWithValue(e: GrammarAST.AbstractElement | undefined): boolean {
  if (!e) return false;
  if (GrammarAST.isAssignment(e)) return true;
  if (GrammarAST.isGroup(e)) return startsWithValue(e.elements[0]);
  if (GrammarAST.isAlternatives(e)) return e.elements.some(startsWithValue);
  return false;
}

/**
 * Every (rule, keyword) of the grammar where the keyword takes a value: a keyword followed by an
 * assignment (`states value=Int`, `hidden '[' sizes…`), the keywords of an assignment followed by
 * one (`key=('iterations' | …) value=Num`), and flags (a rule that is one keyword assignment).
 */
function valueKeywords(): { rule: string; word: string }[] {
  const out: { rule: string; word: string }[] = [];
  for (const rule of NailsGrammar().rules.filter(GrammarAST.isParserRule)) {
    const def = rule.definition;
    if (GrammarAST.isAssignment(def))
      for (const word of assignedKeywords(def)) out.push({ rule: rule.name, word });
    const groups = [def, ...AstUtils.streamAllContents(def)].filter(GrammarAST.isGroup);
    for (const g of groups)
      g.elements.forEach((e, i) => {
        let next = g.elements[i + 1];
        if (GrammarAST.isKeyword(next) && next.value === '[') next = g.elements[i + 2];
        if (!startsWithValue(next)) return;
        const words = isWord(e) ? [e.value] : assignedKeywords(e);
        for (const word of words) out.push({ rule: rule.name, word });
      });
  }
  return out;
}

describe('settings schema', () => {
  it('every keyword of the grammar that takes a value has an entry', () => {
    const found = valueKeywords();
    assert.ok(found.length > 60, `${found.length} value keywords found in the grammar`);
    const missing = found.filter((k) => !settingForKeyword(k.rule, k.word));
    assert.deepEqual(
      missing.map((k) => `${k.rule}: ${k.word}`),
      [],
      'keywords without a schema entry',
    );
    for (const want of ['iterations', 'hidden', 'linear', 'step', 'select', 'train', 'l2'])
      assert.ok(
        found.some((k) => k.word === want),
        `${want} found`,
      );
  });

  it('every entry names rules of the grammar that hold its keyword', () => {
    const rules = new Map(
      NailsGrammar()
        .rules.filter(GrammarAST.isParserRule)
        .map((r) => [r.name, r]),
    );
    for (const d of SETTINGS)
      for (const name of d.rules) {
        const r = rules.get(name);
        assert.ok(r, `${settingKey(d)}: no rule ${name}`);
        const words = AstUtils.streamAllContents(r)
          .filter(GrammarAST.isKeyword)
          .map((k) => k.value)
          .toArray();
        assert.ok(words.includes(keywordOf(d)), `${settingKey(d)}: ${name} has no ${keywordOf(d)}`);
      }
  });

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
      assert.ok(keywordDoc(keywordOf(d), d.rules[0])?.includes(d.doc), `hover of ${settingKey(d)}`);
      for (const k of setKeys(d))
        assert.ok(
          SETTING_KEYS[k]?.about.startsWith(d.doc),
          `--set ${k}: ${SETTING_KEYS[k]?.about}`,
        );
    }
    assert.deepEqual(
      Object.keys(SETTING_KEYS).sort(),
      SETTINGS.flatMap(setKeys).sort(),
      '--set takes exactly the keys the schema marks',
    );
    const iterations = setting('solver', 'iterations');
    assert.equal(
      settingProblem(iterations, 0, '0'),
      'iterations must be a positive integer, got 0',
    );
    assert.equal(settingProblem(iterations, 3, '3'), undefined);
    const screen = setting('solver', 'screen');
    assert.equal(
      settingProblem(screen, 65, '65'),
      'screen must be an integer from 1 to 64, got 65',
    );
    const rho = setting('solver.admm', 'rho');
    assert.equal(settingProblem(rho, 0, '0'), 'admm rho must be positive, got 0');
    const weights = setting('loss', 'weights');
    assert.equal(settingProblem(weights, -1, '-1', 1), 'weight 2 must be ≥ 0, got -1');
    const hidden = setting('model.map', 'hidden');
    assert.equal(
      settingProblem(hidden, 0, '0', 0),
      'hidden layer sizes must be integers from 1 to 4096, got 0',
    );
  });

  it("its solver defaults are the solver's", () => {
    const core = resolveOptions({}, chunkProblem(20));
    const want: [string, number][] = [
      ['iterations', core.maxIterations],
      ['ftol', core.ftol],
      ['xtol', core.xtol],
      ['gtol', core.gtol],
    ];
    for (const [name, v] of want) assert.equal(defaultNumber(setting('solver', name)), v, name);
    // The chunk's default depends on the problem's size: the documented figures are the solver's.
    const doc = setting('solver', 'chunk');
    assert.match(doc.default ?? '', /^512;/);
    assert.equal(core.chunk, 512, 'a small model');
    assert.match(
      doc.doc,
      /512 up to about 160 parameters .* 256 at 325, 128 at 600, never fewer than 64/,
    );
    assert.equal(resolveOptions({}, chunkProblem(150)).chunk, 512);
    assert.equal(resolveOptions({}, chunkProblem(325)).chunk, 256);
    assert.equal(resolveOptions({}, chunkProblem(600)).chunk, 128);
    assert.equal(resolveOptions({}, chunkProblem(5000)).chunk, 64);
    assert.equal(
      resolveOptions({ chunk: 77 }, chunkProblem(600)).chunk,
      77,
      'a chunk written wins',
    );
  });

  it('a keyword of several blocks is described where it is written', () => {
    assert.match(keywordDoc('seed', 'GenerateOption')!, /generated data set.*default 1/);
    assert.match(keywordDoc('seed', 'NumericSetting')!, /first start/);
    assert.match(keywordDoc('iterations', 'AdmmSetting')!, /ADMM iterations.*default 100/);
    assert.match(keywordDoc('from', 'InitFromEntry')!, /How training starts/);
    assert.match(keywordDoc('data')!, /input\/output data/);
  });
});

/** A problem with n_θ parameters and one output, for the chunk's default (only its sizes are read). */
function chunkProblem(nTheta: number): Problem {
  return { model: { nx: 2, ny: 1, nTheta }, trainX0: false } as unknown as Problem;
}
