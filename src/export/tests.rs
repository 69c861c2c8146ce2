//! Unit tests of the export: a small live model with a target group, an
//! application load balancer and a zone, exported and read back (the last
//! test loads the text with the spec layer and diffs it against its source).

use std::collections::BTreeSet;

use super::listener::action;
use super::*;
use crate::model::dns::{
    owner_key, owner_record, Alias, AliasTarget, Record, RecordKey, RecordSet, Routing, Zone,
    ZoneInfo,
};
use crate::model::{
    Action, Attributes, Condition, Conditions, FixedResponse, Forward, HealthCheck, Listener,
    LoadBalancer, Matcher, Patterns, Redirect, Rule, Target, TargetGroup, Targets,
    WeightedTargetGroup, STACK_TAG,
};

fn tg(name: &str, protocol: &str, attrs: &[(&str, &str)], stack: Option<&str>) -> TargetGroup {
    let mut tags = Tags::from([("team".into(), "web".into()), ("aws:x".into(), "y".into())]);
    if let Some(s) = stack {
        tags.insert(STACK_TAG.into(), s.into());
    }
    TargetGroup {
        name: name.into(),
        protocol: Some(protocol.into()),
        port: Some(80),
        vpc_id: Some("vpc-1".into()),
        target_type: "ip".into(),
        protocol_version: Some("HTTP1".into()),
        ip_address_type: Some("ipv4".into()),
        health_check: HealthCheck {
            enabled: Some(true),
            protocol: Some("HTTP".into()),
            port: Some("traffic-port".into()),
            path: Some("/health".into()),
            interval: Some(30),
            timeout: Some(5),
            healthy_threshold: Some(5),
            unhealthy_threshold: Some(2),
            matcher: Some(Matcher::HttpCode("200-299".into())),
        },
        attributes: attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        targets: Targets {
            mode: Default::default(),
            list: [Target {
                id: "10.0.0.1".into(),
                port: Some(80),
                availability_zone: None,
                quic_server_id: None,
            }]
            .into(),
        },
        tags,
    }
}

fn forward(names: &[(&str, u32)]) -> Action {
    Action::Forward(Forward {
        target_groups: names
            .iter()
            .map(|(n, w)| WeightedTargetGroup {
                name: n.to_string(),
                weight: *w,
            })
            .collect(),
        stickiness: None,
    })
}

fn lb(name: &str, stack: Option<&str>, default_action: Action) -> LoadBalancer {
    let listener = Listener {
        port: Some(80),
        protocol: Some("HTTP".into()),
        certificates: vec![],
        ssl_policy: None,
        alpn_policy: None,
        default_action,
        default_auth: Default::default(),
        rules: BTreeMap::from([(
            10,
            Rule {
                priority: 10,
                conditions: Conditions::new(vec![Condition::PathPattern(Patterns::values(vec![
                    "/down".into(),
                ]))]),
                transforms: Default::default(),
                action: Action::FixedResponse(FixedResponse {
                    status: "503".into(),
                    content_type: Some("text/plain".into()),
                    body: Some("down".into()),
                }),
                auth: Default::default(),
            },
        )]),
        attributes: Default::default(),
    };
    LoadBalancer {
        name: name.into(),
        lb_type: "application".into(),
        scheme: "internet-facing".into(),
        ip_address_type: Some("ipv4".into()),
        ipam_pool: None,
        subnets: ["subnet-a".to_string(), "subnet-b".to_string()].into(),
        subnet_mappings: vec![],
        security_groups: Some(["sg-1".to_string()].into()),
        attributes: Attributes::from([
            ("idle_timeout.timeout_seconds".into(), "60".into()),
            ("load_balancing.cross_zone.enabled".into(), "true".into()),
            (
                "routing.http.xff_header_processing.mode".into(),
                "append".into(),
            ),
            ("access_logs.s3.bucket".into(), String::new()),
        ]),
        listeners: BTreeMap::from([(80, listener)]),
        tags: stack
            .map(|s| Tags::from([(STACK_TAG.into(), s.into())]))
            .unwrap_or_default(),
    }
}

fn record(id: Option<&str>, routing: Routing, values: &[&str]) -> Record {
    Record {
        set_identifier: id.map(str::to_string),
        routing,
        ttl: Some(60),
        values: values.iter().map(|v| v.to_string()).collect(),
        alias: None,
        health_check: None,
    }
}

fn key(name: &str, rtype: &str) -> RecordKey {
    RecordKey {
        name: name.into(),
        rtype: rtype.into(),
    }
}

/// A zone with an owned weighted set, an unowned TXT at the apex, the
/// apex SOA, an alias to `web` and the ownership records.
fn zone(stack: &str) -> Zone {
    let mut sets = BTreeMap::new();
    let weighted = key("api.example.com.", "A");
    sets.insert(
        weighted.clone(),
        RecordSet {
            members: vec![
                record(
                    Some("blue"),
                    Routing::Weighted { weight: 90 },
                    &["192.0.2.1"],
                ),
                record(
                    Some("green"),
                    Routing::Weighted { weight: 10 },
                    &["192.0.2.2"],
                ),
            ],
            ..Default::default()
        },
    );
    let www = key("www.example.com.", "A");
    sets.insert(
        www.clone(),
        RecordSet {
            members: vec![Record {
                ttl: None,
                values: vec![],
                alias: Some(Alias {
                    target: AliasTarget::Target {
                        dns_name: "Web-1.us-east-1.elb.amazonaws.com.".into(),
                        hosted_zone_id: "Z1".into(),
                    },
                    evaluate_target_health: true,
                }),
                ..record(None, Routing::Simple, &[])
            }],
            ..Default::default()
        },
    );
    for k in [&weighted, &www] {
        sets.insert(
            owner_key(k),
            RecordSet {
                members: vec![owner_record(stack)],
                ..Default::default()
            },
        );
    }
    sets.insert(
        key("example.com.", "TXT"),
        RecordSet {
            members: vec![record(None, Routing::Simple, &["\"v=spf1 -all\""])],
            ..Default::default()
        },
    );
    sets.insert(
        key("example.com.", "SOA"),
        RecordSet {
            members: vec![record(None, Routing::Simple, &["ns. admin. 1 2 3 4 5"])],
            ..Default::default()
        },
    );
    Zone {
        name: "example.com.".into(),
        id: Some("Z9".into()),
        private: false,
        record_sets: sets,
    }
}

fn selection(records: Records) -> Selection {
    let mut model = Model::default();
    let blue = tg(
        "blue",
        "HTTP",
        &[
            ("stickiness.enabled", "true"),
            ("stickiness.type", "app_cookie"),
            ("stickiness.app_cookie.cookie_name", "SESSION"),
            ("stickiness.app_cookie.duration_seconds", "3600"),
            ("stickiness.lb_cookie.duration_seconds", "86400"),
            ("slow_start.duration_seconds", "0"),
            ("proxy_protocol_v2.enabled", "false"),
            ("waf.fail_open.enabled", "false"),
            (
                "target_group_health.dns_failover.minimum_healthy_targets.count",
                "2",
            ),
        ],
        Some("s"),
    );
    model.target_groups.insert("blue".into(), blue);
    model.load_balancers.insert(
        "web".into(),
        lb("web", Some("s"), forward(&[("blue", 90), ("other", 10)])),
    );
    model.dns.zones.insert("example.com.".into(), zone("s"));
    Selection {
        model,
        records,
        target_group_arns: BTreeMap::from([(
            "other".to_string(),
            "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/other/1".to_string(),
        )]),
        load_balancer_dns: BTreeMap::from([(
            "web".to_string(),
            (
                "web-1.us-east-1.elb.amazonaws.com".to_string(),
                "Z1".to_string(),
            ),
        )]),
    }
}

fn doc(e: &Exported) -> serde_yaml::Value {
    serde_yaml::from_str(&e.yaml).unwrap()
}

#[test]
fn target_group_attributes_follow_the_protocol() {
    let e = export(&selection(Records::All), "s", None);
    let d = doc(&e);
    let blue = &d["target_groups"]["blue"];
    let a = &blue["attributes"];
    assert_eq!(a["stickiness"]["type"], "app_cookie");
    assert_eq!(a["stickiness"]["duration"], "1h");
    assert_eq!(a["stickiness"]["cookie_name"], "SESSION");
    // NLB-only and the other cookie's duration are left out, keys the
    // spec does not model go under extra, but only those AWS takes for
    // the target group (moto reports a load balancer key on it).
    assert!(a.get("proxy_protocol_v2").is_none());
    // A key a typed key covers is written typed, never under extra.
    assert_eq!(a["health_thresholds"]["dns_failover"]["count"], 2);
    assert!(a.get("extra").is_none(), "{}", e.yaml);
    assert_eq!(a.as_mapping().unwrap().len(), 3, "{}", e.yaml);
    assert_eq!(blue["health_check"]["matcher"], "200-299");
    assert!(blue["tags"].get("aws:x").is_none());
    assert!(blue["tags"].get(STACK_TAG).is_none());
    assert_eq!(blue["tags"]["team"], "web");
}

#[test]
fn tcp_target_groups_drop_http_only_settings() {
    let mut t = tg(
        "t",
        "TCP",
        &[
            ("stickiness.type", "lb_cookie"),
            ("stickiness.lb_cookie.duration_seconds", "60"),
            ("proxy_protocol_v2.enabled", "true"),
            ("slow_start.duration_seconds", "0"),
        ],
        None,
    );
    t.health_check.protocol = Some("TCP".into());
    let v = target_group(&t, &mut vec![]);
    assert!(v.get("protocol_version").is_none());
    let hc = &v["health_check"];
    assert!(hc.get("path").is_none() && hc.get("matcher").is_none());
    let a = &v["attributes"];
    assert_eq!(a["proxy_protocol_v2"], true);
    assert!(a.get("slow_start").is_none());
    assert!(a.get("stickiness").is_none(), "{a}");
}

#[test]
fn attributes_aws_does_not_take_for_the_kind_are_left_out() {
    // What moto reports on every target group.
    let moto = [
        ("deregistration_delay.timeout_seconds", "300"),
        (
            "load_balancing.cross_zone.enabled",
            "use_load_balancer_configuration",
        ),
        ("waf.fail_open.enabled", "false"),
        ("lambda.multi_value_headers.enabled", "false"),
    ];
    let geneve = target_group(&tg("g", "GENEVE", &moto, None), &mut vec![]);
    let a = &geneve["attributes"];
    assert!(a.get("cross_zone").is_none(), "{a}");
    assert_eq!(a["deregistration_delay"], 300);
    assert!(a.get("extra").is_none(), "{a}");
    let mut f = tg("f", "HTTP", &moto, None);
    f.target_type = "lambda".into();
    f.protocol = None;
    let lambda = target_group(&f, &mut vec![]);
    let a = &lambda["attributes"];
    assert!(a.get("deregistration_delay").is_none(), "{a}");
    assert_eq!(a["cross_zone"], "inherit");
    assert_eq!(a["lambda_multi_value_headers"], false);
    assert!(a.get("extra").is_none(), "{a}");
}

#[test]
fn load_balancers_forward_by_name_or_arn() {
    let e = export(&selection(Records::All), "s", Some("us-east-1"));
    let d = doc(&e);
    assert_eq!(d["region"], "us-east-1");
    let web = &d["load_balancers"]["web"];
    let attrs = &web["attributes"];
    assert!(attrs.get("cross_zone").is_none(), "never on an ALB");
    assert_eq!(attrs["idle_timeout"], 60);
    assert_eq!(attrs["xff_header_processing"], "append");
    assert!(attrs.get("extra").is_none(), "{attrs:?}");
    let fwd = &web["listeners"][0]["default_action"]["forward"]["target_groups"];
    assert_eq!(fwd[0]["name"], "blue");
    assert_eq!(fwd[0]["weight"], 90);
    assert_eq!(
        fwd[1]["arn"],
        "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/other/1"
    );
    let rule = &web["listeners"][0]["rules"][0];
    assert_eq!(rule["action"]["fixed_response"]["status"], 503);
    assert_eq!(rule["conditions"]["path_pattern"][0], "/down");
}

#[test]
fn redirects_leave_out_aws_defaults() {
    let r = Action::Redirect(Redirect {
        protocol: "HTTPS".into(),
        port: "443".into(),
        host: "#{host}".into(),
        path: "/#{path}".into(),
        query: "#{query}".into(),
        status: "HTTP_302".into(),
    });
    let refs = Refs {
        exported: BTreeSet::new(),
        arns: &BTreeMap::new(),
    };
    let v = action(&r, &refs, &mut vec![]);
    assert_eq!(
        v,
        json!({"redirect": {"protocol": "HTTPS", "port": "443", "status": 302}})
    );
}

#[test]
fn zones_export_owned_or_all_record_sets() {
    let z = zone("s");
    let names = |r: &Records| -> Vec<String> {
        selected_records(&z, r)
            .into_iter()
            .map(|(k, _)| k.to_string())
            .collect()
    };
    assert_eq!(
        names(&Records::OwnedBy("s".into())),
        ["api.example.com. A", "www.example.com. A"]
    );
    assert_eq!(
        names(&Records::All),
        [
            "example.com. TXT",
            "api.example.com. A",
            "www.example.com. A"
        ]
    );
    assert!(names(&Records::OwnedBy("other".into())).is_empty());
}

#[test]
fn records_are_relative_grouped_and_aliases_name_load_balancers() {
    let e = export(&selection(Records::All), "s", None);
    let d = doc(&e);
    let records = &d["dns"][0]["records"];
    assert_eq!(d["dns"][0]["zone"], "example.com");
    assert_eq!(records[0]["name"], "@");
    assert_eq!(records[0]["values"][0], "v=spf1 -all");
    assert_eq!(records[1]["name"], "api");
    assert_eq!(records[1]["ttl"], 60);
    assert_eq!(records[1]["weighted"][1]["id"], "green");
    assert_eq!(records[1]["weighted"][1]["weight"], 10);
    assert_eq!(records[2]["alias"]["load_balancer"], "web");
    assert_eq!(records[2]["alias"]["evaluate_target_health"], true);
    assert!(records[2].get("ttl").is_none());
    // The apex TXT record is nobody's: the first apply needs --adopt.
    assert_eq!(e.warnings.len(), 1, "{:?}", e.warnings);
    assert!(
        e.warnings[0].starts_with(
            "stack `s` does not own record set `example.com. TXT`: apply with --adopt"
        ),
        "{:?}",
        e.warnings
    );
    assert!(e.yaml.contains("\n# stack `s` does not own"), "{}", e.yaml);
}

#[test]
fn an_export_of_what_the_stack_owns_needs_no_adopt() {
    let e = export(&selection(Records::OwnedBy("s".into())), "s", None);
    assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    assert!(!is_empty(&selection(Records::OwnedBy("s".into()))));
    let mut s = selection(Records::OwnedBy("typo".into()));
    s.model.load_balancers.clear();
    s.model.target_groups.clear();
    assert!(is_empty(&s), "a zone without records of the stack is empty");
    // Exported into another stack: everything needs --adopt.
    let e = export(&selection(Records::OwnedBy("s".into())), "new", None);
    assert!(
        e.warnings[0].contains("load balancer `web`, target group `blue`, record set"),
        "{:?}",
        e.warnings
    );
}

#[test]
fn relative_names() {
    let z = "example.com.";
    assert_eq!(relative_name("example.com.", z), "@");
    assert_eq!(relative_name("a.b.example.com.", z), "a.b");
    assert_eq!(relative_name("other.org.", z), "other.org.");
    // Would read as a name missing its trailing dot.
    assert_eq!(
        relative_name("a.example.com.example.com.", z),
        "a.example.com.example.com."
    );
}

#[test]
fn the_stack_is_the_tag_every_load_balancer_and_target_group_shares() {
    let mut s = selection(Records::All);
    assert_eq!(common_stack(&s).as_deref(), Some("s"));
    s.model.target_groups.get_mut("blue").unwrap().tags.clear();
    assert_eq!(common_stack(&s), None);
    s.model = Model::default();
    assert_eq!(common_stack(&s), None);
}

/// The exported text, loaded by the spec layer, is the live model again
/// as far as the diff is concerned.
#[test]
fn an_export_plans_no_changes_against_its_source() {
    let s = selection(Records::OwnedBy("s".into()));
    let e = export(&s, "s", None);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.yaml");
    std::fs::write(&path, &e.yaml).unwrap();
    let spec = crate::spec::load(&[path]).unwrap_or_else(|e| panic!("{e}"));
    let resolved = crate::spec::Resolved {
        zones: vec![ZoneInfo {
            id: "Z9".into(),
            name: "example.com.".into(),
            private: false,
        }],
        ..Default::default()
    };
    let desired = spec.to_model(&resolved).unwrap();
    let mut names = BTreeMap::new();
    names.insert(
        "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/other/1".to_string(),
        "other".to_string(),
    );
    // Live as the current lbctl leaves it: the zone tagged for the stack.
    let mut live = s.model.clone();
    live.dns.tagged.insert("example.com.".into());
    let plan = crate::diff::diff(&crate::diff::Input {
        stack: "s",
        desired: &desired,
        live: &live,
        in_use: &BTreeSet::new(),
        target_group_names: &names,
        load_balancer_dns: &s.load_balancer_dns,
        adopt: false,
        ttl_warning: 300,
        instance_addresses: &BTreeSet::new(),
    });
    assert!(plan.steps.is_empty(), "{:#?}\n{}", plan.steps, e.yaml);
    assert!(plan.conflicts.is_empty());
}
