"""The lossless audit: every member of the shapes lbctl reads, against docs/lossless-members.md.

Walks botocore's service model (the one installed with moto) from the shapes
lbctl reads (ELBv2 LoadBalancer, Listener, Rule, TargetGroup,
TargetHealthDescription; Route 53 ResourceRecordSet, HealthCheck) down to
every leaf member, e.g. `Rule.Conditions[].HttpHeaderConfig.Values[]`, and
classifies each by the table in the document: a row's member may end in `*`,
`*Actions[]` stands for both `Listener.DefaultActions[]` and `Rule.Actions[]`,
and the longest matching row wins.

Usage: python lossless_audit.py DOC. Prints one JSON object: `unclassified`
(members no row matches), `stale` (rows that match no member), `totals`
(members per status) and `members` (member -> status).
"""

import gzip
import json
import os
import re
import sys

import botocore

ROOTS = {
    "elbv2": ["LoadBalancer", "Listener", "Rule", "TargetGroup", "TargetHealthDescription"],
    "route53": ["ResourceRecordSet", "HealthCheck"],
}
STATUSES = {"modelled", "reported", "ignored", "not-visible", "not-covered"}


def shapes(service):
    base = os.path.join(os.path.dirname(botocore.__file__), "data", service)
    version = sorted(os.listdir(base))[-1]
    with gzip.open(os.path.join(base, version, "service-2.json.gz")) as f:
        return json.load(f)["shapes"]


def leaves(model, name, path, seen=frozenset()):
    shape = model[name]
    kind = shape["type"]
    if kind == "structure":
        if name in seen:
            yield path
            return
        for member, ref in shape["members"].items():
            yield from leaves(model, ref["shape"], f"{path}.{member}", seen | {name})
    elif kind == "list":
        yield from leaves(model, shape["member"]["shape"], path + "[]", seen)
    else:
        yield path


def rows(doc):
    out = []
    for line in open(doc, encoding="utf-8"):
        m = re.match(r"\|\s*`([^`]+)`\s*\|\s*([a-z-]+)\s*\|", line)
        if m:
            if m.group(2) not in STATUSES:
                sys.exit(f"{doc}: unknown status `{m.group(2)}` in: {line.strip()}")
            out.append((m.group(1), m.group(2)))
    return out


def glob(pattern, member):
    """`*` matches anything; every other character stands for itself."""
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, member) is not None


def matches(pattern, member):
    if pattern.startswith("*Actions[]"):
        tail = pattern[len("*Actions[]"):]
        return any(
            glob(prefix + tail, member) for prefix in ("Listener.DefaultActions[]", "Rule.Actions[]")
        )
    return glob(pattern, member)


def main():
    table = rows(sys.argv[1])
    members = {}
    used = set()
    unclassified = []
    for service, roots in ROOTS.items():
        model = shapes(service)
        for root in roots:
            for member in leaves(model, root, root):
                hits = [(p, s) for p, s in table if matches(p, member)]
                if not hits:
                    unclassified.append(member)
                    continue
                pattern, status = max(hits, key=lambda h: len(h[0]))
                used.add(pattern)
                members[member] = status
    totals = {s: 0 for s in sorted(STATUSES)}
    for status in members.values():
        totals[status] += 1
    stale = [p for p, _ in table if p not in used]
    print(json.dumps({"unclassified": unclassified, "stale": stale, "totals": totals, "members": members}))


if __name__ == "__main__":
    main()
