#!/usr/bin/env bash
# scripts/test.sh: the whole test suite in one command (CI runs this through .ci/run).
#
# Installs moto into .venv when needed, then runs `cargo test --all-targets` once
# (which also builds the lbctl binary the integration tests run). The integration
# tests start their own moto servers through tests/support (tests/support/moto_server.py,
# run with LBCTL_PYTHON, the Python that has moto and runs scripts/seed.py; docs/moto.md).
# Extra arguments go to cargo test, e.g. `scripts/test.sh --test it harness::`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

section "moto (local AWS) in .venv"
ensure_moto
export LBCTL_MOTO_SERVER="$PWD/.venv/bin/moto_server"
export LBCTL_PYTHON="$PWD/.venv/bin/python"

section "cargo test --all-targets --no-fail-fast $*"
status=0
# --no-fail-fast: one run reports every failing test binary, not just the first.
cargo test --all-targets --no-fail-fast "$@" || status=$?
exit "$status"
