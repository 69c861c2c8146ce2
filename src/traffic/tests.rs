//! The seed's numbers and the weight, DNS and failover arithmetic.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::model::dns::{
    Alias, AliasTarget, HealthCheckRef, ManagedHealthCheck, Record, RecordKey, RecordSet, Routing,
    Zone,
};
use crate::model::{Forward, HealthCheck, Listener, Targets, TargetsMode, WeightedTargetGroup};

fn tg(name: &str, ips: &[&str], cross_zone: Option<&str>) -> TargetGroup {
    let mut attributes = BTreeMap::new();
    if let Some(v) = cross_zone {
        attributes.insert("load_balancing.cross_zone.enabled".into(), v.into());
    }
    TargetGroup {
        name: name.into(),
        protocol: Some("TCP".into()),
        port: Some(80),
        vpc_id: Some("vpc-1".into()),
        target_type: "ip".into(),
        protocol_version: None,
        ip_address_type: None,
        health_check: HealthCheck::default(),
        attributes,
        targets: Targets {
            mode: TargetsMode::Exclusive,
            list: ips
                .iter()
                .map(|ip| Target {
                    id: ip.to_string(),
                    port: Some(80),
                    availability_zone: None,
                    quic_server_id: None,
                })
                .collect(),
        },
        tags: BTreeMap::new(),
    }
}

fn lb(lb_type: &str, cross_zone: Option<&str>, forward: &[(&str, u32)]) -> LoadBalancer {
    let mut attributes = BTreeMap::new();
    if let Some(v) = cross_zone {
        attributes.insert("load_balancing.cross_zone.enabled".into(), v.into());
    }
    let listener = Listener {
        port: Some(80),
        protocol: Some("TCP".into()),
        certificates: vec![],
        ssl_policy: None,
        alpn_policy: None,
        default_action: Action::Forward(Forward {
            target_groups: forward
                .iter()
                .map(|(n, w)| WeightedTargetGroup {
                    name: n.to_string(),
                    weight: *w,
                })
                .collect(),
            stickiness: None,
        }),
        default_auth: Default::default(),
        rules: BTreeMap::new(),
        attributes: Default::default(),
    };
    LoadBalancer {
        name: "edge".into(),
        lb_type: lb_type.into(),
        scheme: "internal".into(),
        ip_address_type: None,
        ipam_pool: None,
        subnets: ["subnet-a", "subnet-b"].map(String::from).into(),
        subnet_mappings: vec![],
        security_groups: None,
        attributes,
        listeners: [(80, listener)].into(),
        tags: BTreeMap::new(),
    }
}

fn zones() -> Zones {
    let mut z = Zones::default();
    for ip in ["10.0.11.1", "10.0.11.2", "10.0.11.3", "10.0.11.4"] {
        z.targets.insert(ip.into(), "us-east-1a".into());
    }
    for ip in ["10.0.12.1", "10.0.12.2"] {
        z.targets.insert(ip.into(), "us-east-1b".into());
    }
    z.subnets.insert("subnet-a".into(), "us-east-1a".into());
    z.subnets.insert("subnet-b".into(), "us-east-1b".into());
    z
}

fn model(lbs: Vec<LoadBalancer>, tgs: Vec<TargetGroup>) -> Model {
    Model {
        target_groups: tgs.into_iter().map(|t| (t.name.clone(), t)).collect(),
        load_balancers: lbs.into_iter().map(|l| (l.name.clone(), l)).collect(),
        dns: Default::default(),
        unmanaged: Vec::new(),
    }
}

const SEED: [&str; 4] = ["10.0.11.1", "10.0.11.2", "10.0.11.3", "10.0.12.1"];

fn shares(a: &Analysis) -> Vec<(String, String)> {
    a.shares
        .iter()
        .map(|s| (s.target.clone(), percent(s.share)))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn cross_zone_off_splits_by_zone_first() {
    let m = model(
        vec![lb("network", Some("false"), &[("web", 1)])],
        vec![tg("web", &SEED, None)],
    );
    let a = analyse(&m, &zones());
    assert_eq!(
        shares(&a),
        pairs(&[
            ("10.0.11.1:80", "16.7%"),
            ("10.0.11.2:80", "16.7%"),
            ("10.0.11.3:80", "16.7%"),
            ("10.0.12.1:80", "50.0%"),
        ])
    );
    assert_eq!(a.shares[3].zone, "us-east-1b");
    assert_eq!(a.shares[3].listener, "TCP:80");
    assert!(
        a.warnings.iter().any(
            |w| w.contains("target `10.0.12.1:80` of target group `web` gets 2.0x the average")
        ),
        "{:#?}",
        a.warnings
    );
    assert!(
        a.warnings.iter().any(|w| w.contains(
            "targets in zone `us-east-1b` get 3.0x the share of targets in zone `us-east-1a`"
        )),
        "{:#?}",
        a.warnings
    );
}

#[test]
fn cross_zone_on_splits_equally() {
    for (lb_cz, tg_cz) in [
        (Some("true"), None),
        (Some("false"), Some("true")),
        (Some("true"), Some("use_load_balancer_configuration")),
    ] {
        let m = model(
            vec![lb("network", lb_cz, &[("web", 1)])],
            vec![tg("web", &SEED, tg_cz)],
        );
        let a = analyse(&m, &zones());
        assert!(
            a.shares.iter().all(|s| percent(s.share) == "25.0%"),
            "{a:#?}"
        );
        assert!(a.warnings.is_empty(), "{:#?}", a.warnings);
    }
}

#[test]
fn defaults_follow_the_load_balancer_type() {
    let nlb = lb("network", None, &[]);
    let alb = lb("application", None, &[]);
    let web = tg("web", &SEED, None);
    assert!(!cross_zone(&nlb, &web));
    assert!(cross_zone(&alb, &web));
    assert!(!cross_zone(&alb, &tg("web", &SEED, Some("false"))));
    assert!(cross_zone(&nlb, &tg("web", &SEED, Some("true"))));
}

#[test]
fn forward_weights_scale_each_target_group() {
    let m = model(
        vec![lb("network", Some("true"), &[("blue", 80), ("green", 20)])],
        vec![
            tg("blue", &["10.0.11.1", "10.0.12.1"], None),
            tg("green", &["10.0.11.2", "10.0.12.2"], None),
        ],
    );
    let a = analyse(&m, &zones());
    assert_eq!(
        shares(&a),
        pairs(&[
            ("10.0.11.1:80", "40.0%"),
            ("10.0.12.1:80", "40.0%"),
            ("10.0.11.2:80", "10.0%"),
            ("10.0.12.2:80", "10.0%"),
        ])
    );
    assert!(a.warnings.is_empty(), "{:#?}", a.warnings);
}

#[test]
fn all_zone_targets_join_every_zone_and_disabled_zones_get_nothing() {
    // Zone c is not enabled: its target idles. The `all` target is in both
    // nodes' pools: a's node splits 1/2 over 2, b's node 1/2 over 2.
    let mut web = tg("web", &["10.0.11.1", "10.0.12.1", "10.0.13.1"], None);
    web.targets.list.insert(Target {
        id: "192.168.0.1".into(),
        port: Some(80),
        availability_zone: Some(ALL_ZONES.into()),
        quic_server_id: None,
    });
    let mut z = zones();
    z.targets.insert("10.0.13.1".into(), "us-east-1c".into());
    let m = model(vec![lb("network", Some("false"), &[("web", 1)])], vec![web]);
    let a = analyse(&m, &z);
    assert_eq!(
        shares(&a),
        pairs(&[
            ("10.0.11.1:80", "25.0%"),
            ("10.0.12.1:80", "25.0%"),
            ("10.0.13.1:80", "0.0%"),
            ("192.168.0.1:80", "50.0%"),
        ])
    );
    assert!(a.warnings.iter().any(|w| w.contains("does not enable")));
}

#[test]
fn split_is_pure_arithmetic() {
    let z = |s: &[&str]| s.iter().map(|z| z.to_string()).collect::<Vec<_>>();
    let twelve_and_six: Vec<String> = std::iter::repeat_n("a", 12)
        .chain(std::iter::repeat_n("b", 6))
        .map(String::from)
        .collect();
    let s = split(&twelve_and_six, false, None);
    // The article's example: the smaller zone's targets get twice the load.
    assert!((s[17] / s[0] - 2.0).abs() < 1e-9);
    assert_eq!(split(&z(&[]), false, None), Vec::<f64>::new());
    let enabled: BTreeSet<String> = ["a".to_string()].into();
    assert_eq!(split(&z(&["a", "b"]), true, Some(&enabled)), vec![1.0, 0.0]);
}

fn weighted(id: &str, weight: u32, lb: Option<&str>) -> Record {
    Record {
        set_identifier: Some(id.into()),
        routing: Routing::Weighted { weight },
        ttl: lb.is_none().then_some(60),
        values: if lb.is_none() {
            vec!["203.0.113.1".into()]
        } else {
            vec![]
        },
        alias: lb.map(|name| Alias {
            target: AliasTarget::LoadBalancer(name.into()),
            evaluate_target_health: true,
        }),
        health_check: None,
    }
}

fn failover(role: &str, ttl: Option<u32>, hc: Option<HealthCheckRef>) -> Record {
    Record {
        set_identifier: Some(role.to_lowercase()),
        routing: Routing::Failover { role: role.into() },
        ttl,
        values: vec![],
        alias: ttl.is_none().then(|| Alias {
            target: AliasTarget::LoadBalancer("edge".into()),
            evaluate_target_health: true,
        }),
        health_check: hc,
    }
}

fn managed(interval: Option<u32>, threshold: Option<u32>) -> HealthCheckRef {
    HealthCheckRef::Managed(ManagedHealthCheck {
        id: None,
        check_type: "HTTPS".into(),
        fqdn: Some("app.example.com".into()),
        ip_address: None,
        port: None,
        path: Some("/health".into()),
        interval,
        failure_threshold: threshold,
        ..Default::default()
    })
}

fn with_records(mut m: Model, sets: Vec<(&str, Vec<Record>)>) -> Model {
    let record_sets = sets
        .into_iter()
        .map(|(name, members)| {
            (
                RecordKey {
                    name: format!("{name}.example.com."),
                    rtype: "A".into(),
                },
                RecordSet {
                    members,
                    ..Default::default()
                },
            )
        })
        .collect();
    m.dns.zones.insert(
        "example.com.".into(),
        Zone {
            name: "example.com.".into(),
            id: None,
            private: false,
            record_sets,
        },
    );
    m
}

#[test]
fn weighted_dns_multiplies_the_member_share() {
    let m = with_records(
        model(
            vec![lb("network", Some("false"), &[("web", 1)])],
            vec![tg("web", &SEED, None)],
        ),
        vec![(
            "api",
            vec![
                weighted("lb", 75, Some("edge")),
                weighted("other", 25, None),
            ],
        )],
    );
    let a = analyse(&m, &zones());
    assert_eq!(a.dns.len(), 1);
    assert_eq!(a.dns[0].record, "api.example.com. A");
    assert_eq!(percent(a.dns[0].share), "75.0%");
    let via: Vec<String> = a.via_dns.iter().map(|p| percent(p.target.share)).collect();
    assert_eq!(via, ["12.5%", "12.5%", "12.5%", "37.5%"]);
}

#[test]
fn failover_time_is_interval_times_threshold_plus_ttl() {
    let m = with_records(
        Model::default(),
        vec![
            (
                "app",
                vec![
                    failover("PRIMARY", Some(60), Some(managed(Some(10), Some(2)))),
                    failover("SECONDARY", None, Some(managed(None, None))),
                ],
            ),
            (
                "old",
                vec![failover(
                    "PRIMARY",
                    Some(300),
                    Some(HealthCheckRef::Id("hc-1".into())),
                )],
            ),
        ],
    );
    let a = analyse(&m, &Zones::default());
    let times: Vec<(&str, u32, bool)> = a
        .failovers
        .iter()
        .map(|f| (f.role.as_str(), f.seconds, f.ttl_assumed))
        .collect();
    // 10 x 2 + 60; defaults 30 x 3 + 60 assumed for the alias.
    assert_eq!(times, [("PRIMARY", 80, false), ("SECONDARY", 150, true)]);
    assert!(a.notes.iter().any(|n| n.contains("`hc-1`")));
    assert!(a.notes.iter().any(|n| n.contains("assume a TTL of 60 s")));
}

#[test]
fn an_enabled_zone_without_targets_is_a_warning() {
    // The load balancer enables a and b; every target is in a.
    let web = tg("web", &["10.0.11.1", "10.0.11.2"], None);
    let m = model(vec![lb("network", Some("false"), &[("web", 1)])], vec![web]);
    let a = analyse(&m, &zones());
    let empty: Vec<&String> = a
        .warnings
        .iter()
        .filter(|w| w.contains("has no target there"))
        .collect();
    assert_eq!(empty.len(), 1, "{:#?}", a.warnings);
    assert!(
        empty[0].starts_with(
            "zone `us-east-1b` is enabled on load balancer `edge` but target group `web` has no target there: cross-zone load balancing is off"
        ),
        "{empty:?}"
    );
    // Cross-zone on: still said, with what it means then.
    let web = tg("web", &["10.0.11.1", "10.0.11.2"], None);
    let m = model(vec![lb("network", Some("true"), &[("web", 1)])], vec![web]);
    let a = analyse(&m, &zones());
    assert!(
        a.warnings
            .iter()
            .any(|w| w.contains("crosses to other zones")),
        "{:#?}",
        a.warnings
    );
    // Targets in both zones: nothing to say.
    let web = tg("web", &["10.0.11.1", "10.0.12.1"], None);
    let m = model(vec![lb("network", Some("false"), &[("web", 1)])], vec![web]);
    assert!(analyse(&m, &zones()).warnings.is_empty());
}

#[test]
fn disabled_inverted_and_calculated_checks_change_the_failover_figures() {
    let check = |f: &dyn Fn(&mut ManagedHealthCheck)| {
        let HealthCheckRef::Managed(mut m) = managed(Some(10), Some(2)) else {
            unreachable!()
        };
        f(&mut m);
        HealthCheckRef::Managed(m)
    };
    let calculated = ManagedHealthCheck {
        check_type: "CALCULATED".into(),
        healthy_threshold: Some(1),
        children: vec![managed(Some(10), Some(2)), managed(Some(30), Some(3))],
        ..Default::default()
    };
    let m = with_records(
        Model::default(),
        vec![
            (
                "off",
                vec![failover(
                    "PRIMARY",
                    Some(60),
                    Some(check(&|m| m.disabled = true)),
                )],
            ),
            (
                "flip",
                vec![failover(
                    "PRIMARY",
                    Some(60),
                    Some(check(&|m| m.inverted = true)),
                )],
            ),
            (
                "calc",
                vec![failover(
                    "PRIMARY",
                    Some(60),
                    Some(HealthCheckRef::Managed(calculated)),
                )],
            ),
        ],
    );
    let a = analyse(&m, &Zones::default());
    let times: Vec<(&str, u32, bool)> = a
        .failovers
        .iter()
        .map(|f| (f.record.as_str(), f.seconds, f.inverted))
        .collect();
    // Disabled: no figure (Route 53 treats it as healthy); inverted: the
    // same time, the other way round; calculated: its slowest child.
    assert_eq!(
        times,
        [
            ("calc.example.com. A", 150, false),
            ("flip.example.com. A", 80, true)
        ]
    );
    assert!(
        a.notes
            .iter()
            .any(|n| n.contains("`off.example.com. A`") && n.contains("never fails over")),
        "{:#?}",
        a.notes
    );
    assert!(
        a.notes.iter().any(|n| n.contains("inverted")),
        "{:#?}",
        a.notes
    );
}
