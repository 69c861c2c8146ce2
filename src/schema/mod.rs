//! The JSON Schema (draft-07) of spec format v1, for editors: `lbctl
//! schema` prints it, and `docs/lbctl.schema.json` ships it for
//! yaml-language-server (see `docs/schema.md`).
//!
//! The schema mirrors `spec::raw` key for key: every mapping the parser
//! reads with `deny_unknown_fields` has `additionalProperties: false`, and
//! `tests/it/schema.rs` checks the key sets against the parser's own. Beyond
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

mod auth;
mod conditions;
mod dns;
mod load_balancer;
mod scalars;
mod shapes;
mod target_group;
#[cfg(test)]
mod tests;

use dns::{
    alias, failover, failover_member, geolocation_member, latency_member, r53_health_check,
    r53_managed_health_check, record, values, weighted_from_instances, weighted_member, zone,
    zone_map,
};
use load_balancer::{
    access_logs_to, action, conditions, fixed_response, forward_map, http_header, lb_attributes,
    listener, load_balancer, query_string, redirect, rule, subnet_mapping, weighted_target_group,
};
use scalars::{boolean, digits, duration_text, lb_name, name, param, text};
use shapes::{extra, instance_selector, tag_map, tag_selector, tags};
use target_group::{target, target_group, targets, tg_attributes, tg_health_check, tg_stickiness};

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
    add("patterns", conditions::patterns());
    add("transforms", conditions::transforms());
    add("rewrite", conditions::rewrite());
    // Actions.
    add("action", action());
    add("forward_map", forward_map());
    add("weighted_target_group", weighted_target_group());
    add("redirect", redirect());
    add("fixed_response", fixed_response());
    add("authenticate", auth::authenticate());
    add("oidc", auth::oidc());
    add("cognito", auth::cognito());
    add("jwt_validation", auth::jwt_validation());
    add("jwt_claim", auth::jwt_claim());
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
