//! Listener attributes end to end (real binary, moto with
//! `plugin_listener_attributes.py`): ALB response headers and an NLB TCP
//! idle timeout apply and converge; changing one header is one
//! ModifyListenerAttributes and nothing else; export plans empty; one
//! DescribeListenerAttributes per listener the spec or stack owns; wrong
//! keys are refused offline with location and fix.

use crate::support;

use std::path::Path;

use support::{write_spec, Moto};

const SPEC: &str = r#"version: 1
stack: hdr
region: us-east-1
target_groups:
  hdr-web:
    protocol: HTTP
    port: 80
    vpc: { tags: { Name: lbctl-demo } }
    target_type: ip
  hdr-tcp:
    protocol: TCP
    port: 80
    vpc: { tags: { Name: lbctl-demo } }
    target_type: ip
load_balancers:
  hdr-alb:
    type: application
    scheme: internet-facing
    subnets: [ { tags: { tier: public } } ]
    listeners:
      - port: 443
        protocol: HTTPS
        certificates: [ arn:aws:iam::123456789012:server-certificate/lbctl-demo ]
        attributes:
          response_headers:
            strict_transport_security: "max-age=31536000; includeSubDomains; preload"
            access_control_allow_origin: "https://app.example.com"
            access_control_allow_methods: "GET,POST"
            access_control_allow_credentials: true
            access_control_max_age: 1h
            x_frame_options: DENY
            server: false
          request_header_names: { mtls_clientcert: X-Client-Cert }
        default_action: { forward: hdr-web }
      - port: 80
        protocol: HTTP
        default_action: { forward: hdr-web }
  hdr-nlb:
    type: network
    scheme: internet-facing
    subnets: [ { tags: { tier: public } } ]
    listeners:
      - port: 80
        protocol: TCP
        attributes: { tcp_idle_timeout: 350s }
        default_action: { forward: hdr-tcp }
"#;

/// Another stack's load balancer: lbctl must not read its listeners.
const OTHER: &str = r#"version: 1
stack: other
region: us-east-1
target_groups:
  other-tcp:
    protocol: TCP
    port: 81
    vpc: { tags: { Name: lbctl-demo } }
    target_type: ip
load_balancers:
  other-nlb:
    type: network
    scheme: internet-facing
    subnets: [ { tags: { tier: public } } ]
    listeners:
      - port: 81
        protocol: TCP
        attributes: { tcp_idle_timeout: 600s }
        default_action: { forward: other-tcp }
"#;

fn apply(moto: &Moto, spec: &Path) {
    let out = moto
        .lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(spec)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "apply failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn plan_json(moto: &Moto, spec: &Path) -> serde_json::Value {
    let out = moto
        .lbctl()
        .args(["plan", "--output", "json", "-f"])
        .arg(spec)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "plan failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The plugin's log lines (`Describe ARN`, `Modify ARN KEYS`) so far.
fn calls(moto: &Moto) -> Vec<String> {
    moto.log_text()
        .lines()
        .filter_map(|l| l.strip_prefix("lbctl-listener-attributes: "))
        .map(str::to_string)
        .collect()
}

/// The calls made by `f`.
fn calls_during(moto: &Moto, f: impl FnOnce()) -> Vec<String> {
    let before = calls(moto).len();
    f();
    calls(moto)[before..].to_vec()
}

#[test]
fn headers_and_idle_timeout_apply_converge_and_one_header_is_one_update() {
    let moto = Moto::seeded();
    let other = write_spec(OTHER);
    apply(&moto, &other.path);
    let spec = write_spec(SPEC);
    let applied = calls_during(&moto, || apply(&moto, &spec.path));
    let modifies: Vec<&String> = applied.iter().filter(|c| c.starts_with("Modify")).collect();
    assert_eq!(modifies.len(), 2, "{applied:?}");
    assert!(
        modifies.iter().any(|m| m.ends_with(
            "routing.http.request.x_amzn_mtls_clientcert.header_name,\
routing.http.response.access_control_allow_credentials.header_value,\
routing.http.response.access_control_allow_methods.header_value,\
routing.http.response.access_control_allow_origin.header_value,\
routing.http.response.access_control_max_age.header_value,\
routing.http.response.server.enabled,\
routing.http.response.strict_transport_security.header_value,\
routing.http.response.x_frame_options.header_value"
        )),
        "{modifies:?}"
    );
    assert!(modifies
        .iter()
        .any(|m| m.ends_with(" tcp.idle_timeout.seconds")));

    // Plan: empty, and one describe per listener of this stack (3), none
    // for the other stack's listener.
    let planned = calls_during(&moto, || support::assert_converged(&moto, &spec.path));
    assert_eq!(planned.len(), 3, "{planned:?}");
    assert!(
        planned.iter().all(|c| c.starts_with("Describe ")),
        "{planned:?}"
    );

    // One header changed: one listener-attributes step, one modify.
    let changed = write_spec(&SPEC.replace("x_frame_options: DENY", "x_frame_options: SAMEORIGIN"));
    let plan = plan_json(&moto, &changed.path);
    let steps = plan["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1, "{plan:#}");
    assert_eq!(steps[0]["name"], "hdr-alb:443");
    let changes = steps[0]["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{plan:#}");
    assert_eq!(
        changes[0]["path"],
        "attributes.response_headers.x_frame_options"
    );
    let applied = calls_during(&moto, || apply(&moto, &changed.path));
    let modifies: Vec<&String> = applied.iter().filter(|c| c.starts_with("Modify")).collect();
    assert_eq!(modifies.len(), 1, "{applied:?}");
    assert!(modifies[0].ends_with(" routing.http.response.x_frame_options.header_value"));
    support::assert_converged(&moto, &changed.path);

    // Export writes the attributes back; the export plans no changes.
    let out = moto
        .lbctl()
        .args(["export", "--stack", "hdr"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exported = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "strict_transport_security: max-age=31536000; includeSubDomains; preload",
        "x_frame_options: SAMEORIGIN",
        "server: false",
        "access_control_max_age: 1h",
        "mtls_clientcert: X-Client-Cert",
    ] {
        assert!(exported.contains(needle), "{needle} missing:\n{exported}");
    }
    // 350 s is AWS's default: like every default, not written.
    assert!(!exported.contains("tcp_idle_timeout"), "{exported}");
    let file = write_spec(&exported);
    support::assert_converged(&moto, &file.path);
}

/// `validate` of SPEC with `from` replaced by `to`: (exit code, stderr).
fn invalid(from: &str, to: &str) -> (i32, String) {
    let text = SPEC.replace(from, to);
    assert_ne!(text, SPEC, "{from} not in the spec");
    let spec = write_spec(&text);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lbctl"))
        .args(["validate", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn wrong_keys_are_refused_offline_with_location_and_fix() {
    let (code, err) = invalid(
        "attributes: { tcp_idle_timeout: 350s }",
        "attributes: { response_headers: { strict_transport_security: max-age=1 } }",
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("spec.yaml:45:"), "{err}");
    assert!(err.contains("`response_headers` only applies to HTTP and HTTPS listeners of application load balancers, not a TCP listener of a network load balancer"), "{err}");
    assert!(err.contains("hint: remove `response_headers`"), "{err}");

    let (code, err) = invalid(
        "        attributes:\n          response_headers:",
        "        attributes:\n          tcp_idle_timeout: 350s\n          response_headers:",
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("`tcp_idle_timeout` only applies to TCP listeners of network load balancers"),
        "{err}"
    );

    let (code, err) = invalid("tcp_idle_timeout: 350s", "tcp_idle_timeout: 30s");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("spec.yaml:45:"), "{err}");
    assert!(
        err.contains("tcp idle timeout (30 s) must be between 60 and 6000 s"),
        "{err}"
    );
    assert!(
        err.contains("hint: set `tcp_idle_timeout` between 60s and 6000s"),
        "{err}"
    );

    let (code, err) = invalid(
        "attributes: { tcp_idle_timeout: 350s }",
        "attributes: { extra: { tcp.idle_timeout.second: '100' } }",
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("unknown listener attribute `tcp.idle_timeout.second`"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `tcp.idle_timeout.seconds`?"),
        "{err}"
    );
}
