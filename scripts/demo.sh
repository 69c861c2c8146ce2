#!/usr/bin/env bash
# scripts/demo.sh: lbctl end to end in one command, against a local moto server.
#
# Builds lbctl, starts moto (a local stand-in for AWS) and seeds it with a VPC,
# subnets, a security group and certificates (scripts/seed.py), then:
#   1. lbctl plan  -f specs/demo.yaml                     what would be created
#   2. lbctl apply -f specs/demo.yaml --auto-approve      create it
#   3. lbctl plan  -f specs/demo.yaml --detailed-exitcode must show no changes (exit 0)
# Exits non-zero if any step fails or the last plan still shows changes.
# Nothing here talks to real AWS; moto is stopped when the script ends.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

SPEC=specs/demo.yaml
LBCTL=target/debug/lbctl

section "installing moto into .venv (first run only)"
ensure_moto

section "building lbctl (the first build takes several minutes)"
cargo build --quiet --bin lbctl

section "starting moto"
start_moto

section "seeding moto: VPC lbctl-demo, subnets, security group web-lb, instances, certificates, zone example.com"
.venv/bin/python scripts/seed.py --endpoint "$MOTO_ENDPOINT"

section "1/3 lbctl plan -f $SPEC"
"$LBCTL" plan -f "$SPEC"

section "2/3 lbctl apply -f $SPEC --auto-approve"
"$LBCTL" apply -f "$SPEC" --auto-approve

section "3/3 lbctl plan -f $SPEC --detailed-exitcode (expect no changes)"
status=0
"$LBCTL" plan -f "$SPEC" --detailed-exitcode || status=$?
case "$status" in
    0) section "OK: the second plan shows no changes: the live state matches $SPEC" ;;
    2) section "FAILED: the second plan still shows changes after apply"; exit 1 ;;
    *) section "FAILED: lbctl plan exited with $status"; exit 1 ;;
esac
