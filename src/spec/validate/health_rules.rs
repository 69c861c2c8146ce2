//! Health check rules that depend on AWS's defaults and on the target
//! group's protocol: the timeout must be below the interval (each as given
//! or as AWS defaults it), and the HTTP codes a matcher may name.
//!
//! Defaults and ranges, from the user guides and the API reference
//! (CreateTargetGroup, `Matcher`):
//! - application load balancers (HTTP/HTTPS, lambda): timeout 5 s for
//!   instance and ip targets, 30 s for lambda; interval 30 s, 35 s for
//!   lambda; the timeout must be smaller than the interval; codes 200-499
//!   (<https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html>).
//!   The API reference gives 6 s (HTTP) and 10 s (HTTPS) as the default
//!   timeout; 5 s is the lower of the two, so no spec AWS accepts is refused.
//! - network load balancers (TCP, TLS, UDP, TCP_UDP): timeout 6 s for HTTP
//!   health checks, 10 s for TCP and HTTPS ones; interval 30 s; the timeout
//!   may not exceed the interval; codes 200-599
//!   (<https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html>).
//! - gateway load balancers (GENEVE): timeout 5 s, interval 10 s, the
//!   interval at least the timeout; codes 200-399
//!   (<https://docs.aws.amazon.com/elasticloadbalancing/latest/gateway/health-checks.html>).

use crate::spec::diag::Check;
use crate::spec::raw::{RawHealthCheck, RawTargetGroup};

/// AWS's default interval and timeout for this target group and health
/// check protocol, in seconds.
pub fn defaults(tg: &RawTargetGroup, hc_protocol: &str) -> (u64, u64) {
    if tg.target_type() == "lambda" {
        return (35, 30);
    }
    match tg.protocol().as_deref() {
        Some("HTTP" | "HTTPS") => (30, 5),
        Some("GENEVE") => (10, 5),
        _ if hc_protocol == "HTTP" => (30, 6),
        _ => (30, 10),
    }
}

/// Whether AWS wants the timeout strictly below the interval (application
/// load balancers) or only not above it (network and gateway ones).
fn strict(tg: &RawTargetGroup) -> bool {
    tg.is_http()
}

/// Timeout against interval, each as given or AWS's default. Only values
/// that passed their own range check (`*_ok`) are compared.
pub fn timeout_below_interval(
    c: &mut Check,
    tg: &RawTargetGroup,
    hc: &RawHealthCheck,
    hc_protocol: &str,
    interval_ok: bool,
    timeout_ok: bool,
) {
    if !interval_ok || !timeout_ok {
        return;
    }
    let (default_interval, default_timeout) = defaults(tg, hc_protocol);
    let interval = hc.interval.map(|i| i.0);
    let timeout = hc.timeout.map(|t| t.0);
    let (i, t) = (
        interval.unwrap_or(default_interval),
        timeout.unwrap_or(default_timeout),
    );
    let strict = strict(tg);
    if (strict && t < i) || (!strict && t <= i) {
        return;
    }
    let (relation, below) = if strict {
        ("less than", "below")
    } else {
        ("at most", "at or below")
    };
    let kind = match tg.protocol() {
        _ if tg.target_type() == "lambda" => "lambda target groups".to_string(),
        Some(p) => format!("{p} target groups"),
        None => "target groups".to_string(),
    };
    match (interval, timeout) {
        (Some(_), Some(_)) => {
            let msg = format!("health check timeout ({t} s) must be {relation} interval ({i} s)");
            c.hint(
                "health_check.timeout",
                msg,
                "lower `timeout` or raise `interval`",
            );
        }
        (Some(_), None) => {
            let msg = format!(
                "health check interval ({i} s) needs a timeout {below} it, but AWS's default \
                 timeout for {kind} is {t} s"
            );
            let fit = if strict { i - 1 } else { i }.max(2);
            let hint = format!("set `timeout` {below} the interval, e.g. `timeout: {fit}`");
            c.hint("health_check.interval", msg, hint);
        }
        (None, Some(_)) => {
            let msg = format!(
                "health check timeout ({t} s) must be {relation} AWS's default interval for \
                 {kind} ({i} s)"
            );
            let hint = format!("lower `timeout`, or set `interval` above {t}");
            c.hint("health_check.timeout", msg, hint);
        }
        (None, None) => {}
    }
}

/// The HTTP codes a matcher may name for this target group: `(lo, hi)`.
pub fn http_codes(tg: &RawTargetGroup) -> (u32, u32) {
    match tg.protocol().as_deref() {
        _ if tg.is_http() => (200, 499),
        Some("GENEVE") => (200, 399),
        _ => (200, 599),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::diag::Source;
    use crate::spec::location::Locations;

    fn tg(yaml: &str) -> RawTargetGroup {
        serde_yaml::from_str(yaml).unwrap()
    }

    /// The messages `timeout_below_interval` gives for a target group.
    fn problems(yaml: &str) -> Vec<(String, String)> {
        let tg = tg(yaml);
        let hc = tg.health_check.clone().unwrap_or_default();
        let src = Source {
            file: "t".into(),
            locations: Locations::default(),
        };
        let mut out = Vec::new();
        let mut c = Check {
            src: &src,
            out: &mut out,
            what: "tg".into(),
            base: "b".into(),
        };
        let proto = hc.protocol.clone().unwrap_or_else(|| "HTTP".into());
        timeout_below_interval(&mut c, &tg, &hc, &proto, true, true);
        out.into_iter()
            .map(|d| (d.message, d.hint.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn an_alb_interval_of_5_needs_a_timeout_below_the_default() {
        let p = problems("{ protocol: HTTP, health_check: { interval: 5 } }");
        assert_eq!(p.len(), 1);
        assert_eq!(
            p[0].0,
            "tg: health check interval (5 s) needs a timeout below it, but AWS's default timeout for HTTP target groups is 5 s"
        );
        assert_eq!(
            p[0].1,
            "set `timeout` below the interval, e.g. `timeout: 4`"
        );
        assert!(problems("{ protocol: HTTP, health_check: { interval: 6 } }").is_empty());
        assert!(
            problems("{ protocol: HTTP, health_check: { interval: 5, timeout: 4 } }").is_empty()
        );
    }

    #[test]
    fn lambda_defaults_are_30_and_35_seconds() {
        let p = problems("{ target_type: lambda, health_check: { interval: 30 } }");
        assert!(
            p[0].0
                .contains("default timeout for lambda target groups is 30 s"),
            "{p:?}"
        );
        let p = problems("{ target_type: lambda, health_check: { timeout: 35 } }");
        assert!(
            p[0].0
                .contains("AWS's default interval for lambda target groups (35 s)"),
            "{p:?}"
        );
        assert!(problems("{ target_type: lambda, health_check: { timeout: 34 } }").is_empty());
    }

    #[test]
    fn network_and_gateway_target_groups_allow_a_timeout_equal_to_the_interval() {
        assert!(
            problems("{ protocol: TCP, health_check: { protocol: TCP, interval: 10 } }").is_empty()
        );
        let p = problems("{ protocol: TCP, health_check: { protocol: TCP, interval: 9 } }");
        assert!(
            p[0].0.contains(
                "a timeout at or below it, but AWS's default timeout for TCP target groups is 10 s"
            ),
            "{p:?}"
        );
        assert!(
            problems("{ protocol: UDP, health_check: { protocol: HTTP, interval: 6 } }").is_empty()
        );
        assert_eq!(
            problems("{ protocol: UDP, health_check: { protocol: HTTP, interval: 5 } }").len(),
            1
        );
        let p = problems("{ protocol: GENEVE, health_check: { protocol: TCP, timeout: 11 } }");
        assert!(
            p[0].0
                .contains("at most AWS's default interval for GENEVE target groups (10 s)"),
            "{p:?}"
        );
        assert!(
            problems("{ protocol: GENEVE, health_check: { protocol: TCP, timeout: 10 } }")
                .is_empty()
        );
        let both = problems(
            "{ protocol: TCP, health_check: { protocol: TCP, interval: 10, timeout: 11 } }",
        );
        assert_eq!(
            both[0].0,
            "tg: health check timeout (11 s) must be at most interval (10 s)"
        );
    }

    #[test]
    fn matcher_codes_depend_on_the_protocol() {
        assert_eq!(http_codes(&tg("{ protocol: HTTPS }")), (200, 499));
        assert_eq!(http_codes(&tg("{ target_type: lambda }")), (200, 499));
        assert_eq!(http_codes(&tg("{ protocol: TCP }")), (200, 599));
        assert_eq!(http_codes(&tg("{ protocol: GENEVE }")), (200, 399));
    }
}
