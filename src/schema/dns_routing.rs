//! `dns` record members of the December 2026 routing kinds: multivalue
//! answer and geoproximity.

use serde_json::{json, Value};

use super::dns::member;
use super::scalars::{int, list, pattern, string};
use super::{d, object, one_key_of, r, with};

pub(super) fn multivalue_member() -> Value {
    with(
        d(
            "A multivalue answer member: `id`, `values` and an optional health check (no aliases).",
            object(json!({
                "id": d("Set identifier, unique in the record set.", r("text")),
                "values": r("values"),
                "health_check": r("r53_health_check")
            })),
        ),
        json!({ "required": ["id", "values"] }),
    )
}

pub(super) fn cidr_collection() -> Value {
    with(
        d(
            "A CIDR collection: location name -> CIDR blocks.",
            object(json!({
                "locations": {
                    "type": "object",
                    "propertyNames": { "pattern": "^[0-9A-Za-z_-]{1,16}$" },
                    "additionalProperties": { "type": "array", "minItems": 1, "items": r("text") }
                }
            })),
        ),
        json!({ "required": ["locations"] }),
    )
}

pub(super) fn cidr() -> Value {
    with(
        d(
            "CIDR routing: a collection of `cidr_collections:` and one member per location (`*`: every other client).",
            object(json!({
                "collection": d("A collection of the top-level `cidr_collections:`.", string()),
                "members": list(r("cidr_member"))
            })),
        ),
        json!({ "required": ["collection", "members"] }),
    )
}

pub(super) fn cidr_member() -> Value {
    member(
        "A CIDR member: `id`, `location` (of the collection, or `*`), and `values` or `alias`.",
        json!({
            "id": d("Set identifier, unique in the record set.", r("text")),
            "location": d("A location of the collection, or `*`.", r("text"))
        }),
        &["id", "location"],
    )
}

pub(super) fn geoproximity_member() -> Value {
    let coordinates = with(
        object(json!({
            "latitude": d("Degrees -90..90, at most two decimals, as a string.", pattern("^\\s*[-+]?[0-9]{1,2}(\\.[0-9]{0,2})?\\s*$")),
            "longitude": d("Degrees -180..180, at most two decimals, as a string.", pattern("^\\s*[-+]?[0-9]{1,3}(\\.[0-9]{0,2})?\\s*$"))
        })),
        json!({ "required": ["latitude", "longitude"] }),
    );
    with(
        member(
            "A geoproximity member: `id`, one of `region`, `local_zone_group` or `coordinates`, an optional `bias`, and `values` or `alias`.",
            json!({
                "id": d("Set identifier, unique in the record set.", r("text")),
                "region": d("An AWS region, like us-east-1.", pattern("^[a-z]{2}(-[a-z]+)+-[0-9]+$")),
                "local_zone_group": d("A Local Zone group, like us-west-2-lax-1.", string()),
                "coordinates": coordinates,
                "bias": d("-99..99: grows (positive) or shrinks (negative) the member's region.", int(-99, 99))
            }),
            &["id"],
        ),
        json!({ "allOf": [{ "oneOf": one_key_of(&["region", "local_zone_group", "coordinates"]) }] }),
    )
}
