#!/usr/bin/env python3
"""Write a large spec for benchmarks: N application load balancers, each with
an HTTP:80 listener forwarding (weighted) to K target groups of T IP targets.

    scripts/gen_large_spec.py --lbs 20 --tgs-per-lb 3 --targets 10 > big.yaml

Uses the names scripts/seed.py creates (VPC lbctl-demo, tier=public subnets,
security group web-lb).
"""
import argparse


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--lbs", type=int, default=20)
    p.add_argument("--tgs-per-lb", type=int, default=3)
    p.add_argument("--targets", type=int, default=10)
    p.add_argument("--stack", default="bench")
    a = p.parse_args()

    out = [f"version: 1", f"stack: {a.stack}", "region: us-east-1", "", "target_groups:"]
    for lb in range(a.lbs):
        for tg in range(a.tgs_per_lb):
            out += [
                f"  b{lb:02d}-tg{tg}:",
                "    protocol: HTTP",
                "    port: 80",
                "    vpc: { tags: { Name: lbctl-demo } }",
                "    target_type: ip",
                "    health_check: { path: /health, interval: 15, timeout: 5 }",
                "    attributes: { deregistration_delay: 30 }",
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
            out.append(f"              - {{ name: b{lb:02d}-tg{tg}, weight: {10 * (tg + 1)} }}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
