#!/usr/bin/env bash
# scripts/bench-plan.sh: API calls and wall time of a no-change plan at scale.
#
# Starts moto, seeds it, applies a generated spec (default 20 load balancers,
# 60 target groups, 600 targets), then runs a no-change `plan -v` several
# times and prints the API call counts and wall times. Sizes:
#   scripts/bench-plan.sh [LBS] [TGS_PER_LB] [TARGETS_PER_TG] [RUNS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

LBS=${1:-20}; TGS=${2:-3}; TARGETS=${3:-10}; RUNS=${4:-3}
ensure_moto
# PROFILE=release for an optimised build (long first build); the figures are
# dominated by AWS/moto round trips either way.
PROFILE=${PROFILE:-debug}
if [ "$PROFILE" = release ]; then cargo build --quiet --release --bin lbctl; else cargo build --quiet --bin lbctl; fi
LBCTL=target/$PROFILE/lbctl
start_moto
.venv/bin/python scripts/seed.py --endpoint "$MOTO_ENDPOINT" >/dev/null

spec=$(mktemp --suffix=.yaml)
.venv/bin/python scripts/gen_large_spec.py --lbs "$LBS" --tgs-per-lb "$TGS" --targets "$TARGETS" > "$spec"
section "spec: $LBS load balancers, $((LBS * TGS)) target groups, $((LBS * TGS * TARGETS)) targets"

start=$(date +%s%N)
"$LBCTL" apply --auto-approve -f "$spec" -v >/dev/null
end=$(date +%s%N)
echo "apply (create everything): $(( (end - start) / 1000000 )) ms"

for i in $(seq "$RUNS"); do
    section "no-change plan, run $i"
    status=0
    "$LBCTL" plan -f "$spec" --detailed-exitcode -v >/dev/null || status=$?
    [ "$status" = 0 ] || { echo "plan shows changes (exit $status)"; exit 1; }
done
rm -f "$spec"
