#!/usr/bin/env python3
"""Throughput of the job runner (`make bench`), written into docs/PERFORMANCE.md.

usage: DATABASE_URL=… scripts/bench-jobs.py [path/to/sas]   (default target/release/sas)

In a database of its own (created and dropped) it queues BENCH_JOBS mails (outbox rows and
their `mail.deliver` jobs, as `db::mails::enqueue` writes them) to as many users, then starts
1, 2 and 4 `sas worker` processes against it with a real SMTP server (aiosmtpd,
scripts/mail-sink.py) and times how long they take to deliver everything; it checks that each
mail arrived exactly once (Message-IDs). Then the same with jobs that do nothing (a kind
without handler, parked at once): the claim/finish overhead alone. BENCH_NO_WRITE=1 prints
without touching docs/PERFORMANCE.md.
"""
import datetime
import mailbox
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "target/release/sas")
N = int(os.environ.get("BENCH_JOBS", "2000"))
RUNNERS = [1, 2, 4]
ADMIN_URL = os.environ["DATABASE_URL"]
DB = f"sas_bench_jobs_{os.getpid()}"
BASE, _, QUERY = ADMIN_URL.partition("?")
URL = BASE.rsplit("/", 1)[0] + "/" + DB + (("?" + QUERY) if QUERY else "")


def psql(url, sql):
    return subprocess.run(["psql", url, "-qtAX", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def queue_mails(n, tag):
    psql(URL, f"""
      INSERT INTO users (id, email, first_name, last_name, password_hash, roles, active,
                         created_at, updated_at, version, session_version, password_change_required)
      SELECT gen_random_uuid(), '{tag}' || i || '@bench.test', 'B', 'B', '!invited', '{{admin}}',
             true, now(), now(), 1, 1, false FROM generate_series(1, {n}) i;
      INSERT INTO mails (id, user_id, template, link, params, dedup_key, created_at)
      SELECT gen_random_uuid(), u.id, 'digest', '/mes-notifications', '{{"count": 1}}',
             'bench:' || u.email, now() FROM users u WHERE u.email LIKE '{tag}%@bench.test';
      INSERT INTO jobs (id, kind, unique_key, payload, run_at, max_attempts, created_at)
      SELECT gen_random_uuid(), 'mail.deliver', 'mail:' || m.id,
             jsonb_build_object('mail_id', m.id), now() - interval '1 minute', 8, now()
        FROM mails m JOIN users u ON u.id = m.user_id WHERE u.email LIKE '{tag}%@bench.test';
    """)


def queue_noops(n, tag):
    psql(URL, f"""
      INSERT INTO jobs (id, kind, unique_key, payload, run_at, max_attempts, created_at)
      SELECT gen_random_uuid(), 'bench.noop', '{tag}:' || i, '{{}}', now() - interval '1 minute', 1, now()
        FROM generate_series(1, {n}) i;
    """)


def run_workers(k, env, until_sql, target):
    procs = [subprocess.Popen([SAS, "worker"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for _ in range(k)]
    t0 = time.monotonic()
    try:
        while int(psql(URL, until_sql) or 0) < target:
            if time.monotonic() - t0 > 600:
                raise SystemExit("bench-jobs: timed out")
            time.sleep(0.05)
        return time.monotonic() - t0
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait()


def main():
    if not os.path.exists(SAS):
        raise SystemExit(f"bench-jobs: {SAS} missing (cargo build --release -p sas-api --bin sas)")
    psql(ADMIN_URL, f'CREATE DATABASE "{DB}"')
    maildir = tempfile.mkdtemp(prefix="sas-bench-maildir-")
    sink = subprocess.Popen([os.path.join(REPO, ".venv/bin/python"), os.path.join(REPO, "scripts/mail-sink.py"),
                             maildir, "0", "--until-killed"], stdout=subprocess.PIPE, text=True)
    port = int(sink.stdout.readline().split()[1])
    env = dict(os.environ, DATABASE_URL=URL, SAS_ENV="dev", SAS_SMTP_URL=f"smtp://127.0.0.1:{port}",
               SAS_JOBS_POLL_MS="20", RUST_LOG="error", SAS_PUBLIC_URL="https://sas.example.org")
    rows = []
    try:
        subprocess.run([SAS, "migrate"], env=env, check=True, capture_output=True)
        received = 0
        for k in RUNNERS:
            tag = f"m{k}x"
            queue_mails(N, tag)
            secs = run_workers(k, env, "SELECT count(*) FROM jobs WHERE kind = 'mail.deliver' AND state = 'done'",
                               received + N)
            received += N
            box = mailbox.Maildir(maildir, create=False)
            ids = [m["Message-ID"] for m in box]
            if len(ids) != received or len(set(ids)) != received:
                raise SystemExit(f"bench-jobs: {len(ids)} mails, {len(set(ids))} distinct, {received} expected")
            rows.append(("mails delivered over SMTP", k, N, secs))
        done = 0
        for k in RUNNERS:
            queue_noops(N * 5, f"n{k}")
            secs = run_workers(k, env, "SELECT count(*) FROM jobs WHERE kind = 'bench.noop' AND state = 'parked'",
                               done + N * 5)
            done += N * 5
            rows.append(("jobs without effect (claim, run, finish)", k, N * 5, secs))
    finally:
        sink.terminate()
        sink.wait()
        shutil.rmtree(maildir, ignore_errors=True)
        psql(ADMIN_URL, f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')

    today = datetime.date.today().isoformat()
    lines = [
        f"Measured {today} by `make bench` (`scripts/bench-jobs.py {os.path.relpath(SAS, REPO)}`, "
        f"{os.cpu_count()} cores, {platform.machine()}, PostgreSQL on localhost, the SMTP server "
        "aiosmtpd on the same machine).",
        "",
        "| work | `sas worker` processes | jobs | seconds | jobs/s |",
        "|---|---:|---:|---:|---:|",
    ]
    for what, k, n, secs in rows:
        lines.append(f"| {what} | {k} | {n} | {secs:.1f} | {n / secs:.0f} |")
    lines.append("")
    lines.append("Every mail arrived exactly once (Message-IDs counted in the Maildir after each run).")
    table = "\n".join(lines)
    print(table)
    if os.environ.get("BENCH_NO_WRITE"):
        return
    path = os.path.join(REPO, "docs/PERFORMANCE.md")
    doc = open(path).read()
    begin, end = "<!-- bench-jobs:begin (written by scripts/bench-jobs.py: edit outside these marks) -->", "<!-- bench-jobs:end -->"
    if begin in doc:
        head, rest = doc.split(begin, 1)
        tail = rest.split(end, 1)[1]
        doc = f"{head}{begin}\n{table}\n{end}{tail}"
    else:
        doc += f"\n## Jobs and the mail outbox (issue 10)\n\n{begin}\n{table}\n{end}\n"
    open(path, "w").write(doc)


if __name__ == "__main__":
    main()
