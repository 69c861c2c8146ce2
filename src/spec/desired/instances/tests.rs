//! Instance selectors on the spec side: parsing and validation, the
//! selectors listed for the resolver, targets and `weighted_from_instances`
//! members built from a [`Resolved`], and the plan warnings.

use crate::model::dns::{Record, RecordKey, Routing, ZoneInfo};
use crate::model::{Model, Target};
use crate::spec::selector::{instance_selectors, instance_warnings, InstanceInfo, InstanceTags};
use crate::spec::{load, Resolved, Spec, SpecErrors};

const SPEC: &str = "\
version: 1
stack: edge
target_groups:
  web:
    protocol: HTTP
    port: 80
    vpc: vpc-0abc
    targets:
      list:
        - { instances: { tags: { role: web, color: blue } }, port: 8080 }
        - { instances: { tags: { role: web, color: blue } } }
        - { id: i-0123456789abcdef0 }
  web-ip:
    protocol: TCP
    port: 443
    vpc: vpc-0abc
    target_type: ip
    targets:
      list:
        - { instances: { tags: { color: blue, role: web } }, availability_zone: all }
dns:
  - zone: example.com
    records:
      - name: edge
        type: A
        ttl: 30
        weighted_from_instances:
          instances: { tags: { app: edge } }
          address: private
          weight: 10
      - name: carrier
        type: a
        weighted_from_instances:
          instances: { tags: { app: edge } }
          address: Carrier
          weight: 0
";

fn load_text(text: &str) -> Result<Spec, SpecErrors> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, text).unwrap();
    load(&[path])
}

fn spec() -> Spec {
    load_text(SPEC).unwrap_or_else(|e| panic!("{e}"))
}

fn tags(pairs: &[(&str, &str)]) -> InstanceTags {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn instance(id: &str, private: Option<&str>, public: Option<&str>) -> InstanceInfo {
    InstanceInfo {
        id: id.into(),
        private_ip: private.map(str::to_string),
        public_ip: public.map(str::to_string),
        carrier_ip: None,
    }
}

fn resolved() -> Resolved {
    let mut r = Resolved {
        zones: vec![ZoneInfo {
            id: "Z1".into(),
            name: "example.com.".into(),
            private: false,
        }],
        ..Default::default()
    };
    r.instances.insert(
        tags(&[("role", "web"), ("color", "blue")]),
        vec![
            instance("i-0a", Some("10.0.11.4"), None),
            instance("i-0b", None, None),
        ],
    );
    r.instances.insert(
        tags(&[("app", "edge")]),
        vec![
            instance("i-1a", Some("10.0.11.10"), Some("198.51.100.1")),
            instance("i-1b", Some("10.0.12.10"), None),
        ],
    );
    r
}

fn members(m: &Model, name: &str) -> Vec<Record> {
    let key = RecordKey {
        name: name.into(),
        rtype: "A".into(),
    };
    m.dns.zones["example.com."].record_sets[&key]
        .members
        .clone()
}

/// The messages of a spec that must not load.
fn problems(text: &str) -> Vec<String> {
    match load_text(text) {
        Ok(_) => panic!("expected the spec to be invalid"),
        Err(e) => e.0.into_iter().map(|d| d.message).collect(),
    }
}

#[test]
fn each_distinct_selector_is_listed_once() {
    assert_eq!(
        instance_selectors(&spec()),
        vec![
            tags(&[("app", "edge")]),
            tags(&[("color", "blue"), ("role", "web")]),
        ]
    );
}

#[test]
fn instance_targets_are_instance_ids_or_private_ips() {
    let model = spec()
        .to_model(&resolved())
        .unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<String> = model.target_groups["web"]
        .targets
        .list
        .iter()
        .map(Target::to_string)
        .collect();
    // The port of the target, else of the target group; listed IDs stay.
    assert_eq!(
        ids,
        [
            "i-0123456789abcdef0:80",
            "i-0a:80",
            "i-0a:8080",
            "i-0b:80",
            "i-0b:8080"
        ]
    );
    // An ip target group registers private IPs; an instance without one
    // is left out (and warned about).
    let ip: Vec<&Target> = model.target_groups["web-ip"].targets.list.iter().collect();
    assert_eq!(ip.len(), 1);
    assert_eq!(ip[0].id, "10.0.11.4");
    assert_eq!(ip[0].port, Some(443));
    assert_eq!(ip[0].availability_zone.as_deref(), Some("all"));
}

#[test]
fn weighted_from_instances_makes_one_member_per_instance() {
    let model = spec()
        .to_model(&resolved())
        .unwrap_or_else(|e| panic!("{e}"));
    let edge = members(&model, "edge.example.com.");
    type View<'a> = (Option<&'a str>, &'a Routing, Option<u32>, &'a [String]);
    let got: Vec<View> = edge
        .iter()
        .map(|m| {
            (
                m.set_identifier.as_deref(),
                &m.routing,
                m.ttl,
                m.values.as_slice(),
            )
        })
        .collect();
    let w10 = Routing::Weighted { weight: 10 };
    assert_eq!(
        got,
        [
            (
                Some("i-1a"),
                &w10,
                Some(30),
                &["10.0.11.10".to_string()][..]
            ),
            (
                Some("i-1b"),
                &w10,
                Some(30),
                &["10.0.12.10".to_string()][..]
            ),
        ]
    );
    assert!(edge
        .iter()
        .all(|m| m.alias.is_none() && m.health_check.is_none()));
    // No instance has a carrier IP: the record set has no member.
    assert!(members(&model, "carrier.example.com.").is_empty());
}

#[test]
fn a_selector_that_matches_nothing_is_a_warning_not_an_error() {
    let model = spec()
        .to_model(&Resolved {
            zones: resolved().zones,
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(model.target_groups["web"].targets.list.len(), 1);
    assert!(members(&model, "edge.example.com.").is_empty());
    let warnings = instance_warnings(&spec(), &Resolved::default());
    assert_eq!(
        warnings,
        [
            "target group `web`: instance selector `{ tags: { color: blue, role: web } }` matches no running instance",
            "target group `web-ip`: instance selector `{ tags: { color: blue, role: web } }` matches no running instance",
            "record set `edge.example.com. A`: instance selector `{ tags: { app: edge } }` matches no running instance",
            "record set `carrier.example.com. A`: instance selector `{ tags: { app: edge } }` matches no running instance",
        ]
    );
}

#[test]
fn instances_without_the_address_are_warned_about() {
    let warnings = instance_warnings(&spec(), &resolved());
    assert_eq!(
        warnings,
        [
            "target group `web-ip`: 1 instance without a private IPv4 address not registered: i-0b",
            "record set `carrier.example.com. A`: 2 instances without a carrier IP get no record \
             (carrier IPs exist only in Wavelength zones): i-1a, i-1b",
        ]
    );
}

#[test]
fn running_instance_addresses_are_collected() {
    let all: Vec<String> = resolved().instance_addresses().into_iter().collect();
    assert_eq!(
        all,
        ["10.0.11.10", "10.0.11.4", "10.0.12.10", "198.51.100.1"]
    );
}

const TG: &str = "version: 1\nstack: s\ntarget_groups:\n  t:\n";
const ZONE: &str = "version: 1\nstack: s\ndns:\n  - zone: example.com\n    records:\n";

#[test]
fn instance_selectors_in_targets_are_checked() {
    let lambda = format!(
        "{TG}    target_type: lambda\n    targets: {{ list: [ {{ instances: {{ tags: {{ a: b }} }} }} ] }}\n"
    );
    assert_eq!(
        problems(&lambda),
        ["target group `t`: instance selectors need target type `instance` or `ip`, not `lambda`"]
    );
    let alb = format!(
        "{TG}    target_type: alb\n    protocol: TCP\n    port: 80\n    vpc: vpc-1\n    \
         targets: {{ list: [ {{ instances: {{ tags: {{ a: b }} }}, port: 80 }} ] }}\n"
    );
    assert_eq!(
        problems(&alb),
        ["target group `t`: instance selectors need target type `instance` or `ip`, not `alb`"]
    );
    let base =
        format!("{TG}    protocol: HTTP\n    port: 80\n    vpc: vpc-1\n    targets: {{ list: [ ");
    for (target, want) in [
        ("{ instances: {} }", "an instance selector needs `tags`"),
        (
            "{ instances: { tags: {} } }",
            "an instance selector needs at least one tag",
        ),
        (
            "{ instances: { tags: { a: b } }, id: i-0abc }",
            "a target takes `id` or `instances`, not both",
        ),
        (
            "{ instances: { tags: { a: b } }, port: 0 }",
            "target port 0 is out of range (1..65535)",
        ),
        (
            "{ instances: { tags: { a: b } }, availability_zone: all }",
            "`availability_zone` only applies to targets of `target_type: ip`",
        ),
        ("{ port: 80 }", "a target needs `id` or `instances`"),
    ] {
        let got = problems(&format!("{base}{target} ] }}\n"));
        assert_eq!(got, [format!("target group `t`: {want}")], "{target}");
    }
    assert!(problems(&format!(
        "{base}{{ instances: {{ tag: {{ a: b }} }} }} ] }}\n"
    ))[0]
        .contains("unknown key `tag`"));
}

#[test]
fn weighted_from_instances_is_checked() {
    let record = |body: &str| {
        format!(
            "{ZONE}      - name: edge\n        type: A\n        weighted_from_instances: {body}\n"
        )
    };
    for (body, want) in [
        (
            "{ instances: { tags: { a: b } }, address: elastic, weight: 1 }",
            "unknown address kind `elastic`",
        ),
        (
            "{ instances: { tags: { a: b } }, address: public, weight: 256 }",
            "weight (256) must be between 0 and 255",
        ),
        (
            "{ instances: { tags: { a: b } }, address: public, weight: -1 }",
            "weight (-1) must be between 0 and 255",
        ),
        (
            "{ instances: {}, address: public, weight: 1 }",
            "an instance selector needs `tags`",
        ),
        (
            "{ address: public, weight: 1 }",
            "`weighted_from_instances` needs `instances`",
        ),
        (
            "{ instances: { tags: { a: b } }, weight: 1 }",
            "`weighted_from_instances` needs `address`",
        ),
        (
            "{ instances: { tags: { a: b } }, address: public }",
            "`weighted_from_instances` needs `weight`",
        ),
    ] {
        let got = problems(&record(body));
        assert_eq!(
            got,
            [format!("record `edge.example.com. A`: {want}")],
            "{body}"
        );
    }
    for ok in [0, 255] {
        let body =
            format!("{{ instances: {{ tags: {{ a: b }} }}, address: carrier, weight: {ok} }}");
        load_text(&record(&body)).unwrap_or_else(|e| panic!("{e}"));
    }
    let health_check =
        record("{ instances: { tags: { a: b } }, address: public, weight: 1, health_check: hc-1 }");
    assert!(problems(&health_check)[0].contains("unknown key `health_check`"));
}
