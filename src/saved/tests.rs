//! Unit tests of saved plans: the file format, fingerprints, drift and
//! keeping SecureString values out of the file.

use serde_json::json;

use super::fingerprint::{canonical, fingerprint, moved, parameter_fingerprint};
use super::*;
use crate::model::dns::{owner_key, owner_record, RecordSet, Zone};

fn key(name: &str, rtype: &str) -> RecordKey {
    RecordKey {
        name: name.into(),
        rtype: rtype.into(),
    }
}

fn names() -> SavedNames {
    SavedNames {
        target_groups: ["web".to_string()].into(),
        load_balancers: ["web".to_string()].into(),
        zones: vec![ZoneRef::Name {
            name: "Example.com".into(),
            private: None,
        }],
        cidr_collections: Default::default(),
        record_sets: [(
            "example.com.".to_string(),
            [
                key("api.example.com.", "A"),
                owner_key(&key("api.example.com.", "A")),
            ]
            .into(),
        )]
        .into(),
    }
}

fn live_with(sets: &[(RecordKey, RecordSet)]) -> Live {
    let mut live = Live::default();
    let zone = Zone {
        name: "example.com.".into(),
        id: Some("Z1".into()),
        private: false,
        record_sets: sets.iter().cloned().collect(),
    };
    live.model.dns.zones.insert(zone.name.clone(), zone);
    live
}

fn saved(names: SavedNames, live: &Live) -> SavedPlan {
    SavedPlan {
        format_version: FORMAT_VERSION,
        kind: KIND.into(),
        lbctl_version: LBCTL_VERSION.into(),
        stack: "shop".into(),
        region: None,
        endpoint_url: None,
        fingerprints: fingerprints("shop", &names, live),
        names,
        parameters: BTreeMap::new(),
        salt: "00".into(),
        safety: None,
        summary: Summary::default(),
        warnings: vec![],
        plan: serde_json::to_value(Plan::default()).unwrap(),
    }
}

#[test]
fn canonical_json_sorts_keys_at_every_level() {
    let a: Value = serde_json::from_str(r#"{"b":1,"a":{"y":[{"d":1,"c":2}],"x":"s"}}"#).unwrap();
    let b: Value = serde_json::from_str(r#"{"a":{"x":"s","y":[{"c":2,"d":1}]},"b":1}"#).unwrap();
    let mut text = String::new();
    canonical(&a, &mut text);
    assert_eq!(text, r#"{"a":{"x":"s","y":[{"c":2,"d":1}]},"b":1}"#);
    assert_eq!(fingerprint(Some(a)), fingerprint(Some(b)));
    assert_eq!(fingerprint(None), ABSENT);
}

#[test]
fn absent_objects_are_fingerprinted_so_their_creation_is_seen() {
    let live = Live::default();
    let names = names();
    let fp = fingerprints("shop", &names, &live);
    assert_eq!(fp["target_group/web"], ABSENT);
    assert_eq!(fp["load_balancer/web"], ABSENT);
    assert_eq!(fp["zone/example.com."], ABSENT);
    assert_eq!(fp["record_set/example.com./api.example.com. A"], ABSENT);
    assert_eq!(fp["owned/example.com."], ABSENT);

    let plan = saved(names, &live);
    let now = live_with(&[(
        key("api.example.com.", "A"),
        RecordSet {
            members: vec![owner_record("x")],
            ..Default::default()
        },
    )]);
    let drift = drift(&plan, &now, &BTreeMap::new());
    assert_eq!(
        drift,
        [
            "the set of record sets stack `shop` owns in zone `example.com.` was created since the plan was made",
            "record_set `api.example.com. A` in zone `example.com.` was created since the plan was made",
            "hosted zone `example.com.` was created since the plan was made",
        ]
    );
}

#[test]
fn a_changed_record_set_and_a_changed_owner_are_named() {
    let okey = owner_key(&key("api.example.com.", "A"));
    let before = live_with(&[(
        okey.clone(),
        RecordSet {
            members: vec![owner_record("shop")],
            ..Default::default()
        },
    )]);
    let plan = saved(names(), &before);
    assert!(drift(&plan, &before, &BTreeMap::new()).is_empty());
    let after = live_with(&[(
        okey,
        RecordSet {
            members: vec![owner_record("other")],
            ..Default::default()
        },
    )]);
    let drift = drift(&plan, &after, &BTreeMap::new());
    assert_eq!(drift.len(), 2, "{drift:?}");
    assert!(drift[0].contains("stack `shop` owns in zone `example.com.` changed"));
    assert!(drift[1]
        .contains("record_set `_lbctl.a.api.example.com. TXT` in zone `example.com.` changed"));
}

#[test]
fn a_live_object_that_appears_outside_the_names_is_seen_too() {
    let plan = saved(names(), &Live::default());
    let mut now = Live::default();
    now.in_use.insert("x".into());
    assert!(drift(&plan, &now, &BTreeMap::new()).is_empty());
    assert_eq!(
        moved("shop", "target_group/extra", true, false),
        "target_group `extra` was created since the plan was made"
    );
    assert_eq!(
        moved("shop", "load_balancer/web", false, true),
        "load_balancer `web` was deleted since the plan was made"
    );
}

#[test]
fn secrets_become_markers_and_come_back() {
    let secrets: BTreeMap<String, String> = [
        ("/a".to_string(), "hunter2-saved".to_string()),
        ("/b".to_string(), "hunter2-saved-longer".to_string()),
        ("/short".to_string(), "abc".to_string()),
    ]
    .into();
    let by_length = secrets_longest_first(&secrets);
    let hidden = hide("x hunter2-saved-longer y hunter2-saved abc", &by_length).unwrap();
    assert_eq!(hidden, "x (sensitive ssm:/b) y (sensitive ssm:/a) abc");
    assert_eq!(hide("nothing", &by_length), None);
    let listed: BTreeMap<String, String> =
        secrets.keys().map(|k| (k.clone(), String::new())).collect();
    assert_eq!(
        reveal(&hidden, &listed, &secrets).unwrap().as_deref(),
        Some("x hunter2-saved-longer y hunter2-saved abc")
    );
    assert_eq!(
        reveal("(sensitive ssm:/zzz)", &listed, &secrets),
        Err("/zzz".to_string())
    );
}

#[test]
fn a_changed_or_deleted_secret_is_drift() {
    let mut plan = saved(names(), &Live::default());
    plan.parameters.insert(
        "/p".into(),
        parameter_fingerprint(&plan.salt, "/p", "v1-value"),
    );
    let live = Live::default();
    let values = |v: &str| BTreeMap::from([("/p".to_string(), v.to_string())]);
    assert!(drift(&plan, &live, &values("v1-value")).is_empty());
    assert_eq!(
        drift(&plan, &live, &values("v2-value")),
        ["SSM parameter `/p` changed since the plan was made"]
    );
    assert_eq!(
        drift(&plan, &live, &BTreeMap::new()),
        ["SSM parameter `/p` was deleted since the plan was made"]
    );
    assert_ne!(
        parameter_fingerprint("s1", "/p", "v"),
        parameter_fingerprint("s2", "/p", "v")
    );
}

#[test]
fn a_secret_left_anywhere_stops_the_save() {
    crate::secrets::register(["leaky-saved-secret"]);
    let value =
        json!({ "a": [ { "b": "x leaky-saved-secret" } ], "c": { "leaky-saved-secret": 1 } });
    assert_eq!(
        find_secret(&value, &mut String::new()).as_deref(),
        Some("/a/0/b")
    );
    let value = json!({ "c": { "leaky-saved-secret": 1 } });
    assert_eq!(
        find_secret(&value, &mut String::new()).as_deref(),
        Some("/c/(a key)")
    );
}

#[test]
fn parse_checks_kind_and_versions() {
    let plan = saved(names(), &Live::default());
    let text = serde_json::to_string(&plan).unwrap();
    assert_eq!(parse(&text).unwrap().names, plan.names);
    assert!(matches!(parse("{}"), Err(SavedError::Format(_))));
    let other = text.replace(LBCTL_VERSION, "0.0.0-other");
    assert!(matches!(parse(&other), Err(SavedError::Version { .. })));
    let plan = into_plan(parse(&text).unwrap(), &BTreeMap::new()).unwrap();
    assert!(plan.is_empty());
}
