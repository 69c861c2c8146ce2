//! `load_balancers`: a load balancer, its subnets and attributes, its
//! listeners and rules with their conditions, and the actions they take.

use serde_json::{json, Value};

use super::scalars::{duration, int, list, pattern, port, selector, string, word};
use super::{
    d, object, one_key_of, r, with, ALB_PROTOCOLS, ALPN_POLICIES, CONTENT_TYPES, NLB_PROTOCOLS,
    WEEK,
};

pub(super) fn load_balancer() -> Value {
    let props = json!({
        "type": d("application (default) | network | gateway.", word(&["application", "network", "gateway"], false)),
        "scheme": d("internet-facing (default) | internal (gateway: internal only).", word(&["internet-facing", "internal"], false)),
        "ip_address_type": d("ipv4|dualstack|dualstack-without-public-ipv4 (internet-facing application load balancers).", word(&["ipv4", "dualstack", "dualstack-without-public-ipv4"], false)),
        "ipam_pool": d("Internet-facing application load balancers: the IPAM pool of the public IPv4 addresses; left out, AWS's own (a live pool is removed).", pattern("^ipam-pool-[a-zA-Z0-9]+$")),
        "subnets": d("Subnets: IDs or `{ tags: {...} }` selectors (each matching at least one).", list(selector("subnet-"))),
        "subnet_mappings": d("Alternative to `subnets`: NLB static IPs.", list(r("subnet_mapping"))),
        "security_groups": d("Security groups: IDs or `{ tags: {...} }` selectors (not for gateway).", json!({ "type": "array", "items": selector("sg-") })),
        "attributes": r("lb_attributes"),
        "listeners": { "type": "array", "items": r("listener") },
        "tags": r("tags")
    });
    let gateway = json!({ "properties": { "type": { "const": "gateway" } }, "required": ["type"] });
    let network = json!({ "properties": { "type": { "const": "network" } }, "required": ["type"] });
    let application = json!({ "anyOf": [
        { "not": { "required": ["type"] } },
        { "properties": { "type": { "const": "application" } }, "required": ["type"] }
    ]});
    let listener_of = |protocols: &[&str]| {
        json!({
            "required": ["port", "protocol"],
            "properties": { "protocol": word(protocols, true) }
        })
    };
    with(
        d(
            "A load balancer; its key is its AWS name (not starting with `internal-`).",
            object(props),
        ),
        json!({
            "oneOf": one_key_of(&["subnets", "subnet_mappings"]),
            "allOf": [
                {
                    "if": gateway,
                    "then": { "properties": {
                        "scheme": { "anyOf": [{ "const": "internal" }, r("param")] },
                        "security_groups": false,
                        "attributes": { "properties": {
                            "idle_timeout": false, "http2": false,
                            "drop_invalid_header_fields": false,
                            "client_keep_alive": false, "desync_mitigation": false,
                            "preserve_host_header": false, "xff_header_processing": false,
                            "xff_client_port": false, "tls_version_and_cipher_headers": false,
                            "waf_fail_open": false, "connection_logs": false,
                            "health_check_logs": false, "dns_client_routing_policy": false,
                            "zonal_shift": false, "deny_all_igw_traffic": false
                        }},
                        "listeners": {
                            "maxItems": 1,
                            "items": { "properties": { "port": false, "protocol": false } }
                        }
                    }}
                },
                {
                    "if": network,
                    "then": { "properties": {
                        "attributes": { "properties": {
                            "idle_timeout": false, "http2": false,
                            "drop_invalid_header_fields": false,
                            "client_keep_alive": false, "desync_mitigation": false,
                            "preserve_host_header": false, "xff_header_processing": false,
                            "xff_client_port": false, "tls_version_and_cipher_headers": false,
                            "waf_fail_open": false, "connection_logs": false,
                            "health_check_logs": false
                        }},
                        "listeners": { "items": listener_of(NLB_PROTOCOLS) }
                    }}
                },
                {
                    "if": application,
                    "then": { "properties": {
                        "attributes": { "properties": { "cross_zone": false, "dns_client_routing_policy": false } },
                        "listeners": { "items": listener_of(ALB_PROTOCOLS) }
                    }}
                }
            ]
        }),
    )
}

pub(super) fn subnet_mapping() -> Value {
    with(
        d(
            "A subnet, with an Elastic IP (NLB) or a private IPv4 address.",
            object(json!({
                "subnet": selector("subnet-"),
                "allocation_id": d("Elastic IP allocation (`eipalloc-...`); network load balancers.", string()),
                "private_ipv4_address": string()
            })),
        ),
        json!({ "required": ["subnet"] }),
    )
}

pub(super) fn lb_attributes() -> Value {
    let access_logs = json!({ "anyOf": [
        { "const": false },
        r("access_logs_to"),
        r("param")
    ]});
    d(
        "Load balancer attributes.",
        object(json!({
            "cross_zone": d("network/gateway only (ALB is always cross-zone).", r("bool")),
            "deletion_protection": r("bool"),
            "idle_timeout": d("application: 1..4000 s.", duration(1, 4000)),
            "http2": d("application.", r("bool")),
            "drop_invalid_header_fields": d("application.", r("bool")),
            "access_logs": d("`false` or `{ bucket: ..., prefix: ... }`.", access_logs.clone()),
            "zonal_shift": d("application and network: zonal_shift.config.enabled.", r("bool")),
            "client_keep_alive": d("application: 60 s..7 d.", duration(60, WEEK)),
            "desync_mitigation": d("application: monitor|defensive|strictest.", word(&["monitor", "defensive", "strictest"], false)),
            "preserve_host_header": d("application.", r("bool")),
            "xff_header_processing": d("application: append|preserve|remove.", word(&["append", "preserve", "remove"], false)),
            "xff_client_port": d("application.", r("bool")),
            "tls_version_and_cipher_headers": d("application: x-amzn-tls-version and x-amzn-tls-cipher-suite headers.", r("bool")),
            "waf_fail_open": d("application.", r("bool")),
            "connection_logs": d("application: `false` or `{ bucket: ..., prefix: ... }`.", access_logs.clone()),
            "health_check_logs": d("application: `false` or `{ bucket: ..., prefix: ... }`.", access_logs),
            "dns_client_routing_policy": d("network: availability_zone_affinity|partial_availability_zone_affinity|any_availability_zone.", word(&["availability_zone_affinity", "partial_availability_zone_affinity", "any_availability_zone"], false)),
            "deny_all_igw_traffic": d("application and network: ipv6.deny_all_igw_traffic.", r("bool")),
            "extra": r("extra")
        })),
    )
}

pub(super) fn access_logs_to() -> Value {
    with(
        object(json!({ "bucket": string(), "prefix": string() })),
        json!({ "required": ["bucket"] }),
    )
}

pub(super) fn listener() -> Value {
    let certificates = json!({
        "type": "array",
        "minItems": 1,
        "items": pattern("^arn:")
    });
    with(
        d(
            "A listener, identified by its port. A gateway load balancer has one, without `port` and `protocol`.",
            object(json!({
                "port": d("1..65535, unique per load balancer.", port()),
                "protocol": d("HTTP|HTTPS (ALB), TCP|TLS|UDP|TCP_UDP|QUIC|TCP_QUIC (NLB), none for gateway.", word(&["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"], true)),
                "certificates": d("HTTPS/TLS: certificate ARNs; the first is the default certificate, the rest are extra.", certificates),
                "ssl_policy": d("HTTPS/TLS security policy, e.g. ELBSecurityPolicy-TLS13-1-2-2021-06.", string()),
                "alpn_policy": d("TLS listeners only.", word(ALPN_POLICIES, false)),
                "default_action": r("action"),
                "rules": d("ALB only.", json!({ "type": "array", "items": r("rule") })),
                "attributes": r("listener_attributes")
            })),
        ),
        json!({ "required": ["default_action"] }),
    )
}

pub(super) fn rule() -> Value {
    with(
        d(
            "A listener rule, identified by its priority.",
            object(json!({
                "priority": d("1..50000, unique per listener.", int(1, 50000)),
                "conditions": d(
                    "A mapping of conditions (all must match), or a list of such mappings (all must match), so a kind can repeat.",
                    json!({ "anyOf": [
                        r("conditions"),
                        { "type": "array", "minItems": 1, "items": r("conditions") }
                    ]})
                ),
                "action": r("action"),
                "transforms": r("transforms")
            })),
        ),
        json!({ "required": ["priority", "conditions", "action"] }),
    )
}

pub(super) fn conditions() -> Value {
    let values = |item: Value| json!({ "type": "array", "minItems": 1, "items": item });
    with(
        d(
            "All given conditions must match (AND).",
            object(json!({
                "host_header": r("patterns"),
                "path_pattern": r("patterns"),
                "http_header": r("http_header"),
                "http_request_method": d("Upper case: GET, HEAD, ...", values(pattern("^[A-Z_-]{1,128}$"))),
                "query_string": values(r("query_string")),
                "source_ip": d("CIDR blocks, like 10.0.0.0/8.", values(pattern("^[0-9A-Fa-f:.]+/[0-9]{1,3}$")))
            })),
        ),
        json!({ "minProperties": 1 }),
    )
}

pub(super) fn http_header() -> Value {
    let list = json!({ "type": "array", "minItems": 1, "maxItems": 3, "items": r("text") });
    with(
        object(json!({
            "name": r("text"),
            "values": d("Wildcard values (`*`, `?`); any matches.", list.clone()),
            "regex": d("Regular expressions (AWS RegexValues); any matches.", list)
        })),
        json!({
            "required": ["name"],
            "oneOf": [ { "required": ["values"] }, { "required": ["regex"] } ]
        }),
    )
}

pub(super) fn query_string() -> Value {
    with(
        object(json!({ "key": r("text"), "value": r("text") })),
        json!({ "required": ["value"] }),
    )
}

// ---------------------------------------------------------------- actions

pub(super) fn action() -> Value {
    let forward = json!({ "anyOf": [
        { "description": "A target group of the spec, by name.", "type": "string" },
        r("forward_map")
    ]});
    with(
        d(
            "An action: exactly one of `forward`, `redirect` or `fixed_response`, after an optional `authenticate` or `jwt_validation` step (HTTPS listeners of ALBs).",
            object(json!({
                "authenticate": r("authenticate"),
                "jwt_validation": r("jwt_validation"),
                "forward": d("A target group name, `{ arn: ... }`, or weighted `{ target_groups: [...], stickiness: ... }`.", forward),
                "redirect": r("redirect"),
                "fixed_response": r("fixed_response")
            })),
        ),
        json!({ "oneOf": one_key_of(&["forward", "redirect", "fixed_response"]) }),
    )
}

pub(super) fn forward_map() -> Value {
    with(
        object(json!({
            "arn": d("A target group outside the spec.", pattern("^arn:.*:targetgroup/")),
            "target_groups": d("1..5 target groups, weights 0..999 (ALB and NLB listeners).", json!({
                "type": "array",
                "minItems": 1,
                "maxItems": 5,
                "items": r("weighted_target_group")
            })),
            "stickiness": d("Target-group stickiness, 1 s..7 d (ALB).", duration(1, WEEK))
        })),
        json!({ "oneOf": one_key_of(&["arn", "target_groups"]) }),
    )
}

pub(super) fn weighted_target_group() -> Value {
    with(
        object(json!({
            "name": d("A target group of the spec.", string()),
            "arn": d("A target group outside the spec.", pattern("^arn:.*:targetgroup/")),
            "weight": d("0..999.", int(0, 999))
        })),
        json!({ "oneOf": one_key_of(&["name", "arn"]) }),
    )
}

pub(super) fn redirect() -> Value {
    let port = json!({ "anyOf": [{ "const": "#{port}" }, port()] });
    let status = json!({ "anyOf": [
        { "enum": [301, 302, "301", "302", "HTTP_301", "HTTP_302"] },
        r("param")
    ]});
    with(
        d(
            "A redirect (ALB); `#{protocol}`, `#{host}`, `#{port}`, `#{path}` and `#{query}` keep parts of the request.",
            object(json!({
                "protocol": d("HTTP|HTTPS|#{protocol}.", word(&["HTTP", "HTTPS", "#{protocol}"], true)),
                "port": d("1..65535 or `#{port}`.", port),
                "host": r("text"),
                "path": d("Starts with `/`.", r("text")),
                "query": r("text"),
                "status": d("301 (permanent) or 302 (temporary).", status)
            })),
        ),
        json!({ "required": ["status"] }),
    )
}

pub(super) fn fixed_response() -> Value {
    let status = json!({ "anyOf": [
        { "type": "integer", "minimum": 200, "maximum": 599, "not": { "minimum": 300, "maximum": 399 } },
        { "type": "string", "pattern": "^[245][0-9]{2}$" },
        r("param")
    ]});
    with(
        d(
            "A fixed response (ALB).",
            object(json!({
                "status": d("A 2XX, 4XX or 5XX code.", status),
                "content_type": word(CONTENT_TYPES, false),
                "body": d("At most 1024 characters.", json!({
                    "type": ["string", "number", "boolean"],
                    "maxLength": 1024
                }))
            })),
        ),
        json!({ "required": ["status"] }),
    )
}
