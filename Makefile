# pymem: build, serve and test the web app (www/, crate pymem-web) and the core.
#
#   make serve      install what is missing, build, serve http://127.0.0.1:8080
#   make dist       build the static site into dist/ (relative URLs: any static server)
#   make test       install what is missing (incl. Chromium), then run everything:
#                   native cargo tests, wasm-bindgen browser tests, dist, e2e
#   make bench-web  build dist/ and print the in-browser benchmark figures
#
# Heavy steps (cargo install, release wasm builds, Chromium) run one at a time.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.NOTPARALLEL:

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
export PATH := $(ROOT)/.tools/binaryen/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CARGO_TERM_COLOR ?= never

HOST ?= 127.0.0.1
PORT ?= 8080
TRUNK_FLAGS := --release --offline

.PHONY: help serve dist test bench-web tools test-tools test-native test-wasm test-e2e clean

help:
	@sed -n '2,9p' $(ROOT)/Makefile | sed 's/^# \{0,1\}//'

## Installs (each only if absent) -------------------------------------------

tools:
	@$(ROOT)/scripts/install-tools.sh build

test-tools:
	@$(ROOT)/scripts/install-tools.sh test

## Build and serve ------------------------------------------------------------

dist: tools
	cd $(ROOT) && trunk build $(TRUNK_FLAGS)
	@ls -l $(ROOT)/dist

serve: tools
	@echo "pymem: serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	cd $(ROOT) && trunk serve $(TRUNK_FLAGS) --address $(HOST) --port $(PORT) --no-autoreload

## Tests ----------------------------------------------------------------------

# The end-to-end run goes last so its plain "e2e: N passed, N failed" line
# closes the output.
test: test-tools
	@$(MAKE) --no-print-directory test-native
	@$(MAKE) --no-print-directory test-wasm
	@$(MAKE) --no-print-directory dist
	@echo "make test: native tests, wasm-bindgen browser tests and dist passed; end-to-end:"
	@$(MAKE) --no-print-directory test-e2e

test-native:
	cd $(ROOT) && cargo test --workspace

# wasm-bindgen-test in headless Chromium; the flags are in www/webdriver.json
# (the runner reads it from the crate directory).
test-wasm:
	cd $(ROOT) && \
	  CHROMEDRIVER="$${CHROMEDRIVER:-$$(command -v chromedriver)}" \
	  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  WASM_BINDGEN_TEST_TIMEOUT=120 \
	  cargo test --target wasm32-unknown-unknown -p pymem-web

test-e2e:
	cd $(ROOT) && node tests/e2e/run.mjs

bench-web: test-tools dist
	cd $(ROOT) && node tests/e2e/run.mjs --bench

clean:
	rm -rf $(ROOT)/dist $(ROOT)/tests/e2e/artifacts
