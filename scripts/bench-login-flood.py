#!/usr/bin/env python3
"""A flood of unauthenticated logins against a release server: N simultaneous logins for
unknown accounts (the per-address limit raised so that throttling does not stop them), then
one legitimate login. Reports the server's memory (resident set before, peak during — the
kernel's VmHWM — and after), the answers of the flood and the legitimate login, as a Markdown
table for docs/PERFORMANCE.md.

Usage:
  DATABASE_URL=postgres://…/postgres scripts/bench-login-flood.py [--sas target/release/sas]
      [--logins 500] [--checks N] [--wait-ms MS]
  --checks sets SAS_PASSWORD_CHECKS_MAX (default: the server's, one per CPU); a large value
  (e.g. 1000) shows what an unbounded server does. --wait-ms sets SAS_PASSWORD_CHECK_WAIT_MS.
The server's database is created and dropped by this script; nothing else is touched.
"""
import argparse, collections, json, os, subprocess, sys, threading, time, urllib.error, urllib.request
from urllib.parse import urlsplit, urlunsplit

ap = argparse.ArgumentParser()
ap.add_argument("--sas", default="target/release/sas")
ap.add_argument("--logins", type=int, default=500)
ap.add_argument("--checks", type=int)
ap.add_argument("--wait-ms", type=int)
args = ap.parse_args()

admin = os.environ["DATABASE_URL"]
db = f"sas_flood_{os.getpid()}"
url = urlunsplit(urlsplit(admin)._replace(path="/" + db))
port = 19000 + os.getpid() % 1000
env = dict(os.environ, DATABASE_URL=url, SAS_ENV="dev", SAS_BIND=f"127.0.0.1:{port}", RUST_LOG="warn",
           SAS_LOGIN_MAX_FAILURES_PER_IP="1000000", SAS_LOGIN_MAX_FAILURES_PER_ACCOUNT="1000000")
if args.checks:
    env["SAS_PASSWORD_CHECKS_MAX"] = str(args.checks)
if args.wait_ms is not None:
    env["SAS_PASSWORD_CHECK_WAIT_MS"] = str(args.wait_ms)
base = f"http://127.0.0.1:{port}"


def psql(sql):
    subprocess.run(["psql", admin, "-Xqc", sql], check=True, stdout=subprocess.DEVNULL)


def status_kib(pid, field):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def login(email, password):
    body = json.dumps({"grant_type": "password", "email": email, "password": password}).encode()
    req = urllib.request.Request(base + "/api/v1/auth/token", data=body, headers={"Content-Type": "application/json"})
    t = time.time()
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            r.read()
            return r.status, time.time() - t
    except urllib.error.HTTPError as e:
        e.read()
        return e.code, time.time() - t
    except Exception as e:  # connection refused or reset: counted apart
        return f"error: {type(e).__name__}", time.time() - t


psql(f"CREATE DATABASE {db}")
server = None
try:
    subprocess.run([args.sas, "migrate"], env=env, check=True, stderr=subprocess.DEVNULL)
    subprocess.run([args.sas, "seed-demo"], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = subprocess.Popen([args.sas, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            urllib.request.urlopen(base + "/health/ready", timeout=1)
            break
        except Exception:
            time.sleep(0.01)
    # One login first (the dummy hash and the pool warm up), then rest.
    login("aiguilleur@sas.demo", "demo-sas-2026!")
    time.sleep(1)
    before = status_kib(server.pid, "VmRSS")

    results = [None] * args.logins
    barrier = threading.Barrier(args.logins + 1)

    def one(i):
        barrier.wait()
        results[i] = login(f"nobody-{i}@flood.example", "a-wrong-password-for-the-flood")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(args.logins)]
    for t in threads:
        t.start()
    samples = []
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            samples.append(status_kib(server.pid, "VmRSS"))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    t0 = time.time()
    barrier.wait()
    for t in threads:
        t.join()
    flood = time.time() - t0
    stop.set()
    sampler.join()
    peak = status_kib(server.pid, "VmHWM")
    legit_status, legit_time = login("aiguilleur@sas.demo", "demo-sas-2026!")
    time.sleep(1)
    after = status_kib(server.pid, "VmRSS")

    counts = collections.Counter(r[0] for r in results)
    times = sorted(r[1] for r in results)
    answers = ", ".join(f"{n}× {s}" for s, n in sorted(counts.items(), key=lambda x: str(x[0])))
    checks = env.get("SAS_PASSWORD_CHECKS_MAX", f"default ({os.cpu_count()} CPUs)")
    print(f"| binary / SAS_PASSWORD_CHECKS_MAX | `{args.sas}` / {checks} |\n|---|---|")
    print(f"| RSS before the flood (1 s idle after one login) | {before / 1024:.1f} MiB |")
    print(f"| peak RSS during {args.logins} simultaneous unknown-account logins (VmHWM) | {peak / 1024:.1f} MiB |")
    print(f"| highest RSS sampled every 10 ms | {max(samples or [0]) / 1024:.1f} MiB |")
    print(f"| RSS 1 s after | {after / 1024:.1f} MiB |")
    print(f"| answers | {answers} |")
    print(f"| flood duration; answer time median / max | {flood:.2f} s; {times[len(times) // 2]:.2f} / {times[-1]:.2f} s |")
    print(f"| legitimate login right after | {legit_status} in {legit_time * 1000:.0f} ms |")
finally:
    if server:
        server.terminate()
        server.wait()
    psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
