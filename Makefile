# Two commands on a fresh machine (only the npm registry and Debian packages needed):
#   make demo   the main job: `nails train examples/binary-output.nails` (the paper's binary-output example)
#   make test   type check, lint, format check, the test suite, and the tests inside a real VS Code (what CI runs)
# Both install what they need: the pinned Node (.node-version) and the locked npm packages.
SHELL := /bin/bash
NODE_BIN := $(shell scripts/node-env.sh)
export PATH := $(NODE_BIN):$(PATH)
# Benchmark data are read in place, never copied: ../shared/data beside the checkout by default.
NAILS_DATA_DIR ?= $(abspath ../shared/data)
export NAILS_DATA_DIR

.PHONY: demo test install build check lint format fixtures test-vscode test-matrix test-newest screenshots package mutation bench-accuracy debian-packages bench-sweep

# A git worktree that links node_modules to another checkout's must not run `npm ci` through the
# link (it empties the other checkout's packages): install there instead.
node_modules/.install-stamp: package.json package-lock.json .node-version
	@if [ -L node_modules ]; then echo "node_modules is a link to $$(readlink -f node_modules): run the install in that checkout (or touch its .install-stamp if the lock file is the same)" >&2; exit 1; fi
	ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: node_modules/.install-stamp

build: install
	npm run -s build

demo: build
	node dist/cli.cjs train examples/binary-output.nails --out runs

check: install
	bash scripts/check-generated.sh
	npm run -s typecheck
	npm run -s lint
	npm run -s format:check

test: build check debian-packages
	npm run -s test:unit
	$(MAKE) --no-print-directory test-vscode
	$(MAKE) --no-print-directory test-newest

# Debian packages the tests use (redis-server for the distributed sweep); installed when missing
# and apt is there as root, otherwise those tests skip visibly.
debian-packages:
	@bash scripts/ensure-debian-packages.sh

format: install
	npm run -s format

# Regenerates the reference fixtures with numpy/scipy (needs them; CI only reads the results);
# the MAT v7.3 fixture with h5wasm's writer (h5py is not needed).
fixtures: node_modules/.install-stamp
	python3 test/fixtures/generate.py $(NAILS_DATA_DIR)
	python3 test/fixtures/data-formats/generate.py
	node test/fixtures/data-formats/generate-v73.mjs
	/usr/bin/python3 test/fixtures/data-formats/generate-v73-h5py.py

# Integration tests inside a real VS Code (server build from code-server's npm package, headless
# Debian Chromium); installs them on first use (see shared/TESTING.md).
# Screenshots go to test-artifacts/screenshots. Then the same in Restricted Mode (an untrusted
# workspace), and the packaged .vsix is installed into that VS Code and its Train command is run
# from the installed package.
test-vscode: build
	@set -e; read -r NODE20 VSCODE_DIR < <(bash scripts/setup-vscode-test.sh | tail -1); \
	rm -rf .vscode-test/workspace .vscode-test/workspace-vsix; mkdir -p .vscode-test/workspace .vscode-test/workspace-vsix; \
	timeout -k 10 600 node scripts/vscode-test.mjs "$$NODE20" "$$VSCODE_DIR" .vscode-test/workspace dist-test/vscode-suite.cjs --screenshots test-artifacts/screenshots; \
	rm -rf .vscode-test/workspace-untrusted; mkdir -p .vscode-test/workspace-untrusted; \
	timeout -k 10 600 node scripts/vscode-test.mjs "$$NODE20" "$$VSCODE_DIR" .vscode-test/workspace-untrusted dist-test/vscode-suite.cjs --untrusted --screenshots test-artifacts/screenshots; \
	npx vsce package --no-dependencies --allow-missing-repository --skip-license --no-rewrite-relative-links -o .vscode-test/nails-studio.vsix > /dev/null; \
	timeout -k 10 600 node scripts/vscode-test.mjs "$$NODE20" "$$VSCODE_DIR" .vscode-test/workspace-vsix dist-test/vscode-suite.cjs --vsix .vscode-test/nails-studio.vsix

# The version matrix: the tests above on the oldest VS Code engines.vscode allows (1.100.3, code-server
# 4.100.3 on Node 20) and on the newest code-server release running on Node 22 (4.117.0: VS Code
# 1.117.0; installed on first use, ~2.5 minutes). `make test` runs both (test-vscode, test-newest).
MATRIX_NEWEST := 4.117.0
test-matrix: test-vscode test-newest

test-newest: build
	@set -e; read -r NODE VSCODE_DIR < <(bash scripts/setup-vscode-test.sh $(MATRIX_NEWEST) | tail -1); \
	rm -rf .vscode-test/workspace-newest .vscode-test/workspace-newest-untrusted; \
	mkdir -p .vscode-test/workspace-newest .vscode-test/workspace-newest-untrusted; \
	timeout -k 10 600 node scripts/vscode-test.mjs "$$NODE" "$$VSCODE_DIR" .vscode-test/workspace-newest dist-test/vscode-suite.cjs; \
	timeout -k 10 600 node scripts/vscode-test.mjs "$$NODE" "$$VSCODE_DIR" .vscode-test/workspace-newest-untrusted dist-test/vscode-suite.cjs --untrusted

# README screenshots: run the VS Code tests, then copy the pictures the README shows into docs/screenshots.
screenshots: test-vscode
	bash scripts/update-screenshots.sh

# The .vsix (allow-list .vscodeignore).
package: build
	npx vsce package --no-dependencies --allow-missing-repository --skip-license --no-rewrite-relative-links -o nails-studio.vsix

# Mutation testing (StrykerJS, tap runner on node:test) of src/core/solver and src/core/admm, one
# config each, incremental (reuses the committed incremental files); reports in docs/mutation/solver
# and docs/mutation/admm, summarised in docs/mutation/README.md.
mutation: install
	npx stryker run stryker.solver.json
	npx stryker run stryker.admm.json

# Accuracy on the real benchmarks (official splits, 3 seeds each; about 60 minutes on 2 cores):
# rows in bench/results.json, table in BENCHMARKS.md (bench/accuracy.ts). Needs ../shared/data.
bench-accuracy: build
	npx tsx bench/accuracy.ts
