//! Plans come from the real diff of two in-memory models, so the
//! checks see the steps apply would run.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::diff::{diff, Input, TTL_WARNING};
use crate::model::dns::{owner_key, owner_record, RecordKey, RecordSet, Zone};
use crate::model::*;

const STACK: &str = "shop";
const ZONE: &str = "example.com.";

fn owned() -> Tags {
    Tags::from([(STACK_TAG.to_string(), STACK.to_string())])
}

fn target(id: &str) -> Target {
    Target {
        id: id.into(),
        port: Some(80),
        availability_zone: None,
        quic_server_id: None,
    }
}

fn tg(name: &str, targets: &[&str]) -> TargetGroup {
    TargetGroup {
        name: name.into(),
        protocol: Some("HTTP".into()),
        port: Some(80),
        vpc_id: Some("vpc-1".into()),
        target_type: "ip".into(),
        protocol_version: None,
        ip_address_type: None,
        health_check: HealthCheck::default(),
        attributes: Attributes::new(),
        targets: Targets {
            mode: TargetsMode::Exclusive,
            list: targets.iter().map(|t| target(t)).collect(),
        },
        tags: owned(),
    }
}

fn forward(tgs: &[(&str, u32)]) -> Action {
    Action::Forward(Forward {
        target_groups: tgs
            .iter()
            .map(|(n, w)| WeightedTargetGroup {
                name: n.to_string(),
                weight: *w,
            })
            .collect(),
        stickiness: None,
    })
}

fn alb(name: &str, action: Action) -> LoadBalancer {
    let listener = Listener {
        port: Some(80),
        protocol: Some("HTTP".into()),
        certificates: vec![],
        ssl_policy: None,
        alpn_policy: None,
        default_action: action,
        default_auth: Default::default(),
        rules: BTreeMap::new(),
        attributes: Default::default(),
    };
    LoadBalancer {
        name: name.into(),
        lb_type: "application".into(),
        scheme: "internet-facing".into(),
        ip_address_type: None,
        ipam_pool: None,
        subnets: BTreeSet::from(["subnet-a".to_string()]),
        subnet_mappings: vec![],
        security_groups: None,
        attributes: Attributes::new(),
        listeners: BTreeMap::from([(80, listener)]),
        tags: owned(),
    }
}

fn model(tgs: Vec<TargetGroup>, lbs: Vec<LoadBalancer>) -> Model {
    Model {
        target_groups: tgs.into_iter().map(|t| (t.name.clone(), t)).collect(),
        load_balancers: lbs.into_iter().map(|l| (l.name.clone(), l)).collect(),
        dns: Default::default(),
        unmanaged: Vec::new(),
    }
}

fn plan(desired: &Model, live: &Model) -> Plan {
    diff(&Input {
        stack: STACK,
        desired,
        live,
        in_use: &BTreeSet::new(),
        target_group_names: &BTreeMap::new(),
        load_balancer_dns: &BTreeMap::new(),
        adopt: false,
        ttl_warning: TTL_WARNING,
        instance_addresses: &BTreeSet::new(),
    })
}

fn limits(desired: &Model, live: &Model, t: &Thresholds) -> Vec<Limit> {
    check(&plan(desired, live), live, t)
        .into_iter()
        .map(|v| v.limit)
        .collect()
}

fn four_groups() -> Vec<TargetGroup> {
    ["a", "b", "c", "d"].map(|n| tg(n, &["10.0.0.1"])).to_vec()
}

#[test]
fn shares_parse_as_percentages() {
    assert_eq!(parse_share("30%"), Ok(30.0));
    assert_eq!(parse_share(" 12.5% "), Ok(12.5));
    assert_eq!(parse_share("50"), Ok(50.0));
    assert!(parse_share("130%").unwrap_err().contains("out of range"));
    assert!(parse_share("half").unwrap_err().contains("not a share"));
}

#[test]
fn flags_win_over_the_spec_and_the_spec_over_defaults() {
    let spec = Overrides {
        max_delete_share: Some(10.0),
        max_target_removal_share: Some(20.0),
        ..Overrides::default()
    };
    let flags = Overrides {
        max_delete_share: Some(60.0),
        allow_load_balancer_delete: Some(true),
        ..Overrides::default()
    };
    let t = Thresholds::default().with(&spec).with(&flags);
    assert_eq!(t.max_delete_share, 60.0);
    assert_eq!(t.max_target_removal_share, 20.0);
    assert_eq!(t.max_weight_removal_share, 50.0);
    assert!(t.allow_load_balancer_delete);
}

#[test]
fn deleting_most_of_the_stack_trips_max_delete_share() {
    let live = model(four_groups(), vec![]);
    let keep_one = model(vec![tg("a", &["10.0.0.1"])], vec![]);
    let t = Thresholds::default();
    let v = check(&plan(&keep_one, &live), &live, &t);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].limit, Limit::MaxDeleteShare);
    assert_eq!(
        v[0].message,
        "3 of the 4 target groups and load balancers of stack `shop` would be deleted (75%, more than max_delete_share 30%)"
    );
    // One deletion is an edit, not a wipe-out, whatever its share.
    let keep_three = model(four_groups()[..3].to_vec(), vec![]);
    assert!(limits(&keep_three, &live, &t).is_empty());
    // A higher threshold lets it through.
    let lax = Thresholds {
        max_delete_share: 80.0,
        ..t
    };
    assert!(limits(&keep_one, &live, &lax).is_empty());
}

#[test]
fn deleting_a_load_balancer_needs_allow_or_force() {
    let live = model(vec![], vec![alb("web", forward(&[("a", 1)]))]);
    let empty = model(vec![], vec![]);
    let t = Thresholds::default();
    let v = check(&plan(&empty, &live), &live, &t);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].limit, Limit::LoadBalancerDelete);
    assert!(v[0].forceable());
    assert!(refuse(&v, false).is_err());
    assert!(refuse(&v, true).is_ok());
    let allowed = Thresholds {
        allow_load_balancer_delete: true,
        ..t
    };
    assert!(limits(&empty, &live, &allowed).is_empty());
}

#[test]
fn replacing_a_load_balancer_is_a_deletion_for_the_safety_rails() {
    let live = model(vec![], vec![alb("web", forward(&[("a", 1)]))]);
    let mut want = live.clone();
    want.load_balancers.get_mut("web").unwrap().scheme = "internal".into();
    // A replacement deletes it (new DNS name): refused like a deletion,
    // allowed by allow_load_balancer_delete (or --force).
    let v = check(&plan(&want, &live), &live, &Thresholds::default());
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].limit, Limit::LoadBalancerDelete);
    assert!(v[0].forceable());
    assert!(v[0].message.contains("DNS name changes"), "{v:?}");
    let allowed = Thresholds {
        allow_load_balancer_delete: true,
        ..Thresholds::default()
    };
    assert!(limits(&want, &live, &allowed).is_empty());
    let mut protected = live.clone();
    protected
        .load_balancers
        .get_mut("web")
        .unwrap()
        .attributes
        .insert("deletion_protection.enabled".into(), "true".into());
    let v = check(&plan(&want, &protected), &protected, &Thresholds::default());
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].limit, Limit::DeletionProtection);
    assert!(v[0].message.contains("replace"), "{v:?}");
}

#[test]
fn a_deletion_protected_load_balancer_is_refused_even_with_force() {
    let mut lb = alb("web", forward(&[("a", 1)]));
    lb.attributes
        .insert("deletion_protection.enabled".into(), "true".into());
    let live = model(vec![], vec![lb]);
    let allowed = Thresholds {
        allow_load_balancer_delete: true,
        ..Thresholds::default()
    };
    let v = check(&plan(&model(vec![], vec![]), &live), &live, &allowed);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].limit, Limit::DeletionProtection);
    assert!(!v[0].forceable());
    let Err(Refusal { message, hint }) = refuse(&v, true) else {
        panic!("--force must not override deletion protection");
    };
    assert!(message.contains("deletion protection on"), "{message}");
    assert!(hint.unwrap().contains("deletion_protection: false"));
    assert!(warnings(&v)[0].ends_with("apply refuses, even with --force"));
}

#[test]
fn deregistering_most_targets_trips_max_target_removal_share() {
    let live = model(vec![tg("a", &["10.0.0.1", "10.0.0.2", "10.0.0.3"])], vec![]);
    let t = Thresholds::default();
    // 2 of 3 (67%) go, even though two new ones come.
    let swap = model(vec![tg("a", &["10.0.0.1", "10.0.0.8", "10.0.0.9"])], vec![]);
    assert_eq!(limits(&swap, &live, &t), [Limit::MaxTargetRemovalShare]);
    // 1 of 3 is fine.
    let one = model(vec![tg("a", &["10.0.0.1", "10.0.0.2"])], vec![]);
    assert!(limits(&one, &live, &t).is_empty());
    // Exactly at the threshold is fine: 2 of 4 is 50%.
    let live4 = model(
        vec![tg("a", &["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4"])],
        vec![],
    );
    let half = model(vec![tg("a", &["1.1.1.1", "1.1.1.2"])], vec![]);
    assert!(limits(&half, &live4, &t).is_empty());
}

#[test]
fn dropping_a_heavy_member_of_a_weighted_forward_trips_max_weight_removal_share() {
    let groups = vec![tg("blue", &[]), tg("green", &[])];
    let live = model(
        groups.clone(),
        vec![alb("web", forward(&[("blue", 90), ("green", 10)]))],
    );
    let t = Thresholds::default();
    // Green goes: 10% of the weight. Fine.
    let green_out = model(groups.clone(), vec![alb("web", forward(&[("blue", 1)]))]);
    assert!(limits(&green_out, &live, &t).is_empty());
    // Blue goes: 90%.
    let blue_out = model(groups.clone(), vec![alb("web", forward(&[("green", 1)]))]);
    let v = check(&plan(&blue_out, &live), &live, &t);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].limit, Limit::MaxWeightRemovalShare);
    assert!(
        v[0].message
            .starts_with("90% of the traffic weight of the default action of listener `web:80`"),
        "{v:?}"
    );
    // A weight shift removes nobody.
    let shift = model(
        groups,
        vec![alb("web", forward(&[("blue", 10), ("green", 90)]))],
    );
    assert!(limits(&shift, &live, &t).is_empty());
}

fn member(id: &str, weight: u32) -> Record {
    Record {
        set_identifier: Some(id.into()),
        routing: Routing::Weighted { weight },
        ttl: Some(60),
        values: vec!["192.0.2.1".into()],
        alias: None,
        health_check: None,
    }
}

fn dns(sets: &[(&str, Vec<Record>)], owned: bool) -> Model {
    let mut zone = Zone {
        name: ZONE.into(),
        id: Some("Z1".into()),
        ..Default::default()
    };
    for (name, members) in sets {
        let key = RecordKey {
            name: format!("{name}.{ZONE}"),
            rtype: "A".into(),
        };
        if owned {
            let set = RecordSet {
                members: vec![owner_record(STACK)],
                ..Default::default()
            };
            zone.record_sets.insert(owner_key(&key), set);
        }
        zone.record_sets.insert(
            key,
            RecordSet {
                members: members.clone(),
                ..Default::default()
            },
        );
    }
    let mut m = Model::default();
    m.dns.zones.insert(ZONE.into(), zone);
    m
}

#[test]
fn dropping_a_heavy_weighted_record_member_trips_max_weight_removal_share() {
    let live = dns(
        &[("api", vec![member("blue", 80), member("green", 20)])],
        true,
    );
    let t = Thresholds::default();
    let blue_gone = dns(&[("api", vec![member("green", 20)])], false);
    let v = check(&plan(&blue_gone, &live), &live, &t);
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(
        v[0].message
            .starts_with("80% of the traffic weight of record set `api.example.com. A`"),
        "{v:?}"
    );
    let green_gone = dns(&[("api", vec![member("blue", 80)])], false);
    assert!(limits(&green_gone, &live, &t).is_empty());
    // Instance members follow the fleet, unless none would be left.
    let fleet = dns(
        &[("edge", vec![member("i-0a", 10), member("i-0b", 10)])],
        true,
    );
    let replaced = dns(&[("edge", vec![member("i-0c", 10)])], false);
    assert!(limits(&replaced, &fleet, &t).is_empty());
    let emptied = dns(&[("edge", vec![])], false);
    assert_eq!(limits(&emptied, &fleet, &t), [Limit::MaxWeightRemovalShare]);
}

#[test]
fn deleting_most_owned_record_sets_trips_max_record_delete_share() {
    let simple = |_: ()| {
        vec![Record {
            set_identifier: None,
            routing: Routing::Simple,
            ttl: Some(60),
            values: vec!["192.0.2.1".into()],
            alias: None,
            health_check: None,
        }]
    };
    let live = dns(
        &[("a", simple(())), ("b", simple(())), ("c", simple(()))],
        true,
    );
    let t = Thresholds::default();
    let keep_one = dns(&[("a", simple(()))], false);
    assert_eq!(limits(&keep_one, &live, &t), [Limit::MaxRecordDeleteShare]);
    let keep_two = dns(&[("a", simple(())), ("b", simple(()))], false);
    assert!(limits(&keep_two, &live, &t).is_empty());
}

#[test]
fn force_lets_everything_but_deletion_protection_through() {
    let v = vec![
        Violation {
            limit: Limit::MaxDeleteShare,
            message: "x".into(),
        },
        Violation {
            limit: Limit::DeletionProtection,
            message: "y".into(),
        },
    ];
    assert_eq!(blocking(&v, false).len(), 2);
    assert_eq!(blocking(&v, true), [&v[1]]);
    assert!(refuse(&v[..1], true).is_ok());
    let Err(e) = refuse(&v[..1], false) else {
        panic!("refused without --force")
    };
    assert!(e.hint.as_deref().unwrap().contains("--force"));
    assert!(e.to_string().contains("\n  - x"), "{e}");
}

fn adopting(desired: &Model, live: &Model) -> Plan {
    diff(&Input {
        stack: STACK,
        desired,
        live,
        in_use: &BTreeSet::new(),
        target_group_names: &BTreeMap::new(),
        load_balancer_dns: &BTreeMap::new(),
        adopt: true,
        ttl_warning: TTL_WARNING,
        instance_addresses: &BTreeSet::new(),
    })
}

#[test]
fn adopt_never_replaces_and_names_the_setting() {
    let mut live = model(
        vec![tg("a", &["10.0.0.1"])],
        vec![alb("web", forward(&[("a", 1)]))],
    );
    for lb in live.load_balancers.values_mut() {
        lb.tags.clear();
    }
    let mut want = live.clone();
    for lb in want.load_balancers.values_mut() {
        lb.tags = owned();
        lb.scheme = "internal".into();
    }
    let err = adopt::check(&adopting(&want, &live), &live).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("load_balancer `web`"), "{text}");
    assert!(
        text.contains("`scheme` is \"internet-facing\" live, \"internal\" in the spec"),
        "{text}"
    );
    assert!(!text.contains("dns_name"), "{text}");
    assert!(err.hint.as_deref().unwrap().contains("live values"));

    // A target group the stack does not own: same rule.
    let mut want_tg = live.clone();
    want_tg.target_groups.get_mut("a").unwrap().port = Some(8080);
    live.target_groups.get_mut("a").unwrap().tags.clear();
    let text = adopt::check(&adopting(&want_tg, &live), &live)
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("target_group `a`: `port` is 80 live, 8080"),
        "{text}"
    );

    // Once the stack owns them, a replacement is for the safety checks.
    let mine = want.clone();
    let mut changed = mine.clone();
    changed.load_balancers.get_mut("web").unwrap().scheme = "internet-facing".into();
    assert!(adopt::check(&adopting(&changed, &mine), &mine).is_ok());
}
