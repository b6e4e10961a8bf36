#!/usr/bin/env python3
"""Measures the API: fresh-database migration, start-up to ready, idle memory, and sequential
latency of a few hot reads. Results are printed as a Markdown table (copy them into
docs/PERFORMANCE.md with the date and the machine).

Usage: DATABASE_URL=postgres://…/postgres scripts/bench.py [path/to/sas]   (default target/debug/sas)
The server's database is created and dropped by this script; nothing else is touched.
"""
import json, os, statistics, subprocess, sys, time, urllib.request
from urllib.parse import urlsplit, urlunsplit

sas = sys.argv[1] if len(sys.argv) > 1 else "target/debug/sas"
admin = os.environ["DATABASE_URL"]
db = f"sas_bench_{os.getpid()}"
url = urlunsplit(urlsplit(admin)._replace(path="/" + db))
port = 18000 + os.getpid() % 1000
env = dict(os.environ, DATABASE_URL=url, SAS_ENV="dev", SAS_BIND=f"127.0.0.1:{port}", RUST_LOG="warn")
base = f"http://127.0.0.1:{port}"

def psql(sql):
    subprocess.run(["psql", admin, "-Xqc", sql], check=True, stdout=subprocess.DEVNULL)

def wait_ready():
    while True:
        try:
            urllib.request.urlopen(base + "/health/ready", timeout=1)
            return
        except Exception:
            time.sleep(0.002)

psql(f"CREATE DATABASE {db}")
try:
    t = time.time(); subprocess.run([sas, "migrate"], env=env, check=True, stderr=subprocess.DEVNULL)
    migrate = time.time() - t
    subprocess.run([sas, "seed-demo"], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    starts, rss = [], 0
    for _ in range(5):
        t = time.time()
        p = subprocess.Popen([sas, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_ready(); starts.append(time.time() - t)
        time.sleep(1)
        rss = int([l for l in open(f"/proc/{p.pid}/status") if l.startswith("VmRSS")][0].split()[1])
        p.terminate(); p.wait()
    p = subprocess.Popen([sas, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready()
    body = json.dumps({"grant_type": "password", "email": "aiguilleur@sas.demo", "password": "demo-sas-2026!"}).encode()
    req = urllib.request.Request(base + "/api/v1/auth/token", data=body, headers={"Content-Type": "application/json"})
    t = time.time(); token = json.load(urllib.request.urlopen(req))["access_token"]; login = time.time() - t
    def lat(path, n=200):
        xs = []
        for _ in range(n):
            r = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
            t = time.time(); urllib.request.urlopen(r).read(); xs.append((time.time() - t) * 1000)
        xs.sort()
        return statistics.median(xs), xs[int(len(xs) * 0.95)]
    rows = [(p_, *lat(p_)) for p_ in ["/api/v1/communes?q=lyon", "/api/v1/communes?q=69003", "/api/v1/referrals", "/api/v1/me"]]
    p.terminate(); p.wait()
    print(f"| binary | `{sas}` |\n|---|---|")
    print(f"| migrations on an empty database (communes included) | {migrate:.2f} s |")
    print(f"| start-up to /health/ready (median of 5) | {statistics.median(starts) * 1000:.0f} ms |")
    print(f"| idle memory (RSS, 1 s after ready) | {rss / 1024:.1f} MiB |")
    print(f"| password login (Argon2id) | {login * 1000:.0f} ms |")
    for path, med, p95 in rows:
        print(f"| GET {path} (median / p95, 200 sequential) | {med:.1f} / {p95:.1f} ms |")
finally:
    psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
