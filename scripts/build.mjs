// Bundles the extension, the command line, the solver worker, the extension's job thread, the
// language server and the results webview with esbuild. Type checking is separate (`npm run typecheck`, tsc --noEmit),
// as in the official esbuild sample.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // Sources are ES modules; the bundles are CommonJS (.cjs), where import.meta is empty: code that
  // needs its own folder uses __dirname first (see src/worker/solver-host.ts).
  logOverride: { 'empty-import-meta': 'silent' },
  // Runs before anything else in every Node bundle, so ES2024 built-ins that Langium uses exist
  // on Node 20 too (the VS Code 1.100 server and Debian 13's nodejs); a no-op on Node ≥ 21.
  inject: ['src/language/polyfills.ts'],
};

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.cjs',
    external: ['vscode'],
    // No Langium here (the language server and the job thread carry it): no polyfills needed.
    inject: [],
    // Always minified (the source map beside it keeps stack traces readable): what is left is
    // vscode-languageclient, ~950 KB as written, 457 KB minified; the limit is 500 KB
    // (test/docs/extension-bundle.test.ts, issue #19).
    minify: true,
  }),
  // The extension's job thread: training, evaluation, export, sweeps and run-folder reading for
  // the extension host, which carries none of that code (src/protocol/host-jobs.ts).
  esbuild.build({
    ...common,
    entryPoints: ['src/jobs/job-thread.ts'],
    outfile: 'dist/host-jobs.cjs',
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.cjs',
    banner: { js: '#!/usr/bin/env node' },
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/worker/solver-worker.ts'],
    outfile: 'dist/worker.cjs',
  }),
  // Helper threads of the solver worker for the Gauss–Newton pass (src/worker/pass-pool.ts).
  esbuild.build({
    ...common,
    entryPoints: ['src/worker/pass-helper.ts'],
    outfile: 'dist/pass-helper.cjs',
  }),
  // Reads MATLAB v7.3 (HDF5) files for src/io/hdf5-sync.ts, which blocks on it; h5wasm's wasm is
  // inlined in its JavaScript, so nothing needs copying beside dist/.
  esbuild.build({
    ...common,
    entryPoints: ['src/io/hdf5-worker.ts'],
    outfile: 'dist/hdf5-worker.cjs',
  }),
  // Parses large text tables for src/io/text-table-offthread.ts, which blocks on it.
  esbuild.build({
    ...common,
    entryPoints: ['src/io/text-table-worker.ts'],
    outfile: 'dist/text-table-worker.cjs',
  }),
  esbuild.build({
    ...common,
    entryPoints: ['src/language/main.ts'],
    outfile: 'dist/language-server.cjs',
  }),
  esbuild.build({
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: production,
    sourcemap: !production,
    logLevel: 'warning',
    entryPoints: ['webview/results.ts', 'webview/preview.ts'],
    outdir: 'dist/webview',
  }),
  // The integration tests loaded by the extension host (scripts/vscode-test.mjs).
  esbuild.build({
    ...common,
    entryPoints: ['test/vscode/suite.ts'],
    outfile: 'dist-test/vscode-suite.cjs',
    external: ['vscode'],
  }),
]);
// The panel's stylesheet: uPlot's, then ours.
mkdirSync('dist/webview', { recursive: true });
writeFileSync(
  'dist/webview/results.css',
  `${readFileSync('node_modules/uplot/dist/uPlot.min.css', 'utf8')}\n${readFileSync('webview/results.css', 'utf8')}`,
);
