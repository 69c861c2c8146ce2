#!/usr/bin/env python3
"""Write a large spec for benchmarks: N application load balancers, each with
an HTTP:80 listener forwarding (weighted) to K target groups of T IP targets,
and optionally DNS in a zone: an alias per load balancer and W weighted sets
of two members.

    scripts/gen_large_spec.py --lbs 20 --tgs-per-lb 3 --targets 10 > big.yaml
    scripts/gen_large_spec.py --lbs 50 --tgs-per-lb 4 --targets 10 \
        --zone example.com --weighted 475 --changes 100 > changed.yaml

`--changes C` writes the same spec with exactly C plan steps' worth of
changes: a third are listener weight changes, a third target group
attribute changes (deregistration delay), the rest weighted-set weight
changes (one record set each; needs --zone and enough --weighted sets).

Uses the names scripts/seed.py creates (VPC lbctl-demo, tier=public subnets,
security group web-lb, zone example.com).
"""
import argparse
import sys


def split_changes(changes: int) -> tuple[int, int, int]:
    listeners = (changes + 2) // 3
    tgs = (changes + 1) // 3
    return listeners, tgs, changes - listeners - tgs


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--lbs", type=int, default=20)
    p.add_argument("--tgs-per-lb", type=int, default=3)
    p.add_argument("--targets", type=int, default=10)
    p.add_argument("--stack", default="bench")
    p.add_argument("--zone", help="also manage DNS records in this zone")
    p.add_argument("--weighted", type=int, default=0, help="weighted sets of two members")
    p.add_argument("--changes", type=int, default=0, help="plan steps of changes to write")
    a = p.parse_args()

    listener_changes, tg_changes, dns_changes = split_changes(a.changes)
    if listener_changes > a.lbs or tg_changes > a.lbs * a.tgs_per_lb:
        sys.exit("--changes is too large for --lbs/--tgs-per-lb")
    if dns_changes > 0 and (not a.zone or dns_changes > a.weighted):
        sys.exit("--changes needs --zone and at least as many --weighted sets as DNS changes")

    out = [f"version: 1", f"stack: {a.stack}", "region: us-east-1", "", "target_groups:"]
    n = 0
    for lb in range(a.lbs):
        for tg in range(a.tgs_per_lb):
            delay = 60 if n < tg_changes else 30
            n += 1
            out += [
                f"  b{lb:02d}-tg{tg}:",
                "    protocol: HTTP",
                "    port: 80",
                "    vpc: { tags: { Name: lbctl-demo } }",
                "    target_type: ip",
                "    health_check: { path: /health, interval: 15, timeout: 5 }",
                f"    attributes: {{ deregistration_delay: {delay} }}",
                "    targets:",
                "      list:",
            ]
            for t in range(a.targets):
                out.append(f"        - {{ id: 10.0.{11 + t % 2}.{10 + t}, port: 80 }}")
    out += ["", "load_balancers:"]
    for lb in range(a.lbs):
        out += [
            f"  b{lb:02d}:",
            "    type: application",
            "    subnets: [ { tags: { tier: public } } ]",
            "    security_groups: [ { tags: { Name: web-lb } } ]",
            "    listeners:",
            "      - port: 80",
            "        protocol: HTTP",
            "        default_action:",
            "          forward:",
            "            target_groups:",
        ]
        for tg in range(a.tgs_per_lb):
            weight = 10 * (tg + 1)
            if lb < listener_changes:
                weight = 10 * (a.tgs_per_lb - tg)
                if a.tgs_per_lb == 1 or weight == 10 * (tg + 1):
                    weight += 5
            out.append(f"              - {{ name: b{lb:02d}-tg{tg}, weight: {weight} }}")
    if a.zone:
        out += ["", "dns:", f"  - zone: {a.zone}", "    records:"]
        for lb in range(a.lbs):
            out += [
                f"      - name: b{lb:02d}.lb",
                "        type: A",
                f"        alias: {{ load_balancer: b{lb:02d}, evaluate_target_health: false }}",
            ]
        for w in range(a.weighted):
            blue = 90 if w < dns_changes else 50
            out += [
                f"      - name: w{w:04d}.svc",
                "        type: A",
                "        ttl: 60",
                "        weighted:",
                # Set identifiers unique across the zone (moto's DELETE quirk).
                f"          - {{ id: w{w:04d}-blue, weight: {blue}, values: [203.0.113.{1 + w % 250}] }}",
                f"          - {{ id: w{w:04d}-green, weight: {100 - blue}, values: [198.51.100.{1 + w % 250}] }}",
            ]
    print("\n".join(out))


if __name__ == "__main__":
    main()
