//! Rules for the typed attributes of the December 2026 additions: each key
//! only on the load balancer types or target group kinds AWS takes it for
//! (from the attribute table), values within AWS's ranges, the
//! `target_failover` pair set together to one value, and the unhealthy
//! draining interval only with connection termination off (and never on
//! for UDP). Sources: the API reference pages named in `attributes`.

use super::attributes::{self as table, check_value, describe_scope, TgKind};
use super::common::{not_applicable, one_of_values};
use crate::spec::diag::Check;
use crate::spec::raw::{RawAccessLogs, RawLbAttributes, RawTgAttributes};
use crate::spec::scalar::Seconds;
use crate::spec::typed_attrs::{lb_key, tg_key};

/// How messages name the load balancer types of a table row.
fn describe_types(types: &[&str]) -> String {
    let names: Vec<&str> = types.to_vec();
    format!("{} load balancers", names.join(" and "))
}

/// A duration within `lo..=hi` seconds, with a hint naming the range.
fn secs_range(c: &mut Check, rel: &str, label: &str, v: Seconds, lo: u64, hi: u64) {
    if !(lo..=hi).contains(&v.0) {
        let key = rel.rsplit('.').next().unwrap_or(rel);
        let msg = format!("{label} ({v}) must be between {lo} and {hi} s");
        c.hint(
            rel,
            msg,
            format!("set `{key}` to {lo}..{hi} seconds (`30s`, `5m`, `1h`, `1d` also work)"),
        );
    }
}

/// Every typed load balancer key of the additions.
pub fn load_balancer(c: &mut Check, ty: &str, a: &RawLbAttributes) {
    let given = [
        ("zonal_shift", a.zonal_shift.is_some()),
        ("client_keep_alive", a.client_keep_alive.is_some()),
        ("desync_mitigation", a.desync_mitigation.is_some()),
        ("preserve_host_header", a.preserve_host_header.is_some()),
        ("xff_header_processing", a.xff_header_processing.is_some()),
        ("xff_client_port", a.xff_client_port.is_some()),
        (
            "tls_version_and_cipher_headers",
            a.tls_version_and_cipher_headers.is_some(),
        ),
        ("waf_fail_open", a.waf_fail_open.is_some()),
        (
            "dns_client_routing_policy",
            a.dns_client_routing_policy.is_some(),
        ),
        ("deny_all_igw_traffic", a.deny_all_igw_traffic.is_some()),
    ];
    for (name, set) in given {
        let row = table::lb_attr(lb_key(name)).expect("in the table");
        if set && !row.types.contains(&ty) {
            not_applicable(
                c,
                &format!("attributes.{name}"),
                name,
                &describe_types(row.types),
            );
        }
    }
    if let Some(s) = a.client_keep_alive.filter(|_| ty == "application") {
        secs_range(
            c,
            "attributes.client_keep_alive",
            "client keep-alive",
            s,
            60,
            604_800,
        );
    }
    for (name, v) in [
        ("desync_mitigation", &a.desync_mitigation),
        ("xff_header_processing", &a.xff_header_processing),
        ("dns_client_routing_policy", &a.dns_client_routing_policy),
    ] {
        let row = table::lb_attr(lb_key(name)).expect("in the table");
        if let (Some(v), table::Shape::Enum(words)) = (v, row.shape) {
            if row.types.contains(&ty) {
                one_of_values(
                    c,
                    &format!("attributes.{name}"),
                    &name.replace('_', " "),
                    v,
                    words,
                );
            }
        }
    }
    for (name, logs) in [
        ("connection_logs", &a.connection_logs),
        ("health_check_logs", &a.health_check_logs),
    ] {
        let Some(logs) = logs else { continue };
        let rel = format!("attributes.{name}");
        if ty != "application" {
            not_applicable(c, &rel, name, "application load balancers");
            continue;
        }
        let no_bucket = match logs {
            RawAccessLogs::Off(on) => *on,
            RawAccessLogs::On(to) => to.bucket.as_deref().is_none_or(str::is_empty),
        };
        if no_bucket {
            let hint = format!("write `{name}: {{ bucket: my-logs, prefix: web }}`");
            c.hint(&rel, format!("`{name}` needs `bucket`"), hint);
        }
    }
}

/// Every typed target group key of the additions.
pub fn target_group(c: &mut Check, kind: &TgKind, a: &RawTgAttributes) {
    let given = [
        (
            "target_failover",
            "target_failover.on_deregistration",
            a.target_failover.is_some(),
        ),
        (
            "unhealthy_draining",
            "unhealthy_draining.connection_termination",
            a.unhealthy_draining.is_some(),
        ),
        (
            "health_thresholds",
            "health_thresholds.dns_failover.count",
            a.health_thresholds.is_some(),
        ),
        (
            "lambda_multi_value_headers",
            "lambda_multi_value_headers",
            a.lambda_multi_value_headers.is_some(),
        ),
    ];
    let mut wrong_kind = false;
    for (name, path, set) in given {
        let row = table::tg_attr(tg_key(path)).expect("in the table");
        if set && !kind.takes(row.scope) {
            let msg = format!(
                "`{name}` only applies to {}, not {}",
                describe_scope(row.scope),
                kind.describe()
            );
            c.hint(
                &format!("attributes.{name}"),
                msg,
                format!("remove `{name}`"),
            );
            wrong_kind = true;
        }
    }
    if wrong_kind {
        return;
    }
    target_failover(c, a);
    unhealthy_draining(c, kind, a);
    health_thresholds(c, a);
}

/// Both `target_failover` keys, one value, `rebalance` or `no_rebalance`.
fn target_failover(c: &mut Check, a: &RawTgAttributes) {
    let Some(f) = &a.target_failover else { return };
    let words = ["rebalance", "no_rebalance"];
    for (field, v) in [
        ("on_deregistration", &f.on_deregistration),
        ("on_unhealthy", &f.on_unhealthy),
    ] {
        if let Some(v) = v {
            one_of_values(
                c,
                &format!("attributes.target_failover.{field}"),
                "target failover",
                v,
                &words,
            );
        }
    }
    match (&f.on_deregistration, &f.on_unhealthy) {
        (Some(d), Some(u)) if d != u => {
            let msg = format!(
                "`target_failover.on_deregistration` (`{d}`) and `target_failover.on_unhealthy` (`{u}`) must be the same"
            );
            let hint = format!("AWS sets both together; give both `{d}` or both `{u}`");
            c.hint("attributes.target_failover.on_unhealthy", msg, hint);
        }
        (Some(v), None) | (None, Some(v)) => {
            let missing = if f.on_deregistration.is_none() {
                "on_deregistration"
            } else {
                "on_unhealthy"
            };
            let msg = "`target_failover` needs both `on_deregistration` and `on_unhealthy`";
            let hint = format!("add `{missing}: {v}`; AWS sets both together, to the same value");
            c.hint("attributes.target_failover", msg, hint);
        }
        _ => {}
    }
}

/// The draining interval (0..360000 s) only with termination off; no
/// termination on UDP.
fn unhealthy_draining(c: &mut Check, kind: &TgKind, a: &RawTgAttributes) {
    let Some(d) = &a.unhealthy_draining else {
        return;
    };
    let on = d.connection_termination == Some(true);
    if on && matches!(kind.protocol, Some("UDP" | "TCP_UDP")) {
        let msg = format!(
            "`unhealthy_draining.connection_termination` cannot be `true` for {}",
            kind.describe()
        );
        c.hint(
            "attributes.unhealthy_draining.connection_termination",
            msg,
            "remove it or set it to `false`",
        );
    }
    if let Some(i) = d.interval {
        let rel = "attributes.unhealthy_draining.interval";
        if on {
            let hint = "set `connection_termination: false`, or remove `interval`";
            c.hint(
                rel,
                "`unhealthy_draining.interval` needs `connection_termination: false`",
                hint,
            );
        } else {
            secs_range(c, rel, "unhealthy draining interval", i, 0, 360_000);
        }
    }
}

/// Counts and percentages as AWS takes them (`off` or a number).
fn health_thresholds(c: &mut Check, a: &RawTgAttributes) {
    let Some(h) = &a.health_thresholds else {
        return;
    };
    for (group, t) in [
        ("dns_failover", &h.dns_failover),
        ("unhealthy_routing", &h.unhealthy_routing),
    ] {
        let Some(t) = t else { continue };
        for (field, v) in [("count", &t.count), ("percent", &t.percent)] {
            let Some(v) = v else { continue };
            let path = format!("health_thresholds.{group}.{field}");
            let row = table::tg_attr(tg_key(&path)).expect("in the table");
            let value = v.as_str().to_ascii_lowercase();
            if let Err(want) = check_value(row.shape, &value) {
                let msg = format!("`{path}` must be {want}, not `{v}`");
                c.hint(
                    &format!("attributes.{path}"),
                    msg,
                    format!("set `{field}` to {want}"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests;
