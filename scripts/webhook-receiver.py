#!/usr/bin/env python3
"""A real HTTP receiver of webhooks for the tests: verifies every POST with the independent
Standard Webhooks implementation (PyPI `standardwebhooks`) and appends one JSON line per
request to LOG: {"verified": bool, "id": webhook-id, "payload": …, "error": …}.

usage: webhook-receiver.py SECRET_FILE LOG [STATUS]

SECRET_FILE holds the `whsec_…` secret (read on every request, so a test can write it after
subscribing). STATUS (default 204) is the answer to verified requests; a file LOG.status, if
present, overrides it (a test makes the receiver fail, then recover). Prints `PORT <n>`.
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

SECRET_FILE, LOG = sys.argv[1], sys.argv[2]
DEFAULT_STATUS = int(sys.argv[3]) if len(sys.argv) > 3 else 204


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        entry = {"id": self.headers.get("webhook-id"), "verified": False}
        status = 401
        try:
            with open(SECRET_FILE) as f:
                secret = f.read().strip()
            payload = Webhook(secret).verify(body, dict(self.headers))
            entry.update(verified=True, payload=payload)
            status = DEFAULT_STATUS
            if os.path.exists(LOG + ".status"):
                with open(LOG + ".status") as f:
                    status = int(f.read().strip())
        except (WebhookVerificationError, OSError, ValueError) as e:
            entry["error"] = str(e)
        entry["status"] = status
        with open(LOG, "a") as f:
            f.write(json.dumps(entry) + "\n")
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
