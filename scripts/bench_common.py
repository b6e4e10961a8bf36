"""What the benchmark scripts share (imported by scripts/bench-referrals.py, bench-stats.py and
bench-matching.py, which run from scripts/): waiting for a started server, signing in."""
import json, time, urllib.request

# The demo accounts' password (`sas seed-demo`).
PASSWORD = "demo-sas-2026!"


def wait_ready(base):
    """Until `base`/health/ready answers (30 s at most)."""
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/health/ready", timeout=1)
            return
        except Exception:
            time.sleep(0.05)
    raise SystemExit("the server never became ready")


def login(base, email, password=PASSWORD):
    """An access token for `email` (password grant)."""
    body = json.dumps({"grant_type": "password", "email": email, "password": password}).encode()
    req = urllib.request.Request(base + "/api/v1/auth/token", data=body,
                                 headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))["access_token"]
