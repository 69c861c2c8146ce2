//! The JSON Schema (draft-07) of spec format v1, for editors: `lbctl
//! schema` prints it, and `docs/lbctl.schema.json` ships it for
//! yaml-language-server (see `docs/schema.md`).
//!
//! The schema mirrors `spec::raw` key for key: every mapping the parser
//! reads with `deny_unknown_fields` has `additionalProperties: false`, and
//! `tests/schema.rs` checks the key sets against the parser's own. Beyond
//! the shapes it also carries the checks that are cheap to express (enums,
//! ranges of plain integers, "exactly one of", required keys), so an
//! editor flags most mistakes as they are typed; `lbctl validate` remains
//! the authority and checks everything else (references between
//! resources, settings that depend on the protocol, ...).
//!
//! Conventions, as the parser reads the spec:
//! - inside `target_groups`, `load_balancers` and `dns`, a parameter
//!   reference (`"${name}"`) may stand wherever a scalar goes;
//! - integers may be written as strings of digits (`port: "8080"`);
//! - durations are seconds or a number with a unit (`30s`, `5m`, `1h`, `1d`);
//! - protocols, record types and a few other words are read in any case
//!   (`http` is `HTTP`); the enums list the canonical spelling.

use serde_json::{json, Map, Value};

use crate::model::STACK_TAG;

/// The draft the schema is written in (the one yaml-language-server
/// supports best).
pub const DRAFT: &str = "http://json-schema.org/draft-07/schema#";

/// AWS names of load balancers and target groups: 1 to 32 letters, digits
/// and `-`, not starting or ending with `-`.
pub const NAME_PATTERN: &str = "^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$";

const TG_PROTOCOLS: &[&str] = &["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"];
const ALB_PROTOCOLS: &[&str] = &["HTTP", "HTTPS"];
const NLB_PROTOCOLS: &[&str] = &["TCP", "TLS", "UDP", "TCP_UDP"];
const RECORD_TYPES: &[&str] = &[
    "A", "AAAA", "CNAME", "TXT", "MX", "SRV", "NS", "CAA", "PTR", "SPF", "NAPTR", "DS",
];
const CHECK_TYPES: &[&str] = &["HTTP", "HTTPS", "TCP", "HTTP_STR_MATCH", "HTTPS_STR_MATCH"];
const CONTINENTS: &[&str] = &["AF", "AN", "AS", "EU", "OC", "NA", "SA"];
const CONTENT_TYPES: &[&str] = &[
    "text/plain",
    "text/css",
    "text/html",
    "application/javascript",
    "application/json",
];
const ALPN_POLICIES: &[&str] = &[
    "HTTP1Only",
    "HTTP2Only",
    "HTTP2Optional",
    "HTTP2Preferred",
    "None",
];
const STICKINESS_TYPES: &[&str] = &[
    "lb_cookie",
    "app_cookie",
    "source_ip",
    "source_ip_dest_ip",
    "source_ip_dest_ip_proto",
];
/// Route 53's largest TTL.
const MAX_TTL: i64 = 2_147_483_647;
/// Seven days, the longest stickiness.
const WEEK: i64 = 604_800;

/// The whole schema.
pub fn schema() -> Value {
    json!({
        "$schema": DRAFT,
        "title": "lbctl spec, version 1",
        "description": "AWS load balancers (ELBv2) and Route 53 records as code. Several files may be given (`-f a.yaml -f b.yaml`) and merge into one spec; `stack` must be in at least one of them.",
        "type": "object",
        "properties": {
            "version": {
                "description": "Spec format version: must be 1.",
                "const": 1
            },
            "stack": {
                "description": "Owner of everything lbctl creates (tag `lbctl:stack`): 1 to 32 of a-z, 0-9 and `-`. Required in at least one file; repeated with the same value elsewhere.",
                "type": "string",
                "pattern": "^[a-z0-9-]{1,32}$"
            },
            "region": {
                "description": "AWS region; else --region, else the AWS config chain.",
                "type": "string"
            },
            "safety": safety(),
            "parameters": parameters(),
            "target_groups": {
                "description": "Target groups by AWS name.",
                "type": ["object", "null"],
                "propertyNames": name("target group"),
                "additionalProperties": r("target_group")
            },
            "load_balancers": {
                "description": "Load balancers by AWS name.",
                "type": ["object", "null"],
                "propertyNames": lb_name(),
                "additionalProperties": r("load_balancer")
            },
            "dns": {
                "description": "Route 53 hosted zones and the records lbctl manages in them.",
                "type": ["array", "null"],
                "items": r("zone")
            }
        },
        "required": ["version"],
        "additionalProperties": false,
        "definitions": definitions()
    })
}

/// The schema as `lbctl schema` prints it and `docs/lbctl.schema.json`
/// ships it: pretty JSON and a final newline.
pub fn to_pretty_string() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).expect("a JSON value serializes");
    text.push('\n');
    text
}

fn definitions() -> Value {
    let mut d = Map::new();
    let mut add = |name: &str, v: Value| {
        d.insert(name.to_string(), v);
    };
    // Scalars.
    add("param", param());
    add("text", text());
    add("bool", boolean());
    add("digits", digits());
    add("duration_text", duration_text());
    // Shared shapes.
    add("tags", tags());
    add("tag_map", tag_map());
    add("extra", extra());
    add("tag_selector", tag_selector());
    add("instance_selector", instance_selector());
    // Target groups.
    add("target_group", target_group());
    add("tg_health_check", tg_health_check());
    add("tg_attributes", tg_attributes());
    add("tg_stickiness", tg_stickiness());
    add("targets", targets());
    add("target", target());
    // Load balancers, listeners, rules.
    add("load_balancer", load_balancer());
    add("subnet_mapping", subnet_mapping());
    add("lb_attributes", lb_attributes());
    add("access_logs_to", access_logs_to());
    add("listener", listener());
    add("rule", rule());
    add("conditions", conditions());
    add("http_header", http_header());
    add("query_string", query_string());
    // Actions.
    add("action", action());
    add("forward_map", forward_map());
    add("weighted_target_group", weighted_target_group());
    add("redirect", redirect());
    add("fixed_response", fixed_response());
    // DNS.
    add("zone", zone());
    add("zone_map", zone_map());
    add("record", record());
    add("values", values());
    add("alias", alias());
    add("r53_health_check", r53_health_check());
    add("r53_managed_health_check", r53_managed_health_check());
    add("weighted_member", weighted_member());
    add("failover", failover());
    add("failover_member", failover_member());
    add("geolocation_member", geolocation_member());
    add("latency_member", latency_member());
    add("weighted_from_instances", weighted_from_instances());
    Value::Object(d)
}

// ---------------------------------------------------------------- helpers

/// A reference to a definition.
fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/definitions/{name}") })
}

/// `schema` with a description in front (also beside a `$ref`, where
/// editors show it and validators ignore it).
fn d(description: &str, schema: Value) -> Value {
    let mut m = Map::new();
    m.insert("description".into(), Value::from(description));
    if let Value::Object(rest) = schema {
        m.extend(rest);
    }
    Value::Object(m)
}

/// A mapping with exactly these keys allowed.
fn object(properties: Value) -> Value {
    json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false
    })
}

/// Add keywords to an object schema.
fn with(mut schema: Value, more: Value) -> Value {
    if let (Value::Object(m), Value::Object(more)) = (&mut schema, more) {
        m.extend(more);
    }
    schema
}

/// "Exactly one of these keys".
fn one_key_of(keys: &[&str]) -> Value {
    Value::Array(keys.iter().map(|k| json!({ "required": [k] })).collect())
}

/// One of `values`, also as a parameter; `any_case` also accepts the words
/// in lower case (or any mix), as the parser upper-cases them.
fn word(values: &[&str], any_case: bool) -> Value {
    let mut any = vec![json!({ "enum": values })];
    if any_case {
        any.push(json!({ "type": "string", "pattern": any_case_pattern(values) }));
    }
    any.push(r("param"));
    json!({ "anyOf": any })
}

/// `^(?:[Hh][Tt][Tt][Pp]|...)$`: JavaScript regexes (yaml-language-server)
/// have no inline case-insensitive flag.
fn any_case_pattern(values: &[&str]) -> String {
    let alts: Vec<String> = values
        .iter()
        .map(|v| {
            v.chars()
                .map(|c| {
                    if c.is_ascii_alphabetic() {
                        format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase())
                    } else if "^$\\.*+?()[]{}|/".contains(c) {
                        format!("\\{c}")
                    } else {
                        c.to_string()
                    }
                })
                .collect()
        })
        .collect();
    format!("^(?:{})$", alts.join("|"))
}

/// An integer in `lo..=hi`, also as a string of digits or a parameter.
fn int(lo: i64, hi: i64) -> Value {
    json!({ "anyOf": [
        { "type": "integer", "minimum": lo, "maximum": hi },
        r("digits"),
        r("param")
    ]})
}

/// A duration whose seconds are in `lo..=hi` (checked for plain numbers;
/// `lbctl validate` checks the rest).
fn duration(lo: i64, hi: i64) -> Value {
    json!({ "anyOf": [
        { "type": "integer", "minimum": lo, "maximum": hi },
        r("duration_text"),
        r("param")
    ]})
}

/// A string matching `pattern`, or a parameter.
fn pattern(pattern: &str) -> Value {
    json!({ "anyOf": [
        { "type": "string", "pattern": pattern },
        r("param")
    ]})
}

fn string() -> Value {
    json!({ "type": "string" })
}

/// A list of at least one `item`.
fn list(item: Value) -> Value {
    json!({ "type": "array", "minItems": 1, "items": item })
}

/// A port number.
fn port() -> Value {
    int(1, 65535)
}

/// A VPC, subnet or security group: an ID with `prefix`, or a tag selector.
fn selector(prefix: &str) -> Value {
    json!({ "anyOf": [
        {
            "description": format!("An ID (`{prefix}0123abcd`)."),
            "type": "string",
            "pattern": format!("^{prefix}.|\\$\\{{")
        },
        r("tag_selector")
    ]})
}

/// Target group names.
fn name(noun: &str) -> Value {
    json!({
        "description": format!("The {noun}'s AWS name: 1 to 32 letters, digits and `-`, not starting or ending with `-`."),
        "pattern": NAME_PATTERN
    })
}

/// Load balancer names: also not starting with `internal-`.
fn lb_name() -> Value {
    with(
        name("load balancer"),
        json!({ "not": { "pattern": "^internal-" } }),
    )
}

// ---------------------------------------------------------------- scalars

fn param() -> Value {
    json!({
        "description": "A parameter reference, `${name}`, resolved at plan time (`$${` is a literal `${`).",
        "type": "string",
        "pattern": "\\$\\{[^}]+\\}"
    })
}

fn text() -> Value {
    json!({
        "description": "Text; a number or boolean is read as text.",
        "type": ["string", "number", "boolean"]
    })
}

fn boolean() -> Value {
    json!({ "anyOf": [{ "type": "boolean" }, r("param")] })
}

fn digits() -> Value {
    json!({
        "description": "An integer written as a string.",
        "type": "string",
        "pattern": "^\\s*[+-]?[0-9]+\\s*$"
    })
}

fn duration_text() -> Value {
    json!({
        "description": "A duration: seconds, or a number with a unit (`30s`, `5m`, `1h`, `1d`).",
        "type": "string",
        "pattern": "^\\s*[0-9]+\\s*[smhd]?\\s*$"
    })
}

// --------------------------------------------------------- shared shapes

fn tags() -> Value {
    json!({
        "description": "Resource tags: at most 50; keys 1 to 128 characters, not `aws:...` nor `lbctl:stack`; values at most 256 characters.",
        "type": "object",
        "maxProperties": 50,
        "propertyNames": {
            "minLength": 1,
            "maxLength": 128,
            "not": { "anyOf": [
                { "pattern": "^[Aa][Ww][Ss]:" },
                { "const": STACK_TAG }
            ]}
        },
        "additionalProperties": {
            "type": ["string", "number", "boolean"],
            "maxLength": 256
        }
    })
}

fn tag_map() -> Value {
    json!({
        "description": "Tags to match: all must be present with these values.",
        "type": "object",
        "minProperties": 1,
        "additionalProperties": r("text")
    })
}

fn extra() -> Value {
    json!({
        "description": "Raw attribute key/values for attributes lbctl does not model yet.",
        "type": "object",
        "propertyNames": { "pattern": "^\\S+$" },
        "additionalProperties": r("text")
    })
}

fn tag_selector() -> Value {
    with(
        d(
            "Everything with all these tags (resolved through EC2 at plan time).",
            object(json!({ "tags": r("tag_map") })),
        ),
        json!({ "required": ["tags"] }),
    )
}

fn instance_selector() -> Value {
    with(
        d(
            "The running instances that have all these tags.",
            object(json!({ "tags": r("tag_map") })),
        ),
        json!({ "required": ["tags"] }),
    )
}

// ---------------------------------------------------------- target group

fn target_group() -> Value {
    let props = json!({
        "protocol": d("HTTP|HTTPS|TCP|TLS|UDP|TCP_UDP|GENEVE (not for lambda).", word(TG_PROTOCOLS, true)),
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

fn tg_health_check() -> Value {
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
            "timeout": d("2..120 s, less than the interval.", duration(2, 120)),
            "healthy_threshold": d("2..10.", int(2, 10)),
            "unhealthy_threshold": d("2..10.", int(2, 10)),
            "matcher": d("HTTP codes 200..499 (`200`, `200,202`, `200-299`), or gRPC codes 0..99 with protocol_version GRPC.", matcher)
        })),
    )
}

fn tg_attributes() -> Value {
    let cross_zone = json!({ "anyOf": [
        { "type": "boolean" },
        { "const": "inherit" },
        r("param")
    ]});
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
            "extra": r("extra")
        })),
    )
}

fn tg_stickiness() -> Value {
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

fn targets() -> Value {
    d(
        "The registered targets.",
        object(json!({
            "mode": d("exclusive (default): deregister what is not listed; additive: only register, never deregister.", word(&["exclusive", "additive"], false)),
            "list": { "type": "array", "items": r("target") }
        })),
    )
}

fn target() -> Value {
    with(
        d(
            "A target: `id` (instance ID, IP address, Lambda or ALB ARN) or `instances` (every running instance with the tags).",
            object(json!({
                "id": r("text"),
                "instances": r("instance_selector"),
                "port": port(),
                "availability_zone": d("ip targets: a zone, or `all`.", string())
            })),
        ),
        json!({ "oneOf": one_key_of(&["id", "instances"]) }),
    )
}

// --------------------------------------------------------- load balancer

fn load_balancer() -> Value {
    let props = json!({
        "type": d("application (default) | network | gateway.", word(&["application", "network", "gateway"], false)),
        "scheme": d("internet-facing (default) | internal (gateway: internal only).", word(&["internet-facing", "internal"], false)),
        "ip_address_type": d("ipv4|dualstack.", word(&["ipv4", "dualstack"], false)),
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
                            "drop_invalid_header_fields": false
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
                            "drop_invalid_header_fields": false
                        }},
                        "listeners": { "items": listener_of(NLB_PROTOCOLS) }
                    }}
                },
                {
                    "if": application,
                    "then": { "properties": {
                        "attributes": { "properties": { "cross_zone": false } },
                        "listeners": { "items": listener_of(ALB_PROTOCOLS) }
                    }}
                }
            ]
        }),
    )
}

fn subnet_mapping() -> Value {
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

fn lb_attributes() -> Value {
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
            "access_logs": d("`false` or `{ bucket: ..., prefix: ... }`.", access_logs),
            "extra": r("extra")
        })),
    )
}

fn access_logs_to() -> Value {
    with(
        object(json!({ "bucket": string(), "prefix": string() })),
        json!({ "required": ["bucket"] }),
    )
}

fn listener() -> Value {
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
                "protocol": d("HTTP|HTTPS (ALB), TCP|TLS|UDP|TCP_UDP (NLB), none for gateway.", word(&["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP"], true)),
                "certificates": d("HTTPS/TLS: certificate ARNs; the first is the default certificate, the rest are extra.", certificates),
                "ssl_policy": d("HTTPS/TLS security policy, e.g. ELBSecurityPolicy-TLS13-1-2-2021-06.", string()),
                "alpn_policy": d("TLS listeners only.", word(ALPN_POLICIES, false)),
                "default_action": r("action"),
                "rules": d("ALB only.", json!({ "type": "array", "items": r("rule") }))
            })),
        ),
        json!({ "required": ["default_action"] }),
    )
}

fn rule() -> Value {
    with(
        d(
            "A listener rule, identified by its priority.",
            object(json!({
                "priority": d("1..50000, unique per listener.", int(1, 50000)),
                "conditions": r("conditions"),
                "action": r("action")
            })),
        ),
        json!({ "required": ["priority", "conditions", "action"] }),
    )
}

fn conditions() -> Value {
    let values = |item: Value| json!({ "type": "array", "minItems": 1, "items": item });
    let value =
        json!({ "type": ["string", "number", "boolean"], "minLength": 1, "maxLength": 128 });
    with(
        d(
            "All given conditions must match (AND).",
            object(json!({
                "host_header": values(value.clone()),
                "path_pattern": values(value.clone()),
                "http_header": r("http_header"),
                "http_request_method": d("Upper case: GET, HEAD, ...", values(pattern("^[A-Z_-]{1,128}$"))),
                "query_string": values(r("query_string")),
                "source_ip": d("CIDR blocks, like 10.0.0.0/8.", values(pattern("^[0-9A-Fa-f:.]+/[0-9]{1,3}$")))
            })),
        ),
        json!({ "minProperties": 1 }),
    )
}

fn http_header() -> Value {
    with(
        object(json!({
            "name": r("text"),
            "values": { "type": "array", "minItems": 1, "items": r("text") }
        })),
        json!({ "required": ["name", "values"] }),
    )
}

fn query_string() -> Value {
    with(
        object(json!({ "key": r("text"), "value": r("text") })),
        json!({ "required": ["value"] }),
    )
}

// ---------------------------------------------------------------- actions

fn action() -> Value {
    let forward = json!({ "anyOf": [
        { "description": "A target group of the spec, by name.", "type": "string" },
        r("forward_map")
    ]});
    with(
        d(
            "An action: exactly one of `forward`, `redirect` or `fixed_response`.",
            object(json!({
                "forward": d("A target group name, `{ arn: ... }`, or weighted `{ target_groups: [...], stickiness: ... }`.", forward),
                "redirect": r("redirect"),
                "fixed_response": r("fixed_response")
            })),
        ),
        json!({ "oneOf": one_key_of(&["forward", "redirect", "fixed_response"]) }),
    )
}

fn forward_map() -> Value {
    with(
        object(json!({
            "arn": d("A target group outside the spec.", pattern("^arn:.*:targetgroup/")),
            "target_groups": d("1..5 target groups, weights 0..999.", json!({
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

fn weighted_target_group() -> Value {
    with(
        object(json!({
            "name": d("A target group of the spec.", string()),
            "arn": d("A target group outside the spec.", pattern("^arn:.*:targetgroup/")),
            "weight": d("0..999.", int(0, 999))
        })),
        json!({ "oneOf": one_key_of(&["name", "arn"]) }),
    )
}

fn redirect() -> Value {
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

fn fixed_response() -> Value {
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

// -------------------------------------------------------------------- dns

fn zone() -> Value {
    let zone = json!({ "anyOf": [
        { "description": "The hosted zone's name, like example.com.", "type": "string" },
        r("zone_map")
    ]});
    with(
        d(
            "A Route 53 hosted zone and the records lbctl manages in it.",
            object(json!({
                "zone": d("Hosted zone by name, `{ id: Z123 }`, or `{ name: ..., private: true }`.", zone),
                "records": { "type": ["array", "null"], "items": r("record") }
            })),
        ),
        json!({ "required": ["zone"] }),
    )
}

fn zone_map() -> Value {
    with(
        object(json!({
            "id": d("Hosted zone ID (`Z...` or `/hostedzone/Z...`).", string()),
            "name": string(),
            "private": d("A private zone (with `name`).", r("bool"))
        })),
        json!({
            "oneOf": one_key_of(&["id", "name"]),
            "dependencies": { "private": ["name"] }
        }),
    )
}

fn record() -> Value {
    let routing = [
        "values",
        "alias",
        "weighted",
        "failover",
        "geolocation",
        "latency",
        "weighted_from_instances",
    ];
    with(
        d(
            "A record set: (name, type) and exactly one of `values`, `alias`, `weighted`, `failover`, `geolocation`, `latency` or `weighted_from_instances`. lbctl owns every record set of that name and type.",
            object(json!({
                "name": d("Relative to the zone; `@` is the apex; a trailing dot means absolute.", r("text")),
                "type": d("A|AAAA|CNAME|TXT|MX|SRV|NS|CAA|PTR|SPF|NAPTR|DS.", word(RECORD_TYPES, true)),
                "ttl": d("Not on alias records.", duration(0, MAX_TTL)),
                "values": r("values"),
                "alias": r("alias"),
                "weighted": d("One Route 53 record per member, weights 0..255.", list(r("weighted_member"))),
                "failover": r("failover"),
                "geolocation": d("Members by continent, country or subdivision; `country: \"*\"` is the default.", list(r("geolocation_member"))),
                "latency": d("Members by AWS region.", list(r("latency_member"))),
                "weighted_from_instances": r("weighted_from_instances")
            })),
        ),
        json!({
            "required": ["name", "type"],
            "oneOf": one_key_of(&routing)
        }),
    )
}

fn values() -> Value {
    d(
        "The record's values (A: IPv4 addresses, AAAA: IPv6 addresses, CNAME: one name).",
        list(r("text")),
    )
}

fn alias() -> Value {
    with(
        d(
            "`{ load_balancer: NAME }` (DNS name and zone ID come from the load balancer) or `{ dns_name: ..., hosted_zone_id: ... }`.",
            object(json!({
                "load_balancer": d("A load balancer of the spec.", string()),
                "dns_name": string(),
                "hosted_zone_id": d("The target's hosted zone ID (with `dns_name`).", string()),
                "evaluate_target_health": r("bool")
            })),
        ),
        json!({
            "oneOf": [
                { "required": ["load_balancer"] },
                { "required": ["dns_name", "hosted_zone_id"] }
            ],
            "dependencies": { "hosted_zone_id": ["dns_name"] }
        }),
    )
}

fn r53_health_check() -> Value {
    d(
        "An existing Route 53 health check ID, or one lbctl creates and manages.",
        json!({ "anyOf": [
            { "type": "string", "minLength": 1 },
            r("r53_managed_health_check")
        ]}),
    )
}

fn r53_managed_health_check() -> Value {
    let interval = json!({ "anyOf": [
        { "enum": [10, 30] },
        { "type": "string", "pattern": "^\\s*(10|30)\\s*s?\\s*$" },
        r("param")
    ]});
    with(
        object(json!({
            "type": d("HTTP|HTTPS|TCP|HTTP_STR_MATCH|HTTPS_STR_MATCH.", word(CHECK_TYPES, true)),
            "fqdn": string(),
            "ip_address": string(),
            "port": d("Required for TCP.", port()),
            "path": d("HTTP(S): starts with `/`.", pattern("^/")),
            "interval": d("10 or 30 s.", interval),
            "failure_threshold": d("1..10.", int(1, 10))
        })),
        json!({
            "required": ["type"],
            "anyOf": [{ "required": ["fqdn"] }, { "required": ["ip_address"] }],
            "if": {
                "properties": { "type": { "pattern": "^[Tt][Cc][Pp]$" } },
                "required": ["type"]
            },
            "then": {
                "required": ["port"],
                "properties": { "path": false }
            }
        }),
    )
}

/// What every member of a routing policy takes: values or an alias, and a
/// health check.
fn member(description: &str, own: Value, required: &[&str]) -> Value {
    let mut props = own;
    if let Value::Object(m) = &mut props {
        m.insert("values".into(), r("values"));
        m.insert("alias".into(), r("alias"));
        m.insert("health_check".into(), r("r53_health_check"));
    }
    let mut extra = json!({ "oneOf": one_key_of(&["values", "alias"]) });
    if !required.is_empty() {
        extra["required"] = json!(required);
    }
    with(d(description, object(props)), extra)
}

fn weighted_member() -> Value {
    member(
        "A weighted member: `id`, `weight`, and `values` or `alias`.",
        json!({
            "id": d("Set identifier, unique in the record set.", r("text")),
            "weight": d("0..255.", int(0, 255))
        }),
        &["id", "weight"],
    )
}

fn failover() -> Value {
    with(
        d(
            "Failover: set identifiers default to primary/secondary.",
            object(json!({
                "primary": r("failover_member"),
                "secondary": r("failover_member")
            })),
        ),
        json!({ "required": ["primary", "secondary"] }),
    )
}

fn failover_member() -> Value {
    member(
        "A failover member: `values` or `alias`.",
        json!({ "id": d("Set identifier (default primary/secondary).", r("text")) }),
        &[],
    )
}

fn geolocation_member() -> Value {
    with(
        member(
            "A geolocation member: `id`, `continent` or `country` (with an optional `subdivision`), and `values` or `alias`.",
            json!({
                "id": d("Set identifier, unique in the record set.", r("text")),
                "continent": d("AF|AN|AS|EU|OC|NA|SA.", word(CONTINENTS, true)),
                "country": d("A two-letter ISO 3166 code, or `*` for the default location.", pattern("^\\s*(\\*|[A-Za-z]{2})\\s*$")),
                "subdivision": d("With `country`: 1 to 3 letters or digits.", r("text"))
            }),
            &["id"],
        ),
        json!({
            "anyOf": one_key_of(&["continent", "country"]),
            "not": { "required": ["continent", "country"] },
            "dependencies": { "subdivision": ["country"] }
        }),
    )
}

fn latency_member() -> Value {
    member(
        "A latency member: `id`, `region`, and `values` or `alias`.",
        json!({
            "id": d("Set identifier, unique in the record set.", r("text")),
            "region": d("The AWS region the target runs in, like us-east-1.", pattern("^[a-z]{2}(-[a-z]+)+-[0-9]+$"))
        }),
        &["id", "region"],
    )
}

fn weighted_from_instances() -> Value {
    with(
        d(
            "One weighted member per running instance (A records; set identifier = instance ID).",
            object(json!({
                "instances": r("instance_selector"),
                "address": d("carrier|public|private.", word(&["carrier", "public", "private"], true)),
                "weight": d("0..255, the weight of each instance's record.", int(0, 255))
            })),
        ),
        json!({ "required": ["instances", "address", "weight"] }),
    )
}

// ----------------------------------------------------------------- safety

fn safety() -> Value {
    let share = |what: &str| {
        d(
            &format!("Largest share of {what} one apply may remove without --force: `30%` (or `30`), 0% to 100%."),
            json!({ "anyOf": [
                { "type": "number", "minimum": 0, "maximum": 100 },
                { "type": "string", "pattern": "^\\s*[0-9]+(\\.[0-9]+)?\\s*%?\\s*$" }
            ]}),
        )
    };
    d(
        "Thresholds apply refuses to pass without --force; flags win over them. At most one file gives this section; parameters are not used here.",
        object(json!({
            "max_delete_share": share("the target groups and load balancers the stack owns (default 30%)"),
            "max_record_delete_share": share("the record sets the stack owns (default 30%)"),
            "max_target_removal_share": share("one target group's registered targets (default 50%)"),
            "max_weight_removal_share": share("the traffic weight of one weighted record set or forward (default 50%)"),
            "allow_load_balancer_delete": {
                "description": "Whether a load balancer may be deleted or replaced at all (default false).",
                "type": "boolean"
            }
        })),
    )
}

// ------------------------------------------------------------- parameters

fn parameters() -> Value {
    let value = with(
        d(
            "A literal.",
            object(json!({ "value": { "type": ["string", "number", "boolean"] } })),
        ),
        json!({ "required": ["value"] }),
    );
    let ssm = with(
        d(
            "An SSM Parameter Store parameter (String or SecureString); SecureString values are never shown.",
            object(json!({ "ssm": {
                "description": "Parameter name or ARN.",
                "type": "string",
                "pattern": "^[A-Za-z0-9_./:-]{1,2048}$"
            }})),
        ),
        json!({ "required": ["ssm"] }),
    );
    json!({
        "description": "Values resolved at plan time, used as `${name}` wherever a scalar goes.",
        "type": ["object", "null"],
        "propertyNames": { "pattern": "^[A-Za-z0-9_.-]+$" },
        "additionalProperties": { "oneOf": [value, ssm] }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_case_patterns_spell_every_case() {
        assert_eq!(
            any_case_pattern(&["TCP_UDP", "#{protocol}"]),
            "^(?:[Tt][Cc][Pp]_[Uu][Dd][Pp]|#\\{[Pp][Rr][Oo][Tt][Oo][Cc][Oo][Ll]\\})$"
        );
    }

    #[test]
    fn every_reference_is_defined() {
        fn walk(v: &Value, defs: &Map<String, Value>) {
            match v {
                Value::Object(m) => {
                    if let Some(Value::String(target)) = m.get("$ref") {
                        let name = target.strip_prefix("#/definitions/").unwrap();
                        assert!(defs.contains_key(name), "undefined {target}");
                    }
                    m.values().for_each(|v| walk(v, defs));
                }
                Value::Array(a) => a.iter().for_each(|v| walk(v, defs)),
                _ => {}
            }
        }
        let s = schema();
        let defs = s["definitions"].as_object().unwrap();
        walk(&s, defs);
    }
}
