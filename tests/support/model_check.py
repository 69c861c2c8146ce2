"""Checks one AWS request against the botocore service model it claims to follow.

Used by `tests/support/moto_server.py` (the launcher the integration tests run)
on every request that reaches moto. `check()` finds the service (SigV4
credential scope) and the operation (query `Action`, JSON `X-Amz-Target`, or
method + URI for rest-xml), decodes the wire form back into botocore-style
parameters guided by the operation's input shape, and validates them: unknown
members, required members, types, enums, numeric ranges, string/list/map
lengths and patterns. Any problem raises `Violation`.

It only reads; it never changes the request. Standard library + botocore only.
"""

import base64
import json
import re
import threading
import urllib.parse
import xml.etree.ElementTree as ET

import botocore.session

# A request signed for one of these names may be any of the listed botocore
# services; the query `Version` decides (Classic ELB and ELBv2 share a name).
SIGNING_NAMES = {"elasticloadbalancing": ("elbv2", "elb")}

_LEAF = None  # key of a value in the query-parameter trie
_lock = threading.Lock()
_session = None
_models = {}
_routes = {}
_patterns = {}


class Violation(Exception):
    """A request the AWS API model does not allow: where and which rule."""

    def __init__(self, operation, path, rule, detail):
        super().__init__(f"{operation}: `{path}` breaks `{rule}`: {detail}")
        self.operation = operation
        self.path = path
        self.rule = rule
        self.detail = detail


def _model(name):
    """The botocore service model `name`, loaded once per process."""
    global _session
    with _lock:
        if name not in _models:
            if _session is None:
                _session = botocore.session.get_session()
            if name not in _session.get_available_services():
                return None
            _models[name] = _session.get_service_model(name)
        return _models[name]


def check(method, path, query, headers, body):
    """Validates one request; returns (service, operation) or raises Violation.

    `path` is the raw (still percent-encoded) path, `query` the raw query
    string, `headers` a dict with lower-case names, `body` the raw bytes.
    """
    model, op, params = decode(method, path, query, headers, body)
    _validate(op.name, op.input_shape, params, "")
    return model.service_name, op.name


def decode(method, path, query, headers, body):
    """The request as (service model, operation model, botocore-style params).

    Raises Violation where the wire form itself does not fit the model
    (unknown service, operation or member, wrong scalar type).
    """
    signing = _signing_name(headers)
    candidates = SIGNING_NAMES.get(signing, (signing,))
    models = [m for m in map(_model, candidates) if m is not None]
    if not models:
        raise Violation("(unknown)", "Authorization", "service",
                        f"no botocore service is signed as `{signing}`")
    protocol = models[0].protocol
    if protocol in ("query", "ec2"):
        params = urllib.parse.parse_qsl(_text(body) if method == "POST" else query,
                                        keep_blank_values=True)
        return _decode_query(models, params, protocol == "ec2")
    model = models[0]
    if protocol == "json":
        return _decode_json(model, headers, body)
    if protocol == "rest-xml":
        return _decode_rest_xml(model, method, path, query, body)
    raise Violation("(unknown)", model.service_name, "protocol",
                    f"the checker does not read `{protocol}` yet")


def _signing_name(headers):
    """The service of a SigV4 `Authorization` header's credential scope."""
    auth = headers.get("authorization", "")
    match = re.search(r"Credential=[^/,]*/[^/]*/[^/]*/([^/]+)/aws4_request", auth)
    if not match:
        raise Violation("(unknown)", "Authorization", "sigv4",
                        "no SigV4 credential scope names the service")
    return match.group(1)


def _text(body):
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Violation("(unknown)", "body", "utf-8", str(e)) from None


# ---------------------------------------------------------------- query / ec2


def _decode_query(models, pairs, ec2):
    params = dict(pairs)
    action = params.pop("Action", None)
    version = params.pop("Version", None)
    model = next((m for m in models if m.api_version == version), None)
    if model is None:
        names = ", ".join(f"`{m.service_name}` {m.api_version}" for m in models)
        raise Violation(action or "(unknown)", "Version", "api-version",
                        f"`{version}` is not the version of {names}")
    op = _operation(model, action, "Action")
    tree = {}
    for key, value in pairs:
        if key in ("Action", "Version"):
            continue
        node = tree
        for part in key.split("."):
            node = node.setdefault(part, {})
        if _LEAF in node:
            raise Violation(op.name, key, "duplicate", "the parameter is sent twice")
        node[_LEAF] = value
    value = _from_query(op.name, op.input_shape, tree, "", ec2) if op.input_shape else {}
    if not op.input_shape and tree:
        raise Violation(op.name, next(iter(tree)), "unknown-member", "the operation takes no input")
    return model, op, value


def _operation(model, name, where):
    if name not in model.operation_names:
        raise Violation(name or "(unknown)", where, "operation",
                        f"`{model.service_name}` has no operation `{name}`")
    return model.operation_model(name)


def _query_name(member, key, ec2):
    """The wire name of structure member `key` (botocore's serializers, inverted)."""
    ser = member.serialization
    if ec2:
        if "queryName" in ser:
            return ser["queryName"]
        name = ser.get("name")
        return name[0].upper() + name[1:] if name else key
    if member.type_name == "list" and ser.get("flattened") and member.member.serialization.get("name"):
        return member.member.serialization["name"]
    return ser.get("name", key)


def _from_query(op, shape, node, path, ec2):
    kind = shape.type_name
    if kind == "structure":
        if set(node) == {_LEAF}:
            raise Violation(op, path, "type", "a structure was sent as a single value")
        names = {_query_name(m, k, ec2): k for k, m in shape.members.items()}
        out = {}
        for wire, child in node.items():
            if wire is _LEAF or wire not in names:
                raise Violation(op, _join(path, wire or "(value)"), "unknown-member",
                                f"`{shape.name}` has no such member")
            key = names[wire]
            out[key] = _from_query(op, shape.members[key], child, _join(path, key), ec2)
        return out
    if kind in ("list", "map"):
        if set(node) == {_LEAF} and node[_LEAF] == "":
            return [] if kind == "list" else {}  # how query protocols send an empty list
        flat = ec2 or shape.serialization.get("flattened")
        if not flat:
            inner = shape.member.serialization.get("name", "member") if kind == "list" else "entry"
            if set(node) != {inner}:
                bad = next(k for k in node if k != inner)
                raise Violation(op, _join(path, bad or "(value)"), "unknown-member",
                                f"`{shape.name}` items go under `{inner}`")
            node = node[inner]
        items = _numbered(op, node, path)
        if kind == "list":
            return [_from_query(op, shape.member, n, f"{path}[{i}]", ec2)
                    for i, n in enumerate(items)]
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")
        out = {}
        for n in items:
            if set(n) - {key_name, value_name} or key_name not in n:
                raise Violation(op, path, "map-entry", f"an entry needs `{key_name}`/`{value_name}`")
            key = _from_query(op, shape.key, n[key_name], f"{path}.(key)", ec2)
            out[key] = _from_query(op, shape.value, n.get(value_name, {_LEAF: ""}), f"{path}[{key}]", ec2)
        return out
    if set(node) != {_LEAF}:
        raise Violation(op, path, "type", f"`{shape.name}` is a {kind}, not a structure")
    return _scalar(op, shape, node[_LEAF], path)


def _numbered(op, node, path):
    """The children `1`, `2`, ... of a list or map node, in order."""
    if not all(isinstance(k, str) and k.isdigit() and k != "0" for k in node):
        raise Violation(op, path, "list-index", f"items must be numbered from 1, got {sorted(map(str, node))}")
    indices = sorted(int(k) for k in node)
    if indices != list(range(1, len(indices) + 1)):
        raise Violation(op, path, "list-index", f"items are not numbered 1..{len(indices)}: {indices}")
    return [node[str(i)] for i in indices]


def _scalar(op, shape, text, path):
    """A wire string converted to the Python type botocore uses for `shape`."""
    kind = shape.type_name
    try:
        if kind in ("integer", "long"):
            if not re.fullmatch(r"-?[0-9]+", text):
                raise ValueError(text)  # int() would also take " 5" and "1_000"
            return int(text)
        if kind in ("float", "double"):
            return float(text)
        if kind == "boolean":
            if text not in ("true", "false"):
                raise ValueError(text)
            return text == "true"
        if kind == "blob":
            return base64.b64decode(text, validate=True)
    except ValueError:
        raise Violation(op, path, "type", f"`{text}` is not a valid {kind}") from None
    return text  # string, timestamp


def _join(path, key):
    return f"{path}.{key}" if path else str(key)


# ----------------------------------------------------------------------- json


def _decode_json(model, headers, body):
    target = headers.get("x-amz-target", "")
    prefix, _, name = target.partition(".")
    if prefix != model.metadata.get("targetPrefix"):
        raise Violation(name or "(unknown)", "X-Amz-Target", "target-prefix",
                        f"`{target}` does not start with `{model.metadata.get('targetPrefix')}.`")
    op = _operation(model, name, "X-Amz-Target")
    try:
        value = json.loads(_text(body) or "{}")
    except ValueError as e:
        raise Violation(op.name, "body", "json", str(e)) from None
    if op.input_shape:
        value = _from_json(op.name, op.input_shape, value, "")
    return model, op, value


_JSON_TYPES = {"string": str, "boolean": bool, "integer": int, "long": int,
               "float": (int, float), "double": (int, float), "blob": str,
               "timestamp": (int, float, str), "list": list, "map": dict, "structure": dict}


def _from_json(op, shape, value, path):
    """`value` with its JSON types checked against `shape`, blobs decoded."""
    kind = shape.type_name
    if not isinstance(value, _JSON_TYPES[kind]) or (kind in ("integer", "long") and isinstance(value, bool)):
        raise Violation(op, path or "(input)", "type", f"expected a {kind}, got {type(value).__name__}")
    if kind == "structure":
        for key in value:
            if key not in shape.members:
                raise Violation(op, _join(path, key), "unknown-member", f"`{shape.name}` has no such member")
        return {k: _from_json(op, shape.members[k], v, _join(path, k)) for k, v in value.items()}
    if kind == "list":
        return [_from_json(op, shape.member, v, f"{path}[{i}]") for i, v in enumerate(value)]
    if kind == "map":
        return {k: _from_json(op, shape.value, v, f"{path}[{k}]") for k, v in value.items()}
    if kind == "blob":
        return _scalar(op, shape, value, path)
    return value


# ------------------------------------------------------------------- rest-xml


def _route_table(model):
    """(method, path regex, literal query keys, operation) for every operation."""
    with _lock:
        if model.service_name not in _routes:
            table = []
            for name in model.operation_names:
                http = model.operation_model(name).http
                uri, _, literal = http["requestUri"].partition("?")
                pattern = re.sub(r"\\\{(\w+)(\\\+)?\\\}",
                                 lambda m: f"(?P<{m.group(1)}>{'.+' if m.group(2) else '[^/]+'})",
                                 re.escape(uri.rstrip("/")))
                keys = {kv.split("=")[0] for kv in literal.split("&") if kv}
                table.append((http["method"], re.compile(pattern + "/?$"), keys, name))
            # Most literal characters first, so `/hostedzone/{Id}/rrset` wins over `/{Id}`.
            table.sort(key=lambda r: -len(re.sub(r"\(\?P<.*?>.*?\)", "", r[1].pattern)))
            _routes[model.service_name] = table
        return _routes[model.service_name]


def _decode_rest_xml(model, method, path, query, body):
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
    query_keys = {k for k, _ in pairs}
    for verb, regex, literal, name in _route_table(model):
        match = regex.match(path)
        if verb == method and match and literal <= query_keys:
            op = model.operation_model(name)
            break
    else:
        raise Violation("(unknown)", f"{method} {path}", "operation",
                        f"no `{model.service_name}` operation has this method and URI")
    shape = op.input_shape
    value = {}
    if shape is not None:
        by_location = {}
        for key, member in shape.members.items():
            loc = member.serialization.get("location")
            by_location.setdefault(loc, {})[member.serialization.get("name", key)] = key
        for label, text in match.groupdict().items():
            key = by_location.get("uri", {}).get(label, label)
            value[key] = _scalar(op.name, shape.members[key], urllib.parse.unquote(text), key)
        _rest_query(op.name, shape, by_location.get("querystring", {}), pairs, literal, value)
        value.update(_rest_body(op, shape, body))
    elif body.strip():
        raise Violation(op.name, "body", "unknown-member", "the operation takes no body")
    return model, op, value


def _rest_query(op, shape, names, pairs, literal, value):
    for wire, text in pairs:
        if wire in literal:
            continue
        if wire not in names:
            raise Violation(op, f"?{wire}", "unknown-member", f"`{shape.name}` has no query parameter `{wire}`")
        key = names[wire]
        member = shape.members[key]
        if member.type_name == "list":
            value.setdefault(key, []).append(_scalar(op, member.member, text, key))
        else:
            value[key] = _scalar(op, member, text, key)


def _rest_body(op, shape, body):
    payload = shape.serialization.get("payload")
    if payload:
        member = shape.members[payload]
        if member.type_name != "structure":
            return {payload: body} if body else {}
        if not body.strip():
            return {}
        return {payload: _from_xml(op.name, member, _xml_root(op.name, body, member), payload)}
    body_members = [k for k, m in shape.members.items() if "location" not in m.serialization]
    if not body.strip():
        return {}
    if not body_members:
        raise Violation(op.name, "body", "unknown-member", "the operation takes no body")
    return _from_xml(op.name, shape, _xml_root(op.name, body, shape), "")


def _xml_root(op, body, shape):
    try:
        root = ET.fromstring(body)
    except ET.ParseError as e:
        raise Violation(op, "body", "xml", str(e)) from None
    expected = shape.serialization.get("name")
    if expected and _tag(root) != expected:
        raise Violation(op, f"<{_tag(root)}>", "root-element", f"the body must be `<{expected}>`")
    return root


def _tag(element):
    return element.tag.rsplit("}", 1)[-1]


def _from_xml(op, shape, element, path):
    kind = shape.type_name
    if kind == "structure":
        names = {m.serialization.get("name", k): k for k, m in shape.members.items()
                 if "location" not in m.serialization}
        out = {}
        for child in element:
            tag = _tag(child)
            key = names.get(tag)
            if key is None:
                raise Violation(op, _join(path, tag), "unknown-member", f"`{shape.name}` has no such member")
            member = shape.members[key]
            if member.type_name == "list" and member.serialization.get("flattened"):
                out.setdefault(key, []).append(_from_xml(op, member.member, child, f"{_join(path, key)}[]"))
            else:
                out[key] = _from_xml(op, member, child, _join(path, key))
        return out
    if kind == "list":
        inner = shape.member.serialization.get("name", "member")
        out = []
        for i, child in enumerate(element):
            if _tag(child) != inner:
                raise Violation(op, f"{path}[{i}]", "unknown-member", f"items of `{shape.name}` are `<{inner}>`")
            out.append(_from_xml(op, shape.member, child, f"{path}[{i}]"))
        return out
    if kind == "map":
        raise Violation(op, path, "protocol", "the checker does not read XML maps yet")
    if len(element):
        raise Violation(op, path, "type", f"`{shape.name}` is a {kind}, not a structure")
    return _scalar(op, shape, element.text or "", path)


# ------------------------------------------------------------------ the rules


def _validate(op, shape, value, path):
    """Required members, enums, ranges, lengths and patterns, walking `shape`."""
    if shape is None:
        return
    kind = shape.type_name
    meta = shape.metadata
    here = path or "(input)"
    if kind == "structure":
        for name in meta.get("required", []):
            if name not in value:
                raise Violation(op, _join(path, name), "required", f"`{shape.name}` requires it")
        if meta.get("union") and len(value) != 1:
            raise Violation(op, here, "union", f"`{shape.name}` takes exactly one member, got {len(value)}")
        for key, child in value.items():
            _validate(op, shape.members[key], child, _join(path, key))
        return
    if kind in ("list", "map", "string", "blob"):
        _length(op, shape, value, here)
    if kind == "list":
        for i, child in enumerate(value):
            _validate(op, shape.member, child, f"{path}[{i}]")
    elif kind == "map":
        for key, child in value.items():
            _validate(op, shape.key, key, f"{path}.(key)")
            _validate(op, shape.value, child, f"{path}[{key}]")
    elif kind == "string":
        if shape.enum and value not in shape.enum:
            raise Violation(op, here, "enum", f"`{value}` is not one of {', '.join(shape.enum)}")
        regex = _pattern(meta.get("pattern"))
        if regex is not None and not regex.search(value):
            raise Violation(op, here, "pattern", f"`{value}` does not match `{meta['pattern']}`")
    elif kind in ("integer", "long", "float", "double"):
        if "min" in meta and value < meta["min"]:
            raise Violation(op, here, "min", f"{value} is below the minimum {meta['min']}")
        if "max" in meta and value > meta["max"]:
            raise Violation(op, here, "max", f"{value} is above the maximum {meta['max']}")


def _length(op, shape, value, here):
    meta = shape.metadata
    size = len(value)
    if "min" in meta and size < meta["min"]:
        raise Violation(op, here, "min-length", f"length {size} is below the minimum {meta['min']}")
    if "max" in meta and size > meta["max"]:
        raise Violation(op, here, "max-length", f"length {size} is above the maximum {meta['max']}")


# Java's Unicode classes, which Python's `re` lacks. Inside `[...]` they widen
# a little (`\w` also takes `_`, `\s` also takes tabs): the check errs on the
# side of accepting. Outside a class they are exact enough.
_CLASSES = {"L": (r"\w", r"[^\W\d_]"), "N": (r"\w", r"\d"), "Z": (r"\s", r"\s"),
            "P": (r"\W", r"\W"), "M": (r"\w\W", r"[\w\W]"), "ASCII": (r"\x00-\x7f", r"[\x00-\x7f]")}


def _pattern(source):
    """`source` (a Smithy/Java regex; not anchored) compiled for Python, or None."""
    if source is None:
        return None
    with _lock:
        if source not in _patterns:
            out, in_class, i = [], False, 0
            while i < len(source):
                match = re.match(r"\\p\{(\w+)\}", source[i:])
                if match and match.group(1) in _CLASSES:
                    out.append(_CLASSES[match.group(1)][0 if in_class else 1])
                    i += match.end()
                    continue
                ch = source[i]
                if ch == "\\":
                    out.append(source[i:i + 2])
                    i += 2
                    continue
                in_class = (in_class or ch == "[") and not (in_class and ch == "]")
                out.append(ch)
                i += 1
            try:
                _patterns[source] = re.compile("".join(out))
            except re.error:
                _patterns[source] = None  # a Java-only construct: not checked (docs/moto.md)
        return _patterns[source]
