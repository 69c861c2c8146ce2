//! Tests of the `dns:` -> model normalisation, on
//! `tests/fixtures/valid/dns.yaml`, and of hosted zone lookup.

use std::path::PathBuf;

use super::quote;
use crate::model::dns::{
    Alias, AliasTarget, HealthCheckRef, ManagedHealthCheck, Record, RecordKey, Routing, ZoneInfo,
    ZoneRef,
};
use crate::model::Model;
use crate::spec::{load, Resolved, Spec};

fn spec() -> Spec {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/dns.yaml");
    load(&[path]).unwrap_or_else(|e| panic!("{e}"))
}

fn info(id: &str, name: &str, private: bool) -> ZoneInfo {
    ZoneInfo {
        id: id.into(),
        name: name.into(),
        private,
    }
}

/// The zones of the fixture as AWS has them, with a private twin of
/// `example.com.` that must not be picked.
fn resolved() -> Resolved {
    Resolved {
        zones: vec![
            info("ZPRIV", "example.com.", true),
            info("ZPUB", "example.com.", false),
            info("ZPRIVATE1", "corp.example.", true),
            info("ZSVC", "svc.internal.", true),
        ],
        ..Default::default()
    }
}

fn model() -> Model {
    spec()
        .to_model(&resolved())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn members(m: &Model, zone: &str, name: &str, rtype: &str) -> Vec<Record> {
    let key = RecordKey {
        name: name.into(),
        rtype: rtype.into(),
    };
    let set = m.dns.zones[zone].record_sets.get(&key);
    set.unwrap_or_else(|| panic!("no {key} in {zone}"))
        .members
        .clone()
}

#[test]
fn zones_are_named_absolute_and_listed_once() {
    assert_eq!(
        spec().zones(),
        [
            ZoneRef::Name {
                name: "example.com.".into(),
                private: None
            },
            ZoneRef::Id("ZPRIVATE1".into()),
            ZoneRef::Name {
                name: "svc.internal.".into(),
                private: Some(true)
            },
        ]
    );
}

#[test]
fn zones_are_found_by_name_privacy_and_id() {
    let m = model();
    let zones: Vec<(&str, Option<&str>, bool)> = m
        .dns
        .zones
        .values()
        .map(|z| (z.name.as_str(), z.id.as_deref(), z.private))
        .collect();
    assert_eq!(
        zones,
        [
            ("corp.example.", Some("ZPRIVATE1"), true),
            ("example.com.", Some("ZPUB"), false),
            ("svc.internal.", Some("ZSVC"), true),
        ]
    );
    assert!(m.dns.zones["svc.internal."].record_sets.is_empty());
    let db = members(&m, "corp.example.", "db.corp.example.", "CNAME");
    assert_eq!(db[0].values, ["db.internal.example."]);
}

#[test]
fn record_names_are_absolute_and_lower_case() {
    let m = model();
    let keys: Vec<String> = m.dns.zones["example.com."]
        .record_sets
        .keys()
        .map(|k| k.to_string())
        .collect();
    assert_eq!(
        keys,
        [
            "api.example.com. A",
            "app.example.com. A",
            "example.com. AAAA",
            "example.com. TXT",
            "geo.example.com. A",
            "mail.example.com. MX",
            "near.example.com. A",
            "www.example.com. A",
        ]
    );
}

#[test]
fn simple_records_get_the_default_ttl_and_quoted_txt() {
    let m = model();
    let txt = members(&m, "example.com.", "example.com.", "TXT");
    assert_eq!(txt.len(), 1);
    assert_eq!(
        (&txt[0].set_identifier, &txt[0].routing, txt[0].ttl),
        (&None, &Routing::Simple, Some(300))
    );
    assert_eq!(
        txt[0].values,
        [
            "\"v=spf1 -all\"",
            "\"already quoted\"",
            "\"say \\\"hi\\\"\""
        ]
    );
    let mx = members(&m, "example.com.", "mail.example.com.", "MX");
    assert_eq!(mx[0].ttl, Some(3600));
    assert_eq!(mx[0].values, ["10 mx1.example.com.", "20 mx2.example.com."]);
}

#[test]
fn long_txt_values_are_split_into_strings() {
    let long = "a".repeat(300);
    let q = quote(&long);
    assert_eq!(q, format!("\"{}\" \"{}\"", "a".repeat(255), "a".repeat(45)));
}

#[test]
fn aliases_of_both_kinds() {
    let m = model();
    let www = members(&m, "example.com.", "www.example.com.", "A");
    assert_eq!(www[0].ttl, None);
    assert!(www[0].values.is_empty());
    assert_eq!(
        www[0].alias,
        Some(Alias {
            target: AliasTarget::LoadBalancer("web".into()),
            evaluate_target_health: true
        })
    );
    let apex = members(&m, "example.com.", "example.com.", "AAAA");
    assert_eq!(
        apex[0].alias,
        Some(Alias {
            target: AliasTarget::Target {
                dns_name: "dualstack.web-1.us-east-1.elb.amazonaws.com.".into(),
                hosted_zone_id: "Z35SXDOTRQ7X7K".into(),
            },
            evaluate_target_health: false
        })
    );
}

#[test]
fn weighted_members_are_sorted_by_set_identifier() {
    let m = model();
    let api = members(&m, "example.com.", "api.example.com.", "A");
    let got: Vec<(Option<&str>, &Routing, Option<u32>)> = api
        .iter()
        .map(|r| (r.set_identifier.as_deref(), &r.routing, r.ttl))
        .collect();
    assert_eq!(
        got,
        [
            (Some("blue"), &Routing::Weighted { weight: 90 }, Some(30)),
            (Some("green"), &Routing::Weighted { weight: 10 }, Some(30)),
        ]
    );
    assert_eq!(
        api[1].health_check,
        Some(HealthCheckRef::Id(
            "0a1b2c3d-aaaa-bbbb-cccc-0123456789ab".into()
        ))
    );
    assert_eq!(api[0].health_check, None);
}

#[test]
fn failover_ids_default_and_ttl_skips_the_alias() {
    let m = model();
    let app = members(&m, "example.com.", "app.example.com.", "A");
    let got: Vec<(Option<&str>, &Routing, Option<u32>)> = app
        .iter()
        .map(|r| (r.set_identifier.as_deref(), &r.routing, r.ttl))
        .collect();
    let role = |r: &str| Routing::Failover { role: r.into() };
    assert_eq!(
        got,
        [
            (Some("primary"), &role("PRIMARY"), Some(60)),
            (Some("secondary"), &role("SECONDARY"), None),
        ]
    );
    assert_eq!(
        app[0].health_check,
        Some(HealthCheckRef::Managed(ManagedHealthCheck {
            id: None,
            check_type: "HTTPS".into(),
            fqdn: Some("app.example.com".into()),
            ip_address: None,
            port: Some(443),
            path: Some("/health".into()),
            interval: Some(10),
            failure_threshold: Some(3),
            ..Default::default()
        }))
    );
}

#[test]
fn geolocation_and_latency_members() {
    let m = model();
    let geo = members(&m, "example.com.", "geo.example.com.", "A");
    let got: Vec<(Option<&str>, &Routing)> = geo
        .iter()
        .map(|r| (r.set_identifier.as_deref(), &r.routing))
        .collect();
    let loc = |c: Option<&str>, n: Option<&str>, s: Option<&str>| Routing::Geolocation {
        continent: c.map(Into::into),
        country: n.map(Into::into),
        subdivision: s.map(Into::into),
    };
    assert_eq!(
        got,
        [
            (Some("california"), &loc(None, Some("US"), Some("CA"))),
            (Some("default"), &loc(None, Some("*"), None)),
            (Some("europe"), &loc(Some("EU"), None, None)),
        ]
    );
    let Some(HealthCheckRef::Managed(tcp)) = &geo[1].health_check else {
        panic!("{:?}", geo[1].health_check)
    };
    assert_eq!(
        (tcp.port, tcp.interval, tcp.failure_threshold),
        (Some(22), None, None)
    );

    let near = members(&m, "example.com.", "near.example.com.", "A");
    assert_eq!(
        near[0].routing,
        Routing::Latency {
            region: "eu-west-1".into()
        }
    );
    let Some(HealthCheckRef::Managed(http)) = &near[0].health_check else {
        panic!()
    };
    assert_eq!(
        (http.check_type.as_str(), http.port),
        ("HTTP", Some(80)),
        "HTTP checks default to port 80"
    );
    assert_eq!(near[1].set_identifier.as_deref(), Some("use1"));
    assert_eq!(near[1].ttl, None);
}

#[test]
fn zones_that_do_not_exist_are_reported_at_the_zone() {
    let mut r = resolved();
    r.zones.retain(|z| z.id != "ZPUB" && z.id != "ZPRIVATE1");
    let errs = spec().to_model(&r).unwrap_err().0;
    let got: Vec<(usize, &str, Option<&str>)> = errs
        .iter()
        .map(|d| (d.line, d.message.as_str(), d.hint.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (
                12,
                "hosted zone `example.com.` not found",
                Some("lbctl does not create hosted zones; create it first or check the name")
            ),
            (
                52,
                "hosted zone `ZPRIVATE1` not found",
                Some("lbctl does not create hosted zones; create it first or check the ID")
            ),
        ]
    );
}

#[test]
fn names_in_zones_given_by_id_are_checked_once_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.yaml");
    let text = "version: 1\nstack: s\ndns:\n  - zone: { id: Z1 }\n    records:\n      \
                - { name: www.other.org., type: A, values: [192.0.2.1] }\n";
    std::fs::write(&path, text).unwrap();
    let spec = load(&[path]).unwrap_or_else(|e| panic!("{e}"));
    let r = Resolved {
        zones: vec![info("/hostedzone/Z1", "Example.com.", false)],
        ..Default::default()
    };
    let errs = spec.to_model(&r).unwrap_err().0;
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(
        errs[0].message,
        "record name `www.other.org.` is not in zone `example.com.`"
    );
    assert_eq!(errs[0].line, 6);
}
