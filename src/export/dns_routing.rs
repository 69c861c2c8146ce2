//! Export of the December 2026 routing additions: a geoproximity member's
//! location and bias, and aliases to another record of the same zone
//! (written as `record:`).

use std::collections::BTreeSet;

use serde_json::json;

use super::dns::relative_name;
use super::emit::{put, Obj};
use crate::model::dns::{Alias, AliasTarget, Dns, RecordKey, Routing};

/// The top-level `cidr_collections:` for the collections read (those the
/// exported CIDR records use); `None` when there are none.
pub(super) fn cidr_collections(dns: &Dns) -> Option<serde_json::Value> {
    if dns.cidr_collections.is_empty() {
        return None;
    }
    let mut o = Obj::new();
    for (name, c) in &dns.cidr_collections {
        let locations: Obj = c
            .locations
            .iter()
            .map(|(loc, blocks)| (loc.clone(), json!(blocks)))
            .collect();
        put(&mut o, name, json!({ "locations": locations }));
    }
    Some(serde_json::Value::Object(o))
}

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

/// The name (relative to the zone) an alias of `key` points at when its
/// target is a record set exported with it: the zone's own hosted zone ID,
/// a name inside the zone, the alias's type. Otherwise `None` (the alias
/// is written with `dns_name`, so the exported spec still validates).
pub(super) fn record_target(
    (zone, zone_id, exported): (&str, Option<&str>, &BTreeSet<&RecordKey>),
    key: &RecordKey,
    a: &Alias,
) -> Option<String> {
    let AliasTarget::Target {
        dns_name,
        hosted_zone_id,
    } = &a.target
    else {
        return None;
    };
    let own = zone_id? == hosted_zone_id.trim_start_matches("/hostedzone/");
    let target = RecordKey {
        name: dns_name.clone(),
        rtype: key.rtype.clone(),
    };
    (own && exported.contains(&target)).then(|| relative_name(dns_name, zone))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> RecordKey {
        RecordKey {
            name: name.into(),
            rtype: "A".into(),
        }
    }

    #[test]
    fn only_aliases_to_exported_records_of_the_zone_are_written_as_record() {
        let alias = |dns_name: &str, zone_id: &str| Alias {
            target: AliasTarget::Target {
                dns_name: dns_name.into(),
                hosted_zone_id: zone_id.into(),
            },
            evaluate_target_health: false,
        };
        let www = key("www.example.com.");
        let exported: BTreeSet<&RecordKey> = [&www].into_iter().collect();
        let zone = ("example.com.", Some("Z1"), &exported);
        let me = key("www2.example.com.");
        let to = |a: &Alias| record_target(zone, &me, a);
        assert_eq!(to(&alias("www.example.com.", "Z1")).as_deref(), Some("www"));
        // Another zone's ID, a record not exported, another type.
        assert_eq!(to(&alias("www.example.com.", "Z2")), None);
        assert_eq!(to(&alias("api.example.com.", "Z1")), None);
        let aaaa = RecordKey {
            rtype: "AAAA".into(),
            ..me.clone()
        };
        assert_eq!(
            record_target(zone, &aaaa, &alias("www.example.com.", "Z1")),
            None
        );
    }
}
