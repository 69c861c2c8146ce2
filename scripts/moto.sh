#!/usr/bin/env bash
# scripts/moto.sh: a local moto server for trying lbctl by hand, kept apart from your shell.
#
#   scripts/moto.sh start   start moto_server on a free loopback port, in the background and in
#                           its own session (Ctrl-C at your prompt does not reach it), and seed
#                           it with the demo account (scripts/seed.py; idempotent)
#   scripts/moto.sh env     print the `export AWS_...` lines that point lbctl at it:
#                           eval "$(scripts/moto.sh env)"
#   scripts/moto.sh stop    stop it
#   scripts/moto.sh status  say whether it runs, and where
#
# Nothing is sourced into your shell and no trap is installed there: `env` only prints
# variables. State (pid, port, log) lives in .tmp/moto/ (or $LBCTL_MOTO_DIR). moto comes from
# .venv (installed on first use), or from $LBCTL_MOTO_SERVER and $LBCTL_PYTHON when set.
# Talks to nothing but the server it starts.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STATE="${LBCTL_MOTO_DIR:-$REPO_ROOT/.tmp/moto}"

server() { printf '%s' "${LBCTL_MOTO_SERVER:-$VENV/bin/moto_server}"; }
python() { printf '%s' "${LBCTL_PYTHON:-$VENV/bin/python}"; }

# The pid of a server this script started that is still alive, else nothing.
running_pid() {
    local pid
    pid="$(cat "$STATE/pid" 2>/dev/null)" || return 1
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && printf '%s' "$pid"
}

endpoint() { printf 'http://127.0.0.1:%s' "$(cat "$STATE/port")"; }

cmd_start() {
    if pid="$(running_pid)"; then
        echo "moto already running at $(endpoint) (pid $pid)" >&2
        return 0
    fi
    [[ -n "${LBCTL_MOTO_SERVER:-}" ]] || ensure_moto
    mkdir -p "$STATE"
    local port py
    py="$(python)"
    port="$("$py" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()')"
    # setsid: a session of its own, so the terminal's Ctrl-C and hangup never reach it.
    setsid "$(server)" -H 127.0.0.1 -p "$port" >"$STATE/log" 2>&1 </dev/null &
    echo $! >"$STATE/pid"
    echo "$port" >"$STATE/port"
    if ! "$py" - "$port" <<'PY'
import sys, time, urllib.request
deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/moto-api/", timeout=2) as r:
            if r.status == 200:
                sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
    then
        cmd_stop >/dev/null 2>&1 || true
        die "moto_server did not answer on 127.0.0.1:$port; its log: $STATE/log"
    fi
    "$py" "$REPO_ROOT/scripts/seed.py" --endpoint "$(endpoint)" >/dev/null \
        || die "seeding $(endpoint) failed"
    echo "moto running at $(endpoint) (pid $(cat "$STATE/pid")), seeded with the demo account" >&2
    echo "next: eval \"\$(scripts/moto.sh env)\"" >&2
}

cmd_env() {
    running_pid >/dev/null || die "moto is not running: scripts/moto.sh start"
    cat <<ENV
export AWS_ENDPOINT_URL=$(endpoint)
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_SESSION_TOKEN
ENV
}

cmd_stop() {
    local pid
    if pid="$(running_pid)"; then
        kill "$pid"
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        echo "moto stopped (pid $pid)" >&2
    else
        echo "moto is not running" >&2
    fi
    rm -f "$STATE/pid" "$STATE/port"
}

cmd_status() {
    if pid="$(running_pid)"; then
        echo "moto running at $(endpoint) (pid $pid)"
    else
        echo "moto is not running"
        return 1
    fi
}

case "${1:-}" in
    start) cmd_start ;;
    env) cmd_env ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *)
        echo "usage: scripts/moto.sh start|env|stop|status" >&2
        exit 64
        ;;
esac
