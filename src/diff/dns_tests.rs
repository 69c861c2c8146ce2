//! Planner tests for Route 53 record sets and their ownership.

use std::collections::BTreeMap;

use super::{diff, Input};
use crate::model::dns::*;
use crate::model::Model;
use crate::plan::{Kind, Op, Plan, StepAction};

const STACK: &str = "shop";
const ZONE: &str = "example.com.";

fn key(name: &str, t: &str) -> RecordKey {
    RecordKey {
        name: format!("{name}.{ZONE}"),
        rtype: t.into(),
    }
}

fn simple(values: &[&str], ttl: u32) -> Record {
    Record {
        set_identifier: None,
        routing: Routing::Simple,
        ttl: Some(ttl),
        values: values.iter().map(|v| v.to_string()).collect(),
        alias: None,
        health_check: None,
    }
}

fn weighted(id: &str, weight: u32, value: &str) -> Record {
    Record {
        set_identifier: Some(id.into()),
        routing: Routing::Weighted { weight },
        ..simple(&[value], 60)
    }
}

fn zone(sets: Vec<(RecordKey, Vec<Record>)>) -> Zone {
    Zone {
        name: ZONE.into(),
        id: Some("Z1".into()),
        private: false,
        record_sets: sets
            .into_iter()
            .map(|(k, members)| {
                (
                    k,
                    RecordSet {
                        members,
                        ..Default::default()
                    },
                )
            })
            .collect(),
    }
}

fn with_zone(z: Zone) -> Model {
    let mut m = Model::default();
    m.dns.zones.insert(ZONE.into(), z);
    m
}

/// The live zone after lbctl created `desired` for `stack`: the records
/// plus their ownership records.
fn applied(desired: &Zone, stack: &str) -> Zone {
    let mut z = desired.clone();
    for k in desired.record_sets.keys() {
        z.record_sets.insert(
            owner_key(k),
            RecordSet {
                members: vec![owner_record(stack)],
                ..Default::default()
            },
        );
    }
    z
}

fn plan_with(
    desired: &Model,
    live: &Model,
    lb_dns: &BTreeMap<String, (String, String)>,
    adopt: bool,
) -> Plan {
    // Live zones as the current lbctl leaves them: tagged for the stack
    // where it owns record sets.
    let mut live = live.clone();
    live.dns.tagged = live
        .dns
        .zones
        .iter()
        .filter(|(_, z)| {
            z.record_sets
                .values()
                .flat_map(|s| &s.members)
                .flat_map(|m| &m.values)
                .any(|v| parse_owner_value(v).as_deref() == Some(STACK))
        })
        .map(|(name, _)| name.clone())
        .collect();
    diff(&Input {
        stack: STACK,
        desired,
        live: &live,
        in_use: &Default::default(),
        target_group_names: &BTreeMap::new(),
        load_balancer_dns: lb_dns,
        adopt,
        ttl_warning: super::TTL_WARNING,
        instance_addresses: &Default::default(),
    })
}

fn plan(desired: &Model, live: &Model) -> Plan {
    plan_with(desired, live, &BTreeMap::new(), false)
}

fn api(a: u32, b: u32) -> Zone {
    zone(vec![(
        key("api", "A"),
        vec![
            weighted("blue", a, "192.0.2.1"),
            weighted("green", b, "192.0.2.2"),
        ],
    )])
}

#[test]
fn a_new_record_set_is_created_with_its_ownership_record() {
    let p = plan(&with_zone(api(50, 50)), &with_zone(zone(vec![])));
    let names: Vec<(&str, StepAction)> = p
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.action))
        .collect();
    // The zone is tagged first: the stack owns records there from now on.
    assert_eq!(
        names,
        [
            ("example.com.", StepAction::Update),
            ("api.example.com. A", StepAction::Create),
            ("_lbctl.a.api.example.com. TXT", StepAction::Create)
        ]
    );
    // The ownership record is bookkeeping, not a record set of the spec;
    // the zone's tag is a change of the zone and counts (it can be the only
    // step, when an older stack's zone is tagged).
    assert_eq!(p.summary().create, 1);
    let text = crate::render::text::plan(&p, crate::render::text::Styling { color: false });
    assert!(text.contains("1 to create, 1 to update"), "{text}");
    let row = text
        .lines()
        .find(|l| l.starts_with("│ record_set"))
        .unwrap();
    assert!(row.contains(" 1 ") && !row.contains(" 2 "), "{text}");
}

#[test]
fn applied_record_sets_plan_nothing() {
    let desired = api(50, 50);
    let p = plan(
        &with_zone(desired.clone()),
        &with_zone(applied(&desired, STACK)),
    );
    assert!(p.is_empty(), "{:#?}", p.steps);
}

#[test]
fn a_weight_shift_is_one_step_replacing_both_members() {
    let live = with_zone(applied(&api(50, 50), STACK));
    let p = plan(&with_zone(api(90, 10)), &live);
    assert_eq!(p.steps.len(), 1, "{:#?}", p.steps);
    match &p.steps[0].op {
        Op::RecordSet { delete, create, .. } => {
            assert_eq!(delete.len(), 2);
            assert_eq!(create.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        p.steps[0].notes,
        ["traffic share: blue 50% -> 90%, green 50% -> 10%"]
    );
}

#[test]
fn only_changed_members_are_rewritten() {
    let live = with_zone(applied(&api(50, 50), STACK));
    let mut changed = api(50, 50);
    changed
        .record_sets
        .get_mut(&key("api", "A"))
        .unwrap()
        .members[1]
        .values = vec!["192.0.2.9".into()];
    let p = plan(&with_zone(changed), &live);
    match &p.steps[0].op {
        Op::RecordSet { delete, create, .. } => {
            assert_eq!(delete.len(), 1);
            assert_eq!(create[0].set_identifier.as_deref(), Some("green"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn simple_to_weighted_is_one_step() {
    let before = zone(vec![(key("api", "A"), vec![simple(&["192.0.2.1"], 60)])]);
    let live = with_zone(applied(&before, STACK));
    let p = plan(&with_zone(api(50, 50)), &live);
    assert_eq!(p.steps.len(), 1);
    match &p.steps[0].op {
        Op::RecordSet { delete, create, .. } => {
            assert_eq!(delete[0].routing, Routing::Simple);
            assert_eq!(create.len(), 2);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn record_sets_of_others_and_of_nobody_are_conflicts() {
    let desired = with_zone(api(50, 50));
    // Owned by another stack.
    let live = with_zone(applied(&api(1, 1), "other"));
    let p = plan(&desired, &live);
    assert!(p.steps.is_empty());
    assert_eq!(p.conflicts[0].owner.as_deref(), Some("other"));
    assert_eq!(p.conflicts[0].kind, Kind::RecordSet);
    // Present, owned by nobody.
    let live = with_zone(api(1, 1));
    let p = plan(&desired, &live);
    assert!(p.steps.is_empty());
    assert_eq!(p.conflicts[0].owner, None);
    // Adopting claims it (and tags the zone).
    let p = plan_with(&desired, &live, &BTreeMap::new(), true);
    assert_eq!(p.steps.len(), 3);
    assert_eq!(p.steps[0].kind, Kind::HostedZone);
    assert!(p.conflicts.is_empty());
}

#[test]
fn a_record_set_removed_from_the_spec_is_deleted_and_others_are_untouched() {
    let mut live_zone = applied(&api(50, 50), STACK);
    // Not named by the spec and not owned: never touched.
    live_zone.record_sets.insert(
        key("mail", "MX"),
        RecordSet {
            members: vec![simple(&["10 mx.example.com."], 300)],
            ..Default::default()
        },
    );
    let p = plan(&with_zone(zone(vec![])), &with_zone(live_zone));
    let names: Vec<(&str, StepAction)> = p
        .steps
        .iter()
        .map(|s| (s.name.as_str(), s.action))
        .collect();
    assert_eq!(
        names,
        [
            ("api.example.com. A", StepAction::Delete),
            ("_lbctl.a.api.example.com. TXT", StepAction::Delete),
            // The stack owns nothing here any more: the zone's tag goes.
            ("example.com.", StepAction::Update)
        ]
    );
}

fn lb_alias(lb: &str) -> Zone {
    zone(vec![(
        key("www", "A"),
        vec![Record {
            ttl: None,
            values: vec![],
            alias: Some(Alias {
                target: AliasTarget::LoadBalancer(lb.into()),
                evaluate_target_health: true,
            }),
            ..simple(&[], 0)
        }],
    )])
}

#[test]
fn an_alias_to_a_live_load_balancer_compares_by_dns_name() {
    let desired = lb_alias("web");
    let mut live = applied(&desired, STACK);
    live.record_sets.get_mut(&key("www", "A")).unwrap().members[0].alias = Some(Alias {
        target: AliasTarget::Target {
            dns_name: "dualstack.web-1.us-east-1.elb.amazonaws.com.".into(),
            hosted_zone_id: "Z35SXDOTRQ7X7K".into(),
        },
        evaluate_target_health: true,
    });
    let lb_dns = BTreeMap::from([(
        "web".to_string(),
        (
            "Web-1.us-east-1.elb.amazonaws.com".to_string(),
            "Z35SXDOTRQ7X7K".to_string(),
        ),
    )]);
    let p = plan_with(
        &with_zone(desired.clone()),
        &with_zone(live.clone()),
        &lb_dns,
        false,
    );
    assert!(p.is_empty(), "{:#?}", p.steps);

    // Another load balancer's DNS name: the alias changes.
    let lb_dns = BTreeMap::from([(
        "web".to_string(),
        (
            "web-2.elb.amazonaws.com".to_string(),
            "Z35SXDOTRQ7X7K".to_string(),
        ),
    )]);
    let p = plan_with(&with_zone(desired), &with_zone(live), &lb_dns, false);
    assert_eq!(p.steps.len(), 1);
}

#[test]
fn a_long_ttl_warns() {
    let before = zone(vec![(key("api", "A"), vec![simple(&["192.0.2.1"], 3600)])]);
    let live = with_zone(applied(&before, STACK));
    let after = zone(vec![(key("api", "A"), vec![simple(&["192.0.2.2"], 3600)])]);
    let p = plan(&with_zone(after), &live);
    assert_eq!(p.warnings.len(), 1);
    assert!(p.warnings[0].contains("3600 s"), "{}", p.warnings[0]);
}

fn checked(check: ManagedHealthCheck) -> Zone {
    let mut r = simple(&["192.0.2.1"], 60);
    r.set_identifier = Some("primary".into());
    r.routing = Routing::Failover {
        role: "PRIMARY".into(),
    };
    r.health_check = Some(HealthCheckRef::Managed(check));
    zone(vec![(key("app", "A"), vec![r])])
}

fn hc(path: &str, interval: u32, id: Option<&str>) -> ManagedHealthCheck {
    ManagedHealthCheck {
        id: id.map(str::to_string),
        check_type: "HTTPS".into(),
        fqdn: Some("app.example.com".into()),
        ip_address: None,
        port: Some(443),
        path: Some(path.into()),
        interval: Some(interval),
        failure_threshold: Some(3),
        ..Default::default()
    }
}

#[test]
fn managed_health_checks_are_created_updated_and_replaced() {
    // New: a health check step, then the record.
    let p = plan(
        &with_zone(checked(hc("/health", 30, None))),
        &with_zone(zone(vec![])),
    );
    let kinds: Vec<Kind> = p.steps.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            Kind::HostedZone,
            Kind::HealthCheck,
            Kind::RecordSet,
            Kind::RecordSet
        ]
    );

    let live = with_zone(applied(&checked(hc("/health", 30, Some("hc-1"))), STACK));
    // Unchanged.
    assert!(plan(&with_zone(checked(hc("/health", 30, None))), &live).is_empty());
    // A new path updates the check in place; the record stays.
    let p = plan(&with_zone(checked(hc("/ready", 30, None))), &live);
    assert_eq!(p.steps.len(), 1);
    assert!(matches!(&p.steps[0].op, Op::UpdateHealthCheck { id, .. } if id == "hc-1"));
    // A new interval cannot be changed: new check, record update, old check
    // deleted after the record stops using it.
    let p = plan(&with_zone(checked(hc("/health", 10, None))), &live);
    let ops: Vec<&str> = p
        .steps
        .iter()
        .map(|s| match &s.op {
            Op::CreateHealthCheck { .. } => "create-check",
            Op::RecordSet { .. } => "record",
            Op::DeleteHealthCheck { .. } => "delete-check",
            _ => "other",
        })
        .collect();
    assert_eq!(ops, ["create-check", "record", "delete-check"]);
}

#[test]
fn a_change_of_evaluate_target_health_shows_by_its_spec_name() {
    let desired = lb_alias("web");
    let mut live = applied(&desired, STACK);
    live.record_sets.get_mut(&key("www", "A")).unwrap().members[0].alias = Some(Alias {
        target: AliasTarget::Target {
            dns_name: "web-1.elb.amazonaws.com.".into(),
            hosted_zone_id: "Z35SXDOTRQ7X7K".into(),
        },
        evaluate_target_health: false,
    });
    let lb_dns = BTreeMap::from([(
        "web".to_string(),
        (
            "web-1.elb.amazonaws.com".to_string(),
            "Z35SXDOTRQ7X7K".to_string(),
        ),
    )]);
    let p = plan_with(
        &with_zone(desired.clone()),
        &with_zone(live),
        &lb_dns,
        false,
    );
    assert_eq!(p.steps.len(), 1, "{:#?}", p.steps);
    let c = &p.steps[0].changes[0];
    let alias = |eval: bool| {
        serde_json::json!({
            "load_balancer": "web",
            "dns_name": "web-1.elb.amazonaws.com",
            "evaluate_target_health": eval,
        })
    };
    assert_eq!(c.before["alias"], alias(false));
    assert_eq!(c.after["alias"], alias(true));
    let text = crate::render::text::plan(&p, crate::render::text::Styling { color: false });
    assert!(text.contains("evaluate_target_health: false"), "{text}");
    assert!(text.contains("evaluate_target_health: true"), "{text}");
    let md = crate::render::markdown::plan(&p);
    assert!(md.contains("evaluate_target_health"), "{md}");

    // A create shows it too.
    let p = plan_with(
        &with_zone(desired),
        &with_zone(zone(vec![])),
        &lb_dns,
        false,
    );
    let create = p
        .steps
        .iter()
        .find(|s| s.name == "www.example.com. A")
        .unwrap();
    assert_eq!(create.changes[0].after["alias"], alias(true));
}

#[test]
fn a_deleted_record_set_shows_its_members() {
    let live = with_zone(applied(&api(70, 30), STACK));
    let p = plan(&with_zone(zone(vec![])), &live);
    let step = p
        .steps
        .iter()
        .find(|s| s.name == "api.example.com. A")
        .unwrap();
    assert_eq!(step.action, StepAction::Delete);
    let paths: Vec<&str> = step.changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["blue", "green"]);
    assert_eq!(step.changes[0].before["weight"], 70);
    assert!(step.changes[0].after.is_null());
    let text = crate::render::text::plan(&p, crate::render::text::Styling { color: false });
    assert!(
        text.contains("    blue: { weight: 70, ttl: 60, values: [192.0.2.1] }\n"),
        "{text}"
    );
}

#[test]
fn a_zone_the_spec_no_longer_lists_is_found_by_its_tag() {
    let desired = api(50, 50);
    let mut live = with_zone(applied(&desired, STACK));
    live.dns
        .health_checks
        .insert("hc-9".into(), hc("/gone", 30, Some("hc-9")));
    // The spec lists no zone at all: the tagged zone's record sets, the
    // tag and the unused health check go; without the tag, nothing is seen.
    let p = plan(&Model::default(), &live);
    let names: Vec<(Kind, &str, StepAction)> = p
        .steps
        .iter()
        .map(|s| (s.kind, s.name.as_str(), s.action))
        .collect();
    assert_eq!(
        names,
        [
            (Kind::RecordSet, "api.example.com. A", StepAction::Delete),
            (
                Kind::RecordSet,
                "_lbctl.a.api.example.com. TXT",
                StepAction::Delete
            ),
            (Kind::HostedZone, "example.com.", StepAction::Update),
            (Kind::HealthCheck, "hc-9", StepAction::Delete),
        ]
    );
    assert!(matches!(p.steps[2].op, Op::TagZone { tag: false, .. }));
}

#[test]
fn a_used_health_check_of_the_stack_is_kept() {
    let desired = checked(hc("/health", 30, None));
    let mut live = with_zone(applied(&checked(hc("/health", 30, Some("hc-1"))), STACK));
    live.dns
        .health_checks
        .insert("hc-1".into(), hc("/health", 30, Some("hc-1")));
    assert!(plan(&with_zone(desired), &live).is_empty());
}

#[test]
fn a_left_over_check_a_create_may_reuse_is_not_deleted() {
    // A stopped apply created and tagged the check but wrote no record:
    // the create step reuses it, so it must not be deleted after.
    let mut live = with_zone(applied(&api(50, 50), STACK));
    live.dns
        .health_checks
        .insert("hc-7".into(), hc("/health", 30, Some("hc-7")));
    let mut desired = api(50, 50);
    desired
        .record_sets
        .extend(checked(hc("/health", 30, None)).record_sets);
    let p = plan(&with_zone(desired), &live);
    assert!(
        p.steps
            .iter()
            .any(|s| matches!(s.op, Op::CreateHealthCheck { .. })),
        "{:#?}",
        p.steps
    );
    assert!(
        !p.steps
            .iter()
            .any(|s| matches!(s.op, Op::DeleteHealthCheck { .. })),
        "{:#?}",
        p.steps
    );
    // Other settings: no reuse, so it goes.
    let mut desired = api(50, 50);
    desired
        .record_sets
        .extend(checked(hc("/ready", 30, None)).record_sets);
    let p = plan(&with_zone(desired), &live);
    assert!(p
        .steps
        .iter()
        .any(|s| matches!(&s.op, Op::DeleteHealthCheck { id } if id == "hc-7")));
}
