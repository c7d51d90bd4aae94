#!/usr/bin/env bash
# Installs what building and testing the web app needs, each piece only if it
# is missing (so a second run is a no-op):
#
#   scripts/install-tools.sh build   wasm32 target, trunk 0.21.x,
#                                    wasm-bindgen-cli 0.2.130, binaryen 132 (npm, project-local)
#   scripts/install-tools.sh test    the above, plus Chromium + chromedriver (Debian)
#                                    and the e2e npm deps (playwright-core)
#
# Builds run one at a time (cargo install is heavy; the CI box has 2 cores).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODE="${1:-build}"
TRUNK_SERIES="0.21"
WASM_BINDGEN_VERSION="0.2.130"   # must match the wasm-bindgen pin in www/Cargo.toml
BINARYEN_VERSION="132"
BINARYEN_DIR="$ROOT/.tools/binaryen"
export PATH="$BINARYEN_DIR/node_modules/.bin:$HOME/.cargo/bin:$PATH"

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
say() { printf '[install-tools] %s\n' "$*"; }

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
    APT_UPDATED=1
  fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" </dev/null
}

# ---- build tools ------------------------------------------------------------

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q "^trunk ${TRUNK_SERIES//./\\.}\."; then
  say "installing trunk ~${TRUNK_SERIES} (a few minutes)"
  cargo install --locked trunk --version "~${TRUNK_SERIES}" </dev/null
fi

if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen ${WASM_BINDGEN_VERSION}"; then
  say "installing wasm-bindgen-cli ${WASM_BINDGEN_VERSION} (a few minutes)"
  cargo install wasm-bindgen-cli --version "${WASM_BINDGEN_VERSION}" </dev/null
fi

if ! command -v npm >/dev/null 2>&1; then
  say "installing nodejs + npm (Debian)"
  apt_install nodejs npm
fi

if ! "$BINARYEN_DIR/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION}\b"; then
  say "installing binaryen@${BINARYEN_VERSION} (npm) into .tools/binaryen"
  mkdir -p "$BINARYEN_DIR"
  npm install --prefix "$BINARYEN_DIR" --no-audit --no-fund --no-save "binaryen@${BINARYEN_VERSION}" </dev/null
fi

[ "$MODE" = "build" ] && exit 0

# ---- test tools -------------------------------------------------------------

if ! { command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; }; then
  say "installing chromium + chromium-driver (Debian)"
  apt_install chromium chromium-driver
fi

if [ ! -f "$ROOT/tests/e2e/node_modules/playwright-core/package.json" ]; then
  say "installing e2e npm dependencies (playwright-core)"
  (cd "$ROOT/tests/e2e" && npm ci --no-audit --no-fund </dev/null)
fi
