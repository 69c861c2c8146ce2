//! `dns`: hosted zones, the records lbctl manages in them (values, aliases,
//! routing policies) and Route 53 health checks.

use serde_json::{json, Value};

use super::scalars::{any_case_pattern, duration, int, list, pattern, port, string, word};
use super::{d, object, one_key_of, r, with, MAX_TTL};
use crate::model::dns::HEALTH_CHECK_REGIONS;
use crate::model::vocab::{Continent, HealthCheckType, RecordType};

pub(super) fn zone() -> Value {
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

pub(super) fn zone_map() -> Value {
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

pub(super) fn record() -> Value {
    let routing = [
        "values",
        "alias",
        "weighted",
        "failover",
        "geolocation",
        "latency",
        "multivalue",
        "geoproximity",
        "cidr",
        "weighted_from_instances",
    ];
    with(
        d(
            "A record set: (name, type) and exactly one of `values`, `alias`, `weighted`, `failover`, `geolocation`, `latency`, `multivalue`, `geoproximity`, `cidr` or `weighted_from_instances`. lbctl owns every record set of that name and type.",
            object(json!({
                "name": d("Relative to the zone; `@` is the apex; a trailing dot means absolute.", r("text")),
                "type": d(&format!("{}.", RecordType::spec_names().join("|")), word(&RecordType::spec_names(), true)),
                "ttl": d("Not on alias records.", duration(0, MAX_TTL)),
                "values": r("values"),
                "alias": r("alias"),
                "weighted": d("One Route 53 record per member, weights 0..255.", list(r("weighted_member"))),
                "failover": r("failover"),
                "geolocation": d("Members by continent, country or subdivision; `country: \"*\"` is the default.", list(r("geolocation_member"))),
                "latency": d("Members by AWS region.", list(r("latency_member"))),
                "multivalue": d("Multivalue answer members (values, no aliases); Route 53 answers with up to 8 healthy ones.", list(r("multivalue_member"))),
                "geoproximity": d("Members by AWS region, Local Zone group or coordinates, with a bias.", list(r("geoproximity_member"))),
                "cidr": r("cidr"),
                "weighted_from_instances": r("weighted_from_instances")
            })),
        ),
        json!({
            "required": ["name", "type"],
            "oneOf": one_key_of(&routing)
        }),
    )
}

pub(super) fn values() -> Value {
    d(
        "The record's values (A: IPv4 addresses, AAAA: IPv6 addresses, CNAME: one name).",
        list(r("text")),
    )
}

pub(super) fn alias() -> Value {
    with(
        d(
            "`{ load_balancer: NAME }` (DNS name and zone ID come from the load balancer), `{ record: NAME }` (another record set of this zone) or `{ dns_name: ..., hosted_zone_id: ... }`.",
            object(json!({
                "load_balancer": d("A load balancer of the spec.", string()),
                "record": d("A record set of this zone, relative (`www`) or `@`; same type as the alias.", r("text")),
                "type": d("The target record's type (the alias's own type when left out).", word(&RecordType::spec_names(), true)),
                "dns_name": string(),
                "hosted_zone_id": d("The target's hosted zone ID (with `dns_name`).", string()),
                "evaluate_target_health": r("bool")
            })),
        ),
        json!({
            "oneOf": [
                { "required": ["load_balancer"] },
                { "required": ["record"] },
                { "required": ["dns_name", "hosted_zone_id"] }
            ],
            "dependencies": { "hosted_zone_id": ["dns_name"], "type": ["record"] }
        }),
    )
}

pub(super) fn r53_health_check() -> Value {
    d(
        "An existing Route 53 health check ID, or one lbctl creates and manages.",
        json!({ "anyOf": [
            { "type": "string", "minLength": 1 },
            r("r53_managed_health_check")
        ]}),
    )
}

pub(super) fn r53_managed_health_check() -> Value {
    let interval = json!({ "anyOf": [
        { "enum": [10, 30] },
        { "type": "string", "pattern": "^\\s*(10|30)\\s*s?\\s*$" },
        r("param")
    ]});
    let types = HealthCheckType::spec_names();
    let endpoints = HealthCheckType::endpoint_names();
    let string_matching: Vec<&str> = HealthCheckType::ALL
        .iter()
        .filter(|t| t.matches_string())
        .map(|t| t.aws_name())
        .collect();
    let is = |values: &[&str]| {
        json!({
            "properties": { "type": { "pattern": any_case_pattern(values) } },
            "required": ["type"]
        })
    };
    let regions = json!({
        "type": "array",
        "items": { "enum": HEALTH_CHECK_REGIONS },
        "minItems": 3,
        "uniqueItems": true
    });
    with(
        object(json!({
            "type": d(
                "HTTP|HTTPS|TCP|HTTP_STR_MATCH|HTTPS_STR_MATCH, or calculated|cloudwatch_alarm|recovery_control.",
                word(&types, true)
            ),
            "fqdn": string(),
            "ip_address": string(),
            "port": d("Required for TCP.", port()),
            "path": d("HTTP(S): starts with `/`.", pattern("^/")),
            "interval": d("10 or 30 s; cannot change in place.", interval),
            "failure_threshold": d("1..10.", int(1, 10)),
            "search_string": d("Required for *_STR_MATCH: text the response body must contain.",
                json!({ "type": "string", "minLength": 1, "maxLength": 255 })),
            "regions": d("At least 3 health checker regions; all when left out.", regions),
            "inverted": d("Healthy when the check fails.", r("bool")),
            "disabled": d("Route 53 considers a disabled check healthy.", r("bool")),
            "enable_sni": d("HTTPS checks; on by default.", r("bool")),
            "measure_latency": d("Endpoint checks; cannot change in place.", r("bool")),
            "children": d("calculated: the health checks it adds up.",
                json!({ "type": "array", "items": r("r53_health_check"), "minItems": 1, "maxItems": 256 })),
            "healthy_threshold": d("calculated: children that must be healthy, 0..256.", int(0, 256)),
            "alarm": d("cloudwatch_alarm: the alarm watched.", with(
                object(json!({ "name": string(), "region": string() })),
                json!({ "required": ["name", "region"] })
            )),
            "insufficient_data": d("cloudwatch_alarm.", word(&["healthy", "unhealthy", "last_known"], false)),
            "routing_control": d("recovery_control: the routing control's ARN.", pattern("^arn:"))
        })),
        json!({
            "required": ["type"],
            "allOf": [
                { "if": is(&endpoints), "then": { "anyOf": [{ "required": ["fqdn"] }, { "required": ["ip_address"] }] } },
                { "if": is(&["TCP"]), "then": { "required": ["port"], "properties": { "path": false } } },
                { "if": is(&string_matching), "then": { "required": ["search_string"] } },
                { "if": is(&["calculated"]), "then": { "required": ["children", "healthy_threshold"] } },
                { "if": is(&["cloudwatch_alarm"]), "then": { "required": ["alarm"] } },
                { "if": is(&["recovery_control"]), "then": { "required": ["routing_control"] } }
            ]
        }),
    )
}

/// What every member of a routing policy takes: values or an alias, and a
/// health check.
pub(super) fn member(description: &str, own: Value, required: &[&str]) -> Value {
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

pub(super) fn weighted_member() -> Value {
    member(
        "A weighted member: `id`, `weight`, and `values` or `alias`.",
        json!({
            "id": d("Set identifier, unique in the record set.", r("text")),
            "weight": d("0..255.", int(0, 255))
        }),
        &["id", "weight"],
    )
}

pub(super) fn failover() -> Value {
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

pub(super) fn failover_member() -> Value {
    member(
        "A failover member: `values` or `alias`.",
        json!({ "id": d("Set identifier (default primary/secondary).", r("text")) }),
        &[],
    )
}

pub(super) fn geolocation_member() -> Value {
    with(
        member(
            "A geolocation member: `id`, `continent` or `country` (with an optional `subdivision`), and `values` or `alias`.",
            json!({
                "id": d("Set identifier, unique in the record set.", r("text")),
                "continent": d("AF|AN|AS|EU|OC|NA|SA.", word(&Continent::spec_names(), true)),
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

pub(super) fn latency_member() -> Value {
    member(
        "A latency member: `id`, `region`, and `values` or `alias`.",
        json!({
            "id": d("Set identifier, unique in the record set.", r("text")),
            "region": d("The AWS region the target runs in, like us-east-1.", pattern("^[a-z]{2}(-[a-z]+)+-[0-9]+$"))
        }),
        &["id", "region"],
    )
}

pub(super) fn weighted_from_instances() -> Value {
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
