#!/usr/bin/env python3
"""Referral benchmarks on a release build (`make bench`), written into docs/PERFORMANCE.md.

1. Loads a territory's history: N referrals (default 1,000,000), 85 % closed, with their
   youths and consent records, ten counsellors and the demo's prescriber structures.
2. Read path: GET /api/v1/referrals/{id} at 16 clients (wrk) against the floor — pgbench
   replaying the very statement the API sends (api/examples/bench_sql.rs prints it), with
   the same clients, the same random ids, in the same run. Writes the ratio.
3. The queue: p50/p99 of the first page of each view the SPA offers, at 1 client.

Usage: DATABASE_URL=postgres://…/postgres scripts/bench-referrals.py [SAS] [BENCH_SQL]
       (defaults target/release/sas and target/release/examples/bench_sql)
Environment: BENCH_REFERRALS (1000000), BENCH_SECONDS (20), BENCH_CLIENTS (16),
             BENCH_NO_WRITE=1 (print the results only), BENCH_KEEP_DB=1 (keep the loaded
             database, to EXPLAIN queries; drop it yourself).
The benchmark's database is created and dropped here; nothing else is touched.
"""
import datetime, http.client, json, os, platform, re, shutil, statistics, subprocess, sys
import tempfile, time, urllib.request
from urllib.parse import urlsplit, urlunsplit

from bench_common import login, wait_ready

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "target/release/sas")
BENCH_SQL = sys.argv[2] if len(sys.argv) > 2 else os.path.join(REPO, "target/release/examples/bench_sql")
N = int(os.environ.get("BENCH_REFERRALS", "1000000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
CLOSED_SHARE = 0.85
NAME = ""  # "last first" of a youth with an open referral, found after the load
ADMIN = os.environ["DATABASE_URL"]
DB = f"sas_bench_{os.getpid()}"
URL = urlunsplit(urlsplit(ADMIN)._replace(path="/" + DB))
PORT = 18000 + os.getpid() % 1000
BASE = f"http://127.0.0.1:{PORT}"
ENV = dict(os.environ, DATABASE_URL=URL, SAS_ENV="dev", SAS_BIND=f"127.0.0.1:{PORT}",
           RUST_LOG="warn", SAS_DB_POOL_SIZE=str(CLIENTS), SAS_STATIC_DIR="",
           SAS_ACCESS_TOKEN_TTL_SECONDS="86400")


def log(*a):
    print("bench:", *a, file=sys.stderr, flush=True)


def psql(url, sql, quiet=True):
    out = subprocess.run(["psql", url, "-XqAtv", "ON_ERROR_STOP=1", "-c", sql], check=True,
                         capture_output=True, text=True)
    return out.stdout.strip()


def need(tool, package):
    if shutil.which(tool):
        return
    log(f"installing {package} (Debian)")
    subprocess.run(["apt-get", "install", "-y", "-q", package], check=True, stdout=subprocess.DEVNULL)


LOAD = """
BEGIN;
-- Ten counsellors of the demo SAS team share the referrals being worked on.
INSERT INTO users (id, email, first_name, last_name, password_hash, roles, structure_id, created_at, updated_at)
SELECT ('00000000-0000-4000-7000-' || lpad(to_hex(k), 12, '0'))::uuid, 'bench' || k || '@sas.demo',
       'Conseiller', 'N' || k, u.password_hash, ARRAY['counsellor'], u.structure_id, now(), now()
FROM users u, generate_series(1, 9) k WHERE u.email = 'aiguilleur@sas.demo';
CREATE TEMP TABLE c AS SELECT array_agg(id ORDER BY email) AS ids FROM users WHERE 'counsellor' = ANY (roles);
CREATE TEMP TABLE p AS SELECT array_agg(id ORDER BY name) AS ids FROM structures WHERE prescriber;
CREATE TEMP TABLE k AS SELECT array_agg(commune_insee ORDER BY commune_insee) AS codes, min(territory_id::text)::uuid AS t
  FROM territory_communes;
-- Names from syllables: 27,000 last names and 625 first names, drawn by a hash of n, so a
-- name is about as common as a real one (and the queue's name search finds a few, not
-- thousands).
CREATE TEMP TABLE sy(a) AS VALUES (ARRAY['ba','be','bo','da','de','di','ga','gi','la','le',
  'li','lo','ma','me','mi','mo','na','ne','ni','no','ra','re','ri','ro','sa','se','ta','te','to','va']);
CREATE TEMP TABLE g AS
SELECT n, (n % 100) < {closed_pct} AS closed,
       sy.a[1 + h % 25] || sy.a[1 + (h / 25) % 25] AS first,
       sy.a[1 + (h / 625) % 30] || sy.a[1 + (h / 18750) % 30] || sy.a[1 + (h / 562500) % 30] || 'n' AS last,
       CASE WHEN (n % 100) < {closed_pct}
            THEN now() - make_interval(days => 60 + n % 1000, secs => n % 86400)
            ELSE now() - make_interval(days => n % 90, secs => n % 86400) END AS created,
       (n / 100) % 20 AS bucket
FROM generate_series(1, {n}) n, sy,
     LATERAL (SELECT (n::bigint * 2654435761) % 4294967296 AS h) hash;
INSERT INTO youths (id, first_name, last_name, birth_date, name_key, phone, commune_insee,
                    contact_channels, created_at, updated_at)
SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(n), 12, '0'))::uuid, initcap(first), initcap(last),
       date '1997-01-01' + (n::bigint * 7919 % 4000)::int, last || ' ' || first,
       '+336' || lpad(n::text, 8, '0'), k.codes[1 + n % cardinality(k.codes)], ARRAY['phone'], created, created
FROM g, k;
INSERT INTO referrals (id, youth_id, channel, territory_id, prescriber_structure_id, reason_code, exit_date,
                       needs, status, on_hold_from, on_hold_reason, assigned_counsellor_id, outcome,
                       submitted_at, closed_at, created_at, updated_at)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid,
       ('00000000-0000-4000-9000-' || lpad(to_hex(n), 12, '0'))::uuid,
       'institutional', k.t, p.ids[1 + n % cardinality(p.ids)], 'ase_exit',
       CASE WHEN closed THEN created::date + (n % 120)
            WHEN n % 10 = 0 THEN NULL
            ELSE current_date + (n % 300) - 60 END,
       '{{}}', s.status,
       CASE WHEN s.status = 'on_hold' THEN 'contacting' END,
       CASE WHEN s.status = 'on_hold' THEN 'waiting_list' END,
       CASE WHEN s.status IN ('submitted') THEN NULL ELSE c.ids[1 + (n / 7) % cardinality(c.ids)] END,
       CASE WHEN closed THEN (ARRAY['positive_exit','declined','unreachable','moved_away','taken_in_charge'])[1 + n % 5] END,
       created, CASE WHEN closed THEN created + interval '30 days' END, created, created
FROM g, k, p, c,
     LATERAL (SELECT CASE WHEN closed THEN 'closed'
                          WHEN bucket < 6 THEN 'submitted' WHEN bucket < 12 THEN 'contacting'
                          WHEN bucket < 15 THEN 'diagnosis' WHEN bucket < 17 THEN 'relaying'
                          WHEN bucket < 19 THEN 'followed' ELSE 'on_hold' END AS status) s;
INSERT INTO consent_records (id, referral_id, informed_at, informed_by, method, agreed, recorded_at)
SELECT ('00000000-0000-4000-a000-' || lpad(to_hex(n), 12, '0'))::uuid,
       ('00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid,
       created - interval '1 day', 'Éducateur ASE', 'oral', ARRAY['sas_contact'], created
FROM g;
COMMIT;
VACUUM ANALYZE youths;
VACUUM ANALYZE referrals;
VACUUM ANALYZE consent_records;
VACUUM ANALYZE users;
"""



def me(token):
    req = urllib.request.Request(BASE + "/api/v1/me", headers={"Authorization": "Bearer " + token})
    return json.load(urllib.request.urlopen(req))


def wrk(token, seconds):
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(f"""
math.randomseed(7)
request = function()
  local n = math.random(1, {N})
  local path = string.format("/api/v1/referrals/00000000-0000-4000-8000-%012x", n)
  return wrk.format("GET", path, {{["Authorization"] = "Bearer {token}"}})
end
""")
    script.close()
    out = subprocess.run(["wrk", "-t2", f"-c{CLIENTS}", f"-d{seconds}s", "--latency", "-s", script.name, BASE],
                         check=True, capture_output=True, text=True).stdout
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"wrk saw {non2xx.group(1)} failed requests:\n{out}")
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    return rps, lat


def pgbench(script_text, seconds):
    f = tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False)
    f.write(script_text)
    f.close()
    # The API's connections run with these settings (db::pool): so do pgbench's.
    env = dict(os.environ, PGOPTIONS="-c jit=off -c max_parallel_workers_per_gather=0")
    out = subprocess.run(["pgbench", "-n", "-M", "prepared", f"-c{CLIENTS}", "-j2", f"-T{seconds}",
                          "-f", f.name, URL], check=True, capture_output=True, text=True, env=env).stdout
    os.unlink(f.name)
    return float(re.search(r"tps = ([\d.]+)", out).group(1))


def latencies(token, path, n=200):
    u = urlsplit(BASE)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    xs = []
    for i in range(n + 20):
        t = time.perf_counter()
        conn.request("GET", path, headers={"Authorization": "Bearer " + token})
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise SystemExit(f"GET {path}: {r.status} {body[:300]!r}")
        if i >= 20:
            xs.append((time.perf_counter() - t) * 1000)
    conn.close()
    xs.sort()
    return statistics.median(xs), xs[int(len(xs) * 0.99) - 1], json.loads(body)


def main():
    need("wrk", "wrk")
    need("pgbench", "postgresql-contrib")
    psql(ADMIN, f"CREATE DATABASE {DB}")
    server = None
    try:
        subprocess.run([SAS, "migrate"], env=ENV, check=True, stderr=subprocess.DEVNULL)
        subprocess.run([SAS, "seed-demo"], env=ENV, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        log(f"loading {N:,} referrals ({CLOSED_SHARE:.0%} closed)…")
        t = time.time()
        subprocess.run(["psql", URL, "-Xqv", "ON_ERROR_STOP=1"], check=True, stdout=subprocess.DEVNULL,
                       input=LOAD.format(n=N, closed_pct=int(CLOSED_SHARE * 100)), text=True)
        load_s = time.time() - t
        log(f"loaded in {load_s:.0f} s")
        global NAME
        NAME = psql(URL, "SELECT y.name_key FROM referrals r JOIN youths y ON y.id = r.youth_id "
                         "WHERE r.status <> 'closed' ORDER BY r.id LIMIT 1 OFFSET 1000")
        server = subprocess.Popen([SAS, "serve"], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_ready(BASE)
        counsellor = login(BASE, "aiguilleur@sas.demo")
        prescriber = login(BASE, "prescripteur@sas.demo")
        c = me(counsellor)
        # Warm both paths, then measure the API and its floor one after the other.
        wrk(counsellor, 5)
        rps, lat = wrk(counsellor, SECONDS)
        log(f"API: {rps:.0f} req/s")
        sql = subprocess.run([BENCH_SQL, c["id"], c["territory_id"], c["structure"]["id"],
                              "/api/v1/referrals/", str(N)], check=True, capture_output=True, text=True).stdout
        pgbench(sql, 5)
        tps = pgbench(sql, SECONDS)
        log(f"pgbench: {tps:.0f} tps")
        views = [
            ("counsellor", "all (default page)", ""),
            ("counsellor", "open=true", "open=true"),
            ("counsellor", "status=submitted", "status=submitted"),
            ("counsellor", "status=submitted&urgent=true", "status=submitted&urgent=true"),
            ("counsellor", "open=true&urgent=true", "open=true&urgent=true"),
            ("counsellor", "open=true&urgent=false", "open=true&urgent=false"),
            ("counsellor", "open=true&assigned_to_me=true", "open=true&assigned_to_me=true"),
            ("counsellor", "open=true&q=<last first> (name)", "open=true&q=" + NAME.replace(" ", "%20")),
            ("counsellor", "open=true&q=<last name>", "open=true&q=" + NAME.split(" ")[0]),
            ("counsellor", "q=<birth date>", "q=2001-03-04"),
            ("counsellor", "q=<phone>", "q=0600012345"),
            ("prescriber", "all (default page)", ""),
            ("prescriber", "open=true", "open=true"),
            ("prescriber", "open=true&urgent=true", "open=true&urgent=true"),
        ]
        rows = []
        for who, label, query in views:
            token = counsellor if who == "counsellor" else prescriber
            p50, p99, body = latencies(token, "/api/v1/referrals?" + query)
            rows.append((who, label, p50, p99, len(body["items"])))
            if query == "open=true" and who == "counsellor" and body["next_cursor"]:
                p50, p99, body = latencies(token, f"/api/v1/referrals?open=true&cursor={body['next_cursor']}")
                rows.append((who, "open=true, second page (cursor)", p50, p99, len(body["items"])))
        one50, one99, _ = latencies(counsellor, "/api/v1/referrals/00000000-0000-4000-8000-" + format(N // 2, "012x"))
    finally:
        if server:
            server.terminate()
            server.wait()
        if os.environ.get("BENCH_KEEP_DB"):
            log(f"database kept: {URL}")
        else:
            psql(ADMIN, f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    report(rps, lat, tps, rows, load_s, (one50, one99))


def report(rps, lat, tps, rows, load_s, one):
    today = datetime.date.today().isoformat()
    cpu = platform.processor() or platform.machine()
    lines = [
        "<!-- bench:begin (written by scripts/bench-referrals.py: edit outside these marks) -->",
        f"Measured {today} by `make bench` (release build, {os.cpu_count()} cores, {cpu}, PostgreSQL on "
        f"localhost; {N:,} referrals, {CLOSED_SHARE:.0%} closed, loaded in {load_s:.0f} s).",
        "",
        "### Read path: `GET /api/v1/referrals/{id}` against its floor",
        "",
        f"| {CLIENTS} clients, {SECONDS} s, random ids among {N:,} | throughput | p50 | p99 |",
        "|---|---:|---:|---:|",
        f"| API (wrk, counsellor, with its access-log row) | **{rps:,.0f} req/s** | {lat.get('50', '?')} | {lat.get('99', '?')} |",
        f"| pgbench `-M prepared` replaying the statement the API sends | {tps:,.0f} tps | | |",
        f"| **ratio** | **{rps / tps:.0%}** of the floor (aim: 60 %) | | |",
        "",
        f"One read at 1 client: p50 {one[0]:.2f} ms, p99 {one[1]:.2f} ms.",
        "",
        "### The queue: first page of each view, 1 client, 200 requests",
        "",
        "| caller | view (`GET /api/v1/referrals?…`) | p50 | p99 | items |",
        "|---|---|---:|---:|---:|",
    ]
    for who, label, p50, p99, n in rows:
        lines.append(f"| {who} | `{label}` | {p50:.2f} ms | {p99:.2f} ms | {n} |")
    lines.append("<!-- bench:end -->")
    text = "\n".join(lines)
    print(text)
    if os.environ.get("BENCH_NO_WRITE"):
        return
    path = os.path.join(REPO, "docs/PERFORMANCE.md")
    doc = open(path).read()
    doc = re.sub(r"<!-- bench:begin.*?<!-- bench:end -->", lambda _: text, doc, flags=re.S)
    open(path, "w").write(doc)
    log(f"written to {path}")


if __name__ == "__main__":
    main()
