// ESLint flat config: typescript-eslint with type information, plus the folder boundaries of
// STYLE.md: which folder may import which (and no import circle) in scripts/eslint-boundaries.mjs;
// which packages a folder may not import (core is pure; only src/extension imports vscode) here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { boundariesConfig } from './scripts/eslint-boundaries.mjs';

const nodeOnly = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'worker_threads',
  'node:worker_threads',
  'child_process',
  'node:child_process',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.stryker-tmp/',
      '.tools/',
      'dist/',
      'out/',
      '.vscode-test/',
      'test/fixtures/',
      'src/language/generated/',
      'scratch/',
      'kernels/',
      'dist-test/',
      '.vscode-test/',
      'runs/',
      'sweeps/',
      '**/*.py',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.mjs', 'scripts/*.mjs', 'scripts/*.cjs', 'test/*.mjs'],
          // The build and maintenance scripts (plain .mjs, run by node) are more than the default 8.
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 20,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after'],
              package: 'node:test',
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        URL: 'readonly',
      },
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', exports: 'writable', module: 'writable' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['vscode', ...nodeOnly].map((name) => ({
            name,
            message:
              'src/core must stay free of vscode, worker_threads and the file system (STYLE.md).',
          })),
        },
      ],
      'no-console': 'error',
    },
  },
  {
    files: [
      'src/language/**/*.ts',
      'src/run/**/*.ts',
      'src/worker/**/*.ts',
      'src/cli/**/*.ts',
      'src/io/**/*.ts',
      'src/protocol/**/*.ts',
      'src/sweep/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Only src/extension imports vscode (STYLE.md).' }],
        },
      ],
    },
  },
  {
    files: ['src/worker/**/*.ts', 'src/language/**/*.ts', 'src/sweep/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The webview imports src/protocol only (STYLE.md).' }],
        },
      ],
    },
  },
  ...boundariesConfig,
);
