//! Shapes shared by several sections: tags, tag maps, `extra` settings and
//! the tag and instance selectors.

use serde_json::{json, Value};

use super::{d, object, r, with};
use crate::model::STACK_TAG;

pub(super) fn tags() -> Value {
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

pub(super) fn tag_map() -> Value {
    json!({
        "description": "Tags to match: all must be present with these values.",
        "type": "object",
        "minProperties": 1,
        "additionalProperties": r("text")
    })
}

pub(super) fn extra() -> Value {
    json!({
        "description": "Raw attribute key/values for attributes lbctl does not model yet: only keys AWS takes for the load balancer type or target group protocol, and none a typed key sets.",
        "type": "object",
        "propertyNames": { "pattern": "^\\S+$" },
        "additionalProperties": r("text")
    })
}

pub(super) fn tag_selector() -> Value {
    with(
        d(
            "Everything with all these tags (resolved through EC2 at plan time).",
            object(json!({ "tags": r("tag_map") })),
        ),
        json!({ "required": ["tags"] }),
    )
}

pub(super) fn instance_selector() -> Value {
    with(
        d(
            "The running instances that have all these tags.",
            object(json!({ "tags": r("tag_map") })),
        ),
        json!({ "required": ["tags"] }),
    )
}
