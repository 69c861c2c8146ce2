//! Attribute rules AWS enforces beyond the shape of the spec: the `extra`
//! maps of target groups and load balancers checked against the table in
//! `attributes` (unknown keys, keys of another type, keys a typed spec key
//! covers, values out of range), and the
//! typed target group keys AWS restricts further (reserved cookie names,
//! client IP preservation on UDP, `deregistration_delay` on lambda and
//! `cross_zone` on GENEVE target groups).
//!
//! Sources: the API reference pages named in `attributes`; the cookie
//! prefixes and the UDP rule are in the `TargetGroupAttribute` page
//! (<https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html>).

use super::attributes::{self as table, describe_scope, TgKind};
use crate::spec::diag::{suggest, Check};
use crate::spec::raw::{RawTags, RawTargetGroup, RawTgAttributes};

/// Cookie name prefixes AWS keeps for its own cookies.
const RESERVED_COOKIE_PREFIXES: &[&str] = &["AWSALB", "AWSALBAPP", "AWSALBTG"];

/// A problem at the key of `rel` (unknown or misplaced keys), not its value.
fn at_key(c: &mut Check, rel: &str, msg: impl std::fmt::Display, hint: impl Into<String>) {
    let path = c.path(rel);
    let message = format!("{}: {msg}", c.what);
    let d = c.src.diag_key(&path, message, Some(hint.into()));
    c.out.push(d);
}

/// Every rule for a target group's attributes that this module owns.
pub fn target_group(c: &mut Check, tg: &RawTargetGroup, a: &RawTgAttributes) {
    let protocol = tg.protocol();
    let version = tg.protocol_version.as_ref().map(|v| v.to_ascii_uppercase());
    let kind = TgKind {
        protocol: protocol.as_deref(),
        target_type: tg.target_type(),
        protocol_version: version.as_deref(),
    };
    if let Some(name) = a.stickiness.as_ref().and_then(|s| s.cookie_name.as_ref()) {
        cookie_name(c, "attributes.stickiness.cookie_name", name);
    }
    if a.preserve_client_ip == Some(false) && matches!(kind.protocol, Some("UDP" | "TCP_UDP")) {
        let msg = format!(
            "client IP preservation cannot be turned off for {}",
            kind.describe()
        );
        let hint = "remove `preserve_client_ip: false`; AWS always preserves client IPs for UDP";
        c.hint("attributes.preserve_client_ip", msg, hint);
    }
    // Typed keys whose scope the v1 rules in `target_group` do not check.
    for (given, rel, key) in [
        (
            a.deregistration_delay.is_some(),
            "attributes.deregistration_delay",
            "deregistration_delay.timeout_seconds",
        ),
        (
            a.cross_zone.is_some(),
            "attributes.cross_zone",
            "load_balancing.cross_zone.enabled",
        ),
    ] {
        let row = table::tg_attr(key).expect("in the table");
        if given && !kind.takes(row.scope) {
            let typed = row.typed.unwrap_or(key);
            let msg = format!(
                "`{typed}` only applies to {}, not {}",
                describe_scope(row.scope),
                kind.describe()
            );
            c.hint(rel, msg, format!("remove `{typed}`"));
        }
    }
    super::typed_attrs::target_group(c, &kind, a);
    if let Some(extra) = &a.extra {
        tg_extra(c, &kind, extra);
    }
}

/// `stickiness.app_cookie.cookie_name`: not one of AWS's own prefixes.
fn cookie_name(c: &mut Check, rel: &str, name: &str) {
    if let Some(prefix) = RESERVED_COOKIE_PREFIXES
        .iter()
        .rev()
        .find(|p| name.starts_with(**p))
    {
        let msg = format!(
            "cookie name `{name}` starts with `{prefix}`, which AWS reserves for the load balancer's own cookies"
        );
        let hint = "choose a name that does not start with `AWSALB`, `AWSALBAPP` or `AWSALBTG`";
        c.hint(rel, msg, hint);
    }
}

fn tg_extra(c: &mut Check, kind: &TgKind, extra: &RawTags) {
    for (key, value) in extra {
        let rel = format!("attributes.extra.{key}");
        let Some(row) = table::tg_attr(key) else {
            let keys = table::tg_keys(kind);
            let noun = format!("keys AWS takes for {}", kind.describe());
            let msg = format!("unknown target group attribute `{key}`");
            at_key(c, &rel, msg, suggest(key, &keys, &noun));
            continue;
        };
        if !kind.takes(row.scope) {
            let msg = format!(
                "attribute `{key}` only applies to {}, not {}",
                describe_scope(row.scope),
                kind.describe()
            );
            at_key(c, &rel, msg, "remove it from `extra`");
        } else if let Some(typed) = row.typed {
            typed_key(c, &rel, key, typed);
        } else if let Err(want) = table::check_value(row.shape, value.as_str()) {
            let msg = format!("attribute `{key}` must be {want}, not `{value}`");
            c.hint(&rel, msg, format!("set `{key}` to {want}"));
        }
    }
}

/// An `extra` key a typed key of the spec sets.
fn typed_key(c: &mut Check, rel: &str, key: &str, typed: &str) {
    let msg = format!("`extra` key `{key}` is what `attributes.{typed}` sets");
    let hint = format!("remove it from `extra` and write `{typed}` under `attributes`");
    at_key(c, rel, msg, hint);
}

/// A load balancer's `extra` map.
pub fn load_balancer(c: &mut Check, lb_type: &str, extra: &RawTags) {
    for (key, value) in extra {
        let rel = format!("attributes.extra.{key}");
        let Some(row) = table::lb_attr(key) else {
            let keys = table::lb_keys(lb_type);
            let noun = format!("keys AWS takes for {lb_type} load balancers");
            let msg = format!("unknown load balancer attribute `{key}`");
            at_key(c, &rel, msg, suggest(key, &keys, &noun));
            continue;
        };
        if !row.types.contains(&lb_type) {
            let list: Vec<String> = row.types.iter().map(|t| format!("`{t}`")).collect();
            let msg = format!(
                "attribute `{key}` only applies to load balancers of type {}, not `{lb_type}`",
                list.join(" and ")
            );
            at_key(c, &rel, msg, "remove it from `extra`");
        } else if let Some(typed) = row.typed {
            typed_key(c, &rel, key, typed);
        } else if let Err(want) = table::check_value(row.shape, value.as_str()) {
            let msg = format!("attribute `{key}` must be {want}, not `{value}`");
            c.hint(&rel, msg, format!("set `{key}` to {want}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::diag::Source;
    use crate::spec::location::Locations;

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

    fn tg(yaml: &str) -> Vec<(String, String)> {
        let tg: RawTargetGroup = serde_yaml::from_str(yaml).unwrap();
        let a = tg.attributes.clone().unwrap_or_default();
        check(|c| target_group(c, &tg, &a))
    }

    fn lb(ty: &str, yaml: &str) -> Vec<(String, String)> {
        let extra: RawTags = serde_yaml::from_str(yaml).unwrap();
        check(|c| load_balancer(c, ty, &extra))
    }

    #[test]
    fn reserved_cookie_prefixes_are_refused() {
        for name in ["AWSALB", "AWSALBAPP-1", "AWSALBTGX"] {
            let p = tg(&format!(
                "{{ protocol: HTTP, attributes: {{ stickiness: {{ type: app_cookie, cookie_name: {name} }} }} }}"
            ));
            assert_eq!(p.len(), 1, "{name}: {p:?}");
            assert!(p[0].0.contains("which AWS reserves"), "{p:?}");
        }
        let p = tg("{ protocol: HTTP, attributes: { stickiness: { cookie_name: AWSALBAPPX } } }");
        assert!(p[0].0.contains("starts with `AWSALBAPP`"), "{p:?}");
        assert!(
            tg("{ protocol: HTTP, attributes: { stickiness: { cookie_name: SESSION } } }")
                .is_empty()
        );
    }

    #[test]
    fn typed_keys_of_another_kind_are_refused() {
        let p = tg("{ target_type: lambda, attributes: { deregistration_delay: 30 } }");
        assert_eq!(
            p[0].0,
            "x: `deregistration_delay` only applies to target groups of instances, IPs and load balancers, not lambda target groups"
        );
        let p = tg("{ protocol: GENEVE, attributes: { cross_zone: true } }");
        assert_eq!(
            p[0].0,
            "x: `cross_zone` only applies to target groups of application and network load balancers, not GENEVE target groups"
        );
        assert!(tg(
            "{ protocol: TCP, attributes: { cross_zone: inherit, deregistration_delay: 0 } }"
        )
        .is_empty());
    }

    #[test]
    fn client_ip_preservation_stays_on_for_udp() {
        for proto in ["UDP", "TCP_UDP"] {
            let p = tg(&format!(
                "{{ protocol: {proto}, attributes: {{ preserve_client_ip: false }} }}"
            ));
            assert_eq!(
                p[0].0,
                format!("x: client IP preservation cannot be turned off for {proto} target groups")
            );
        }
        assert!(tg("{ protocol: TCP, attributes: { preserve_client_ip: false } }").is_empty());
        assert!(tg("{ protocol: UDP, attributes: { preserve_client_ip: true } }").is_empty());
    }

    #[test]
    fn unknown_extra_keys_get_a_suggestion_and_the_valid_keys() {
        let p = tg(
            r#"{ protocol: HTTP, attributes: { extra: { "slow_start.duration_second": "30" } } }"#,
        );
        assert_eq!(
            p[0].0,
            "x: unknown target group attribute `slow_start.duration_second`"
        );
        assert!(
            p[0].1
                .starts_with("did you mean `slow_start.duration_seconds`?"),
            "{p:?}"
        );
        assert!(
            p[0].1.contains("keys AWS takes for HTTP target groups:"),
            "{p:?}"
        );
        assert!(p[0]
            .1
            .contains("`target_group_health.dns_failover.minimum_healthy_targets.count`"));
        assert!(!p[0].1.contains("proxy_protocol_v2"), "{p:?}");
        let p = lb("network", r#"{ "zonal_shift.enabled": "true" }"#);
        assert!(
            p[0].1
                .starts_with("did you mean `zonal_shift.config.enabled`?"),
            "{p:?}"
        );
    }

    #[test]
    fn extra_keys_of_another_type_are_refused() {
        let p = tg(
            r#"{ protocol: TCP, attributes: { extra: { "lambda.multi_value_headers.enabled": "true" } } }"#,
        );
        assert_eq!(
            p[0].0,
            "x: attribute `lambda.multi_value_headers.enabled` only applies to lambda target groups, not TCP target groups"
        );
        let p = lb("network", r#"{ "client_keep_alive.seconds": "3600" }"#);
        assert_eq!(
            p[0].0,
            "x: attribute `client_keep_alive.seconds` only applies to load balancers of type `application`, not `network`"
        );
    }

    #[test]
    fn extra_keys_a_typed_key_covers_are_refused() {
        let p = tg(
            r#"{ protocol: HTTP, attributes: { extra: { "deregistration_delay.timeout_seconds": "30" } } }"#,
        );
        assert_eq!(
            p[0].0,
            "x: `extra` key `deregistration_delay.timeout_seconds` is what `attributes.deregistration_delay` sets"
        );
        let p = lb(
            "application",
            r#"{ "idle_timeout.timeout_seconds": "5000" }"#,
        );
        assert!(
            p[0].0.contains("is what `attributes.idle_timeout` sets"),
            "{p:?}"
        );
    }

    #[test]
    fn extra_values_are_checked() {
        let p = lb(
            "network",
            r#"{ "secondary_ips.auto_assigned.per_subnet": "8" }"#,
        );
        assert_eq!(
            p[0].0,
            "x: attribute `secondary_ips.auto_assigned.per_subnet` must be an integer from 0 to 7, not `8`"
        );
        let p = lb(
            "application",
            r#"{ "routing.http.x_amzn_tls_kx.enabled": "yes" }"#,
        );
        assert!(
            p[0].0.contains("must be `true` or `false`, not `yes`"),
            "{p:?}"
        );
        assert!(lb(
            "application",
            "{ routing.http.x_amzn_tls_kx.enabled: true }"
        )
        .is_empty());
    }

    #[test]
    fn extra_keys_the_new_typed_keys_cover_are_refused() {
        let p = lb("application", r#"{ "client_keep_alive.seconds": "3600" }"#);
        assert_eq!(
            p[0].0,
            "x: `extra` key `client_keep_alive.seconds` is what `attributes.client_keep_alive` sets"
        );
        let p = tg(
            r#"{ protocol: GENEVE, attributes: { extra: { "target_failover.on_unhealthy": rebalance } } }"#,
        );
        assert!(
            p[0].0
                .contains("is what `attributes.target_failover.on_unhealthy` sets"),
            "{p:?}"
        );
    }
}
