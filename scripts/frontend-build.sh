#!/usr/bin/env bash
# Release build of the SPA into frontend/dist (served by the API with SAS_STATIC_DIR).
set -euo pipefail
cd "$(dirname "$0")/../frontend"

# wasm-opt from npm `binaryen` (Debian's is too old for this wasm).
export PATH="$PWD/node_modules/.bin:$PATH"
# Size over speed for the wasm only: these override the workspace's release profile for this
# cargo invocation (the API's own release build keeps its settings).
export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
export CARGO_PROFILE_RELEASE_LTO=fat
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
export CARGO_PROFILE_RELEASE_STRIP=false
export CARGO_PROFILE_RELEASE_DEBUG=false
export CARGO_PROFILE_RELEASE_PANIC=abort

trunk build --release "$@"

wasm=$(ls dist/*_bg.wasm)
js=$(ls dist/sas-frontend-*.js)
printf 'frontend-build: %s %s bytes (%s gzipped), %s %s bytes (%s gzipped)\n' \
    "$(basename "$wasm")" "$(wc -c <"$wasm")" "$(gzip -9 -c "$wasm" | wc -c)" \
    "$(basename "$js")" "$(wc -c <"$js")" "$(gzip -9 -c "$js" | wc -c)"

# Precompressed siblings (.br at the highest quality, .gz -9): the API serves them when the
# browser accepts them, instead of compressing on the fly at a fast level.
node -e '
const fs = require("fs"), path = require("path"), zlib = require("zlib");
const walk = d => fs.readdirSync(d, { withFileTypes: true }).flatMap(e =>
  e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
for (const f of walk("dist")) {
  if (!/\.(wasm|js|css|html|svg)$/.test(f)) continue;
  const data = fs.readFileSync(f);
  fs.writeFileSync(f + ".br", zlib.brotliCompressSync(data, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
  fs.writeFileSync(f + ".gz", zlib.gzipSync(data, { level: 9 }));
}'
echo "frontend-build: precompressed .br and .gz written next to the text assets"
