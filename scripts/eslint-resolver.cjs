// Import resolver (eslint-module-utils interface v2) for eslint-plugin-boundaries and
// eslint-plugin-import-x: our sources import TypeScript files by their emitted name
// (`./model.js` for model.ts, moduleResolution "bundler"); packages go to the Node resolver.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const node = require('eslint-import-resolver-node');

const isFile = (p) => {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

exports.interfaceVersion = 2;

exports.resolve = (source, file, config) => {
  if (!source.startsWith('.')) return node.resolve(source, file, config ?? {});
  const base = path.resolve(path.dirname(file), source);
  const candidates = base.endsWith('.js')
    ? [base.slice(0, -3) + '.ts', base]
    : [base, base + '.ts', path.join(base, 'index.ts')];
  const found = candidates.find(isFile);
  return found ? { found: true, path: found } : { found: false };
};
