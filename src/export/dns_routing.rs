//! Export of the December 2026 routing additions: a geoproximity member's
//! location and bias, and aliases to another record of the same zone
//! (written as `record:`).

use serde_json::json;

use super::dns::relative_name;
use super::emit::{put, Obj};
use crate::model::dns::{Alias, AliasTarget, Routing};

/// A geoproximity member's `region`, `local_zone_group` or `coordinates`,
/// and `bias`; empty for any other routing.
pub(super) fn geoproximity(routing: &Routing) -> Obj {
    let mut o = Obj::new();
    let Routing::Geoproximity {
        region,
        local_zone_group,
        coordinates,
        bias,
    } = routing
    else {
        return o;
    };
    if let Some(r) = region {
        put(&mut o, "region", r.as_str());
    }
    if let Some(g) = local_zone_group {
        put(&mut o, "local_zone_group", g.as_str());
    }
    if let Some((lat, lon)) = coordinates {
        put(
            &mut o,
            "coordinates",
            json!({ "latitude": lat, "longitude": lon }),
        );
    }
    if let Some(b) = bias {
        put(&mut o, "bias", *b);
    }
    o
}

/// The name (relative to the zone) an alias points at when its target is
/// a record of the zone itself: the zone's own hosted zone ID and a name
/// inside the zone.
pub(super) fn record_target((zone, zone_id): (&str, Option<&str>), a: &Alias) -> Option<String> {
    let AliasTarget::Target {
        dns_name,
        hosted_zone_id,
    } = &a.target
    else {
        return None;
    };
    let own = zone_id? == hosted_zone_id.trim_start_matches("/hostedzone/");
    let inside = dns_name == zone || dns_name.ends_with(&format!(".{zone}"));
    (own && inside).then(|| relative_name(dns_name, zone))
}
