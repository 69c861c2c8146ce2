//! SecureString values that text search cannot find (numbers, short
//! values) kept out of a saved plan's operations by place (see
//! `crate::secrets::Place`): each is replaced by a marker naming its
//! parameter, and put back, with its JSON type, when the plan is applied.

use serde_json::Value;

use crate::secrets::{as_text, Place};

use super::{marker, MARKER_START};

/// The marker of a value that is not a string (`30`, `true`).
fn typed_marker(name: &str) -> String {
    format!("{MARKER_START}{name} typed)")
}

/// Replace, in the operation of step (`kind`, `name`), the values that
/// stand at `places`.
pub(super) fn hide(op: &mut Value, kind: &str, name: &str, places: &[Place]) {
    for p in places
        .iter()
        .filter(|p| p.kind.as_str() == kind && p.step == name)
    {
        match &p.member {
            Some(m) => members(op, m, &mut |record| replace(record, p)),
            // A target's port: in the `{id, port}` objects only.
            None if p.key == "targets" => {
                let port = Place {
                    key: "port".into(),
                    ..p.clone()
                };
                targets(op, &mut |t| replace(t, &port));
            }
            None => replace(op, p),
        }
    }
}

/// Apply `f` to each record of `value` (an object with `set_identifier`)
/// whose label is `member` (`record` for a simple record).
fn members(value: &mut Value, member: &str, f: &mut impl FnMut(&mut Value)) {
    match value {
        Value::Object(map) if map.contains_key("set_identifier") => {
            let label = map["set_identifier"].as_str().unwrap_or("record");
            if label == member {
                f(value);
            }
        }
        Value::Object(map) => map.values_mut().for_each(|v| members(v, member, f)),
        Value::Array(items) => items.iter_mut().for_each(|v| members(v, member, f)),
        _ => {}
    }
}

/// Apply `f` to each target (`{id, port, ...}`) of `value`.
fn targets(value: &mut Value, f: &mut impl FnMut(&mut Value)) {
    match value {
        Value::Object(map) if map.contains_key("id") && map.contains_key("port") => f(value),
        Value::Object(map) => map.values_mut().for_each(|v| targets(v, f)),
        Value::Array(items) => items.iter_mut().for_each(|v| targets(v, f)),
        _ => {}
    }
}

/// Replace every value under key `p.key` that equals `p.text`.
fn replace(value: &mut Value, p: &Place) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if *k == p.key && as_text(v).as_deref() == Some(p.text.as_str()) {
                    *v = Value::String(match v {
                        Value::String(_) => marker(&p.parameter),
                        _ => typed_marker(&p.parameter),
                    });
                } else {
                    replace(v, p);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| replace(v, p)),
        _ => {}
    }
}

/// Put back the values of typed markers: `values` by SSM name, for the
/// parameters the saved plan lists. A marker of a parameter without a
/// value is left for `reveal` to report.
pub(super) fn reveal(
    value: &mut Value,
    listed: &[&String],
    values: &std::collections::BTreeMap<String, String>,
) {
    match value {
        Value::String(s) => {
            let found = listed.iter().find(|n| *s == typed_marker(n));
            let typed = found
                .and_then(|n| values.get(*n))
                .and_then(|v| serde_json::from_str::<Value>(v).ok());
            if let Some(v) = typed {
                *value = v;
            }
        }
        Value::Object(map) => map.values_mut().for_each(|v| reveal(v, listed, values)),
        Value::Array(items) => items.iter_mut().for_each(|v| reveal(v, listed, values)),
        _ => {}
    }
}
