//! The typed attributes of the December 2026 additions: which AWS key each
//! spec key sets, its name in plans, and the desired attributes a spec's
//! typed keys make. Validation is in `validate::typed_attrs`, export in
//! `export::typed_attrs`; the attribute table (`validate::attributes`)
//! names the same spec keys in its `typed` column.
//!
//! Keys and values from the API reference:
//! <https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html>,
//! <https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html>.

use crate::model::Attributes;
use crate::spec::raw::{RawAccessLogs, RawLbAttributes, RawTgAttributes};

/// Scalar load balancer keys: (spec key, AWS key).
pub const LB_SCALARS: &[(&str, &str)] = &[
    ("zonal_shift", "zonal_shift.config.enabled"),
    ("client_keep_alive", "client_keep_alive.seconds"),
    ("desync_mitigation", "routing.http.desync_mitigation_mode"),
    (
        "preserve_host_header",
        "routing.http.preserve_host_header.enabled",
    ),
    (
        "xff_header_processing",
        "routing.http.xff_header_processing.mode",
    ),
    ("xff_client_port", "routing.http.xff_client_port.enabled"),
    (
        "tls_version_and_cipher_headers",
        "routing.http.x_amzn_tls_version_and_cipher_suite.enabled",
    ),
    ("waf_fail_open", "waf.fail_open.enabled"),
    (
        "dns_client_routing_policy",
        "dns_record.client_routing_policy",
    ),
    ("deny_all_igw_traffic", "ipv6.deny_all_igw_traffic"),
];

/// Log destinations written like `access_logs`: (spec key, AWS prefix).
pub const LB_LOGS: &[(&str, &str)] = &[
    ("connection_logs", "connection_logs.s3"),
    ("health_check_logs", "health_check_logs.s3"),
];

/// Target group keys: (spec path under `attributes`, AWS key).
pub const TG_KEYS: &[(&str, &str)] = &[
    (
        "target_failover.on_deregistration",
        "target_failover.on_deregistration",
    ),
    (
        "target_failover.on_unhealthy",
        "target_failover.on_unhealthy",
    ),
    (
        "unhealthy_draining.connection_termination",
        "target_health_state.unhealthy.connection_termination.enabled",
    ),
    (
        "unhealthy_draining.interval",
        "target_health_state.unhealthy.draining_interval_seconds",
    ),
    (
        "health_thresholds.dns_failover.count",
        "target_group_health.dns_failover.minimum_healthy_targets.count",
    ),
    (
        "health_thresholds.dns_failover.percent",
        "target_group_health.dns_failover.minimum_healthy_targets.percentage",
    ),
    (
        "health_thresholds.unhealthy_routing.count",
        "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count",
    ),
    (
        "health_thresholds.unhealthy_routing.percent",
        "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage",
    ),
    (
        "lambda_multi_value_headers",
        "lambda.multi_value_headers.enabled",
    ),
];

/// The plan name (path under `attributes`) of an AWS key one of these
/// typed keys sets.
pub fn plan_name(key: &str) -> Option<String> {
    if let Some((name, _)) = LB_SCALARS.iter().chain(TG_KEYS).find(|(_, k)| *k == key) {
        return Some((*name).to_string());
    }
    LB_LOGS.iter().find_map(|(name, prefix)| {
        let field = key.strip_prefix(prefix)?.strip_prefix('.')?;
        matches!(field, "enabled" | "bucket" | "prefix").then(|| format!("{name}.{field}"))
    })
}

/// The AWS key of a scalar load balancer key.
pub fn lb_key(spec_key: &str) -> &'static str {
    LB_SCALARS
        .iter()
        .find(|(name, _)| *name == spec_key)
        .map(|(_, k)| *k)
        .expect("a typed load balancer key")
}

/// The AWS key of a target group key.
pub fn tg_key(spec_path: &str) -> &'static str {
    TG_KEYS
        .iter()
        .find(|(name, _)| *name == spec_path)
        .map(|(_, k)| *k)
        .expect("a typed target group key")
}

fn put(a: &mut Attributes, key: &str, value: impl ToString) {
    a.insert(key.to_string(), value.to_string());
}

/// The desired load balancer attributes the typed keys set.
pub(crate) fn load_balancer(r: &RawLbAttributes, a: &mut Attributes) {
    let bools = [
        ("zonal_shift", r.zonal_shift),
        ("preserve_host_header", r.preserve_host_header),
        ("xff_client_port", r.xff_client_port),
        (
            "tls_version_and_cipher_headers",
            r.tls_version_and_cipher_headers,
        ),
        ("waf_fail_open", r.waf_fail_open),
        ("deny_all_igw_traffic", r.deny_all_igw_traffic),
    ];
    for (name, v) in bools {
        if let Some(v) = v {
            put(a, lb_key(name), v);
        }
    }
    let words = [
        ("desync_mitigation", &r.desync_mitigation),
        ("xff_header_processing", &r.xff_header_processing),
        ("dns_client_routing_policy", &r.dns_client_routing_policy),
    ];
    for (name, v) in words {
        if let Some(v) = v {
            put(a, lb_key(name), v);
        }
    }
    if let Some(s) = r.client_keep_alive {
        put(a, lb_key("client_keep_alive"), s.0);
    }
    for ((_, prefix), logs) in LB_LOGS
        .iter()
        .zip([&r.connection_logs, &r.health_check_logs])
    {
        match logs {
            Some(RawAccessLogs::On(to)) => {
                put(a, &format!("{prefix}.enabled"), true);
                put(
                    a,
                    &format!("{prefix}.bucket"),
                    to.bucket.as_deref().unwrap_or_default(),
                );
                put(
                    a,
                    &format!("{prefix}.prefix"),
                    to.prefix.as_deref().unwrap_or_default(),
                );
            }
            Some(RawAccessLogs::Off(false)) => put(a, &format!("{prefix}.enabled"), false),
            _ => {}
        }
    }
}

/// The desired target group attributes the typed keys set.
pub(crate) fn target_group(r: &RawTgAttributes, a: &mut Attributes) {
    if let Some(f) = &r.target_failover {
        for (path, v) in [
            ("target_failover.on_deregistration", &f.on_deregistration),
            ("target_failover.on_unhealthy", &f.on_unhealthy),
        ] {
            if let Some(v) = v {
                put(a, tg_key(path), v);
            }
        }
    }
    if let Some(d) = &r.unhealthy_draining {
        if let Some(on) = d.connection_termination {
            put(a, tg_key("unhealthy_draining.connection_termination"), on);
        }
        if let Some(i) = d.interval {
            put(a, tg_key("unhealthy_draining.interval"), i.0);
        }
    }
    if let Some(h) = &r.health_thresholds {
        for (group, t) in [
            ("dns_failover", &h.dns_failover),
            ("unhealthy_routing", &h.unhealthy_routing),
        ] {
            let Some(t) = t else { continue };
            for (field, v) in [("count", &t.count), ("percent", &t.percent)] {
                if let Some(v) = v {
                    let path = format!("health_thresholds.{group}.{field}");
                    put(a, tg_key(&path), v.as_str().to_ascii_lowercase());
                }
            }
        }
    }
    if let Some(on) = r.lambda_multi_value_headers {
        put(a, tg_key("lambda_multi_value_headers"), on);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_names_of_typed_keys() {
        assert_eq!(
            plan_name("client_keep_alive.seconds").as_deref(),
            Some("client_keep_alive")
        );
        assert_eq!(
            plan_name("health_check_logs.s3.bucket").as_deref(),
            Some("health_check_logs.bucket")
        );
        assert_eq!(
            plan_name(
                "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage"
            )
            .as_deref(),
            Some("health_thresholds.unhealthy_routing.percent")
        );
        assert_eq!(plan_name("routing.http.x_amzn_tls_kx.enabled"), None);
        assert_eq!(plan_name("connection_logs.s3.other"), None);
    }

    #[test]
    fn typed_keys_become_aws_attributes() {
        let lb: RawLbAttributes = serde_yaml::from_str(
            "{ zonal_shift: true, client_keep_alive: 1h, desync_mitigation: strictest, \
             connection_logs: { bucket: logs, prefix: web }, health_check_logs: false, \
             dns_client_routing_policy: any_availability_zone }",
        )
        .unwrap();
        let mut a = Attributes::new();
        load_balancer(&lb, &mut a);
        assert_eq!(a["zonal_shift.config.enabled"], "true");
        assert_eq!(a["client_keep_alive.seconds"], "3600");
        assert_eq!(a["routing.http.desync_mitigation_mode"], "strictest");
        assert_eq!(a["connection_logs.s3.enabled"], "true");
        assert_eq!(a["connection_logs.s3.bucket"], "logs");
        assert_eq!(a["connection_logs.s3.prefix"], "web");
        assert_eq!(a["health_check_logs.s3.enabled"], "false");
        assert_eq!(
            a["dns_record.client_routing_policy"],
            "any_availability_zone"
        );
        assert_eq!(a.len(), 8, "{a:?}");
        let tg: RawTgAttributes = serde_yaml::from_str(
            "{ target_failover: { on_deregistration: rebalance, on_unhealthy: rebalance }, \
             unhealthy_draining: { connection_termination: false, interval: 5m }, \
             health_thresholds: { dns_failover: { count: 2, percent: OFF }, unhealthy_routing: { percent: 50 } }, \
             lambda_multi_value_headers: true }",
        )
        .unwrap();
        let mut a = Attributes::new();
        target_group(&tg, &mut a);
        assert_eq!(a["target_failover.on_unhealthy"], "rebalance");
        assert_eq!(
            a["target_health_state.unhealthy.draining_interval_seconds"],
            "300"
        );
        assert_eq!(
            a["target_group_health.dns_failover.minimum_healthy_targets.percentage"],
            "off"
        );
        assert_eq!(
            a["target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage"],
            "50"
        );
        assert_eq!(a.len(), 8, "{a:?}");
    }
}
