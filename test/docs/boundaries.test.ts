/**
 * The folder boundaries bite (issue #19): ESLint, with the boundaries part of our config
 * (scripts/eslint-boundaries.mjs, the same objects eslint.config.mjs spreads), reports each
 * violation below and lets each permitted import through. Each fixture is a file's text linted as
 * if it lived at `file` (ESLint's lintText), so no violating file needs to exist under src/; the
 * imports point at real files, which the resolver must find.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { boundariesConfig } from '../../scripts/eslint-boundaries.mjs';

const root = resolve(import.meta.dirname, '../..');

interface Fixture {
  /** Where the text is linted as if it were. */
  file: string;
  code: string;
  /** The rule that must report it; undefined: no error at all. */
  rule?: string;
}

const DEP = 'boundaries/dependencies';

/** One violation per folder rule, and a permitted import beside it. */
const FIXTURES: Fixture[] = [
  // core imports only core
  { file: 'src/core/bad.ts', code: "import '../cli/main.js';", rule: DEP },
  { file: 'src/core/bad.ts', code: "import { readReport } from '../io/run-folder.js';", rule: DEP },
  { file: 'src/core/ok.ts', code: "import { NailsError } from './errors.js';" },
  // protocol: types only, of protocol and core
  { file: 'src/protocol/bad.ts', code: "import { runFit } from '../core/fit-job.js';", rule: DEP },
  {
    file: 'src/protocol/bad.ts',
    code: "import type { RunReport } from '../io/run-folder.js';",
    rule: DEP,
  },
  { file: 'src/protocol/ok.ts', code: "import type { FitSpec } from '../core/fit-job.js';" },
  // io imports core
  {
    file: 'src/io/bad.ts',
    code: "import { analyzeSpec } from '../language/analysis.js';",
    rule: DEP,
  },
  { file: 'src/io/ok.ts', code: "import { NailsError } from '../core/errors.js';" },
  // language imports core, io, protocol
  {
    file: 'src/language/bad.ts',
    code: "import { trainSpec } from '../run/train-spec.js';",
    rule: DEP,
  },
  { file: 'src/language/ok.ts', code: "import { readReport } from '../io/run-folder.js';" },
  // worker imports core, protocol
  {
    file: 'src/worker/bad.ts',
    code: "import { trainSpec } from '../run/train-spec.js';",
    rule: DEP,
  },
  {
    file: 'src/worker/ok.ts',
    code: "import type { FitRequest } from '../protocol/worker-messages.js';",
  },
  // run imports core, io, language, protocol, worker — never the command line
  { file: 'src/run/bad.ts', code: "import '../cli/main.js';", rule: DEP },
  { file: 'src/run/ok.ts', code: "import { analyzeSpec } from '../language/analysis.js';" },
  // cli imports anything but extension and webview
  {
    file: 'src/cli/bad.ts',
    code: "import { ResultsPanel } from '../extension/results-panel.js';",
    rule: DEP,
  },
  { file: 'src/cli/ok.ts', code: "import { trainSpec } from '../run/train-spec.js';" },
  // extension: values of protocol only (the language server and the job thread do the rest);
  // types of core, io, language, run and sweep
  {
    file: 'src/extension/bad.ts',
    code: "import { analyzeSpec } from '../language/analysis.js';",
    rule: DEP,
  },
  { file: 'src/extension/bad.ts', code: "import '../language/polyfills.js';", rule: DEP },
  { file: 'src/extension/bad.ts', code: "import '../cli/main.js';", rule: DEP },
  {
    file: 'src/extension/bad.ts',
    code: "import { NailsError } from '../core/errors.js';",
    rule: DEP,
  },
  {
    file: 'src/extension/bad.ts',
    code: "import { readReport } from '../io/run-folder.js';",
    rule: DEP,
  },
  {
    file: 'src/extension/bad.ts',
    code: "import { trainSpec } from '../run/train-spec.js';",
    rule: DEP,
  },
  {
    file: 'src/extension/bad.ts',
    code: "import { parseSeeds } from '../sweep/grid.js';",
    rule: DEP,
  },
  {
    file: 'src/extension/bad.ts',
    code: "import { startFit } from '../worker/solver-host.js';",
    rule: DEP,
  },
  {
    file: 'src/extension/bad.ts',
    code: "import { trainJob } from '../jobs/train-job.js';",
    rule: DEP,
  },
  {
    file: 'src/extension/ok.ts',
    code: "import { isViewMessage } from '../protocol/webview-messages.js';",
  },
  {
    file: 'src/extension/ok.ts',
    code: "import type { IterationRecord } from '../core/solver/types.js';",
  },
  {
    file: 'src/extension/ok.ts',
    code: "import type { RunReport } from '../io/run-folder.js';",
  },
  {
    file: 'src/extension/ok.ts',
    code: "import type { TrainOutcome } from '../run/train-spec.js';",
  },
  // jobs (the extension's job thread) imports the run service, never the extension
  {
    file: 'src/jobs/bad.ts',
    code: "import { ResultsPanel } from '../extension/results-panel.js';",
    rule: DEP,
  },
  { file: 'src/jobs/ok.ts', code: "import { trainSpec } from '../run/train-spec.js';" },
  // webview imports protocol only
  { file: 'webview/bad.ts', code: "import { runFit } from '../src/core/fit-job.js';", rule: DEP },
  {
    file: 'webview/ok.ts',
    code: "import { isHostMessage } from '../src/protocol/webview-messages.js';",
  },
  // every file of src/ is in a known folder
  { file: 'src/misc/bad.ts', code: 'export const x = 1;', rule: 'boundaries/no-unknown-files' },
  // no circle of value imports (state-space-net.ts imports mlp.ts, so mlp.ts may not import it
  // back); circles through types only are test/docs/import-cycles.test.ts's
  {
    file: 'src/core/models/mlp.ts',
    code: "import { StateSpaceNet } from './state-space-net.js';",
    rule: 'import-x/no-cycle',
  },
];

describe('folder boundaries (ESLint)', () => {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
      ...boundariesConfig,
    ],
  });

  for (const f of FIXTURES) {
    it(`${f.file}: ${f.code} → ${f.rule ?? 'allowed'}`, async () => {
      const [result] = await eslint.lintText(f.code, { filePath: resolve(root, f.file) });
      const errors = result!.messages.filter((m) => m.severity === 2);
      const described = errors.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
      if (f.rule)
        assert.ok(
          errors.some((m) => m.ruleId === f.rule),
          described.join('\n'),
        );
      else assert.deepEqual(described, []);
    });
  }
});
