#!/usr/bin/env python3
"""Steering benchmark on a release build (`make bench`, issue 14 requirement 5), written into
docs/PERFORMANCE.md.

1. Loads a synthetic history with scripts/stats-history.sql: N referrals (default 1,000,000)
   over T territories (default 5), submitted from January 2025 to November 2026, with their
   contacts, holds, diagnostics, closures, relays and checkpoints; VACUUM ANALYZE; measures
   the database's size (the disk the benchmark needs).
2. As each territory's pilot, warm cache, 1 client: GET /api/v1/stats/funnel, /indicators and
   /export (their breakdowns by prescriber kind and structure included) for a quarter and a
   month; then the funnel of a prescriber structure's scope and the indicators of a receiving
   structure's, for the quarter; p50 and p95 over every territory (aim: p95 < 300 ms).
   The load average (`uptime`) is written beside the figures: the machine may be shared.

Usage: DATABASE_URL=postgres://…/postgres scripts/bench-stats.py [SAS]   (default target/release/sas)
Environment: BENCH_REFERRALS (1000000), BENCH_TERRITORIES (5), BENCH_REPEAT (20 requests a
             territory and query, after 2 to warm), BENCH_NO_WRITE=1 (print only),
             BENCH_KEEP_DB=1 (keep the database, to EXPLAIN; drop it yourself),
             BENCH_DB=<name> (use that already loaded database, kept afterwards).
"""
import datetime, http.client, os, platform, re, statistics, subprocess, sys, time
from urllib.parse import urlsplit, urlunsplit

from bench_common import login, wait_ready

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "target/release/sas")
N = int(os.environ.get("BENCH_REFERRALS", "1000000"))
T = int(os.environ.get("BENCH_TERRITORIES", "5"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
ADMIN = os.environ["DATABASE_URL"]
GIVEN = os.environ.get("BENCH_DB")
DB = GIVEN or f"sas_bench_stats_{os.getpid()}"
URL = urlunsplit(urlsplit(ADMIN)._replace(path="/" + DB))
PORT = 18000 + os.getpid() % 1000
BASE = f"http://127.0.0.1:{PORT}"
ENV = dict(os.environ, DATABASE_URL=URL, SAS_ENV="dev", SAS_BIND=f"127.0.0.1:{PORT}",
           RUST_LOG="warn", SAS_STATIC_DIR="", SAS_ACCESS_TOKEN_TTL_SECONDS="86400")
QUERIES = [("quarter", "period=2026-Q2&as_of=2026-11-30"), ("month", "period=2026-05&as_of=2026-11-30")]
ENDPOINTS = ["funnel", "indicators", "export"]
# The other scopes (docs/STEERING.md): a prescriber structure's referrals, a receiver's relays.
SCOPES = [("funnel", "prescriber", "prescriber_structure"), ("indicators", "receiver", "receiving_structure")]


def log(*a):
    print("bench:", *a, file=sys.stderr, flush=True)


def psql(url, sql):
    out = subprocess.run(["psql", url, "-XqAtv", "ON_ERROR_STOP=1", "-c", sql], check=True,
                         capture_output=True, text=True)
    return out.stdout.strip()


def load_average():
    return " ".join(open("/proc/loadavg").read().split()[:3])



def timings(token, path):
    u = urlsplit(BASE)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
    xs = []
    for i in range(REPEAT + 2):
        t = time.perf_counter()
        conn.request("GET", path, headers={"Authorization": "Bearer " + token})
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise SystemExit(f"GET {path}: {r.status} {body[:300]!r}")
        if i >= 2:
            xs.append((time.perf_counter() - t) * 1000)
    conn.close()
    return xs


def p95(xs):
    xs = sorted(xs)
    return xs[max(0, int(len(xs) * 0.95) - 1)]


def main():
    load_s = None
    if not GIVEN:
        psql(ADMIN, f"CREATE DATABASE {DB}")
    server = None
    try:
        if not GIVEN:
            subprocess.run([SAS, "migrate"], env=ENV, check=True, stderr=subprocess.DEVNULL)
            subprocess.run([SAS, "seed-demo"], env=ENV, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            log(f"loading {N:,} referrals over {T} territories…")
            sql = open(os.path.join(REPO, "scripts/stats-history.sql")).read()
            t = time.time()
            subprocess.run(["psql", URL, "-Xq1v", "ON_ERROR_STOP=1"], check=True, stdout=subprocess.DEVNULL,
                           input=sql.replace("__N__", str(N)).replace("__T__", str(T)), text=True)
            psql(URL, "VACUUM ANALYZE")
            load_s = time.time() - t
            log(f"loaded in {load_s:.0f} s")
        # One pilot a generated territory (the demo pilot's password).
        psql(URL, f"""INSERT INTO users (id, email, first_name, last_name, password_hash, roles,
                        territory_id, created_at, updated_at)
                      SELECT gen_random_uuid(), 'pilote' || k || '@bench.sas', 'Pilote', 'T' || k,
                             u.password_hash, ARRAY['pilot'],
                             ('00000000-0000-4000-b000-' || lpad(to_hex(k), 12, '0'))::uuid, now(), now()
                      FROM users u, generate_series(1, {T}) k WHERE u.email = 'pilote@sas.demo'
                          AND NOT EXISTS (SELECT 1 FROM users v WHERE v.email = 'pilote' || k || '@bench.sas')""")
        # A prescriber and a receiver of each territory: its first structure of each.
        for role, block in [("prescriber", "c000"), ("receiver", "d000")]:
            psql(URL, f"""INSERT INTO users (id, email, first_name, last_name, password_hash, roles,
                            structure_id, created_at, updated_at)
                          SELECT gen_random_uuid(), '{role}' || k || '@bench.sas', 'Bench', 'T' || k,
                                 u.password_hash, ARRAY['{role}'],
                                 ('00000000-0000-4000-{block}-' || lpad(to_hex(100 * k + 1), 12, '0'))::uuid,
                                 now(), now()
                          FROM users u, generate_series(1, {T}) k WHERE u.email = 'pilote@sas.demo'
                              AND NOT EXISTS (SELECT 1 FROM users v WHERE v.email = '{role}' || k || '@bench.sas')""")
        size = int(psql(URL, "SELECT pg_database_size(current_database())"))
        events = int(psql(URL, "SELECT count(*) FROM events"))
        referrals = int(psql(URL, "SELECT count(*) FROM referrals"))
        server = subprocess.Popen([SAS, "serve"], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_ready(BASE)
        tokens = [login(BASE, f"pilote{k}@bench.sas") for k in range(1, T + 1)]
        before = load_average()
        rows = []
        for endpoint in ENDPOINTS:
            for label, query in QUERIES:
                xs = []
                for token in tokens:
                    xs += timings(token, f"/api/v1/stats/{endpoint}?{query}")
                rows.append((endpoint, label, query, statistics.median(xs), p95(xs), len(xs)))
                log(f"{endpoint} {label}: p50 {rows[-1][3]:.0f} ms, p95 {rows[-1][4]:.0f} ms (load {load_average()})")
        quarter = QUERIES[0][1]
        for endpoint, role, scope in SCOPES:
            xs = []
            for k in range(1, T + 1):
                xs += timings(login(BASE, f"{role}{k}@bench.sas"), f"/api/v1/stats/{endpoint}?{quarter}&scope={scope}")
            rows.append((endpoint, f"quarter, {role}", f"{quarter}&scope={scope}", statistics.median(xs), p95(xs), len(xs)))
            log(f"{endpoint} {role}: p50 {rows[-1][3]:.0f} ms, p95 {rows[-1][4]:.0f} ms (load {load_average()})")
        after = load_average()
    finally:
        if server:
            server.terminate()
            server.wait()
        if os.environ.get("BENCH_KEEP_DB") or GIVEN:
            log(f"database kept: {URL}")
        else:
            psql(ADMIN, f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    report(rows, load_s, size, events, referrals, before, after)


def report(rows, load_s, size, events, referrals, before, after):
    today = datetime.date.today().isoformat()
    cpu = platform.processor() or platform.machine()
    loaded = f", loaded in {load_s:.0f} s" if load_s is not None else ""
    lines = [
        "<!-- bench-stats:begin (written by scripts/bench-stats.py: edit outside these marks) -->",
        f"Measured {today} by `make bench` (release build, {os.cpu_count()} cores, {cpu}, PostgreSQL on "
        f"localhost): {referrals:,} referrals over {T} territor{'y' if T == 1 else 'ies'} (scripts/stats-history.sql), "
        f"{events:,} events{loaded}. **Disk: the database takes {size / 2**30:.1f} GiB** after VACUUM ANALYZE.",
        f"Load average (`uptime`) before the measure: {before}; after: {after}.",
        "",
        f"| as a territory's pilot (or its first prescriber / receiver structure), warm cache, 1 client, {REPEAT} requests × {T} territor{'y' if T == 1 else 'ies'} | p50 | p95 | aim |",
        "|---|---:|---:|---|",
    ]
    for endpoint, label, query, p50, p95_, n in rows:
        verdict = "ok" if p95_ < 300 else "**over**"
        lines.append(f"| `GET /api/v1/stats/{endpoint}?{query}` ({label}) | {p50:.0f} ms | {p95_:.0f} ms | < 300 ms: {verdict} |")
    lines.append("<!-- bench-stats:end -->")
    text = "\n".join(lines)
    print(text)
    if os.environ.get("BENCH_NO_WRITE"):
        return
    path = os.path.join(REPO, "docs/PERFORMANCE.md")
    doc = open(path).read()
    if "<!-- bench-stats:begin" in doc:
        doc = re.sub(r"<!-- bench-stats:begin.*?<!-- bench-stats:end -->", lambda _: text, doc, flags=re.S)
    else:
        doc = doc.rstrip("\n") + "\n\n## Steering at scale (issue 14)\n\n" + text + "\n"
    open(path, "w").write(doc)
    log(f"written to {path}")


if __name__ == "__main__":
    main()
