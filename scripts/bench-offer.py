#!/usr/bin/env python3
"""Search benchmark of the public offer on a release build (`make bench`), written into
docs/PERFORMANCE.md.

1. Generates a national offer (scripts/offer/generate.py: 100,000 services by default) in a
   fresh database, with the public rate limit off (SAS_PUBLIC_RATE_PER_MINUTE=0).
2. The query of the targets — "commune + 2 thematiques, 20 per page" — from 200 communes
   drawn by population, anonymously: p50/p95/p99 at 1 client (sequential, keep-alive), then
   requests/s at 16 clients (wrk, the same 200 paths in turn).
3. EXPLAIN (ANALYZE, BUFFERS) of that query near Lyon (api/examples/offer_sql.rs prints what
   the API sends): the common statement (the page chosen from the search tables alone), and
   for comparison the general statement it replaced for this query (candidates from the
   per-thematique index, then `services` read for each) and that one without the index (the
   box on `services` alone): the measurements the tables and the index were chosen by.

Needs wrk (installed with apt-get when missing, as root; nothing done when it is there).
Disk: about 250 MB of database for 100,000 services (measured below), dropped at the end.
Usage: DATABASE_URL=postgres://…/postgres scripts/bench-offer.py [SAS] [OFFER_SQL]
Environment: BENCH_SERVICES (100000), BENCH_SECONDS (15), BENCH_CLIENTS (16),
             BENCH_NO_WRITE=1 (print only), BENCH_KEEP_DB=1 (keep the database).
"""
import datetime, http.client, os, platform, random, shutil, statistics, subprocess, sys, tempfile
import time, urllib.request
from urllib.parse import urlsplit, urlunsplit

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "target/release/sas")
OFFER_SQL = sys.argv[2] if len(sys.argv) > 2 else os.path.join(REPO, "target/release/examples/offer_sql")
N = int(os.environ.get("BENCH_SERVICES", "100000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
ADMIN = os.environ["DATABASE_URL"]
DB = f"sas_bench_offer_{os.getpid()}"
URL = urlunsplit(urlsplit(ADMIN)._replace(path="/" + DB))
PORT = 19000 + os.getpid() % 1000
BASE = f"http://127.0.0.1:{PORT}"
ENV = dict(os.environ, DATABASE_URL=URL, SAS_ENV="dev", SAS_BIND=f"127.0.0.1:{PORT}",
           RUST_LOG="warn", SAS_DB_POOL_SIZE=str(CLIENTS), SAS_STATIC_DIR="",
           SAS_PUBLIC_RATE_PER_MINUTE="0")
TH = ["trouver-un-emploi--repondre-a-des-offres-demploi",
      "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"]


def log(*a):
    print("bench:", *a, file=sys.stderr, flush=True)


def psql(sql, url=URL):
    return subprocess.run(["psql", url, "-XqAtv", "ON_ERROR_STOP=1", "-c", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def paths():
    rows = psql("SELECT insee FROM communes WHERE retired_at IS NULL AND NOT (kind = 'commune' "
                "AND insee IN ('75056','69123','13055')) ORDER BY population DESC NULLS LAST, insee LIMIT 2000")
    rng = random.Random(7)
    communes = rng.sample(rows.split("\n"), 200)
    return [f"/api/v1/services/search?commune={c}&thematiques={','.join(TH)}&limit=20" for c in communes]


def one_client(ps, rounds=3):
    conn = http.client.HTTPConnection("127.0.0.1", PORT)
    for p in ps[:20]:  # warm-up
        conn.request("GET", p); conn.getresponse().read()
    lat, sizes = [], []
    for _ in range(rounds):
        for p in ps:
            t = time.perf_counter()
            conn.request("GET", p)
            r = conn.getresponse()
            body = r.read()
            lat.append((time.perf_counter() - t) * 1000)
            if r.status != 200:
                raise SystemExit(f"{p}: {r.status} {body[:200]}")
            sizes.append(body.count(b'"eligibility"'))
    lat.sort()
    q = lambda x: lat[min(len(lat) - 1, int(len(lat) * x))]
    return q(0.5), q(0.95), q(0.99), statistics.mean(sizes)


def wrk(ps):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write("paths = {" + ",".join(f'"{p}"' for p in ps) + "}\ni = 0\n"
                "request = function() i = i % #paths + 1; return wrk.format('GET', paths[i]) end\n")
        script = f.name
    out = subprocess.run(["wrk", "-t2", f"-c{CLIENTS}", f"-d{SECONDS}s", "--latency", "-s", script, BASE],
                         check=True, capture_output=True, text=True).stdout
    os.unlink(script)
    if "Non-2xx" in out:
        raise SystemExit(out)
    rps = float(next(l for l in out.splitlines() if l.startswith("Requests/sec")).split()[1])
    p99 = next((l.split()[1] for l in out.splitlines() if l.strip().startswith("99%")), "?")
    return rps, p99


def explain(variant):
    """`variant`: "common" (what the API sends), "general" or "box" (see the docstring)."""
    lyon = psql("SELECT latitude || ',' || longitude || ',' || coalesce(epci,'') || ',' || departement || ',' || region FROM communes WHERE insee = '69383'").split(",")
    keys = ",".join(["69383", "69123", lyon[2], lyon[3], "R" + lyon[4], "france"])
    extra = [] if variant == "common" else ["general"]
    sql = subprocess.run([OFFER_SQL, lyon[0], lyon[1], "50", keys, ",".join(TH)] + extra, check=True,
                         capture_output=True, text=True).stdout
    if variant == "box":
        # The alternative measured: candidates from the box on `services`, thematiques as a filter.
        sql = sql.replace("SELECT service_id AS id FROM service_thematiques WHERE thematique = ANY (",
                          "SELECT id FROM services WHERE status = 'published' AND thematiques && (")
    plan = psql("SET jit = off; SET max_parallel_workers_per_gather = 0; EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
    times = []
    for _ in range(30):
        out = psql("SET jit = off; SET max_parallel_workers_per_gather = 0; EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) " + sql)
        times.append(float(next(l for l in out.splitlines() if l.startswith("Execution Time")).split()[2]))
    times.sort()
    return plan, times[len(times) // 2], times[int(len(times) * 0.95)]


def need(tool, package):
    """Installs the Debian `package` when `tool` is not on the PATH (idempotent: run alone,
    the benchmark does not rely on an earlier one having installed it)."""
    if shutil.which(tool):
        return
    log(f"installing {package} (Debian)")
    if subprocess.run(["apt-get", "install", "-y", "-q", package], stdout=subprocess.DEVNULL).returncode:
        subprocess.run(["apt-get", "update", "-q"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-q", package], check=True, stdout=subprocess.DEVNULL)


def main():
    need("wrk", "wrk")
    log(f"database {DB}: generating {N} services")
    psql(f"CREATE DATABASE {DB}", ADMIN)
    server = None
    try:
        subprocess.run([SAS, "migrate"], env=ENV, check=True, capture_output=True)
        t = time.time()
        subprocess.run([sys.executable, os.path.join(REPO, "scripts/offer/generate.py"), URL, str(N)], check=True)
        gen_s = time.time() - t
        size = psql(f"SELECT pg_size_pretty(pg_database_size('{DB}'))")
        published = psql("SELECT count(*) FROM services WHERE status = 'published'")
        server = subprocess.Popen([SAS, "serve"], env=ENV)
        for _ in range(300):
            try:
                urllib.request.urlopen(BASE + "/health/ready", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        ps = paths()
        p50, p95, p99, mean_items = one_client(ps)
        log(f"1 client: p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms ({mean_items:.1f} results/page)")
        wrk(ps[:50])  # warm-up
        rps, wrk_p99 = wrk(ps)
        log(f"{CLIENTS} clients: {rps:.0f} req/s (p99 {wrk_p99})")
        plan, e50, e95 = explain("common")
        _, g50, g95 = explain("general")
        _, b50, b95 = explain("box")
        log(f"statement near Lyon: {e50:.2f} ms median (common), {g50:.2f} ms (general, "
            f"per-thematique index), {b50:.2f} ms (general, box alone)")
        report(gen_s, size, published, p50, p95, p99, mean_items, rps, wrk_p99, plan, (e50, e95),
               (g50, g95), (b50, b95))
    finally:
        if server:
            server.terminate(); server.wait()
        if not os.environ.get("BENCH_KEEP_DB"):
            psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", ADMIN)


def report(gen_s, size, published, p50, p95, p99, items, rps, wrk_p99, plan, common, idx, box):
    cpu = platform.processor() or platform.machine()
    text = f"""
## The public search of the offer (issue 12)

Measured {datetime.date.today()} by `make bench` (`scripts/bench-offer.py`, release build,
{os.cpu_count()} cores, {cpu}, load average {os.getloadavg()[0]:.1f} at the end of the run: other
sessions were building on the same machine): {N:,} synthetic
services ({published} published) of {N // 5:,} structures over every commune
(`scripts/offer/generate.py`, generated in {gen_s:.0f} s; database {size}). The query of the
targets: `GET /api/v1/services/search?commune=…&thematiques=<2 codes>&limit=20`, without a
token, from 200 communes drawn among the 2,000 most populated (about {items:.0f} results on
the first page), the rate limit turned off for the run.

| measure | target | measured |
|---|---|---|
| p50 / p95 / p99 at 1 client | p95 < 10 ms | {p50:.1f} / **{p95:.1f}** / {p99:.1f} ms |
| throughput at {CLIENTS} clients (wrk, {SECONDS} s) | ≥ 300 req/s | **{rps:,.0f} req/s** (p99 {wrk_p99}) |
| for comparison: data·inclusion's API, same query and data size | — | 76 ms p95, 24 req/s |

**How the statement was chosen** (near Lyon 3e, 50 km, the two thematiques, median and p95 of
30 `EXPLAIN ANALYZE` runs): the page chosen from the search tables alone — index-only scans of
`service_thematiques (thematique, latitude, longitude) INCLUDE (service_id,
zone_eligibilite)` and `service_remote_thematiques (thematique) INCLUDE (zone_eligibilite,
service_id, latitude, longitude)`, zone, radius and order applied there, `services` read for
the page's rows only — **{common[0]:.2f} ms / {common[1]:.2f} ms**; the general statement
(candidates from the same indexes, then every candidate read from `services` and filtered
there): {idx[0]:.2f} ms / {idx[1]:.2f} ms; the general statement with the box on `services
(latitude, longitude)` instead of the per-thematique index: {box[0]:.2f} ms / {box[1]:.2f} ms.
Plan of the common statement:

```
{plan}
```
"""
    if os.environ.get("BENCH_NO_WRITE"):
        print(text)
        return
    path = os.path.join(REPO, "docs/PERFORMANCE.md")
    with open(path, encoding="utf-8") as f:
        doc = f.read()
    # Only this section is rewritten, in its place (up to the next section); appended at
    # the end the first time.
    marker = "\n## The public search of the offer (issue 12)"
    if marker in doc:
        start = doc.index(marker)
        nxt = doc.find("\n## ", start + len(marker))
        rest = doc[nxt:] if nxt >= 0 else ""
        doc = doc[:start].rstrip("\n") + "\n" + text.rstrip("\n") + "\n" + rest
    else:
        doc = doc.rstrip("\n") + "\n" + text
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc)
    log("docs/PERFORMANCE.md updated")


if __name__ == "__main__":
    main()
