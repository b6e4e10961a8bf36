#!/usr/bin/env python3
"""A real SMTP server for the tests and `make run`: every message it accepts is written to a
Maildir (DIR/new/…), which the tests read.

usage: mail-sink.py MAILDIR [PORT] [--until-killed]   (PORT 0 or absent: any free port)

Prints `PORT <n>` once listening, then serves until stdin closes (tests hold it open) or,
with --until-killed, until it is killed (scripts/e2e.sh). A recipient
whose address starts with `bounce` is refused with 550 (a permanent error), so tests can show
a bounce.
"""
import mailbox
import os
import socket
import sys
import time

from aiosmtpd.controller import Controller


class MaildirHandler:
    def __init__(self, path):
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(path, sub), exist_ok=True)
        self.box = mailbox.Maildir(path, create=True)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("bounce"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.box.add(mailbox.MaildirMessage(envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


def main():
    path = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 0
    if port == 0:
        # aiosmtpd's controller cannot start on port 0 (it connects to itself to check):
        # take a free port from the system first.
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    controller = Controller(MaildirHandler(path), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"PORT {controller.port}", flush=True)
    try:
        if "--until-killed" in sys.argv:
            while True:
                time.sleep(3600)
        # Until the parent closes our stdin (or kills us).
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
