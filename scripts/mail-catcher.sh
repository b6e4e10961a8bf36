#!/usr/bin/env bash
# The local mail catcher of `make run`: MailDev (npm) receives every mail SAS sends over SMTP
# and shows it on a web page, so a newcomer reads the demo's invitations and resets.
#   scripts/mail-catcher.sh start   install if needed (npm, once), start, print the SMTP URL
#   scripts/mail-catcher.sh stop
# Ports: SAS_MAIL_CATCHER_SMTP_PORT (default 1025) and SAS_MAIL_CATCHER_WEB_PORT (1080).
set -euo pipefail
cd "$(dirname "$0")/mail-catcher"
smtp=${SAS_MAIL_CATCHER_SMTP_PORT:-1025}
web=${SAS_MAIL_CATCHER_WEB_PORT:-1080}
pidfile=../../.tools/mail-catcher.pid
mkdir -p ../../.tools

case "${1:-start}" in
start)
    if [ ! -x node_modules/.bin/maildev ]; then
        echo "mail-catcher: installing maildev (npm, once)" >&2
        npm install --no-audit --no-fund --loglevel=error >&2
    fi
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "mail-catcher: already running" >&2
    else
        node_modules/.bin/maildev --smtp "$smtp" --web "$web" --ip 127.0.0.1 --silent \
            >../../.tools/mail-catcher.log 2>&1 &
        echo $! >"$pidfile"
        for _ in $(seq 1 50); do
            (exec 3<>"/dev/tcp/127.0.0.1/$smtp") 2>/dev/null && break
            sleep 0.1
        done
    fi
    echo "mail-catcher: mails of the demo at http://127.0.0.1:$web" >&2
    echo "smtp://127.0.0.1:$smtp"
    ;;
stop)
    if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; rm -f "$pidfile"; fi
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
