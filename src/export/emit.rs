//! The JSON-building helpers every part of an export shares: inserting
//! keys (leaving out empty objects), tags a spec may give, durations with
//! units, and the parsing of AWS attribute strings.
//!
//! Objects are `serde_json` maps, so keys keep the order they are put in.

use serde_json::{json, Map, Value};

use crate::diff::spec_attribute_name;
use crate::model::{Attributes, Tags, STACK_TAG};

pub(super) type Obj = Map<String, Value>;

pub(super) fn put(o: &mut Obj, key: &str, v: impl Into<Value>) {
    o.insert(key.to_string(), v.into());
}

pub(super) fn put_obj(o: &mut Obj, key: &str, v: Obj) {
    if !v.is_empty() {
        o.insert(key.to_string(), Value::Object(v));
    }
}

/// Tags a spec may give: not the stack tag, not AWS's own.
pub(super) fn tags(t: &Tags) -> Obj {
    t.iter()
        .filter(|(k, _)| *k != STACK_TAG && !k.to_ascii_lowercase().starts_with("aws:"))
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect()
}

/// Durations of a day or an hour multiple in units, else seconds.
pub(super) fn duration(secs: u64) -> Value {
    match secs {
        0 => json!(0),
        s if s % 86_400 == 0 => json!(format!("{}d", s / 86_400)),
        s if s % 3_600 == 0 => json!(format!("{}h", s / 3_600)),
        s => json!(s),
    }
}

pub(super) fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

pub(super) fn in_range(v: Option<&String>, lo: u64, hi: u64) -> Option<u64> {
    v.and_then(|s| s.parse::<u64>().ok())
        .filter(|n| (lo..=hi).contains(n))
}

/// Attributes the spec does not model, with a value to set.
pub(super) fn extra(a: &Attributes) -> Obj {
    a.iter()
        .filter(|(k, v)| {
            spec_attribute_name(k).starts_with("extra.")
                && !v.is_empty()
                && !k.is_empty()
                && !k.contains(char::is_whitespace)
        })
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect()
}
