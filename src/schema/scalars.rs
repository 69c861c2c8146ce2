//! Scalar schemas: words (enums, any case), integers, durations, names,
//! patterns, ports, ID-or-tag selectors, and the `${param}` reference that
//! may stand wherever a scalar goes.

use serde_json::{json, Value};

use super::{r, with, NAME_PATTERN};

/// One of `values`, also as a parameter; `any_case` also accepts the words
/// in lower case (or any mix), as the parser upper-cases them.
pub(super) fn word(values: &[&str], any_case: bool) -> Value {
    let mut any = vec![json!({ "enum": values })];
    if any_case {
        any.push(json!({ "type": "string", "pattern": any_case_pattern(values) }));
    }
    any.push(r("param"));
    json!({ "anyOf": any })
}

/// `^(?:[Hh][Tt][Tt][Pp]|...)$`: JavaScript regexes (yaml-language-server)
/// have no inline case-insensitive flag.
pub(super) fn any_case_pattern(values: &[&str]) -> String {
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
pub(super) fn int(lo: i64, hi: i64) -> Value {
    json!({ "anyOf": [
        { "type": "integer", "minimum": lo, "maximum": hi },
        r("digits"),
        r("param")
    ]})
}

/// A duration whose seconds are in `lo..=hi` (checked for plain numbers;
/// `lbctl validate` checks the rest).
pub(super) fn duration(lo: i64, hi: i64) -> Value {
    json!({ "anyOf": [
        { "type": "integer", "minimum": lo, "maximum": hi },
        r("duration_text"),
        r("param")
    ]})
}

/// A string matching `pattern`, or a parameter.
pub(super) fn pattern(pattern: &str) -> Value {
    json!({ "anyOf": [
        { "type": "string", "pattern": pattern },
        r("param")
    ]})
}

pub(super) fn string() -> Value {
    json!({ "type": "string" })
}

/// A list of at least one `item`.
pub(super) fn list(item: Value) -> Value {
    json!({ "type": "array", "minItems": 1, "items": item })
}

/// A port number.
pub(super) fn port() -> Value {
    int(1, 65535)
}

/// A VPC, subnet or security group: an ID with `prefix`, or a tag selector.
pub(super) fn selector(prefix: &str) -> Value {
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
pub(super) fn name(noun: &str) -> Value {
    json!({
        "description": format!("The {noun}'s AWS name: 1 to 32 letters, digits and `-`, not starting or ending with `-`."),
        "pattern": NAME_PATTERN
    })
}

/// Load balancer names: also not starting with `internal-`.
pub(super) fn lb_name() -> Value {
    with(
        name("load balancer"),
        json!({ "not": { "pattern": "^internal-" } }),
    )
}

// ---------------------------------------------------------------- scalars

pub(super) fn param() -> Value {
    json!({
        "description": "A parameter reference, `${name}`, resolved at plan time (`$${` is a literal `${`).",
        "type": "string",
        "pattern": "\\$\\{[^}]+\\}"
    })
}

pub(super) fn text() -> Value {
    json!({
        "description": "Text; a number or boolean is read as text.",
        "type": ["string", "number", "boolean"]
    })
}

pub(super) fn boolean() -> Value {
    json!({ "anyOf": [{ "type": "boolean" }, r("param")] })
}

pub(super) fn digits() -> Value {
    json!({
        "description": "An integer written as a string.",
        "type": "string",
        "pattern": "^\\s*[+-]?[0-9]+\\s*$"
    })
}

pub(super) fn duration_text() -> Value {
    json!({
        "description": "A duration: seconds, or a number with a unit (`30s`, `5m`, `1h`, `1d`).",
        "type": "string",
        "pattern": "^\\s*[0-9]+\\s*[smhd]?\\s*$"
    })
}
