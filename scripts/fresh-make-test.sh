#!/usr/bin/env bash
# Times `make test` as on a new machine: a clean clone of HEAD (committed work only) in a
# temporary folder, a CARGO_HOME holding only rustup's proxies (no crate downloaded, no tool
# installed), an empty npm cache, pip without cache. Debian's packages and the rustup
# toolchain stay as they are (see docs/step-times.md). The run gets the processor first on a
# shared machine (its own session and autogroup, nice -15, when root). Everything it made is
# removed at the end; the log stays.
#   DATABASE_URL   used as is when set (otherwise scripts/db.sh starts a cluster in the clone)
#   KEEP=1         keep the clone and the temporary CARGO_HOME
# Usage: scripts/fresh-make-test.sh [LOG]   (default: target/fresh-make-test.log)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
log=${1:-$repo/target/fresh-make-test.log}
mkdir -p "$(dirname "$log")"
work=$(mktemp -d /tmp/sas-fresh.XXXXXX)
rustup_bin=$(dirname "$(command -v rustup)")

cleanup() {
    if [ "${KEEP:-0}" != 1 ]; then
        (cd "$work/clone" 2>/dev/null && [ -z "${DATABASE_URL:-}" ] && scripts/db.sh stop) >/dev/null 2>&1 || true
        rm -rf "$work"
    fi
}
trap cleanup EXIT

git clone -q "$repo" "$work/clone"
git -C "$work/clone" checkout -q "$(git rev-parse HEAD)"
mkdir -p "$work/cargo/bin"
for b in cargo rustc rustdoc rustfmt cargo-fmt cargo-clippy clippy-driver rustup; do
    ln -s "$rustup_bin/rustup" "$work/cargo/bin/$b"
done

cat >"$work/run.sh" <<RUN
#!/usr/bin/env bash
cd "$work/clone"
export CARGO_HOME="$work/cargo" RUSTUP_HOME="\${RUSTUP_HOME:-$HOME/.rustup}"
export PATH="$work/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export npm_config_cache="$work/npm" PIP_NO_CACHE_DIR=1
echo "fresh make test of \$(git rev-parse --short HEAD), load average \$(cut -d' ' -f1-3 /proc/loadavg)"
time make test
echo "load average at the end: \$(cut -d' ' -f1-3 /proc/loadavg)"
RUN
chmod +x "$work/run.sh"

echo "fresh-make-test: log in $log"
if [ "$(id -u)" = 0 ] && [ -w /proc/self/autogroup ]; then
    setsid "$work/run.sh" >"$log" 2>&1 </dev/null &
    pid=$!
    echo -15 >"/proc/$pid/autogroup" 2>/dev/null || true
    wait "$pid" && status=0 || status=$?
else
    "$work/run.sh" >"$log" 2>&1 && status=0 || status=$?
fi
grep -E '^<== |^make test|^real|^user|^sys|load average' "$log" || true
exit "$status"
