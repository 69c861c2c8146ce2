//! Schema of rule condition values and rule transforms: the wildcard
//! `values` or `regex` of a host, path or header condition, and the
//! `transforms` of a rule (`host_header_rewrite`, `url_rewrite`).

use serde_json::{json, Value};

use super::{d, object, r, with};

/// A list of 1 to 3 condition values (each 1 to 128 characters).
pub(super) fn value_list() -> Value {
    let value =
        json!({ "type": ["string", "number", "boolean"], "minLength": 1, "maxLength": 128 });
    json!({ "type": "array", "minItems": 1, "maxItems": 3, "items": value })
}

/// `[values...]`, `{ values: [...] }` or `{ regex: [...] }`.
pub(super) fn patterns() -> Value {
    let map = with(
        object(json!({
            "values": d("Wildcard values (`*`, `?`); any matches.", value_list()),
            "regex": d("Regular expressions (AWS RegexValues); any matches.", value_list())
        })),
        json!({ "oneOf": [ { "required": ["values"] }, { "required": ["regex"] } ] }),
    );
    d(
        "Wildcard values (a list, or `values: [...]`) or `regex: [...]`, not both.",
        json!({ "anyOf": [value_list(), map] }),
    )
}

/// A rule's `transforms`.
pub(super) fn transforms() -> Value {
    with(
        d(
            "Rewrites applied before the action; left out, live ones are removed.",
            object(json!({
                "host_header_rewrite": d("Rewrite of the Host header.", r("rewrite")),
                "url_rewrite": d("Rewrite of the request URL.", r("rewrite"))
            })),
        ),
        json!({ "minProperties": 1 }),
    )
}

/// One rewrite: `{ regex, replace }`.
pub(super) fn rewrite() -> Value {
    let text = |what: &str| {
        d(
            what,
            json!({ "type": ["string", "number"], "maxLength": 1024 }),
        )
    };
    with(
        object(json!({
            "regex": text("Regular expression to match (at most 1,024 characters)."),
            "replace": text("Replacement; `$1`, `$2` for groups (at most 1,024 characters).")
        })),
        json!({ "required": ["regex", "replace"] }),
    )
}
