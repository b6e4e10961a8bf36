#!/usr/bin/env bash
# Installs what the SPA's build and browser tests need; idempotent, and quick when all is there:
# the wasm32 target, wasm-bindgen-cli at Cargo.lock's version, the npm packages of frontend/
# (DSFR, binaryen's wasm-opt, Playwright, axe-core) and Debian's Chromium. No bundler: the
# build (scripts/frontend-build.sh) drives cargo, wasm-bindgen and wasm-opt itself.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'frontend-setup: %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must be exactly the wasm-bindgen of Cargo.lock (the glue and the wasm
# agree on their ABI).
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$WB_VERSION" ]; then
    log "wasm-bindgen not found in Cargo.lock; run 'cargo generate-lockfile' first" >&2
    exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ]; then
    log "installing wasm-bindgen-cli $WB_VERSION (about 1 minute)"
    # Unoptimised (opt-level 0, no debug info, 16 codegen units, no LTO): 52 s to compile
    # instead of 137 s for its release profile (measured one after the other), the same output
    # byte for byte on this SPA, and 0.8 s to run instead of 0.25 s.
    CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_DEBUG=false \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_LTO=false \
        cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

apt_updated=0
apt_install() {
    if [ "$apt_updated" = 0 ]; then
        apt-get update -qq
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    log "installing Node.js and npm"
    apt_install nodejs npm
fi
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
if [ "$NODE_MAJOR" -lt 20 ]; then
    log "Node.js $NODE_MAJOR is too old: Playwright and the DSFR need Node.js 20 or newer" >&2
    exit 1
fi

# npm ci when node_modules is missing or older than the lock file.
if [ ! -f frontend/node_modules/.package-lock.json ] \
    || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
    log "installing the npm packages of frontend/"
    (cd frontend && npm ci --no-audit --no-fund)
fi

if [ ! -x /usr/bin/chromium ]; then
    log "installing Debian's Chromium"
    apt_install chromium
fi

log "ready (wasm-bindgen $WB_VERSION, node $(node --version), $(/usr/bin/chromium --version 2>/dev/null | head -n1))"
