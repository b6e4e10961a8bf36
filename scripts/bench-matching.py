#!/usr/bin/env python3
"""Matching benchmark on a release build (`make bench`), written into docs/PERFORMANCE.md.

1. Generates a national offer (scripts/offer/generate.py: 100,000 services by default) in a
   fresh database, and loads the demo (`sas seed-demo`: the Métropole de Lyon territory, its
   counsellor and prescriber).
2. Through the API, as the demo's prescriber then counsellor: 20 referrals of young people in
   20 communes of the territory, each reached and diagnosed with the targets' two
   thematiques as needs (employment first, then a CV) and public transport as mobility.
3. `GET /api/v1/referrals/{id}/matches?limit=20` for each, in turn, at 1 client (sequential,
   keep-alive, after a warm-up): p50/p95/p99. Target: p95 < 30 ms.

Disk: about 250 MB of database for 100,000 services, dropped at the end.
Usage: DATABASE_URL=postgres://…/postgres scripts/bench-matching.py [SAS]
Environment: BENCH_SERVICES (100000), BENCH_ROUNDS (10), BENCH_NO_WRITE=1 (print only),
             BENCH_KEEP_DB=1 (keep the database).
"""
import datetime, http.client, json, os, platform, subprocess, sys, time, urllib.request
from urllib.parse import urlsplit, urlunsplit

from bench_common import login

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "target/release/sas")
N = int(os.environ.get("BENCH_SERVICES", "100000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
ADMIN = os.environ["DATABASE_URL"]
DB = f"sas_bench_matching_{os.getpid()}"
URL = urlunsplit(urlsplit(ADMIN)._replace(path="/" + DB))
PORT = 17000 + os.getpid() % 1000
BASE = f"http://127.0.0.1:{PORT}"
ENV = dict(os.environ, DATABASE_URL=URL, SAS_ENV="dev", SAS_BIND=f"127.0.0.1:{PORT}",
           RUST_LOG="warn", SAS_STATIC_DIR="", SAS_JOBS="off",
           SAS_ACCESS_TOKEN_TTL_SECONDS="86400")
TH = ["trouver-un-emploi--repondre-a-des-offres-demploi",
      "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"]
MARKER = "\n## Matching (issue 12)"


def log(*a):
    print("bench:", *a, file=sys.stderr, flush=True)


def psql(sql, url=URL):
    return subprocess.run(["psql", url, "-XqAtv", "ON_ERROR_STOP=1", "-c", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def call(method, path, token, body=None, if_match=None, expect=(200, 201)):
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    if if_match:
        headers["If-Match"] = if_match
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        raise SystemExit(f"{method} {path}: {e.code} {e.read()[:300]}")


def diagnosed(prescriber, counsellor, commune, k):
    r = call("POST", "/api/v1/referrals", prescriber, {
        "youth": {"first_name": "Camille", "last_name": f"Banc{k}", "birth_date": "2005-04-12",
                  "phone": "06 12 34 56 78", "commune_insee": commune, "contact_channels": ["phone"]},
        "reason_code": "ase_exit",
        "needs": TH[:1],
        "consent": {"informed_at": "2026-01-05T10:00:00Z", "informed_by": "Banc d’essai",
                    "method": "oral", "agreed": ["sas_contact", "share_with_receiver"]},
    })
    rid = r["id"]
    call("POST", f"/api/v1/referrals/{rid}/transitions", counsellor, {"to": "contacting"}, "*")
    call("POST", f"/api/v1/referrals/{rid}/contact-attempts", counsellor,
         {"channel": "phone", "outcome": "reached"})
    call("PUT", f"/api/v1/referrals/{rid}/diagnostic", counsellor,
         {"needs": TH, "situation": {"mobility": ["transports_en_commun"], "digital_access": "autonome"}}, "*")
    return rid


def measure(token, ids):
    conn = http.client.HTTPConnection("127.0.0.1", PORT)
    h = {"Authorization": "Bearer " + token}
    lat, sizes = [], []
    for i in ids:  # warm-up
        conn.request("GET", f"/api/v1/referrals/{i}/matches?limit=20", headers=h)
        conn.getresponse().read()
    for _ in range(ROUNDS):
        for i in ids:
            t = time.perf_counter()
            conn.request("GET", f"/api/v1/referrals/{i}/matches?limit=20", headers=h)
            r = conn.getresponse()
            body = r.read()
            lat.append((time.perf_counter() - t) * 1000)
            if r.status != 200:
                raise SystemExit(f"{i}: {r.status} {body[:200]}")
            page = json.loads(body)
            sizes.append((len(page["items"]), page["truncated"]))
    lat.sort()
    q = lambda x: lat[min(len(lat) - 1, int(len(lat) * x))]
    items = sum(s[0] for s in sizes) / len(sizes)
    truncated = sum(1 for s in sizes if s[1]) / len(sizes)
    return q(0.5), q(0.95), q(0.99), items, truncated, len(lat)


def main():
    log(f"database {DB}: generating {N} services")
    psql(f"CREATE DATABASE {DB}", ADMIN)
    server = None
    try:
        subprocess.run([SAS, "migrate"], env=ENV, check=True, capture_output=True)
        subprocess.run([sys.executable, os.path.join(REPO, "scripts/offer/generate.py"), URL, str(N)], check=True)
        subprocess.run([SAS, "seed-demo"], env=ENV, check=True, capture_output=True)
        published = psql("SELECT count(*) FROM services WHERE status = 'published'")
        communes = psql("SELECT tc.commune_insee FROM territory_communes tc JOIN communes c "
                        "ON c.insee = tc.commune_insee WHERE c.kind <> 'commune' OR c.insee NOT IN "
                        "('69123') ORDER BY c.population DESC NULLS LAST, tc.commune_insee LIMIT 20").split("\n")
        server = subprocess.Popen([SAS, "serve"], env=ENV)
        for _ in range(300):
            try:
                urllib.request.urlopen(BASE + "/health/ready", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        prescriber = login(BASE, "prescripteur@sas.demo")
        counsellor = login(BASE, "aiguilleur@sas.demo")
        ids = [diagnosed(prescriber, counsellor, c, k) for k, c in enumerate(communes)]
        p50, p95, p99, items, truncated, n = measure(counsellor, ids)
        log(f"matching: p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms ({items:.1f} matches/page)")
        report(published, len(ids), p50, p95, p99, items, truncated, n)
    finally:
        if server:
            server.terminate(); server.wait()
        if not os.environ.get("BENCH_KEEP_DB"):
            psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", ADMIN)


def report(published, referrals, p50, p95, p99, items, truncated, n):
    cpu = platform.processor() or platform.machine()
    text = f"""
## Matching (issue 12)

Measured {datetime.date.today()} by `make bench` (`scripts/bench-matching.py`, release build,
{os.cpu_count()} cores, {cpu}, load average {os.getloadavg()[0]:.1f} at the end of the run):
{N:,} synthetic services ({published} published, `scripts/offer/generate.py`) and the demo's
territory (Métropole de Lyon). {referrals} young people in {referrals} of its communes, each
diagnosed with the targets' two thematiques as needs and public transport as mobility;
`GET /api/v1/referrals/{{id}}/matches?limit=20` as their counsellor, {n} requests in turn at 1
client (about {items:.0f} matches per page; {truncated:.0%} of the answers had more than the
300 candidates scored, `truncated`).

| measure | target | measured |
|---|---|---|
| p50 / p95 / p99 at 1 client | p95 < 30 ms | {p50:.1f} / **{p95:.1f}** / {p99:.1f} ms |
"""
    if os.environ.get("BENCH_NO_WRITE"):
        print(text)
        return
    path = os.path.join(REPO, "docs/PERFORMANCE.md")
    with open(path, encoding="utf-8") as f:
        doc = f.read()
    if MARKER in doc:
        start = doc.index(MARKER)
        end = doc.find("\n## ", start + len(MARKER))
        doc = doc[:start] + (doc[end:] if end >= 0 else "")
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc.rstrip("\n") + "\n" + text)
    log("docs/PERFORMANCE.md updated")


if __name__ == "__main__":
    main()
