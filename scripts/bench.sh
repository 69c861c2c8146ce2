#!/usr/bin/env bash
# scripts/bench.sh [full|small]: the scale benchmark, in one command.
#
# Installs moto into .venv when needed, then runs tests/it/scale.rs, which starts
# its own moto server, seeds a large account (full: 50 load balancers, 200
# target groups, 2,000 targets, a zone of 5,000+ records of which 1,000 are
# managed), and runs the real lbctl binary through an AWS-like proxy (40 ms
# per call, AWS's request buckets): 10 no-change plans, then an apply of 100
# changes and a plan that must be empty. It prints wall time, API calls per
# operation, throttles and peak memory per run, against the minimum calls and
# the rate-limit floor. `small` is the size the test suite runs.
# PROFILE=release measures an optimised build (a long first build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

SCALE=${1:-full}
case "$SCALE" in full|small) ;; *) die "usage: scripts/bench.sh [full|small]" ;; esac
section "moto (local AWS) in .venv"
ensure_moto
export LBCTL_MOTO_SERVER="$PWD/.venv/bin/moto_server"
export LBCTL_PYTHON="$PWD/.venv/bin/python"
export LBCTL_BENCH_SCALE="$SCALE"

profile=()
[ "${PROFILE:-debug}" = release ] && profile=(--release)
section "scale benchmark ($SCALE, ${PROFILE:-debug} build)"
cargo test "${profile[@]}" --test it -- scale:: --nocapture
