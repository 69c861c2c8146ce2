//! Plan notes for Route 53 record sets that carry live settings the spec
//! cannot express (`RecordSet::unmanaged`): one warning per record set the
//! spec keeps, naming each setting, and one when an owned set the spec
//! dropped is deleted with them. The refusal to apply lives in
//! `safety::unmanaged_dns`; this only says what is there.

use serde_json::{json, Value};

use crate::model::dns::{RecordKey, RecordSet, Routing};

/// The warning for a record set the spec lists whose live members carry
/// unmanaged settings (none when they carry none).
pub(super) fn kept(key: &RecordKey, live: &RecordSet) -> Option<String> {
    if live.unmanaged.is_empty() {
        return None;
    }
    Some(format!(
        "unmanaged live setting: record set `{key}` has {}; the spec cannot express this, so \
         apply refuses to change the record set without --force (which drops it)",
        live.unmanaged_summary()
    ))
}

/// The warning for an owned record set the spec no longer lists that is
/// deleted together with its unmanaged settings.
pub(super) fn dropped(key: &RecordKey, live: &RecordSet) -> Option<String> {
    if live.unmanaged.is_empty() {
        return None;
    }
    Some(format!(
        "unmanaged live setting: record set `{key}` has {}; the spec no longer lists it, so \
         it is deleted with them",
        live.unmanaged_summary()
    ))
}

/// A live-only routing policy as a plan shows a member: its spec-style key
/// and value. Simple and the modelled policies are shown by the caller.
pub(super) fn show_routing(routing: &Routing) -> (&'static str, Value) {
    match routing {
        Routing::Multivalue => ("multivalue", json!(true)),
        Routing::Cidr {
            collection_id,
            location,
        } => (
            "cidr",
            json!({ "collection": collection_id, "location": location }),
        ),
        Routing::Geoproximity {
            region,
            local_zone_group,
            coordinates,
            bias,
        } => {
            let mut v = serde_json::Map::new();
            if let Some(r) = region {
                v.insert("region".into(), json!(r));
            }
            if let Some(g) = local_zone_group {
                v.insert("local_zone_group".into(), json!(g));
            }
            if let Some((lat, lon)) = coordinates {
                v.insert(
                    "coordinates".into(),
                    json!({ "latitude": lat, "longitude": lon }),
                );
            }
            if let Some(b) = bias {
                v.insert("bias".into(), json!(b));
            }
            ("geoproximity", Value::Object(v))
        }
        _ => ("routing", json!("simple")),
    }
}
