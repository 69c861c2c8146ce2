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

/// A multivalue, geoproximity or (live-only) CIDR member as a plan shows
/// it: its spec-style key and value. Simple and the other policies are
/// shown by the caller.
pub(super) fn show_routing(routing: &Routing) -> (&'static str, Value) {
    match routing {
        Routing::Multivalue => ("multivalue", json!(true)),
        Routing::Cidr {
            collection,
            location,
        } => (
            "cidr",
            json!({ "collection": collection, "location": location }),
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use crate::diff::{diff, Input};
    use crate::model::dns::{owner_key, owner_record, Record, RecordKey, RecordSet, Routing, Zone};
    use crate::model::unmanaged::Unmanaged;
    use crate::model::Model;
    use crate::plan::{Op, Plan, StepAction};

    const ZONE: &str = "example.com.";

    fn key() -> RecordKey {
        RecordKey {
            name: "mv.example.com.".into(),
            rtype: "A".into(),
        }
    }

    fn member(id: &str, routing: Routing) -> Record {
        Record {
            set_identifier: Some(id.into()),
            routing,
            ttl: Some(60),
            values: vec![format!("198.51.100.{}", id.len())],
            alias: None,
            health_check: None,
        }
    }

    fn model(set: Option<RecordSet>, owned: bool) -> Model {
        let mut zone = Zone {
            name: ZONE.into(),
            id: Some("Z1".into()),
            ..Zone::default()
        };
        if let Some(set) = set {
            zone.record_sets.insert(key(), set);
        }
        if owned {
            let owner = RecordSet {
                members: vec![owner_record("shop")],
                ..RecordSet::default()
            };
            zone.record_sets.insert(owner_key(&key()), owner);
        }
        let mut m = Model::default();
        m.dns.zones.insert(ZONE.into(), zone);
        m
    }

    fn multivalue() -> RecordSet {
        RecordSet {
            members: ["a", "b", "c"]
                .iter()
                .map(|id| member(id, Routing::Multivalue))
                .collect(),
            unmanaged: ["a", "b", "c"]
                .iter()
                .map(|id| Unmanaged {
                    path: format!("{id}.multivalue"),
                    what: "multivalue answer routing (`MultiValueAnswer`)".into(),
                })
                .collect(),
        }
    }

    fn plan(desired: &Model, live: &Model) -> Plan {
        diff(&Input {
            stack: "shop",
            desired,
            live,
            in_use: &Default::default(),
            target_group_names: &BTreeMap::new(),
            load_balancer_dns: &BTreeMap::new(),
            adopt: false,
            ttl_warning: 300,
            instance_addresses: &Default::default(),
        })
    }

    #[test]
    fn a_kept_multivalue_set_is_warned_about_and_its_members_deleted_as_multivalue() {
        let weighted = RecordSet {
            members: vec![member("blue", Routing::Weighted { weight: 1 })],
            ..RecordSet::default()
        };
        let p = plan(
            &model(Some(weighted), false),
            &model(Some(multivalue()), true),
        );
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
        assert!(p.warnings[0].starts_with(
            "unmanaged live setting: record set `mv.example.com. A` has `a.multivalue`, \
             `b.multivalue`, `c.multivalue`: multivalue answer routing"
        ));
        // (The live zone is not tagged here, so a zone tag step comes too.)
        let step = p
            .steps
            .iter()
            .find(|s| s.kind == crate::plan::Kind::RecordSet && !s.is_ownership_record())
            .unwrap();
        let Op::RecordSet { delete, .. } = &step.op else {
            panic!("{step:?}")
        };
        assert!(delete.iter().all(|d| d.routing == Routing::Multivalue));
        assert!(step.changes.iter().any(|c| c.before["multivalue"] == true));
    }

    #[test]
    fn a_dropped_multivalue_set_is_deleted_and_the_plan_says_so() {
        let p = plan(&model(None, false), &model(Some(multivalue()), true));
        assert!(p.warnings[0].contains("no longer lists it, so it is deleted with them"));
        assert!(p
            .steps
            .iter()
            .any(|s| s.action == StepAction::Delete && !s.is_ownership_record()));
    }

    use proptest::prelude::*;

    fn live_routing() -> impl Strategy<Value = Routing> {
        prop_oneof![
            Just(Routing::Multivalue),
            Just(Routing::Cidr {
                collection: "c-1".into(),
                location: "hq".into()
            }),
            (-99i32..99).prop_map(|bias| Routing::Geoproximity {
                region: Some("us-east-1".into()),
                local_zone_group: None,
                coordinates: None,
                bias: Some(bias),
            }),
            (0u32..255).prop_map(|weight| Routing::Weighted { weight }),
        ]
    }

    fn desired_set() -> impl Strategy<Value = Option<RecordSet>> {
        let ids = prop::sample::subsequence(vec!["a", "b", "c", "d"], 1..4);
        prop::option::of(
            (ids, 0u32..255, any::<bool>()).prop_map(|(ids, w, simple)| {
                let members = if simple {
                    vec![Record {
                        set_identifier: None,
                        ..member("x", Routing::Simple)
                    }]
                } else {
                    ids.iter()
                        .map(|id| member(id, Routing::Weighted { weight: w }))
                        .collect()
                };
                RecordSet {
                    members,
                    ..RecordSet::default()
                }
            }),
        )
    }

    proptest! {
        /// Whatever the spec says of an owned set that carries unmanaged
        /// settings, apply goes on without --force only when the plan
        /// leaves the set alone or deletes it.
        #[test]
        fn an_unmanaged_set_is_never_rewritten_without_force(
            routings in prop::collection::vec(live_routing(), 1..4),
            desired in desired_set(),
        ) {
            let ids = ["a", "b", "c"];
            let live_set = RecordSet {
                members: routings
                    .iter()
                    .zip(ids)
                    .map(|(r, id)| member(id, r.clone()))
                    .collect(),
                unmanaged: vec![Unmanaged {
                    path: "a.multivalue".into(),
                    what: "multivalue answer routing (`MultiValueAnswer`)".into(),
                }],
            };
            let live = model(Some(live_set), true);
            let p = plan(&model(desired.clone(), false), &live);
            let rewrites = p.steps.iter().any(|s| {
                !s.is_ownership_record() && s.action != StepAction::Delete
            });
            let violations = crate::safety::unmanaged_dns::check(&p, &live);
            let refused = crate::safety::refuse(&violations, false).is_err();
            prop_assert_eq!(rewrites, refused);
            prop_assert!(crate::safety::refuse(&violations, true).is_ok());
            prop_assert!(p.warnings.iter().any(|w| w.starts_with("unmanaged live setting")));
            if desired.is_none() {
                prop_assert!(!refused);
            }
        }
    }
}
