//! `dns:` rules for one Route 53 health check lbctl manages (`{ type: ...,
//! ... }` under a member's `health_check`, or a calculated check's
//! `children`): the keys each type takes and AWS's limits
//! (`HealthCheckConfig` in the Route 53 API reference). An ID is only
//! checked for being non-empty: lbctl does not manage it.

use std::collections::BTreeSet;
use std::net::IpAddr;

use super::common::{self, int_range, not_applicable};
use super::dns::dns_name_problem;
use crate::model::dns::HEALTH_CHECK_REGIONS;
use crate::spec::diag::{one_of, suggest, Check};
use crate::spec::location::join_key;
use crate::spec::raw::dns::{
    aws_check_type, RawManagedHealthCheck, RawR53HealthCheck, INSUFFICIENT_DATA,
};

/// Route 53's limit on `SearchString`, `ResourcePath` and
/// `RoutingControlArn` (characters).
const MAX_TEXT: usize = 255;
/// Route 53's limits on `ChildHealthChecks` and `HealthThreshold`.
const MAX_CHILDREN: usize = 256;
/// The fewest health checker regions Route 53 accepts.
const MIN_REGIONS: usize = 3;
/// `AlarmIdentifier.Region` values (`CloudWatchRegion`).
const ALARM_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "eu-central-1",
    "eu-central-2",
    "eu-isoe-west-1",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "us-isob-west-1",
    "us-isof-east-1",
    "us-isof-south-1",
    "us-west-1",
    "us-west-2",
];

/// Check a member's (or a child's) health check at `rel`. `nested`: it is
/// a child of a calculated check.
pub fn check(c: &mut Check, rel: &str, hc: &RawR53HealthCheck, nested: bool) {
    let h = match hc {
        RawR53HealthCheck::Id(id) => {
            if id.trim().is_empty() {
                c.err(rel, "a health check ID must not be empty");
            }
            return;
        }
        RawR53HealthCheck::Managed(h) => h,
    };
    let key = |k: &str| join_key(rel, k);
    let types = crate::model::vocab::HealthCheckType::spec_names();
    let ty = match &h.check_type {
        None => {
            c.hint(rel, "a health check needs `type`", one_of(&types));
            return;
        }
        Some(t) => match aws_check_type(t) {
            Some(ty) => ty,
            None => {
                let t = t.trim();
                c.hint(
                    &key("type"),
                    format!("unknown health check type `{t}`"),
                    one_of(&types),
                );
                return;
            }
        },
    };
    match ty {
        "CALCULATED" => calculated(c, rel, h, nested),
        "CLOUDWATCH_METRIC" => alarm(c, rel, h),
        "RECOVERY_CONTROL" => recovery_control(c, rel, h),
        _ => endpoint(c, rel, h, ty),
    }
    not_for_type(c, rel, h, ty);
}

/// Keys a type does not take, each reported where it is.
fn not_for_type(c: &mut Check, rel: &str, h: &RawManagedHealthCheck, ty: &str) {
    let endpoint = !matches!(ty, "CALCULATED" | "CLOUDWATCH_METRIC" | "RECOVERY_CONTROL");
    let https = matches!(ty, "HTTPS" | "HTTPS_STR_MATCH");
    let str_match = ty.ends_with("_STR_MATCH");
    let given: [(&str, bool, bool, &str); 14] = [
        ("fqdn", h.fqdn.is_some(), endpoint, "endpoint health checks"),
        (
            "ip_address",
            h.ip_address.is_some(),
            endpoint,
            "endpoint health checks",
        ),
        ("port", h.port.is_some(), endpoint, "endpoint health checks"),
        (
            "interval",
            h.interval.is_some(),
            endpoint,
            "endpoint health checks",
        ),
        (
            "regions",
            h.regions.is_some(),
            endpoint,
            "endpoint health checks",
        ),
        (
            "measure_latency",
            h.measure_latency.is_some(),
            endpoint,
            "endpoint health checks",
        ),
        (
            "failure_threshold",
            h.failure_threshold.is_some(),
            endpoint,
            "endpoint health checks",
        ),
        (
            "path",
            h.path.is_some(),
            endpoint && ty != "TCP",
            "HTTP and HTTPS health checks",
        ),
        (
            "enable_sni",
            h.enable_sni.is_some(),
            https,
            "HTTPS health checks",
        ),
        (
            "search_string",
            h.search_string.is_some(),
            str_match,
            "`HTTP_STR_MATCH` and `HTTPS_STR_MATCH` health checks",
        ),
        (
            "children",
            h.children.is_some(),
            ty == "CALCULATED",
            "`calculated` health checks",
        ),
        (
            "healthy_threshold",
            h.healthy_threshold.is_some(),
            ty == "CALCULATED",
            "`calculated` health checks",
        ),
        (
            "alarm",
            h.alarm.is_some(),
            ty == "CLOUDWATCH_METRIC",
            "`cloudwatch_alarm` health checks",
        ),
        (
            "insufficient_data",
            h.insufficient_data.is_some(),
            ty == "CLOUDWATCH_METRIC",
            "`cloudwatch_alarm` health checks",
        ),
    ];
    for (k, present, applies, to) in given {
        if present && !applies {
            not_applicable(c, &join_key(rel, k), k, to);
        }
    }
    if h.routing_control.is_some() && ty != "RECOVERY_CONTROL" {
        not_applicable(
            c,
            &join_key(rel, "routing_control"),
            "routing_control",
            "`recovery_control` health checks",
        );
    }
}

/// HTTP, HTTPS, TCP and the string matches.
fn endpoint(c: &mut Check, rel: &str, h: &RawManagedHealthCheck, ty: &str) {
    let key = |k: &str| join_key(rel, k);
    if h.fqdn.is_none() && h.ip_address.is_none() {
        c.hint(
            rel,
            "a health check needs `fqdn` or `ip_address`",
            "give the name or address Route 53 should check",
        );
    }
    if let Some(ip) = &h.ip_address {
        if ip.trim().parse::<IpAddr>().is_err() {
            c.err(&key("ip_address"), format!("`{ip}` is not an IP address"));
        }
    }
    if let Some(fqdn) = &h.fqdn {
        if let Some(problem) = dns_name_problem(fqdn) {
            c.err(
                &key("fqdn"),
                format!("health check fqdn `{fqdn}` {problem}"),
            );
        }
    }
    match h.port {
        Some(p) => {
            common::port(c, &key("port"), "health check port", p);
        }
        None if ty == "TCP" => c.hint(
            rel,
            "a TCP health check needs `port`",
            "add the port Route 53 should connect to",
        ),
        None => {}
    }
    if let Some(path) = h.path.as_ref().filter(|_| ty != "TCP") {
        if !path.starts_with('/') {
            c.hint(
                &key("path"),
                format!("health check path `{path}` must start with `/`"),
                format!("write `/{path}`"),
            );
        } else {
            too_long(c, &key("path"), "path", path);
        }
    }
    if let Some(i) = h.interval {
        if i.0 != 10 && i.0 != 30 {
            c.hint(
                &key("interval"),
                format!("health check interval ({i}) must be 10 or 30 s"),
                "Route 53 checks every 10 s (fast) or every 30 s (standard)",
            );
        }
    }
    if let Some(n) = h.failure_threshold {
        int_range(c, &key("failure_threshold"), "failure threshold", n, 1, 10);
    }
    if ty.ends_with("_STR_MATCH") {
        match &h.search_string {
            None => c.hint(
                rel,
                format!("a `{ty}` health check needs `search_string`"),
                "add the text Route 53 must find in the first 5,120 bytes of the response body, \
                 like `search_string: ok`",
            ),
            Some(s) if s.is_empty() => c.hint(
                &key("search_string"),
                "`search_string` must not be empty",
                "give the text the response body must contain",
            ),
            Some(s) => too_long(c, &key("search_string"), "search_string", s),
        }
    }
    if let Some(regions) = &h.regions {
        check_regions(c, &key("regions"), regions);
    }
}

fn too_long(c: &mut Check, rel: &str, what: &str, value: &str) {
    let n = value.chars().count();
    if n > MAX_TEXT {
        c.hint(
            rel,
            format!("`{what}` is {n} characters long; Route 53 takes at most {MAX_TEXT}"),
            format!("shorten `{what}`"),
        );
    }
}

/// At least three known health checker regions, each once.
fn check_regions(c: &mut Check, rel: &str, regions: &[String]) {
    let mut seen = BTreeSet::new();
    for (i, r) in regions.iter().enumerate() {
        let r = r.trim();
        let at = format!("{rel}[{i}]");
        if !HEALTH_CHECK_REGIONS.contains(&r) {
            c.hint(
                &at,
                format!("`{r}` is not a Route 53 health checker region"),
                suggest(r, HEALTH_CHECK_REGIONS, "health checker regions"),
            );
        } else if !seen.insert(r) {
            c.hint(
                &at,
                format!("region `{r}` is listed twice"),
                "list each region once",
            );
        }
    }
    if regions.len() < MIN_REGIONS {
        c.hint(
            rel,
            format!(
                "a health check needs at least {MIN_REGIONS} health checker regions; `regions` lists {}",
                regions.len()
            ),
            "add regions, or leave `regions` out to check from all of them",
        );
    }
}

/// `{ type: calculated, children: [...], healthy_threshold: N }`.
fn calculated(c: &mut Check, rel: &str, h: &RawManagedHealthCheck, nested: bool) {
    let key = |k: &str| join_key(rel, k);
    if nested {
        c.hint(
            &key("type"),
            "a child of a calculated health check cannot be calculated itself: lbctl manages \
             calculated checks one level deep",
            "list the inner check's children in the outer check, or name it by ID",
        );
    }
    let children = h.children.as_deref().unwrap_or_default();
    if children.is_empty() {
        c.hint(
            rel,
            "a calculated health check needs `children`",
            "list the health checks it adds up: checks of this spec (`{ type: HTTPS, ... }`) or IDs",
        );
    }
    if children.len() > MAX_CHILDREN {
        c.err(
            &key("children"),
            format!(
                "a calculated health check takes at most {MAX_CHILDREN} children; found {}",
                children.len()
            ),
        );
    }
    for (i, child) in children.iter().enumerate() {
        check(c, &key(&format!("children[{i}]")), child, true);
    }
    match h.healthy_threshold {
        None => c.hint(
            rel,
            "a calculated health check needs `healthy_threshold`",
            "say how many children must be healthy, like `healthy_threshold: 1`",
        ),
        Some(n) => {
            if int_range(c, &key("healthy_threshold"), "healthy threshold", n, 0, 256)
                && !children.is_empty()
                && n.0 as usize > children.len()
            {
                c.hint(
                    &key("healthy_threshold"),
                    format!(
                        "healthy threshold ({}) is above the number of children ({}): the check \
                         would never be healthy",
                        n.0,
                        children.len()
                    ),
                    format!("use at most {}", children.len()),
                );
            }
        }
    }
}

/// `{ type: cloudwatch_alarm, alarm: { name, region }, insufficient_data }`.
fn alarm(c: &mut Check, rel: &str, h: &RawManagedHealthCheck) {
    let key = |k: &str| join_key(rel, k);
    match &h.alarm {
        None => c.hint(
            rel,
            "a cloudwatch_alarm health check needs `alarm`",
            "name the alarm: `alarm: { name: ..., region: us-east-1 }`",
        ),
        Some(a) => {
            match a.name.as_deref().map(str::trim) {
                None | Some("") => c.hint(
                    &key("alarm"),
                    "`alarm` needs `name`",
                    "give the CloudWatch alarm's name",
                ),
                Some(n) if n.chars().count() > 256 => c.err(
                    &key("alarm.name"),
                    "an alarm name has at most 256 characters",
                ),
                Some(_) => {}
            }
            match a.region.as_deref().map(str::trim) {
                None => c.hint(
                    &key("alarm"),
                    "`alarm` needs `region`",
                    "give the region the alarm is in, like `region: us-east-1`",
                ),
                Some(r) if !ALARM_REGIONS.contains(&r) => c.hint(
                    &key("alarm.region"),
                    format!("`{r}` is not a CloudWatch region"),
                    suggest(r, ALARM_REGIONS, "regions"),
                ),
                Some(_) => {}
            }
        }
    }
    if let Some(s) = &h.insufficient_data {
        let allowed: Vec<&str> = INSUFFICIENT_DATA.iter().map(|(k, _)| *k).collect();
        if !allowed.contains(&s.trim()) {
            c.hint(
                &key("insufficient_data"),
                format!("unknown insufficient_data `{s}`"),
                one_of(&allowed),
            );
        }
    }
}

/// `{ type: recovery_control, routing_control: ARN }`.
fn recovery_control(c: &mut Check, rel: &str, h: &RawManagedHealthCheck) {
    match h.routing_control.as_deref().map(str::trim) {
        None | Some("") => c.hint(
            rel,
            "a recovery_control health check needs `routing_control`",
            "give the ARN of the Route 53 ARC routing control",
        ),
        Some(arn) if !arn.starts_with("arn:") => c.hint(
            &join_key(rel, "routing_control"),
            format!("`{arn}` is not an ARN"),
            "use the routing control's ARN, `arn:aws:route53-recovery-control::...`",
        ),
        Some(arn) => too_long(c, &join_key(rel, "routing_control"), "routing_control", arn),
    }
}
