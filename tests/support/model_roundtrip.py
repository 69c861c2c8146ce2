"""Self-test of `model_check.decode`: it must read back what botocore writes.

For every operation of the services lbctl and its tests call, this builds an
input with every member set (nested to a few levels), serializes it with
botocore's own serializer for the service's protocol, decodes the wire form
with the checker, and compares. A decoder mistake (a wrong wire name, list or
map layout) would otherwise show up only as a false violation, or worse, a
member the checker silently never looks at.

Run by `tests/it/model_check.rs`; prints one line per mismatch and exits 1 if any.
Usage: python tests/support/model_roundtrip.py [SERVICE...]
"""

import datetime
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import botocore.serialize  # noqa: E402
import model_check  # noqa: E402

SERVICES = ["elbv2", "route53", "ec2", "ssm", "acm", "iam", "sts"]
SIGNING = {"elbv2": "elasticloadbalancing"}
DEPTH = 5


def sample(shape, depth=0):
    """A value for `shape` with every member set, or None where not comparable."""
    kind = shape.type_name
    if kind == "structure":
        if depth > DEPTH:
            return None
        out = {}
        for key, member in shape.members.items():
            if member.serialization.get("location") in ("header", "headers"):
                continue  # the checker does not read headers (SDKs add their own)
            value = sample(member, depth + 1)
            if value is not None:
                out[key] = value
            if shape.metadata.get("union") and out:
                break
        return out if out or depth == 0 else None  # query protocols drop empty structures
    if kind == "list":
        item = sample(shape.member, depth + 1)
        return None if item is None else [item] * max(2, shape.metadata.get("min", 0))
    if kind == "map":
        value = sample(shape.value, depth + 1)
        return None if value is None else {"k1": value, "k2": value}
    if kind == "string":
        return shape.enum[0] if shape.enum else "v" * max(1, shape.metadata.get("min", 1))
    if kind in ("integer", "long"):
        return int(shape.metadata.get("min", 7))
    if kind in ("float", "double"):
        return 1.5
    if kind == "boolean":
        return True
    if kind == "blob":
        return b"data"
    if kind == "timestamp":
        return datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    return None


def normalise(shape, value):
    """`value` as the checker decodes it (timestamps stay wire strings)."""
    kind = shape.type_name
    if kind == "structure":
        return {k: normalise(shape.members[k], v) for k, v in value.items()}
    if kind == "list":
        return [normalise(shape.member, v) for v in value]
    if kind == "map":
        return {k: normalise(shape.value, v) for k, v in value.items()}
    if kind == "timestamp":
        return "(timestamp)"
    return value


def wire(model, op, params):
    """botocore's request for `params`: method, raw path, raw query, headers, body."""
    request = botocore.serialize.create_serializer(model.protocol).serialize_to_request(params, op)
    body = request["body"]
    if isinstance(body, dict):
        body = urllib.parse.urlencode(body).encode()
    elif isinstance(body, str):
        body = body.encode()
    query = urllib.parse.urlencode(request["query_string"], doseq=True) \
        if isinstance(request["query_string"], dict) else request["query_string"]
    headers = {k.lower(): v for k, v in request["headers"].items()}
    service = SIGNING.get(model.service_name, model.metadata.get("signingName") or model.endpoint_prefix)
    headers["authorization"] = f"AWS4-HMAC-SHA256 Credential=t/20260101/us-east-1/{service}/aws4_request"
    return request["method"], request["url_path"], query, headers, body


def main(services):
    failures = checked = 0
    for name in services:
        model = model_check._model(name)
        for op_name in model.operation_names:
            op = model.operation_model(op_name)
            if op.input_shape is None or op.has_streaming_input:
                continue
            params = sample(op.input_shape)
            try:
                request = wire(model, op, params)
            except Exception as e:  # noqa: BLE001  (botocore refuses some samples; not ours)
                first = str(e).splitlines()[1:2] or [str(e)]
                print(f"skip {name}.{op_name}: botocore refuses the sample: {first[0]}")
                continue
            checked += 1
            try:
                got_model, got_op, got = model_check.decode(*request)
            except model_check.Violation as v:
                failures += 1
                print(f"FAIL {name}.{op_name}: {v}")
                continue
            want = normalise(op.input_shape, params)
            got = _timestamps(op.input_shape, got)
            if (got_model.service_name, got_op.name) != (name, op_name) or got != want:
                failures += 1
                print(f"FAIL {name}.{op_name}: decoded as {got_model.service_name}.{got_op.name}\n"
                      f"  want {want}\n  got  {got}")
    print(f"{checked} operations read back, {failures} mismatches")
    return 1 if failures else 0


def _timestamps(shape, value):
    """Replaces decoded timestamp strings by the placeholder `normalise` uses."""
    kind = shape.type_name
    if kind == "structure":
        return {k: _timestamps(shape.members[k], v) for k, v in value.items()}
    if kind == "list":
        return [_timestamps(shape.member, v) for v in value]
    if kind == "map":
        return {k: _timestamps(shape.value, v) for k, v in value.items()}
    return "(timestamp)" if kind == "timestamp" else value


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or SERVICES))
