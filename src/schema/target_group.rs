//! `target_groups`: a target group, its health check, attributes,
//! stickiness and targets.

use serde_json::{json, Value};

use super::scalars::{duration, int, pattern, port, selector, string, word};
use super::{d, object, one_key_of, r, with, STICKINESS_TYPES, TG_PROTOCOLS, WEEK};

pub(super) fn target_group() -> Value {
    let props = json!({
        "protocol": d("HTTP|HTTPS|TCP|TLS|UDP|TCP_UDP|QUIC|TCP_QUIC|GENEVE (not for lambda; QUIC and TCP_QUIC for NLBs, IPv4 only).", word(TG_PROTOCOLS, true)),
        "port": d("Port the targets receive traffic on (not for lambda).", port()),
        "vpc": d("VPC: an ID or `{ tags: {...} }` matching exactly one (not for lambda).", selector("vpc-")),
        "target_type": d("instance (default) | ip | lambda | alb.", word(&["instance", "ip", "lambda", "alb"], false)),
        "protocol_version": d("HTTP1|HTTP2|GRPC; HTTP/HTTPS target groups only.", word(&["HTTP1", "HTTP2", "GRPC"], true)),
        "ip_address_type": d("ipv4|ipv6.", word(&["ipv4", "ipv6"], false)),
        "health_check": r("tg_health_check"),
        "attributes": r("tg_attributes"),
        "targets": r("targets"),
        "tags": r("tags")
    });
    with(
        d("A target group; its key is its AWS name.", object(props)),
        json!({
            "if": {
                "properties": { "target_type": { "const": "lambda" } },
                "required": ["target_type"]
            },
            "then": {
                "properties": {
                    "protocol": false,
                    "port": false,
                    "vpc": false,
                    "protocol_version": false
                }
            },
            "else": { "required": ["protocol", "port", "vpc"] }
        }),
    )
}

pub(super) fn tg_health_check() -> Value {
    let matcher = json!({ "anyOf": [
        { "type": "integer" },
        {
            "type": "string",
            "pattern": "^\\s*[0-9]+\\s*(-\\s*[0-9]+\\s*)?(,\\s*[0-9]+\\s*(-\\s*[0-9]+\\s*)?)*$"
        },
        r("param")
    ]});
    let hc_port = json!({ "anyOf": [
        { "const": "traffic-port" },
        port()
    ]});
    d(
        "Health check of the targets.",
        object(json!({
            "enabled": d("Only lambda target groups can turn health checks off.", r("bool")),
            "protocol": d("HTTP|HTTPS|TCP (validity depends on the target group's protocol).", word(&["HTTP", "HTTPS", "TCP"], true)),
            "port": d("`traffic-port` or a port number.", hc_port),
            "path": d("HTTP(S) checks: path starting with `/`.", pattern("^/")),
            "interval": d("5..300 s.", duration(5, 300)),
            "timeout": d("2..120 s, less than the interval (at most the interval for TCP, TLS, UDP, TCP_UDP and GENEVE); without it, AWS's default must be: 5 s for HTTP/HTTPS, 30 s for lambda, 6 s (HTTP checks) or 10 s for NLB, 5 s for GENEVE.", duration(2, 120)),
            "healthy_threshold": d("2..10.", int(2, 10)),
            "unhealthy_threshold": d("2..10.", int(2, 10)),
            "matcher": d("HTTP codes (`200`, `200,202`, `200-299`): 200..499 for HTTP/HTTPS and lambda, 200..599 for TCP/TLS/UDP/TCP_UDP, 200..399 for GENEVE; or gRPC codes 0..99 with protocol_version GRPC.", matcher)
        })),
    )
}

pub(super) fn tg_attributes() -> Value {
    let cross_zone = json!({ "anyOf": [
        { "type": "boolean" },
        { "const": "inherit" },
        r("param")
    ]});
    let count_or_off = json!({ "anyOf": [{ "type": "integer", "minimum": 1 }, { "const": "off" }, r("digits"), r("param")] });
    let threshold = object(json!({ "count": count_or_off.clone(), "percent": count_or_off }));
    d(
        "Target group attributes. Those that do not apply to the protocol or load balancer type are validation errors.",
        object(json!({
            "deregistration_delay": d("0..3600 s.", duration(0, 3600)),
            "slow_start": d("0 or 30..900 s; HTTP/HTTPS only.", duration(0, 900)),
            "algorithm": d("round_robin|least_outstanding_requests|weighted_random; HTTP/HTTPS only.", word(&["round_robin", "least_outstanding_requests", "weighted_random"], false)),
            "anomaly_mitigation": d("Only with algorithm weighted_random.", r("bool")),
            "stickiness": r("tg_stickiness"),
            "cross_zone": d("true|false|inherit (= use_load_balancer_configuration).", cross_zone),
            "proxy_protocol_v2": d("NLB target groups.", r("bool")),
            "preserve_client_ip": d("NLB target groups.", r("bool")),
            "connection_termination": d("NLB target groups.", r("bool")),
            "target_failover": d("GENEVE target groups: both keys, the same value.", object(json!({
                "on_deregistration": word(&["rebalance", "no_rebalance"], false),
                "on_unhealthy": word(&["rebalance", "no_rebalance"], false)
            }))),
            "unhealthy_draining": d("NLB target groups: `interval` (0..360000 s) only with `connection_termination: false`.", object(json!({
                "connection_termination": r("bool"),
                "interval": duration(0, 360_000)
            }))),
            "health_thresholds": d("Minimum healthy targets (not GENEVE): `count` and `percent`, a number or `off`.", object(json!({
                "dns_failover": threshold.clone(),
                "unhealthy_routing": threshold
            }))),
            "lambda_multi_value_headers": d("lambda target groups.", r("bool")),
            "extra": r("extra")
        })),
    )
}

pub(super) fn tg_stickiness() -> Value {
    d(
        "Target group stickiness.",
        object(json!({
            "enabled": r("bool"),
            "type": d("lb_cookie|app_cookie (ALB), source_ip (NLB), source_ip_dest_ip|source_ip_dest_ip_proto (GWLB).", word(STICKINESS_TYPES, false)),
            "duration": d("Cookie types: 1 s..7 d.", duration(1, WEEK)),
            "cookie_name": d("app_cookie only.", string())
        })),
    )
}

pub(super) fn targets() -> Value {
    d(
        "The registered targets.",
        object(json!({
            "mode": d("exclusive (default): deregister what is not listed; additive: only register, never deregister.", word(&["exclusive", "additive"], false)),
            "list": { "type": "array", "items": r("target") }
        })),
    )
}

pub(super) fn target() -> Value {
    with(
        d(
            "A target: `id` (instance ID, IP address, Lambda or ALB ARN) or `instances` (every running instance with the tags).",
            object(json!({
                "id": r("text"),
                "instances": r("instance_selector"),
                "port": port(),
                "availability_zone": d("ip targets: a zone, or `all`.", string()),
                "quic_server_id": d("Targets of QUIC and TCP_QUIC target groups (required there, refused elsewhere): `0x` and 16 lowercase hex digits, unique per listener.", json!({ "type": "string", "pattern": "^0x[0-9a-f]{16}$" }))
            })),
        ),
        json!({ "oneOf": one_key_of(&["id", "instances"]) }),
    )
}
