#!/usr/bin/env bash
# Builds the SPA into frontend/dist (served by the API with SAS_STATIC_DIR), offline:
#   1. build/vendor-dsfr.mjs   the DSFR core and the components used, with their fonts and icons;
#   2. cargo build             the wasm (release: size over speed, see the overrides below);
#   3. wasm-bindgen            the JavaScript glue (`--target web`), at Cargo.lock's version;
#   4. wasm-opt -Oz            from npm `binaryen` (Debian's is too old for this wasm);
#   5. build/assemble.mjs      hashed names, integrity attributes, the CSP-compliant boot.js
#                              loader, precompressed .br/.gz siblings, swapped in atomically.
# `--dev`: a debug build for quick iterations (no wasm-opt, no compression).
# The tools come from scripts/frontend-setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

dev=0
[ "${1:-}" = "--dev" ] && dev=1
log() { printf 'frontend-build: %s\n' "$*"; }
command -v wasm-bindgen >/dev/null || { log "wasm-bindgen not found: run scripts/frontend-setup.sh" >&2; exit 1; }
[ -d frontend/node_modules/@gouvfr/dsfr ] || { log "npm packages missing: run scripts/frontend-setup.sh" >&2; exit 1; }

node frontend/build/vendor-dsfr.mjs

if [ "$dev" = 1 ]; then
    cargo build --target wasm32-unknown-unknown -p sas-frontend --bin sas-frontend
    wasm="target/wasm32-unknown-unknown/debug/sas-frontend.wasm"
else
    # Size over speed for the wasm only: these override the workspace's release profile for
    # this cargo invocation (the API's own release build keeps its settings).
    CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
    CARGO_PROFILE_RELEASE_LTO=fat \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
    CARGO_PROFILE_RELEASE_STRIP=false \
    CARGO_PROFILE_RELEASE_DEBUG=false \
    CARGO_PROFILE_RELEASE_PANIC=abort \
        cargo build --release --target wasm32-unknown-unknown -p sas-frontend --bin sas-frontend
    wasm="target/wasm32-unknown-unknown/release/sas-frontend.wasm"
fi

stage="$root/target/frontend-stage"
rm -rf "$stage"
mkdir -p "$stage"
wasm-bindgen --target web --no-typescript --out-dir "$stage" --out-name sas-frontend "$wasm"
if [ "$dev" = 1 ]; then
    node frontend/build/assemble.mjs "$stage" --no-compress
else
    "$root/frontend/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
        "$stage/sas-frontend_bg.wasm" -o "$stage/sas-frontend_bg.opt.wasm"
    mv "$stage/sas-frontend_bg.opt.wasm" "$stage/sas-frontend_bg.wasm"
    node frontend/build/assemble.mjs "$stage"
fi
