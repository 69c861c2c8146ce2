//! The spec rewrite of listener forwards and weighted record sets.

use super::super::unified::unified;
use super::*;

const SPEC: &str = "\
load_balancers:
  shop:
    listeners:
      - port: 80
        default_action:
          forward:
            target_groups:
              - { name: shop-blue, weight: 90 }
      - port: 443   # https
        default_action:
          forward:
            target_groups:
              - { name: shop-blue, weight: 90 }
              - name: shop-green
                weight: 10
        rules:
          - priority: 10
            action:
              forward:
                target_groups:
                  - { name: shop-blue, weight: 50 }
                  - { name: shop-green, weight: 50 }
  other:
    listeners: []
";

fn w(pairs: &[(&str, u32)]) -> Weights {
    pairs.iter().map(|(n, w)| (n.to_string(), *w)).collect()
}

#[test]
fn rewrites_the_listener_forward_only() {
    let place = Place::Forward {
        load_balancer: "shop",
        port: 443,
        rule: None,
    };
    let new = rewrite(SPEC, &place, &w(&[("shop-blue", 0), ("shop-green", 100)])).unwrap();
    let diff = unified(SPEC, &new, "spec.yaml");
    assert!(
        diff.starts_with("--- a/spec.yaml\n+++ b/spec.yaml\n@@ -10,"),
        "{diff}"
    );
    assert!(
        diff.contains(
            "-              - { name: shop-blue, weight: 90 }\n\
             +              - { name: shop-blue, weight: 0 }\n\
             \x20              - name: shop-green\n\
             -                weight: 10\n\
             +                weight: 100\n"
        ),
        "{diff}"
    );
    assert_eq!(diff.matches("\n-").count(), 2, "{diff}");
}

#[test]
fn rewrites_a_rule_forward() {
    let place = Place::Forward {
        load_balancer: "shop",
        port: 443,
        rule: Some(10),
    };
    let new = rewrite(SPEC, &place, &w(&[("shop-blue", 25), ("shop-green", 75)])).unwrap();
    assert!(new.contains(
        "- { name: shop-blue, weight: 25 }\n                  - { name: shop-green, weight: 75 }"
    ));
    assert!(new.contains("- { name: shop-blue, weight: 90 }\n              - name: shop-green"));
}

#[test]
fn reports_what_it_cannot_find() {
    let place = |lb, port, rule| Place::Forward {
        load_balancer: lb,
        port,
        rule,
    };
    let ws = w(&[("shop-green", 1)]);
    let why = |place: Place| match rewrite(SPEC, &place, &ws).unwrap_err() {
        Miss::NotFound(why) => why,
        other => panic!("{other:?}"),
    };
    assert!(why(place("nope", 443, None)).contains("`nope`"));
    assert!(why(place("shop", 8080, None)).contains("8080"));
    assert!(why(place("shop", 443, Some(99))).contains("99"));
    assert!(why(place("shop", 80, None)).contains("shop-green"));
    assert!(rewrite(SPEC, &place("other", 443, None), &ws).is_err());
}

const DNS: &str = "\
load_balancers:
  shop:
    listeners: []
dns:
  - zone: other.com
    records:
      - name: api
        type: A
        weighted:
          - { id: blue, weight: 7, values: [192.0.2.7] }
  - zone: Example.com   # the demo zone
    records:
      - name: www
        type: A
        alias: { load_balancer: shop }
      - name: api
        type: AAAA
        weighted:
          - { id: blue, weight: 1, values: [\"2001:db8::1\"] }
      - name: api
        type: A
        ttl: 60
        weighted:
          - { id: blue, weight: 100, alias: { dns_name: x.example.net, hosted_zone_id: Z1 } }
          # green starts dark
          - id: green
            health_check: { type: HTTPS, fqdn: green.example.com }
            weight: 0
            values: [203.0.113.2]
      - name: \"@\"
        type: A
        weighted:
        - { id: apex-blue, weight: ${blue_weight}, values: [192.0.2.1] }
        - { id: apex-green, weight: 0, values: [192.0.2.2] }
";

fn record<'a>(key: &'a RecordKey) -> Place<'a> {
    Place::Record {
        zone_name: "example.com.",
        zone_id: "Z0EXAMPLE",
        key,
    }
}

fn key(name: &str, rtype: &str) -> RecordKey {
    RecordKey {
        name: name.into(),
        rtype: rtype.into(),
    }
}

#[test]
fn rewrites_weighted_members_in_flow_and_block_style() {
    let api = key("api.example.com.", "A");
    let new = rewrite(DNS, &record(&api), &w(&[("blue", 90), ("green", 10)])).unwrap();
    let diff = unified(DNS, &new, "spec.yaml");
    assert!(
        diff.contains(
            "-          - { id: blue, weight: 100, alias: { dns_name: x.example.net, hosted_zone_id: Z1 } }\n\
             +          - { id: blue, weight: 90, alias: { dns_name: x.example.net, hosted_zone_id: Z1 } }\n"
        ),
        "{diff}"
    );
    assert!(
        diff.contains("-            weight: 0\n+            weight: 10\n"),
        "{diff}"
    );
    // Other zones and types keep theirs.
    assert_eq!(diff.matches("\n-").count(), 2, "{diff}");
    // By zone ID, and with an absolute record name.
    let by_id = DNS.replace("zone: Example.com", "zone: { id: Z0EXAMPLE }");
    let absolute = key("api.example.com.", "A");
    let new = rewrite(
        &by_id,
        &record(&absolute),
        &w(&[("blue", 0), ("green", 100)]),
    );
    assert!(new.unwrap().contains("id: blue, weight: 0,"));
}

#[test]
fn a_parameter_weight_is_reported() {
    let apex = key("example.com.", "A");
    let err = rewrite(
        DNS,
        &record(&apex),
        &w(&[("apex-blue", 50), ("apex-green", 50)]),
    );
    assert_eq!(
        err.unwrap_err(),
        Miss::Param {
            member: "apex-blue".into(),
            reference: "${blue_weight}".into()
        }
    );
}

#[test]
fn reports_missing_records_and_members() {
    let why = |k: RecordKey, ws: &[(&str, u32)]| match rewrite(DNS, &record(&k), &w(ws)) {
        Err(Miss::NotFound(why)) => why,
        other => panic!("{other:?}"),
    };
    assert!(why(key("web.example.com.", "A"), &[]).contains("`name: web` with `type: A`"));
    assert!(why(key("www.example.com.", "A"), &[]).contains("no `weighted:`"));
    assert!(why(key("api.example.com.", "A"), &[("red", 1)]).contains("`red`"));
    let other = Place::Record {
        zone_name: "nope.com.",
        zone_id: "Z9",
        key: &key("api.nope.com.", "A"),
    };
    assert!(matches!(
        rewrite(DNS, &other, &w(&[])),
        Err(Miss::NotFound(why)) if why.contains("zone: nope.com")
    ));
}

#[test]
fn a_quoted_parameter_weight_is_reported_whole() {
    assert_eq!(scalar(r#" "${fw}" }"#), "${fw}");
    assert_eq!(scalar(" '${a,b}', x"), "${a,b}");
    assert_eq!(scalar(" ${fw} }"), "${fw}");
    assert_eq!(scalar(r#" "90", x"#), "90");
}
