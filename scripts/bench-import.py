#!/usr/bin/env python3
"""Import benchmark of the data·inclusion offer on a release build (`make bench`), written
into docs/PERFORMANCE.md.

1. Writes a national edition in data·inclusion's published formats: N/5 structures (JSON,
   `date_maj` in epoch milliseconds) and N services (default 100,000; CSV with arrays in
   Python list notation), over every commune, vocabularies drawn as scripts/offer/generate.py
   draws them (its `vocab`), 1 row in 200 bad (an unknown thematique).
2. `sas import-offer` of both files into a fresh database: time and peak memory (RSS of the
   process, from the kernel); then the same edition again (everything unchanged: no
   duplicate), then an edition without 1 service in 100 (suspended).

Disk: about 70 MB of files in a temporary directory and 250 MB of database, both removed at
the end. Usage: DATABASE_URL=postgres://…/postgres scripts/bench-import.py [SAS]
Environment: BENCH_SERVICES (100000), BENCH_NO_WRITE=1 (print only), BENCH_KEEP_DB=1.
"""
import csv, datetime, importlib.util, json, os, platform, random, resource, subprocess, sys
import tempfile, time
from urllib.parse import urlsplit, urlunsplit

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "target/release/sas")
N = int(os.environ.get("BENCH_SERVICES", "100000"))
ADMIN = os.environ["DATABASE_URL"]
DB = f"sas_bench_import_{os.getpid()}"
URL = urlunsplit(urlsplit(ADMIN)._replace(path="/" + DB))
ENV = dict(os.environ, DATABASE_URL=URL, SAS_ENV="dev", RUST_LOG="warn")

spec = importlib.util.spec_from_file_location("generate", os.path.join(REPO, "scripts/offer/generate.py"))
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)


def log(*a):
    print("bench:", *a, file=sys.stderr, flush=True)


def psql(sql, url=URL):
    return subprocess.run(["psql", url, "-XqAtv", "ON_ERROR_STOP=1", "-c", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def communes():
    with open(os.path.join(REPO, "data/communes.csv"), encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["kind"] != "commune" or r["insee"] not in ("75056", "69123", "13055")]


def write_edition(d, n, skip_every=0):
    rng = random.Random(42)
    th, publics = generate.vocab("thematiques"), generate.vocab("publics")
    types = generate.vocab("types-de-services")
    cs = communes()
    weights = [int(c["population"] or 1) for c in cs]
    s = max(1, n // 5)
    places = rng.choices(cs, weights=weights, k=s)
    ms = 1732406400000
    st_path, sv_path = os.path.join(d, "structures-inclusion-bench.json"), os.path.join(d, "services-inclusion-bench.csv")
    with open(st_path, "w", encoding="utf-8") as f:
        f.write("[\n")
        for i, c in enumerate(places):
            row = {"id": f"s{i}", "source": "bench", "nom": f"Structure {i}", "code_insee": c["insee"],
                   "code_postal": (c["postal_codes"].split() or [None])[0], "latitude": float(c["latitude"]),
                   "longitude": float(c["longitude"]), "date_maj": ms, "siret": None}
            f.write(("," if i else "") + json.dumps(row, ensure_ascii=False) + "\n")
        f.write("]\n")
    cols = ["id", "structure_id", "source", "nom", "description", "date_maj", "type", "thematiques", "frais",
            "publics", "code_insee", "modes_accueil", "zone_eligibilite", "latitude", "longitude"]
    with open(sv_path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for i in range(n):
            k = rng.randrange(s)
            c = places[k]
            t = rng.sample(th, rng.randint(1, 3))
            if i % 200 == 199:
                t = ["pas-un-code"]
            modes = rng.choice([["en-presentiel"]] * 14 + [["en-presentiel", "a-distance"]] * 3 + [["a-distance"]] * 3)
            zone = rng.choice([[c["insee"]], [c["epci"]] if c["epci"] else [], [c["departement"]], ["france"], []])
            row = [f"v{i}", f"s{k}", "bench", f"Service {i} insertion", "Un accompagnement vers l'emploi et la formation.",
                        ms, rng.choice(types), repr(t), rng.choice(["gratuit", "payant"]),
                        repr(rng.sample(publics, 2)), c["insee"], repr(modes), repr(zone),
                        float(c["latitude"]) + rng.uniform(-0.01, 0.01), float(c["longitude"]) + rng.uniform(-0.01, 0.01)]
            if not (skip_every and i % skip_every == 0):  # drawn anyway: the others stay the same
                w.writerow(row)
    return [st_path, sv_path]


def run_import(files):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.time()
    out = subprocess.run([SAS, "import-offer", *files], env=ENV, check=True, capture_output=True, text=True).stdout
    secs = time.time() - t
    # ru_maxrss of children is the largest child's so far; each import is the largest yet or
    # equal, so this is its own peak (KiB).
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = out.splitlines()[0] if out else ""
    log(f"{secs:.1f} s, peak RSS {rss / 1024:.0f} MiB (before {before / 1024:.0f}): {summary}")
    return secs, rss, summary


def main():
    psql(f"CREATE DATABASE {DB}", ADMIN)
    try:
        subprocess.run([SAS, "migrate"], env=ENV, check=True, capture_output=True)
        with tempfile.TemporaryDirectory() as d:
            t = time.time()
            files = write_edition(d, N)
            size = sum(os.path.getsize(f) for f in files)
            log(f"edition of {N} services written in {time.time() - t:.0f} s ({size / 1e6:.0f} MB)")
            first = run_import(files)
            again = run_import(files)
            d2 = os.path.join(d, "next")
            os.mkdir(d2)
            later = run_import(write_edition(d2, N, skip_every=100))
            total = psql("SELECT count(*) FROM services")
            db_size = psql(f"SELECT pg_size_pretty(pg_database_size('{DB}'))")
        report(size, first, again, later, total, db_size)
    finally:
        if not os.environ.get("BENCH_KEEP_DB"):
            psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", ADMIN)


def report(size, first, again, later, total, db_size):
    cpu = platform.processor() or platform.machine()
    row = lambda name, r: f"| {name} | {r[0]:.1f} s | {r[1] / 1024:.0f} MiB | {r[2]} |"
    text = f"""
## The import of the offer (issue 12)

Measured {datetime.date.today()} by `make bench` (`scripts/bench-import.py`, release build,
{os.cpu_count()} cores, {cpu}, load average {os.getloadavg()[0]:.1f} at the end: other sessions
were building on the same machine). A synthetic national edition in data·inclusion's formats:
{N // 5:,} structures (JSON) and {N:,} services (CSV, Python list notation; 1 row in 200 bad),
{size / 1e6:.0f} MB, imported by `sas import-offer structures.json services.csv` into a fresh
database. Target: 100,000 services in under 30 s with bounded memory (rows are streamed and
written 500 per transaction, batches of services by two writer connections; peak RSS is the
whole process's, from the kernel).

| run | time | peak RSS | report |
|---|---|---|---|
{row("first import (all created)", first)}
{row("same edition again (all unchanged)", again)}
{row("next edition, 1 % of services missing (suspended)", later)}

{total} services in the database after the three runs (no duplicate); database {db_size}.
"""
    if os.environ.get("BENCH_NO_WRITE"):
        print(text)
        return
    path = os.path.join(REPO, "docs/PERFORMANCE.md")
    with open(path, encoding="utf-8") as f:
        doc = f.read()
    marker = "\n## The import of the offer (issue 12)"
    if marker in doc:
        start = doc.index(marker)
        nxt = doc.find("\n## ", start + len(marker))
        doc = doc[:start] + (doc[nxt:] if nxt >= 0 else "")
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc.rstrip("\n") + "\n" + text)
    log("docs/PERFORMANCE.md updated")


if __name__ == "__main__":
    main()
