// Bundles the extension, the command line and (later) the worker with esbuild. Type checking
// is separate (`npm run typecheck`, tsc --noEmit), as in the official esbuild sample.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // Sources are ES modules; the bundles are CommonJS (.cjs), where import.meta is empty: code that
  // needs its own folder uses __dirname first (see src/worker/solver-host.ts).
  logOverride: { 'empty-import-meta': 'silent' },
};

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.cjs',
    external: ['vscode'],
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
]);
