//! The typed attribute rules, one resource at a time.

use super::*;
use crate::spec::diag::Source;
use crate::spec::location::Locations;
use crate::spec::raw::RawTargetGroup;

fn check(f: impl FnOnce(&mut Check)) -> Vec<(String, String)> {
    let src = Source {
        file: "t".into(),
        locations: Locations::default(),
    };
    let mut out = Vec::new();
    let mut c = Check {
        src: &src,
        out: &mut out,
        what: "x".into(),
        base: "b".into(),
    };
    f(&mut c);
    out.into_iter()
        .map(|d| (d.message, d.hint.unwrap_or_default()))
        .collect()
}

fn lb(ty: &str, yaml: &str) -> Vec<(String, String)> {
    let a: RawLbAttributes = serde_yaml::from_str(yaml).unwrap();
    check(|c| load_balancer(c, ty, &a))
}

fn tg(yaml: &str) -> Vec<(String, String)> {
    let tg: RawTargetGroup = serde_yaml::from_str(yaml).unwrap();
    let a = tg.attributes.clone().unwrap_or_default();
    let protocol = tg.protocol();
    let kind = TgKind {
        protocol: protocol.as_deref(),
        target_type: tg.target_type(),
        protocol_version: None,
    };
    check(|c| target_group(c, &kind, &a))
}

const ALB_ALL: &str = "{ zonal_shift: true, client_keep_alive: 1h, desync_mitigation: defensive, \
    preserve_host_header: true, xff_header_processing: append, xff_client_port: true, \
    tls_version_and_cipher_headers: true, waf_fail_open: false, deny_all_igw_traffic: false, \
    connection_logs: { bucket: logs, prefix: web }, health_check_logs: { bucket: logs } }";

#[test]
fn every_alb_key_is_taken_on_an_alb() {
    assert!(
        lb("application", ALB_ALL).is_empty(),
        "{:?}",
        lb("application", ALB_ALL)
    );
    assert!(lb(
        "network",
        "{ zonal_shift: true, deny_all_igw_traffic: true, dns_client_routing_policy: availability_zone_affinity }"
    )
    .is_empty());
}

#[test]
fn keys_of_another_type_are_refused_with_a_hint() {
    let p = lb(
        "application",
        "{ dns_client_routing_policy: any_availability_zone }",
    );
    assert_eq!(
        p,
        [(
            "x: `dns_client_routing_policy` only applies to network load balancers".to_string(),
            "remove `dns_client_routing_policy`".to_string()
        )]
    );
    // Every ALB-only key on an NLB, the two ALB/NLB ones are fine.
    let p = lb("network", ALB_ALL);
    assert_eq!(p.len(), 9, "{p:?}");
    assert!(p[0]
        .0
        .contains("`client_keep_alive` only applies to application load balancers"));
    let p = lb("gateway", "{ zonal_shift: true }");
    assert!(
        p[0].0
            .contains("only applies to application and network load balancers"),
        "{p:?}"
    );
}

#[test]
fn values_are_within_aws_ranges() {
    let p = lb("application", "{ client_keep_alive: 59 }");
    assert_eq!(
        p[0].0,
        "x: client keep-alive (59 s) must be between 60 and 604800 s"
    );
    assert!(lb("application", "{ client_keep_alive: 7d }").is_empty());
    assert_eq!(lb("application", "{ client_keep_alive: 8d }").len(), 1);
    let p = lb("application", "{ desync_mitigation: strict }");
    assert_eq!(p[0].0, "x: unknown desync mitigation `strict`");
    assert!(p[0].1.contains("strictest"), "{p:?}");
    let p = lb("application", "{ connection_logs: { prefix: web } }");
    assert_eq!(p[0].0, "x: `connection_logs` needs `bucket`");
    assert!(lb("application", "{ health_check_logs: false }").is_empty());
}

#[test]
fn target_failover_is_a_pair_with_one_value() {
    let p = tg("{ protocol: GENEVE, attributes: { target_failover: { on_deregistration: rebalance, on_unhealthy: no_rebalance } } }");
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(
        p[0].0,
        "x: `target_failover.on_deregistration` (`rebalance`) and `target_failover.on_unhealthy` (`no_rebalance`) must be the same"
    );
    let p =
        tg("{ protocol: GENEVE, attributes: { target_failover: { on_unhealthy: rebalance } } }");
    assert!(p[0].0.contains("needs both"), "{p:?}");
    assert!(
        p[0].1.starts_with("add `on_deregistration: rebalance`"),
        "{p:?}"
    );
    assert!(tg("{ protocol: GENEVE, attributes: { target_failover: { on_deregistration: no_rebalance, on_unhealthy: no_rebalance } } }").is_empty());
    let p = tg("{ protocol: TCP, attributes: { target_failover: { on_deregistration: rebalance, on_unhealthy: rebalance } } }");
    assert_eq!(
        p[0].0,
        "x: `target_failover` only applies to GENEVE target groups, not TCP target groups"
    );
}

#[test]
fn unhealthy_draining_rules() {
    assert!(tg("{ protocol: TCP, attributes: { unhealthy_draining: { connection_termination: false, interval: 1h } } }").is_empty());
    let p = tg(
        "{ protocol: UDP, attributes: { unhealthy_draining: { connection_termination: true } } }",
    );
    assert!(
        p[0].0.contains("cannot be `true` for UDP target groups"),
        "{p:?}"
    );
    let p = tg("{ protocol: TCP, attributes: { unhealthy_draining: { connection_termination: true, interval: 60 } } }");
    assert!(
        p[0].0.contains("needs `connection_termination: false`"),
        "{p:?}"
    );
    let p = tg("{ protocol: TCP, attributes: { unhealthy_draining: { interval: 400000 } } }");
    assert!(p[0].0.contains("must be between 0 and 360000 s"), "{p:?}");
    let p = tg("{ protocol: HTTP, attributes: { unhealthy_draining: { interval: 60 } } }");
    assert!(
        p[0].0
            .contains("only applies to TCP, TLS, UDP, TCP_UDP, QUIC and TCP_QUIC target groups"),
        "{p:?}"
    );
}

#[test]
fn health_thresholds_and_lambda_headers() {
    assert!(tg("{ protocol: HTTP, attributes: { health_thresholds: { dns_failover: { count: 2, percent: off }, unhealthy_routing: { count: 1, percent: 50 } } } }").is_empty());
    let p = tg(
        "{ protocol: HTTP, attributes: { health_thresholds: { dns_failover: { percent: 101 } } } }",
    );
    assert_eq!(
        p[0].0,
        "x: `health_thresholds.dns_failover.percent` must be `off` or an integer from 1 to 100, not `101`"
    );
    let p = tg("{ protocol: HTTP, attributes: { health_thresholds: { unhealthy_routing: { count: off } } } }");
    assert!(
        p[0].0
            .contains("must be an integer of at least 1, not `off`"),
        "{p:?}"
    );
    let p = tg(
        "{ protocol: GENEVE, attributes: { health_thresholds: { dns_failover: { count: 1 } } } }",
    );
    assert!(p[0].0.contains("not GENEVE target groups"), "{p:?}");
    assert!(
        tg("{ target_type: lambda, attributes: { lambda_multi_value_headers: true } }").is_empty()
    );
    let p = tg("{ protocol: HTTP, attributes: { lambda_multi_value_headers: true } }");
    assert!(
        p[0].0.contains("only applies to lambda target groups"),
        "{p:?}"
    );
}
