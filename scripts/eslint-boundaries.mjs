// The folder boundaries of STYLE.md and issue #19, enforced by eslint-plugin-boundaries (which
// folder may import which) and eslint-plugin-import-x (no import circle). Shared by
// eslint.config.mjs and test/docs/boundaries.test.ts, which proves that each rule bites.
//
//   folder      may import                                    why
//   core        core                                          the solver, usable anywhere
//   protocol    protocol; core as `import type` only          message types (plus their guards and wire forms)
//   io          core, protocol                                the file system around core
//   language    core, io, protocol                            grammar, analysis, compiler
//   worker      core, protocol                                hosts core behind the protocol
//   run         core, io, language, protocol, worker          training/evaluation; starts workers
//   sweep       core, io, language, protocol, run, worker     many fits: local pool, Redis queue
//   cli         all of the above (never extension, webview)   the command line
//   jobs        core, io, language, protocol, run, sweep,     the extension's job thread
//               worker                                        (dist/host-jobs.cjs)
//   extension   protocol; core, io, language, run, sweep      the VS Code host
//               as `import type` only
//   webview     protocol                                      the browser side of the panels
//
// The extension host (issue #19 item 4) talks to the language server over LSP and to the job
// thread through src/protocol/host-jobs.ts only: no value of core, io, language, run or sweep is
// bundled into dist/extension.cjs (test/docs/extension-bundle.test.ts keeps it under 500 KB).
// Packages (vscode, node:fs, …) are restricted by no-restricted-imports in eslint.config.mjs.
import boundaries from 'eslint-plugin-boundaries';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import { fileURLToPath } from 'node:url';

const resolver = fileURLToPath(new URL('./eslint-resolver.cjs', import.meta.url));

const FOLDERS = [
  'core',
  'protocol',
  'io',
  'language',
  'worker',
  'run',
  'sweep',
  'cli',
  'jobs',
  'extension',
];

/** Which folders each folder may import (values and types), besides itself. */
export const ALLOWED = {
  core: [],
  protocol: [],
  io: ['core', 'protocol'],
  language: ['core', 'io', 'protocol'],
  worker: ['core', 'protocol'],
  run: ['core', 'io', 'language', 'protocol', 'worker'],
  sweep: ['core', 'io', 'language', 'protocol', 'run', 'worker'],
  cli: ['core', 'io', 'language', 'protocol', 'run', 'sweep', 'worker'],
  jobs: ['core', 'io', 'language', 'protocol', 'run', 'sweep', 'worker'],
  extension: ['protocol'],
  webview: ['protocol'],
};

/** Folders a folder may import with `import type` only. */
export const TYPES_ONLY = {
  protocol: ['core'],
  extension: ['core', 'io', 'language', 'run', 'sweep'],
};

const element = (type) => ({ element: { type } });

export const boundariesConfig = [
  {
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    plugins: { boundaries, 'import-x': importX },
    settings: {
      'boundaries/elements': [
        ...FOLDERS.map((type) => ({ type, pattern: `src/${type}` })),
        { type: 'webview', pattern: 'webview' },
      ],
      'boundaries/root-path': fileURLToPath(new URL('..', import.meta.url)),
      'import/resolver': { [resolver]: {} },
      'import-x/extensions': ['.ts', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/external-module-folders': ['node_modules'],
      // `./model.js` is model.ts (moduleResolution "bundler").
      'import-x/resolver-next': [createNodeResolver({ extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message:
            '{{from.type}} must not import {{to.type}} (folder boundaries: scripts/eslint-boundaries.mjs, STYLE.md)',
          policies: [
            ...Object.entries(ALLOWED)
              .filter(([, to]) => to.length > 0)
              .map(([from, to]) => ({
                from: element(from),
                allow: { to: { element: { types: to } } },
              })),
            ...Object.entries(TYPES_ONLY).map(([from, to]) => ({
              from: element(from),
              allow: { to: { element: { types: to } }, dependency: { kind: 'type' } },
            })),
          ],
        },
      ],
      // Every file belongs to one of the folders above (a new top-level folder needs a rule).
      'boundaries/no-unknown-files': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
];
