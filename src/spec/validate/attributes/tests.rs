//! The attribute table: its keys, scopes and value shapes.

use super::*;

fn kind<'a>(protocol: Option<&'a str>, tt: &'a str, v: Option<&'a str>) -> TgKind<'a> {
    TgKind {
        protocol,
        target_type: tt,
        protocol_version: v,
    }
}

#[test]
fn keys_are_unique_and_well_formed() {
    let mut tg: Vec<&str> = TARGET_GROUP.iter().map(|a| a.key).collect();
    let mut lb: Vec<&str> = LOAD_BALANCER.iter().map(|a| a.key).collect();
    for list in [&mut tg, &mut lb] {
        let n = list.len();
        list.sort();
        list.dedup();
        assert_eq!(list.len(), n, "a key is listed twice");
        for k in list.iter() {
            assert!(k
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._".contains(c)));
        }
    }
}

#[test]
fn target_group_keys_follow_protocol_and_target_type() {
    let http = kind(Some("HTTP"), "instance", None);
    let udp = kind(Some("UDP"), "ip", None);
    let geneve = kind(Some("GENEVE"), "instance", None);
    let lambda = kind(None, "lambda", None);
    assert!(tg_accepts("slow_start.duration_seconds", &http));
    assert!(!tg_accepts("slow_start.duration_seconds", &udp));
    assert!(tg_accepts("preserve_client_ip.enabled", &udp));
    assert!(tg_accepts("target_failover.on_unhealthy", &geneve));
    assert!(!tg_accepts("target_failover.on_unhealthy", &udp));
    assert!(!tg_accepts("load_balancing.cross_zone.enabled", &geneve));
    assert!(tg_accepts("lambda.multi_value_headers.enabled", &lambda));
    assert!(!tg_accepts("deregistration_delay.timeout_seconds", &lambda));
    assert!(!tg_accepts("waf.http2.traffic_inspection_behavior", &http));
    let http2 = kind(Some("HTTPS"), "ip", Some("HTTP2"));
    assert!(tg_accepts("waf.http2.traffic_inspection_behavior", &http2));
    let grpc = kind(Some("HTTP"), "ip", Some("GRPC"));
    assert!(tg_accepts(
        "routing.http2.rst_stream_error_forwarding.enabled",
        &grpc
    ));
    assert!(
        !tg_accepts("waf.fail_open.enabled", &http),
        "a load balancer key"
    );
    assert!(tg_keys(&lambda).contains(&"lambda.multi_value_headers.enabled"));
}

#[test]
fn load_balancer_keys_follow_the_type() {
    assert!(lb_accepts("client_keep_alive.seconds", "application"));
    assert!(!lb_accepts("client_keep_alive.seconds", "network"));
    assert!(lb_accepts("dns_record.client_routing_policy", "network"));
    assert!(lb_accepts("zonal_shift.config.enabled", "network"));
    assert!(!lb_accepts("zonal_shift.config.enabled", "gateway"));
    assert!(!lb_accepts(
        "load_balancing.cross_zone.enabled",
        "application"
    ));
    assert_eq!(lb_keys("gateway").len(), 2);
}

#[test]
fn values_are_checked_against_their_shape() {
    assert!(check_value(Shape::Bool, "true").is_ok());
    assert_eq!(
        check_value(Shape::Bool, "yes").unwrap_err(),
        "`true` or `false`"
    );
    assert_eq!(
        check_value(Shape::Bool, "True").unwrap_err(),
        "`true` or `false`"
    );
    let keep_alive = lb_attr("client_keep_alive.seconds").unwrap().shape;
    assert!(check_value(keep_alive, "60").is_ok() && check_value(keep_alive, "604800").is_ok());
    assert_eq!(
        check_value(keep_alive, "59").unwrap_err(),
        "an integer from 60 to 604800"
    );
    assert!(check_value(keep_alive, "604801").is_err());
    assert!(check_value(keep_alive, "1h").is_err());
    let pct = Shape::OffOr(1, Some(100));
    assert!(check_value(pct, "off").is_ok() && check_value(pct, "100").is_ok());
    assert_eq!(
        check_value(pct, "0").unwrap_err(),
        "`off` or an integer from 1 to 100"
    );
    let count = Shape::OffOr(1, None);
    assert!(check_value(count, "5000").is_ok());
    assert_eq!(
        check_value(count, "0").unwrap_err(),
        "`off` or an integer of at least 1"
    );
    assert_eq!(
        check_value(NO_REBALANCE, "yes").unwrap_err(),
        "one of `rebalance`, `no_rebalance`"
    );
}
