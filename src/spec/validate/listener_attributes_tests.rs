//! Unit tests of the listener attribute rules.

use super::*;
use crate::spec::diag::Source;
use crate::spec::location::Locations;

fn check_yaml(lb_type: &str, proto: Option<&str>, yaml: &str) -> Vec<(String, String)> {
    let a: RawListenerAttributes = serde_yaml::from_str(yaml).unwrap();
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
    super::check(&mut c, lb_type, proto, &a);
    out.into_iter()
        .map(|d| (d.message, d.hint.unwrap_or_default()))
        .collect()
}

#[test]
fn alb_headers_and_nlb_idle_timeout_pass() {
    let alb =
        "{ response_headers: { strict_transport_security: max-age=31536000, x_frame_options: DENY,
        x_content_type_options: nosniff, access_control_allow_methods: 'GET,POST',
        access_control_allow_credentials: true, access_control_max_age: 1h, server: false },
        request_header_names: { mtls_clientcert: X-Client-Cert } }";
    assert!(check_yaml("application", Some("HTTPS"), alb).is_empty());
    assert!(check_yaml("network", Some("TCP"), "{ tcp_idle_timeout: 350s }").is_empty());
    assert!(check_yaml(
        "gateway",
        None,
        "{ tcp_idle_timeout: 6000, extra: { send_tcp_reset.on_idle_timeout.enabled: 'true' } }"
    )
    .is_empty());
}

#[test]
fn keys_on_the_wrong_type_or_protocol_are_refused() {
    let p = check_yaml(
        "network",
        Some("TCP"),
        "{ response_headers: { strict_transport_security: max-age=1 } }",
    );
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].0.contains("`response_headers` only applies to HTTP and HTTPS listeners of application load balancers, not a TCP listener of a network load balancer"), "{p:?}");
    assert_eq!(p[0].1, "remove `response_headers`");
    let p = check_yaml("application", Some("HTTPS"), "{ tcp_idle_timeout: 350s }");
    assert!(
        p[0].0
            .contains("`tcp_idle_timeout` only applies to TCP listeners"),
        "{p:?}"
    );
    let p = check_yaml("network", Some("UDP"), "{ tcp_idle_timeout: 350s }");
    assert_eq!(p.len(), 1, "{p:?}");
    let p = check_yaml(
        "application",
        Some("HTTP"),
        "{ request_header_names: { tls_version: X-Tls } }",
    );
    assert!(p[0].0.contains("only applies to HTTPS listeners"), "{p:?}");
}

#[test]
fn values_out_of_range_are_refused() {
    let p = check_yaml("network", Some("TCP"), "{ tcp_idle_timeout: 30s }");
    assert_eq!(
        p[0].0,
        "x: tcp idle timeout (30 s) must be between 60 and 6000 s"
    );
    assert!(p[0].1.contains("between 60s and 6000s"));
    let p = check_yaml(
        "application",
        Some("HTTP"),
        "{ response_headers: { x_frame_options: ALLOW, x_content_type_options: sniff,
          access_control_allow_credentials: false, access_control_max_age: 2d,
          access_control_allow_methods: 'GET,FETCH' } }",
    );
    assert_eq!(p.len(), 5, "{p:?}");
}

#[test]
fn extra_keys_are_checked_against_the_table() {
    let p = check_yaml(
        "application",
        Some("HTTP"),
        "{ extra: { routing.http.response.server.enabld: 'false' } }",
    );
    assert_eq!(
        p[0].0,
        "x: unknown listener attribute `routing.http.response.server.enabld`"
    );
    assert!(
        p[0].1
            .starts_with("did you mean `routing.http.response.server.enabled`?"),
        "{p:?}"
    );
    let p = check_yaml(
        "network",
        Some("TCP"),
        "{ extra: { tcp.idle_timeout.seconds: '100' } }",
    );
    assert!(
        p[0].0
            .contains("is what `attributes.tcp_idle_timeout` sets"),
        "{p:?}"
    );
    let p = check_yaml(
        "network",
        Some("TCP"),
        "{ extra: { send_tcp_reset.on_idle_timeout.enabled: 'true' } }",
    );
    assert!(
        p[0].0.contains("only applies to gateway listeners"),
        "{p:?}"
    );
    let p = check_yaml(
        "gateway",
        None,
        "{ extra: { send_tcp_reset.on_idle_timeout.enabled: 'yes' } }",
    );
    assert!(p[0].0.contains("must be `true` or `false`"), "{p:?}");
}

#[test]
fn every_typed_key_has_a_row_and_defaults_are_known() {
    assert!(is_default("tcp.idle_timeout.seconds", "350"));
    assert!(is_default("routing.http.response.server.enabled", "true"));
    assert!(!is_default("routing.http.response.server.enabled", "false"));
    assert_eq!(
        spec_name("routing.http.response.server.enabled"),
        "response_headers.server"
    );
    assert!(accepts("tcp.idle_timeout.seconds", "network", Some("TCP")));
    assert!(!accepts(
        "tcp.idle_timeout.seconds",
        "application",
        Some("HTTP")
    ));
}
