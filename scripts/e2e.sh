#!/usr/bin/env bash
# Browser tests of the SPA against a real API on a fresh database.
#   DATABASE_URL  a Postgres server where this script may create (and drop) a database
# Builds what is missing (target/debug/sas, frontend/dist), starts `sas serve` on a free port
# with SAS_STATIC_DIR=frontend/dist and a test clock (SAS_TEST_CLOCK_FILE), loads the demo
# accounts, runs Playwright (Debian's Chromium), then stops the server and drops the database. Screenshots, the server log and
# Playwright's results go to target/e2e-artifacts/. Extra arguments go to `playwright test`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

: "${DATABASE_URL:?DATABASE_URL must point at a Postgres server where a database can be created}"
artifacts="$root/target/e2e-artifacts"
rm -rf "$artifacts"
mkdir -p "$artifacts"

# Same server and credentials, another database name.
base_url=${DATABASE_URL%%\?*}
query=""
[[ "$DATABASE_URL" == *\?* ]] && query="?${DATABASE_URL#*\?}"
server_url=${base_url%/*}
db="sas_e2e_$(date +%s)_$$"
e2e_url="$server_url/$db$query"

[ -x frontend/node_modules/.bin/playwright ] || { echo "e2e: run scripts/frontend-setup.sh first" >&2; exit 1; }
# Always (a no-op when up to date): a stale binary would test yesterday's server.
scripts/build-server.sh -q
if [ ! -f frontend/dist/index.html ]; then
    echo "e2e: building the SPA"
    scripts/frontend-build.sh
fi

server_pid=""
sink_pid=""
cleanup() {
    if [ -n "$sink_pid" ]; then kill "$sink_pid" 2>/dev/null || true; fi
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    psql "$DATABASE_URL" -qtAc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

psql "$DATABASE_URL" -qtAc "CREATE DATABASE \"$db\"" >/dev/null
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

# A real SMTP server (aiosmtpd, the project's venv) receives the mails into a Maildir that the
# tests read (invitation and reset links).
maildir="$artifacts/maildir"
smtp_port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
.venv/bin/python scripts/mail-sink.py "$maildir" "$smtp_port" --until-killed >"$artifacts/mail-sink.log" 2>&1 &
sink_pid=$!
for _ in $(seq 1 50); do grep -q '^PORT' "$artifacts/mail-sink.log" 2>/dev/null && break; sleep 0.1; done
export E2E_MAILDIR="$maildir" SAS_SMTP_URL="smtp://127.0.0.1:$smtp_port" SAS_PUBLIC_URL="http://127.0.0.1:$port"
export SAS_JOBS_POLL_MS=200
# The import page's test sends a file above this limit (a real 413).
export SAS_IMPORT_MAX_BYTES=65536
# The journey's test moves the server's business time (requests and jobs) to reach J+30 by
# writing an offset into this file (e2e/helpers.ts `advanceClock`); SAS_ENV=dev only.
clock_file="$artifacts/clock-offset"
: >"$clock_file"
export SAS_TEST_CLOCK_FILE="$clock_file" E2E_CLOCK_FILE="$clock_file"
export SAS_ENV=dev SAS_STATIC_DIR="$root/frontend/dist" SAS_BIND="127.0.0.1:$port"
# Many logins in a row from one address: lift the throttle for the test run only.
export SAS_LOGIN_MAX_FAILURES_PER_ACCOUNT=1000 SAS_LOGIN_MAX_FAILURES_PER_IP=10000
DATABASE_URL="$e2e_url" target/debug/sas serve >"$artifacts/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { echo "e2e: the server stopped; see $artifacts/server.log" >&2; exit 1; }
    sleep 0.5
done
curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "e2e: the server is not ready" >&2; exit 1; }
# serve has run the migrations: the demo data can go in.
DATABASE_URL="$e2e_url" target/debug/sas seed-demo >"$artifacts/seed.log" 2>&1

set +e
(cd frontend && E2E_BASE_URL="http://127.0.0.1:$port" E2E_ARTIFACTS="$artifacts" \
    node_modules/.bin/playwright test "$@")
status=$?
set -e

counts=$(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const s = r.stats || {};
  console.log(`${s.expected || 0} ${(s.unexpected || 0) + (s.flaky || 0)} ${s.skipped || 0}`);
' "$artifacts/results.json" 2>/dev/null || echo "0 1 0")
read -r passed failed skipped <<<"$counts"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "screenshots: $artifacts/screens"
if [ "$skipped" -gt 0 ]; then
    echo "e2e: $passed passed, $failed failed, $skipped skipped"
else
    echo "e2e: $passed passed, $failed failed"
fi
exit "$status"
