//! Load balancer surface of the December 2026 additions, end to end: the
//! typed load balancer and target group attributes and the IPv6-only
//! (`dualstack-without-public-ipv4`) address type applied to moto (with
//! `tests/support/plugin_lb_surface.py`), read back with the SDK, planned
//! empty after apply, one update for one changed key, and exported to a
//! spec that plans empty.

use crate::support;

use std::collections::BTreeMap;
use std::path::Path;

use support::{assert_converged, write_spec, Moto};

const SPEC: &str = r#"version: 1
stack: surface
target_groups:
  api:
    protocol: HTTP
    port: 80
    vpc: { tags: { Name: lbctl-demo } }
    target_type: ip
    attributes:
      health_thresholds:
        dns_failover: { count: 2, percent: off }
        unhealthy_routing: { count: 1, percent: 50 }
  tcp:
    protocol: TCP
    port: 9000
    vpc: { tags: { Name: lbctl-demo } }
    target_type: ip
    attributes:
      unhealthy_draining: { connection_termination: false, interval: 5m }
  appliances:
    protocol: GENEVE
    port: 6081
    vpc: { tags: { Name: lbctl-demo } }
    health_check: { protocol: TCP, port: "80" }
    attributes:
      target_failover: { on_deregistration: rebalance, on_unhealthy: rebalance }
  fn:
    target_type: lambda
    attributes:
      lambda_multi_value_headers: true
load_balancers:
  edge:
    type: application
    ip_address_type: dualstack-without-public-ipv4
    ipam_pool: ipam-pool-0a1b2c3d4e
    subnets: [ { tags: { tier: public } } ]
    security_groups: [ { tags: { Name: web-lb } } ]
    attributes:
      zonal_shift: true
      client_keep_alive: KEEP_ALIVE
      desync_mitigation: strictest
      preserve_host_header: true
      xff_header_processing: preserve
      xff_client_port: true
      tls_version_and_cipher_headers: true
      waf_fail_open: true
      connection_logs: { bucket: lb-logs, prefix: edge }
      health_check_logs: { bucket: lb-logs, prefix: edge-hc }
      deny_all_igw_traffic: false
    listeners:
      - port: 80
        protocol: HTTP
        default_action: { forward: api }
  edge-nlb:
    type: network
    subnets: [ { tags: { tier: public } } ]
    attributes:
      dns_client_routing_policy: partial_availability_zone_affinity
      zonal_shift: true
    listeners:
      - port: 9000
        protocol: TCP
        default_action: { forward: tcp }
"#;

fn spec(keep_alive: &str) -> String {
    SPEC.replace("KEEP_ALIVE", keep_alive)
}

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

/// One `plan --output json`: the steps.
fn plan_steps(moto: &Moto, spec: &Path) -> Vec<serde_json::Value> {
    let out = moto
        .lbctl()
        .args(["plan", "--output", "json", "-f"])
        .arg(spec)
        .output()
        .unwrap();
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    plan["steps"].as_array().unwrap().clone()
}

/// The IPv4 IPAM pool moto has for a load balancer.
fn live_pool(moto: &Moto, name: &str) -> Option<String> {
    block_on(async {
        let c = moto.elbv2().await;
        let d = c
            .describe_load_balancers()
            .names(name)
            .send()
            .await
            .unwrap();
        let lb = &d.load_balancers()[0];
        lb.ipam_pools()
            .and_then(|p| p.ipv4_ipam_pool_id())
            .map(str::to_string)
    })
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Runtime::new().unwrap().block_on(f)
}

/// A load balancer's address type and attributes as moto has them.
fn live_lb(moto: &Moto, name: &str) -> (String, BTreeMap<String, String>) {
    block_on(async {
        let c = moto.elbv2().await;
        let d = c
            .describe_load_balancers()
            .names(name)
            .send()
            .await
            .unwrap();
        let lb = &d.load_balancers()[0];
        let arn = lb.load_balancer_arn().unwrap();
        let kind = lb.ip_address_type().unwrap().as_str().to_string();
        let a = c
            .describe_load_balancer_attributes()
            .load_balancer_arn(arn)
            .send()
            .await
            .unwrap();
        let attrs = a
            .attributes()
            .iter()
            .map(|a| {
                (
                    a.key().unwrap().to_string(),
                    a.value().unwrap_or_default().to_string(),
                )
            })
            .collect();
        (kind, attrs)
    })
}

/// A target group's attributes as moto has them.
fn live_tg(moto: &Moto, name: &str) -> BTreeMap<String, String> {
    block_on(async {
        let c = moto.elbv2().await;
        let d = c.describe_target_groups().names(name).send().await.unwrap();
        let arn = d.target_groups()[0].target_group_arn().unwrap();
        let a = c
            .describe_target_group_attributes()
            .target_group_arn(arn)
            .send()
            .await
            .unwrap();
        a.attributes()
            .iter()
            .map(|a| {
                (
                    a.key().unwrap().to_string(),
                    a.value().unwrap_or_default().to_string(),
                )
            })
            .collect()
    })
}

#[test]
fn typed_attributes_apply_plan_empty_change_once_and_export() {
    let moto = Moto::start();
    moto.seed();
    let file = write_spec(&spec("1h"));
    apply(&moto, &file.path);
    assert_converged(&moto, &file.path);

    let (kind, a) = live_lb(&moto, "edge");
    assert_eq!(kind, "dualstack-without-public-ipv4");
    assert_eq!(
        live_pool(&moto, "edge").as_deref(),
        Some("ipam-pool-0a1b2c3d4e")
    );
    for (key, want) in [
        ("zonal_shift.config.enabled", "true"),
        ("client_keep_alive.seconds", "3600"),
        ("routing.http.desync_mitigation_mode", "strictest"),
        ("routing.http.preserve_host_header.enabled", "true"),
        ("routing.http.xff_header_processing.mode", "preserve"),
        ("routing.http.xff_client_port.enabled", "true"),
        (
            "routing.http.x_amzn_tls_version_and_cipher_suite.enabled",
            "true",
        ),
        ("waf.fail_open.enabled", "true"),
        ("connection_logs.s3.enabled", "true"),
        ("connection_logs.s3.bucket", "lb-logs"),
        ("health_check_logs.s3.prefix", "edge-hc"),
        ("ipv6.deny_all_igw_traffic", "false"),
    ] {
        assert_eq!(a.get(key).map(String::as_str), Some(want), "{key}: {a:?}");
    }
    let (_, n) = live_lb(&moto, "edge-nlb");
    assert_eq!(
        n["dns_record.client_routing_policy"],
        "partial_availability_zone_affinity"
    );
    let t = live_tg(&moto, "appliances");
    assert_eq!(t["target_failover.on_deregistration"], "rebalance");
    assert_eq!(t["target_failover.on_unhealthy"], "rebalance");
    let t = live_tg(&moto, "tcp");
    assert_eq!(
        t["target_health_state.unhealthy.draining_interval_seconds"],
        "300"
    );
    let t = live_tg(&moto, "api");
    assert_eq!(
        t["target_group_health.dns_failover.minimum_healthy_targets.percentage"],
        "off"
    );
    assert_eq!(
        live_tg(&moto, "fn")["lambda.multi_value_headers.enabled"],
        "true"
    );

    // One changed key: one load balancer update with that change alone.
    let changed = write_spec(&spec("2h"));
    let out = moto
        .lbctl()
        .args(["plan", "--output", "json", "-f"])
        .arg(&changed.path)
        .output()
        .unwrap();
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let steps = plan["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1, "{plan:#}");
    assert_eq!(steps[0]["action"], "update");
    assert_eq!(steps[0]["kind"], "load_balancer");
    assert_eq!(steps[0]["name"], "edge");
    let changes = steps[0]["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{plan:#}");
    assert_eq!(changes[0]["path"], "attributes.client_keep_alive");
    apply(&moto, &changed.path);
    assert_converged(&moto, &changed.path);
    assert_eq!(
        live_lb(&moto, "edge").1["client_keep_alive.seconds"],
        "7200"
    );

    // Export writes the typed keys (never under extra) and plans empty.
    let out = moto
        .lbctl()
        .args(["export", "--stack", "surface"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yaml = String::from_utf8(out.stdout).unwrap();
    for typed in [
        "client_keep_alive: 2h",
        "desync_mitigation: strictest",
        "health_check_logs:",
        "dns_client_routing_policy: partial_availability_zone_affinity",
        "target_failover:",
        "unhealthy_draining:",
        "health_thresholds:",
        "lambda_multi_value_headers: true",
        "ip_address_type: dualstack-without-public-ipv4",
        "ipam_pool: ipam-pool-0a1b2c3d4e",
    ] {
        assert!(yaml.contains(typed), "no `{typed}` in:\n{yaml}");
    }
    for raw in [
        "client_keep_alive.seconds",
        "target_failover.on_",
        "lambda.multi_value",
    ] {
        assert!(!yaml.contains(raw), "`{raw}` under extra in:\n{yaml}");
    }
    let exported = write_spec(&yaml);
    assert_converged(&moto, &exported.path);

    // Another pool, then none: each one update of `ipam_pool` (ModifyIpPools).
    for (text, want) in [
        (
            spec("2h").replace("ipam-pool-0a1b2c3d4e", "ipam-pool-99"),
            Some("ipam-pool-99"),
        ),
        (
            spec("2h").replace("    ipam_pool: ipam-pool-0a1b2c3d4e\n", ""),
            None,
        ),
    ] {
        let file = write_spec(&text);
        let steps = plan_steps(&moto, &file.path);
        assert_eq!(steps.len(), 1, "{steps:#?}");
        assert_eq!(steps[0]["changes"][0]["path"], "ipam_pool", "{steps:#?}");
        assert_eq!(steps[0]["changes"].as_array().unwrap().len(), 1);
        apply(&moto, &file.path);
        assert_converged(&moto, &file.path);
        assert_eq!(live_pool(&moto, "edge").as_deref(), want);
    }
}
