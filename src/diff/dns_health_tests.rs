//! Planner tests for the health checks of the December 2026 additions:
//! settings compared and updated in place, changes Route 53 cannot make in
//! place as replacements, and calculated checks ordered around their
//! children.

use std::collections::BTreeMap;

use super::{diff, Input};
use crate::model::dns::*;
use crate::model::Model;
use crate::plan::{Kind, Op, Plan, StepAction};

const STACK: &str = "shop";
const ZONE: &str = "example.com.";

fn key() -> RecordKey {
    RecordKey {
        name: format!("app.{ZONE}"),
        rtype: "A".into(),
    }
}

/// The zone with `app` A: a failover primary using `check`.
fn model(check: Option<ManagedHealthCheck>, owned: bool) -> Model {
    let r = Record {
        set_identifier: Some("primary".into()),
        routing: Routing::Failover {
            role: "PRIMARY".into(),
        },
        ttl: Some(60),
        values: vec!["192.0.2.1".into()],
        alias: None,
        health_check: check.map(HealthCheckRef::Managed),
    };
    let mut z = Zone {
        name: ZONE.into(),
        id: Some("Z1".into()),
        ..Default::default()
    };
    z.record_sets.insert(
        key(),
        RecordSet {
            members: vec![r],
            ..Default::default()
        },
    );
    if owned {
        z.record_sets.insert(
            owner_key(&key()),
            RecordSet {
                members: vec![owner_record(STACK)],
                ..Default::default()
            },
        );
    }
    let mut m = Model::default();
    m.dns.zones.insert(ZONE.into(), z);
    if owned {
        m.dns.tagged.insert(ZONE.into());
    }
    m
}

/// `fresh`: the record does not exist yet.
fn plan(
    desired: Option<ManagedHealthCheck>,
    live: Option<ManagedHealthCheck>,
    fresh: bool,
) -> Plan {
    let mut have = model(live, !fresh);
    if fresh {
        for z in have.dns.zones.values_mut() {
            z.record_sets.clear();
        }
    }
    diff(&Input {
        stack: STACK,
        desired: &model(desired, false),
        live: &have,
        in_use: &Default::default(),
        target_group_names: &BTreeMap::new(),
        load_balancer_dns: &BTreeMap::new(),
        adopt: false,
        ttl_warning: super::TTL_WARNING,
        instance_addresses: &Default::default(),
    })
}

fn https(id: Option<&str>) -> ManagedHealthCheck {
    ManagedHealthCheck {
        id: id.map(str::to_string),
        check_type: "HTTPS_STR_MATCH".into(),
        fqdn: Some("app.example.com".into()),
        port: Some(443),
        search_string: Some("ok".into()),
        ..Default::default()
    }
}

fn tcp(id: Option<&str>, port: u16) -> ManagedHealthCheck {
    ManagedHealthCheck {
        id: id.map(str::to_string),
        check_type: "TCP".into(),
        ip_address: Some("192.0.2.9".into()),
        port: Some(port),
        ..Default::default()
    }
}

fn calculated(id: Option<&str>, children: Vec<HealthCheckRef>) -> ManagedHealthCheck {
    ManagedHealthCheck {
        id: id.map(str::to_string),
        check_type: "CALCULATED".into(),
        healthy_threshold: Some(1),
        children,
        ..Default::default()
    }
}

fn m(c: ManagedHealthCheck) -> HealthCheckRef {
    HealthCheckRef::Managed(c)
}

/// (action, kind, name) of every step but the zone tag and ownership.
fn steps(p: &Plan) -> Vec<(StepAction, Kind, String)> {
    p.steps
        .iter()
        .filter(|s| s.kind != Kind::HostedZone && !s.name.starts_with("_lbctl."))
        .map(|s| (s.action, s.kind, s.name.clone()))
        .collect()
}

#[test]
fn new_settings_compare_and_update_in_place() {
    assert!(plan(Some(https(None)), Some(https(Some("hc-1"))), false).is_empty());
    let want = ManagedHealthCheck {
        inverted: true,
        disabled: true,
        search_string: Some("healthy".into()),
        regions: vec!["eu-west-1".into(), "sa-east-1".into(), "us-east-1".into()],
        enable_sni: Some(false),
        ..https(None)
    };
    let p = plan(Some(want), Some(https(Some("hc-1"))), false);
    assert_eq!(p.steps.len(), 1, "{:#?}", p.steps);
    let paths: Vec<&str> = p.steps[0].changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "health_check.search_string",
            "health_check.regions",
            "health_check.inverted",
            "health_check.disabled",
            "health_check.enable_sni"
        ]
    );
    assert!(
        matches!(&p.steps[0].op, Op::UpdateHealthCheck { id, check } if id == "hc-1" && check.inverted)
    );
    // Left out, inversion is turned off again (a modelled setting).
    let live = ManagedHealthCheck {
        inverted: true,
        ..https(Some("hc-1"))
    };
    let p = plan(Some(https(None)), Some(live), false);
    assert_eq!(p.steps[0].changes[0].path, "health_check.inverted");
}

#[test]
fn an_immutable_change_creates_moves_then_deletes() {
    let want = ManagedHealthCheck {
        measure_latency: true,
        ..https(None)
    };
    let p = plan(Some(want), Some(https(Some("hc-1"))), false);
    assert_eq!(
        steps(&p),
        [
            (
                StepAction::Create,
                Kind::HealthCheck,
                "app.example.com. A [primary]".to_string()
            ),
            (
                StepAction::Update,
                Kind::RecordSet,
                "app.example.com. A".to_string()
            ),
            (StepAction::Delete, Kind::HealthCheck, "hc-1".to_string()),
        ]
    );
    assert!(
        p.steps.iter().any(|s| {
            s.notes.iter().any(|n| {
                n.contains("replaces health check `hc-1`") && n.contains("`measure_latency`")
            })
        }),
        "{:#?}",
        p.steps
    );
    // A recovery control check takes no update at all.
    let rc = |inverted| ManagedHealthCheck {
        check_type: "RECOVERY_CONTROL".into(),
        routing_control: Some("arn:aws:route53-recovery-control::1:x".into()),
        inverted,
        ..Default::default()
    };
    let live = ManagedHealthCheck {
        id: Some("hc-2".into()),
        ..rc(false)
    };
    let p = plan(Some(rc(true)), Some(live), false);
    assert!(p
        .steps
        .iter()
        .any(|s| matches!(&s.op, Op::DeleteHealthCheck { id } if id == "hc-2")));
    assert!(!p
        .steps
        .iter()
        .any(|s| matches!(s.op, Op::UpdateHealthCheck { .. })));
}

#[test]
fn a_calculated_check_comes_after_its_children_and_goes_before_them() {
    let want = calculated(
        None,
        vec![
            m(https(None)),
            m(tcp(None, 22)),
            HealthCheckRef::Id("hc-x".into()),
        ],
    );
    let p = plan(Some(want), None, true);
    let names: Vec<(StepAction, String)> = steps(&p)
        .into_iter()
        .filter(|s| s.1 == Kind::HealthCheck)
        .map(|s| (s.0, s.2))
        .collect();
    assert_eq!(
        names,
        [
            (
                StepAction::Create,
                "app.example.com. A [primary] children[0]".to_string()
            ),
            (
                StepAction::Create,
                "app.example.com. A [primary] children[1]".to_string()
            ),
            (
                StepAction::Create,
                "app.example.com. A [primary]".to_string()
            ),
        ]
    );
    let children: Vec<Option<usize>> = p
        .steps
        .iter()
        .filter_map(|s| match &s.op {
            Op::CreateHealthCheck { child, .. } => Some(*child),
            _ => None,
        })
        .collect();
    assert_eq!(children, [Some(0), Some(1), None]);
    assert!(p
        .steps
        .iter()
        .all(|s| s.kind != Kind::HealthCheck
            || s.group().as_deref() == Some("route53 health checks")));

    // Dropped: the parent is deleted before its managed children; a child
    // given by ID is not lbctl's to delete.
    let live = calculated(
        Some("hc-p"),
        vec![
            m(https(Some("hc-a"))),
            m(tcp(Some("hc-b"), 22)),
            HealthCheckRef::Id("hc-x".into()),
        ],
    );
    let p = plan(None, Some(live), false);
    let deleted: Vec<String> = p
        .steps
        .iter()
        .filter_map(|s| match &s.op {
            Op::DeleteHealthCheck { id } => Some(id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(deleted, ["hc-p", "hc-a", "hc-b"]);
}

#[test]
fn children_are_matched_by_settings_updated_in_place_or_replace_the_parent() {
    let live = calculated(
        Some("hc-p"),
        vec![m(https(Some("hc-a"))), m(tcp(Some("hc-b"), 22))],
    );
    // Same children in another order: nothing to do.
    let same = calculated(None, vec![m(tcp(None, 22)), m(https(None))]);
    assert!(plan(Some(same), Some(live.clone()), false).is_empty());
    // A child's port changes in place; the parent stays.
    let moved = calculated(None, vec![m(https(None)), m(tcp(None, 2222))]);
    let p = plan(Some(moved), Some(live.clone()), false);
    assert_eq!(
        steps(&p),
        [(
            StepAction::Update,
            Kind::HealthCheck,
            "app.example.com. A [primary] children[1]".to_string()
        )]
    );
    // A child that must be created replaces the parent: new child, new
    // parent (keeping `hc-a`), records moved, old parent then the dropped
    // child deleted.
    let grown = calculated(
        None,
        vec![
            m(https(None)),
            m(ManagedHealthCheck {
                check_type: "HTTP".into(),
                fqdn: Some("b.example.com".into()),
                port: Some(80),
                ..Default::default()
            }),
        ],
    );
    let p = plan(Some(grown), Some(live), false);
    let ops: Vec<String> = p
        .steps
        .iter()
        .filter(|s| s.kind != Kind::HostedZone && !s.name.starts_with("_lbctl."))
        .map(|s| match &s.op {
            Op::CreateHealthCheck { child, check, .. } => format!(
                "create {child:?} {:?}",
                check
                    .children
                    .iter()
                    .map(|c| match c {
                        HealthCheckRef::Managed(m) => m.id.clone().unwrap_or_else(|| "new".into()),
                        HealthCheckRef::Id(id) => id.clone(),
                    })
                    .collect::<Vec<_>>()
            ),
            Op::RecordSet { .. } => "records".into(),
            Op::DeleteHealthCheck { id } => format!("delete {id}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        ops,
        [
            "create Some(1) []",
            "create None [\"hc-a\", \"new\"]",
            "records",
            "delete hc-p",
            "delete hc-b"
        ]
    );
}

#[test]
fn a_child_of_a_used_check_is_not_an_unused_check() {
    let live_check = calculated(Some("hc-p"), vec![m(https(Some("hc-a")))]);
    let mut live = model(Some(live_check.clone()), true);
    live.dns.health_checks.insert("hc-p".into(), live_check);
    live.dns
        .health_checks
        .insert("hc-a".into(), https(Some("hc-a")));
    live.dns
        .health_checks
        .insert("hc-old".into(), tcp(Some("hc-old"), 22));
    let desired = model(Some(calculated(None, vec![m(https(None))])), false);
    let p = diff(&Input {
        stack: STACK,
        desired: &desired,
        live: &live,
        in_use: &Default::default(),
        target_group_names: &BTreeMap::new(),
        load_balancer_dns: &BTreeMap::new(),
        adopt: false,
        ttl_warning: super::TTL_WARNING,
        instance_addresses: &Default::default(),
    });
    let deleted: Vec<&str> = p
        .steps
        .iter()
        .filter_map(|s| match &s.op {
            Op::DeleteHealthCheck { id } => Some(id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(deleted, ["hc-old"]);
}
