//! Attribute-level changes: flattening model values into `path: value`
//! pairs and comparing two of them, for plan output.

use serde::Serialize;
use serde_json::Value;

use crate::model::{Attributes, Tags};
use crate::plan::Change;

/// Flatten a serialisable value into `(path, scalar)` pairs, skipping nulls
/// and empty collections. `prefix` is prepended to every path.
pub fn flatten(prefix: &str, value: &impl Serialize) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let value = serde_json::to_value(value).unwrap_or(Value::Null);
    walk(prefix, &value, &mut out);
    out
}

fn walk(path: &str, value: &Value, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if k == "target_groups" && forward_members(path, &p, v, out) {
                    continue;
                }
                // A health check's `matcher` is its codes, as in the spec.
                if let Some(codes) = matcher_codes(k, v) {
                    out.push((p, codes.clone()));
                    continue;
                }
                // A redirect's `status: 301`, not AWS's `HTTP_301`.
                let code = v.as_str().and_then(|s| s.strip_prefix("HTTP_"));
                if let (true, Some(Ok(n))) = (
                    k == "status" && path.ends_with("redirect"),
                    code.map(str::parse::<u16>),
                ) {
                    out.push((p, Value::from(n)));
                    continue;
                }
                walk(&p, v, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(&format!("{path}[{i}]"), v, out);
            }
        }
        scalar => out.push((path.to_string(), scalar.clone())),
    }
}

/// A forward's members (`{name, weight}` objects under `forward`) as the
/// spec reads them: a lone target group of weight 1 as
/// `forward: web`, others by name (`forward.target_groups.web.weight`),
/// not by position. False when `members` is not such a list.
fn forward_members(
    forward: &str,
    path: &str,
    members: &Value,
    out: &mut Vec<(String, Value)>,
) -> bool {
    let Some(items) = members.as_array() else {
        return false;
    };
    let named: Option<Vec<(&str, &Value)>> = items
        .iter()
        .map(|m| Some((m.get("name")?.as_str()?, m.get("weight")?)))
        .collect();
    let Some(named) = named.filter(|n| !n.is_empty()) else {
        return false;
    };
    if !forward.ends_with("forward") {
        return false;
    }
    match named.as_slice() {
        [(name, weight)] if weight.as_u64() == Some(1) => {
            out.push((forward.to_string(), Value::from(*name)));
        }
        _ => {
            for (name, weight) in named {
                out.push((format!("{path}.{name}.weight"), weight.clone()));
            }
        }
    }
    true
}

/// The codes of `matcher: { http_code | grpc_code: CODES }`.
fn matcher_codes<'v>(key: &str, v: &'v Value) -> Option<&'v Value> {
    let map = v.as_object().filter(|_| key == "matcher")?;
    match map.iter().next() {
        Some((k, codes)) if map.len() == 1 && (k == "http_code" || k == "grpc_code") => Some(codes),
        _ => None,
    }
}

/// Changes that turn `before` into `after`, path by path.
pub fn compare(prefix: &str, before: &impl Serialize, after: &impl Serialize) -> Vec<Change> {
    let before = flatten(prefix, before);
    let after = flatten(prefix, after);
    let mut changes = Vec::new();
    for (path, a) in &after {
        let b = before.iter().find(|(p, _)| p == path).map(|(_, v)| v);
        if b != Some(a) {
            changes.push(Change::new(path, b, a));
        }
    }
    for (path, b) in &before {
        if !after.iter().any(|(p, _)| p == path) {
            changes.push(Change::new(path, b, Value::Null));
        }
    }
    changes
}

/// Changes for a whole new resource: every set value, `before` null.
pub fn created(prefix: &str, value: &impl Serialize) -> Vec<Change> {
    flatten(prefix, value)
        .into_iter()
        .map(|(p, v)| Change::new(p, Value::Null, v))
        .collect()
}

/// What a delete destroys: one change per setting, `before` the live
/// value (by spec key), `after` null. Nulls and empty lists are left out.
pub fn deleted(settings: Vec<(&str, Value)>) -> Vec<Change> {
    settings
        .into_iter()
        .filter(|(_, v)| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()))
        .map(|(path, v)| Change::new(path, v, Value::Null))
        .collect()
}

/// The attributes the desired side sets that differ from live, and the
/// matching changes (paths in spec terms where known).
pub fn attributes(desired: &Attributes, live: &Attributes) -> (Attributes, Vec<Change>) {
    let mut set = Attributes::new();
    let mut changes = Vec::new();
    for (key, want) in desired {
        let have = live.get(key);
        if have != Some(want) {
            set.insert(key.clone(), want.clone());
            changes.push(Change::new(
                format!("attributes.{}", spec_attribute_name(key)),
                have,
                want,
            ));
        }
    }
    (set, changes)
}

/// Attribute and tag changes of a resource, appended to `all`; returns what
/// to send.
pub fn attributes_and_tags(
    want: (&Attributes, &Tags),
    have: (&Attributes, &Tags),
    all: &mut Vec<Change>,
) -> (Attributes, crate::plan::TagChange) {
    let (attributes, attr_changes) = self::attributes(want.0, have.0);
    all.extend(attr_changes);
    let (tags, tag_changes) = self::tags(want.1, have.1);
    all.extend(tag_changes);
    (attributes, tags)
}

/// The spec's name for an AWS attribute key, for plan output.
pub fn spec_attribute_name(key: &str) -> String {
    let name = match key {
        "deregistration_delay.timeout_seconds" => "deregistration_delay",
        "slow_start.duration_seconds" => "slow_start",
        "load_balancing.algorithm.type" => "algorithm",
        "load_balancing.algorithm.anomaly_mitigation" => "anomaly_mitigation",
        "stickiness.enabled" => "stickiness.enabled",
        "stickiness.type" => "stickiness.type",
        "stickiness.lb_cookie.duration_seconds" | "stickiness.app_cookie.duration_seconds" => {
            "stickiness.duration"
        }
        "stickiness.app_cookie.cookie_name" => "stickiness.cookie_name",
        "load_balancing.cross_zone.enabled" => "cross_zone",
        "proxy_protocol_v2.enabled" => "proxy_protocol_v2",
        "preserve_client_ip.enabled" => "preserve_client_ip",
        "deregistration_delay.connection_termination.enabled" => "connection_termination",
        "deletion_protection.enabled" => "deletion_protection",
        "idle_timeout.timeout_seconds" => "idle_timeout",
        "routing.http2.enabled" => "http2",
        "routing.http.drop_invalid_header_fields.enabled" => "drop_invalid_header_fields",
        "access_logs.s3.enabled" => "access_logs.enabled",
        "access_logs.s3.bucket" => "access_logs.bucket",
        "access_logs.s3.prefix" => "access_logs.prefix",
        other => {
            return crate::spec::typed_attrs::plan_name(other)
                .unwrap_or_else(|| format!("extra.\"{other}\""))
        }
    };
    name.to_string()
}

/// Tags to set and remove so that live tags become the desired ones. Keys
/// under `aws:` belong to AWS and are never touched.
pub fn tags(desired: &Tags, live: &Tags) -> (crate::plan::TagChange, Vec<Change>) {
    let mut change = crate::plan::TagChange::default();
    let mut changes = Vec::new();
    for (k, v) in desired {
        if live.get(k) != Some(v) {
            change.set.insert(k.clone(), v.clone());
            changes.push(Change::new(format!("tags.{k}"), live.get(k), v));
        }
    }
    for (k, v) in live {
        if !desired.contains_key(k) && !k.starts_with("aws:") {
            change.remove.push(k.clone());
            changes.push(Change::new(format!("tags.{k}"), v, Value::Null));
        }
    }
    (change, changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_reports_only_differences() {
        let before = serde_json::json!({"a": 1, "b": {"c": [1, 2]}, "gone": true});
        let after = serde_json::json!({"a": 1, "b": {"c": [1, 3]}, "new": "x"});
        let changes = compare("x", &before, &after);
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["x.b.c[1]", "x.new", "x.gone"]);
    }

    #[test]
    fn forward_members_go_by_name_and_a_lone_one_by_itself() {
        let one = serde_json::json!({"forward": {"target_groups": [{"name": "web", "weight": 1}]}});
        assert_eq!(
            flatten("default_action", &one),
            [("default_action.forward".to_string(), Value::from("web"))]
        );
        let two = serde_json::json!({"forward": {"target_groups": [
            {"name": "blue", "weight": 90}, {"name": "green", "weight": 10}
        ], "stickiness": 60}});
        let paths: Vec<String> = flatten("a", &two).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            [
                "a.forward.target_groups.blue.weight",
                "a.forward.target_groups.green.weight",
                "a.forward.stickiness"
            ]
        );
    }

    #[test]
    fn a_matcher_shows_as_its_codes() {
        let hc = serde_json::json!({"health_check": {"matcher": {"http_code": "200-299"}}});
        assert_eq!(
            flatten("", &hc),
            [("health_check.matcher".to_string(), Value::from("200-299"))]
        );
    }

    #[test]
    fn a_redirect_status_shows_as_the_spec_writes_it() {
        let a = serde_json::json!({"redirect": {"status": "HTTP_301"}});
        assert_eq!(
            flatten("default_action", &a),
            [(
                "default_action.redirect.status".to_string(),
                Value::from(301)
            )]
        );
    }

    #[test]
    fn aws_tags_are_never_removed() {
        let desired = Tags::from([("a".into(), "1".into())]);
        let live = Tags::from([
            ("a".into(), "1".into()),
            ("aws:cloudformation:stack-name".into(), "x".into()),
            ("old".into(), "y".into()),
        ]);
        let (change, _) = tags(&desired, &live);
        assert!(change.set.is_empty());
        assert_eq!(change.remove, ["old"]);
    }
}
