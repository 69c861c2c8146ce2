//! The typed attributes of the December 2026 additions, written from live
//! attributes: only on the load balancer types and target group kinds AWS
//! takes them for, only with values `validate` accepts (so the export
//! validates), and never again under `extra` (`emit::extra` leaves out
//! every key a typed key sets).

use serde_json::{json, Value};

use super::emit::{duration, parse_bool, put, Obj};
use crate::model::Attributes;
use crate::spec::aws_attributes::{self as table, check_value, TgKind};
use crate::spec::typed_attrs::{tg_key, LB_LOGS, LB_SCALARS};

/// A live value for `key` that AWS takes for this type and that fits its shape.
fn lb_value<'a>(a: &'a Attributes, key: &str, ty: &str) -> Option<&'a str> {
    let row = table::lb_attr(key)?;
    let v = a.get(key)?;
    (row.types.contains(&ty) && check_value(row.shape, v).is_ok()).then_some(v.as_str())
}

/// Load balancer typed keys into `o` (the `attributes` object).
pub(super) fn load_balancer(a: &Attributes, ty: &str, o: &mut Obj) {
    for (name, key) in LB_SCALARS {
        let Some(v) = lb_value(a, key, ty) else {
            continue;
        };
        let value = match table::lb_attr(key).map(|r| r.shape) {
            Some(table::Shape::Bool) => json!(parse_bool(v)),
            _ if *name == "client_keep_alive" => duration(v.parse().unwrap_or_default()),
            _ => json!(v),
        };
        put(o, name, value);
    }
    for (name, prefix) in LB_LOGS {
        let on = lb_value(a, &format!("{prefix}.enabled"), ty).and_then(parse_bool);
        let bucket = lb_value(a, &format!("{prefix}.bucket"), ty).filter(|b| !b.is_empty());
        if let (Some(true), Some(bucket)) = (on, bucket) {
            let mut logs = Obj::new();
            put(&mut logs, "bucket", bucket);
            if let Some(p) = lb_value(a, &format!("{prefix}.prefix"), ty).filter(|p| !p.is_empty())
            {
                put(&mut logs, "prefix", p);
            }
            put(o, name, Value::Object(logs));
        }
    }
}

/// A live value for the typed target group key at `path`, if it applies.
fn tg_value<'a>(a: &'a Attributes, path: &str, kind: &TgKind) -> Option<&'a str> {
    let key = tg_key(path);
    let row = table::tg_attr(key)?;
    let v = a.get(key)?;
    (kind.takes(row.scope) && check_value(row.shape, v).is_ok()).then_some(v.as_str())
}

/// A count or percentage: a number, or `off`.
fn number_or_off(v: &str) -> Value {
    v.parse::<u64>()
        .map(|n| json!(n))
        .unwrap_or_else(|_| json!(v))
}

/// Target group typed keys into `o` (the `attributes` object).
pub(super) fn target_group(a: &Attributes, kind: &TgKind, o: &mut Obj) {
    let dereg = tg_value(a, "target_failover.on_deregistration", kind);
    let unhealthy = tg_value(a, "target_failover.on_unhealthy", kind);
    if let (Some(d), Some(u)) = (dereg, unhealthy) {
        if d == u {
            put(
                o,
                "target_failover",
                json!({ "on_deregistration": d, "on_unhealthy": u }),
            );
        }
    }
    let mut draining = Obj::new();
    let term = tg_value(a, "unhealthy_draining.connection_termination", kind).and_then(parse_bool);
    if let Some(t) = term {
        put(&mut draining, "connection_termination", t);
    }
    if let Some(i) = tg_value(a, "unhealthy_draining.interval", kind).filter(|_| term != Some(true))
    {
        put(
            &mut draining,
            "interval",
            duration(i.parse().unwrap_or_default()),
        );
    }
    if !draining.is_empty() {
        put(o, "unhealthy_draining", Value::Object(draining));
    }
    let mut thresholds = Obj::new();
    for group in ["dns_failover", "unhealthy_routing"] {
        let mut t = Obj::new();
        for field in ["count", "percent"] {
            if let Some(v) = tg_value(a, &format!("health_thresholds.{group}.{field}"), kind) {
                put(&mut t, field, number_or_off(v));
            }
        }
        if !t.is_empty() {
            put(&mut thresholds, group, Value::Object(t));
        }
    }
    if !thresholds.is_empty() {
        put(o, "health_thresholds", Value::Object(thresholds));
    }
    if let Some(v) = tg_value(a, "lambda_multi_value_headers", kind).and_then(parse_bool) {
        put(o, "lambda_multi_value_headers", v);
    }
}
