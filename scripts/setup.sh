#!/usr/bin/env bash
# Installs what `make test` and `make run` need, idempotently, on a Debian machine:
#   - rustup components rustfmt and clippy;
#   - the C toolchain and libpq headers the diesel build links against;
#   - the PostgreSQL client (psql), and the server binaries when no DATABASE_URL is set
#     (scripts/db.sh starts a project-local cluster with them);
#   - a Python venv in .venv with the pinned tools of scripts/requirements-dev.txt. A stamp
#     file (.venv/.requirements-dev.sha256) skips pip when the file has not changed.
# Prints one line per item, installed or skipped. apt-get needs root.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"
REQS=scripts/requirements-dev.txt
VENV=.venv
STAMP="$VENV/.requirements-dev.sha256"

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

APT_UPDATED=""
apt_install() {
    [ "$(id -u)" -eq 0 ] || die "need root to apt-get install $* (or install it yourself)"
    command -v apt-get >/dev/null || die "apt-get not found: install $* yourself"
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "$APT_UPDATED" ]; then
        apt-get update -qq
        APT_UPDATED=1
    fi
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --- Rust ---------------------------------------------------------------------------------
command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"
for comp in rustfmt clippy; do
    if [ "$comp" = rustfmt ]; then probe=(cargo fmt --version); else probe=(cargo clippy --version); fi
    if "${probe[@]}" >/dev/null 2>&1; then
        say "skip    rust component $comp (present)"
    else
        command -v rustup >/dev/null || die "cargo $comp missing and rustup not found"
        rustup component add "$comp" >/dev/null 2>&1 || die "rustup component add $comp failed"
        say "install rust component $comp"
    fi
done

# --- System packages ----------------------------------------------------------------------
if command -v cc >/dev/null; then
    say "skip    C toolchain (cc present)"
else
    apt_install build-essential pkg-config
    say "install C toolchain (build-essential)"
fi

# diesel's pq-sys links against libpq.
if [ -e /usr/include/postgresql/libpq-fe.h ] || pkg-config --exists libpq 2>/dev/null; then
    say "skip    libpq-dev (present)"
else
    apt_install libpq-dev
    say "install libpq-dev"
fi

if command -v psql >/dev/null; then
    say "skip    psql ($(psql --version))"
else
    apt_install postgresql-client
    say "install postgresql-client ($(psql --version))"
fi

if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    say "skip    postgresql server binaries (present)"
elif [ -n "${DATABASE_URL:-}" ]; then
    say "skip    postgresql server binaries (DATABASE_URL is set)"
else
    apt_install postgresql
    say "install postgresql (server binaries for scripts/db.sh)"
fi

# --- Python venv --------------------------------------------------------------------------
command -v python3 >/dev/null || { apt_install python3 python3-venv; say "install python3"; }
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import sys' 2>/dev/null; then
    say "skip    venv $VENV (present, $("$VENV/bin/python" --version))"
else
    rm -rf "$VENV"
    if ! python3 -m venv "$VENV" >/dev/null 2>&1; then
        rm -rf "$VENV"
        apt_install python3-venv
        python3 -m venv "$VENV"
    fi
    say "install venv $VENV ($("$VENV/bin/python" --version))"
fi

want="$( (cat "$REQS"; "$VENV/bin/python" --version) | sha256sum | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
    say "skip    python tools (venv matches $REQS)"
else
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQS"
    printf '%s\n' "$want" >"$STAMP"
    say "install python tools from $REQS ($(grep -cE '^[a-zA-Z]' "$REQS") pinned packages)"
fi
