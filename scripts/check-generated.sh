#!/usr/bin/env bash
# Fails when the generated Langium files (AST, grammar, module, TextMate grammar) are not what the
# grammar produces: regenerates them and compares with the files as they were.
set -euo pipefail
cd "$(dirname "$0")/.."
before="$(mktemp -d)"
cp -r src/language/generated "$before/generated"
cp syntaxes/nails.tmLanguage.json "$before/"
node scripts/build-kernels.mjs --check
npx langium generate > /dev/null
if ! diff -rq "$before/generated" src/language/generated > /dev/null || ! cmp -s "$before/nails.tmLanguage.json" syntaxes/nails.tmLanguage.json; then
  echo "the generated Langium files were stale (now regenerated): commit src/language/generated and syntaxes/nails.tmLanguage.json" >&2
  exit 1
fi
