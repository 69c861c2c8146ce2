# shellcheck shell=bash
# scripts/lib.sh: shared helpers for the project's scripts; source it, do not run it.
#
# Owns the local AWS stand-in used by the demo and the test suite:
#   ensure_moto   make .venv (repo root) with moto[server] and boto3, only when missing or broken
#   start_moto    start moto_server on a free loopback port, export the AWS_* variables that
#                 point lbctl and boto3 at it, and stop it again when the calling script exits
#   stop_moto     stop the server started by start_moto (safe to call twice)
# It must not touch anything outside the repository except the server process it starts.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_ROOT/.venv"
MOTO_VERSION="5.2.1"
MOTO_PID=""
MOTO_LOG=""

# Section header a newcomer can spot in the output.
section() {
    printf '\n==> %s\n' "$*"
}

die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# True when the virtualenv has a working moto_server of the pinned version plus boto3.
_moto_venv_ok() {
    [[ -x "$VENV/bin/moto_server" && -x "$VENV/bin/python" ]] || return 1
    "$VENV/bin/python" - "$MOTO_VERSION" >/dev/null 2>&1 <<'PY'
import sys
import boto3, cryptography, flask, moto  # flask: moto's server extra
from moto import server  # noqa: F401  (what moto_server runs)
sys.exit(0 if moto.__version__ == sys.argv[1] else 1)
PY
}

ensure_moto() {
    if _moto_venv_ok; then
        return 0
    fi
    local python="${PYTHON:-python3}"
    command -v "$python" >/dev/null || die "python3 not found: install Python 3 (with the venv module) first"
    # A half-installed venv is not worth repairing in place (pip trusts its metadata):
    # start again from an empty one.
    if [[ -e "$VENV" ]]; then
        echo "$VENV has no working moto $MOTO_VERSION: recreating it" >&2
        rm -rf "$VENV"
    fi
    echo "creating virtualenv $VENV" >&2
    "$python" -m venv "$VENV" || die "could not create $VENV (on Debian: apt-get install python3-venv)"
    echo "installing moto[server]==$MOTO_VERSION and boto3 into $VENV (once)" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "moto[server]==$MOTO_VERSION" boto3 \
        || die "pip could not install moto[server]==$MOTO_VERSION and boto3 into $VENV"
    _moto_venv_ok || die "$VENV/bin/moto_server is still missing or broken after installing"
}

_free_port() {
    "$VENV/bin/python" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

start_moto() {
    [[ -z "$MOTO_PID" ]] || die "start_moto: moto is already running (pid $MOTO_PID)"
    [[ -x "$VENV/bin/moto_server" ]] || die "start_moto: $VENV/bin/moto_server missing: call ensure_moto first"
    mkdir -p "$REPO_ROOT/.tmp"
    MOTO_LOG="$(mktemp "$REPO_ROOT/.tmp/moto.XXXXXX.log")"

    local port attempt
    for attempt in 1 2 3; do
        port="$(_free_port)"
        "$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$MOTO_LOG" 2>&1 &
        MOTO_PID=$!
        trap _moto_on_exit EXIT
        trap 'exit 130' INT
        trap 'exit 143' TERM
        # Poll until it answers, for at most 20 s; give up early if it died (e.g. port taken).
        if "$VENV/bin/python" - "$port" "$MOTO_PID" <<'PY'
import os, sys, time, urllib.request
port, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=2) as r:
            if r.status == 200:
                sys.exit(0)
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(3)  # the server exited
    time.sleep(0.1)
sys.exit(2)  # timed out
PY
        then
            break
        fi
        stop_moto
        if [[ $attempt == 3 ]]; then
            echo "moto_server did not answer on 127.0.0.1:$port; its log ($MOTO_LOG):" >&2
            sed 's/^/    /' "$MOTO_LOG" >&2
            die "could not start moto_server"
        fi
        echo "moto_server on port $port failed; retrying on another port" >&2
    done

    export MOTO_ENDPOINT="http://127.0.0.1:$port"
    export AWS_ENDPOINT_URL="$MOTO_ENDPOINT"
    export AWS_ACCESS_KEY_ID=testing
    export AWS_SECRET_ACCESS_KEY=testing
    export AWS_REGION=us-east-1
    export AWS_EC2_METADATA_DISABLED=true
    # Keep the caller's own AWS profile and files out of it: nothing here may reach real AWS.
    unset AWS_PROFILE AWS_SESSION_TOKEN
    # /dev/null rather than a missing path: the SDK warns about a missing file on every run.
    export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
    echo "moto_server running at $MOTO_ENDPOINT (pid $MOTO_PID, log $MOTO_LOG)" >&2
}

# EXIT trap: stop the server; keep its log only when the script failed.
_moto_on_exit() {
    local status=$?
    stop_moto
    if [[ -n "$MOTO_LOG" && -f "$MOTO_LOG" ]]; then
        if [[ $status -eq 0 ]]; then
            rm -f "$MOTO_LOG"
        else
            echo "moto_server log kept at $MOTO_LOG" >&2
        fi
    fi
}

stop_moto() {
    if [[ -n "$MOTO_PID" ]]; then
        kill "$MOTO_PID" 2>/dev/null || true
        wait "$MOTO_PID" 2>/dev/null || true
        MOTO_PID=""
    fi
}
