#!/usr/bin/env bash
# Copies the screenshots README.md shows from the last integration-test run
# (test-artifacts/screenshots/, written by `make test-vscode`) into docs/screenshots/, and records
# where they came from in docs/screenshots/SOURCE.md. Fails if one is missing, so the README never
# shows a picture the tests did not take. `make screenshots` runs the tests first.
set -euo pipefail
cd "$(dirname "$0")/.."
src=test-artifacts/screenshots
names=$(grep -o 'docs/screenshots/[a-z0-9-]*\.png' README.md | sort -u | sed 's|docs/screenshots/||')
for n in $names; do
  [ -f "$src/$n" ] || { echo "update-screenshots: $src/$n is missing; run make test-vscode first" >&2; exit 1; }
done
mkdir -p docs/screenshots
{
  echo "# Where these screenshots come from"
  echo
  echo "Taken by \`make test-vscode\` (\`test/vscode/suite.ts\`, \`test/vscode/restricted.ts\`) and copied here by"
  echo "\`scripts/update-screenshots.sh\` (\`make screenshots\`); do not edit them by hand."
  echo
  echo "- commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src webview test 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "- date: $(date -u +%Y-%m-%d)"
  echo "- VS Code: the server build of code-server 4.100.3 (VS Code 1.100.3), Debian Chromium $(chromium --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -1)"
  echo
  echo "| file | sha256 (first 16 hex digits) |"
  echo "| --- | --- |"
  for n in $names; do
    cp "$src/$n" "docs/screenshots/$n"
    echo "| \`$n\` | \`$(sha256sum "docs/screenshots/$n" | cut -c1-16)\` |"
  done
} > docs/screenshots/SOURCE.md
npx prettier --write docs/screenshots/SOURCE.md > /dev/null
echo "copied: $names"
