#!/usr/bin/env bash
# Usage: scripts/db.sh [start|stop|status|path]
#
#   start (default)  print (stdout, one line) an admin DATABASE_URL for the database `sas`.
#                    When $DATABASE_URL is set and reachable it is printed unchanged and nothing
#                    is created. Otherwise a project-local PostgreSQL cluster is used (created and
#                    started as needed, all idempotent): data in $REPO/.pgdata (git-ignored), port
#                    ${SAS_PG_PORT:-55432}, listening on 127.0.0.1 only, trust auth, fsync off,
#                    Unix socket inside the data directory.
#   stop             stop the project-local cluster (if running).
#   status           say whether the project-local cluster runs (exit 0 if it does).
#   path             print the project-local data directory.
#
# Everything but the URL (or the path) goes to stderr.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
PORT="${SAS_PG_PORT:-55432}"
DB_NAME=sas
CMD="${1:-start}"

log() { printf 'db.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() { [ "$(id -u)" -eq 0 ]; }

apt_install() {
    as_root || die "need root to apt-get install $* (or install it yourself)"
    command -v apt-get >/dev/null || die "apt-get not found: install $* yourself"
    log "installing $* with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "$@" >&2
}

# The newest installed server binaries (/usr/lib/postgresql/<major>/bin).
pg_bindir() {
    local initdb
    initdb="$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)"
    [ -x "$initdb" ] && dirname "$initdb"
}

# Runs a server binary as the cluster owner: postgres refuses to run as root.
as_owner() {
    if as_root; then
        # From /: the caller's directory may be one postgres cannot enter.
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

hash_of_repo() { printf '%s' "$REPO" | sha256sum | cut -c1-12; }

# The data directory: $REPO/.pgdata, unless (as root) the postgres user cannot reach it or the
# socket path would be too long for a Unix socket (107 bytes).
data_dir() {
    local dir="$REPO/.pgdata" why=""
    if as_root && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$REPO"; then
        why="the postgres user cannot traverse $REPO"
    elif [ "$(printf '%s' "$dir/.s.PGSQL.$PORT" | wc -c)" -gt 100 ]; then
        why="the socket path under $dir would be too long"
    fi
    if [ -n "$why" ]; then
        dir="/var/tmp/sas-pgdata-$(hash_of_repo)"
        [ "${1:-}" = quiet ] || log "note: $why; using $dir instead of $REPO/.pgdata"
    fi
    printf '%s\n' "$dir"
}

# Port of the running cluster (4th line of postmaster.pid), else $PORT.
running_port() {
    local p=""
    [ -r "$1/postmaster.pid" ] && p="$(sed -n 4p "$1/postmaster.pid" 2>/dev/null || true)"
    printf '%s\n' "${p:-$PORT}"
}

is_running() {
    local bindir="$1" dir="$2"
    [ -f "$dir/PG_VERSION" ] || return 1
    as_owner "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1
}

# Serialises concurrent invocations (make runs this more than once).
take_lock() {
    exec 9>"${TMPDIR:-/tmp}/sas-db-$(hash_of_repo).lock"
    flock -w 120 9 || die "timed out waiting for another scripts/db.sh"
}

start_local() {
    command -v psql >/dev/null || apt_install postgresql-client
    local bindir
    bindir="$(pg_bindir || true)"
    if [ -z "$bindir" ]; then
        apt_install postgresql
        bindir="$(pg_bindir || true)"
        [ -n "$bindir" ] || die "postgresql installed but no /usr/lib/postgresql/*/bin/initdb"
    fi
    as_root && ! id postgres >/dev/null 2>&1 && die "running as root but there is no postgres user"

    take_lock
    local dir
    dir="$(data_dir)"
    if [ ! -f "$dir/PG_VERSION" ]; then
        log "initialising a PostgreSQL cluster in $dir ($("$bindir/postgres" --version))"
        mkdir -p "$dir"
        if as_root; then chown -R postgres:postgres "$dir"; fi
        chmod 700 "$dir"
        local out
        out="$(as_owner "$bindir/initdb" -D "$dir" -U postgres -A trust --no-sync -E UTF8 \
            --no-locale 2>&1)" || { printf '%s\n' "$out" >&2; die "initdb failed"; }
    elif as_root && [ "$(stat -c %U "$dir")" != postgres ]; then
        chown -R postgres:postgres "$dir"
    fi

    local port="$PORT"
    if is_running "$bindir" "$dir"; then
        port="$(running_port "$dir")"
        [ "$port" = "$PORT" ] || log "note: the cluster already runs on port $port (not $PORT)"
    else
        if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -t 2 || [ $? -eq 1 ]; then
            die "port $port is taken by another server; set SAS_PG_PORT to a free port"
        fi
        log "starting PostgreSQL on 127.0.0.1:$port (data $dir, log $dir/server.log)"
        as_owner "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
            -o "-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 9>&- \
            || { tail -n 20 "$dir/server.log" >&2 || true; die "PostgreSQL did not start"; }
    fi

    local admin="postgres://postgres@127.0.0.1:$port"
    if [ "$(psql "$admin/postgres" -XtAq -c "select 1 from pg_database where datname = '$DB_NAME'")" != 1 ]; then
        log "creating database $DB_NAME"
        psql "$admin/postgres" -Xq -v ON_ERROR_STOP=1 -c "create database $DB_NAME" >&2
    fi
    printf '%s\n' "$admin/$DB_NAME"
}

case "$CMD" in
    start)
        if [ -n "${DATABASE_URL:-}" ]; then
            command -v psql >/dev/null || apt_install postgresql-client
            if PGCONNECT_TIMEOUT=5 psql "$DATABASE_URL" -XtAq -c 'select 1' >/dev/null 2>&1; then
                log "using DATABASE_URL from the environment"
                printf '%s\n' "$DATABASE_URL"
                exit 0
            fi
            log "DATABASE_URL is set but unreachable: falling back to the project-local cluster"
        fi
        start_local
        ;;
    stop)
        bindir="$(pg_bindir || true)"
        dir="$(data_dir quiet)"
        if [ -n "$bindir" ] && is_running "$bindir" "$dir"; then
            take_lock
            as_owner "$bindir/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
            log "stopped the PostgreSQL cluster in $dir"
        else
            log "no project-local PostgreSQL cluster is running ($dir)"
        fi
        ;;
    status)
        bindir="$(pg_bindir || true)"
        dir="$(data_dir quiet)"
        if [ -n "$bindir" ] && is_running "$bindir" "$dir"; then
            log "running: $dir on 127.0.0.1:$(running_port "$dir")"
        else
            log "not running ($dir)"
            exit 1
        fi
        ;;
    path)
        data_dir quiet
        ;;
    *)
        die "unknown command '$CMD' (usage: scripts/db.sh [start|stop|status|path])"
        ;;
esac
