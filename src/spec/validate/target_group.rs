//! Target group rules: protocol, port and VPC by target type, the health
//! check, attributes by protocol, and the target list. Rules that depend on
//! the load balancer using the target group live in `action`.

use std::collections::BTreeSet;
use std::net::IpAddr;

use super::common::{self, not_applicable, one_of_values, secs_range};
use super::{attribute_rules, health_rules};
use crate::spec::diag::{one_of, Check};
use crate::spec::raw::{
    RawHealthCheck, RawInstanceSelector, RawTarget, RawTargetGroup, RawTargets, RawTgAttributes,
};
use crate::spec::scalar::BoolOrWord;

pub const PROTOCOLS: &[&str] = &[
    "HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC", "GENEVE",
];
const TARGET_TYPES: &[&str] = &["instance", "ip", "lambda", "alb"];
const NLB_PROTOCOLS: &str = "TCP, TLS, UDP, TCP_UDP, QUIC and TCP_QUIC target groups";

pub fn check(c: &mut Check, name: &str, tg: &RawTargetGroup) {
    common::name(c, name, "target group");
    let tt = tg.target_type();
    if !one_of_values(c, "target_type", "target type", tt, TARGET_TYPES) {
        return;
    }
    let proto = tg.protocol();
    if tt == "lambda" {
        for (key, given) in [
            ("protocol", tg.protocol.is_some()),
            ("port", tg.port.is_some()),
            ("vpc", tg.vpc.is_some()),
            ("protocol_version", tg.protocol_version.is_some()),
        ] {
            if given {
                not_applicable(c, key, key, "non-lambda target groups");
            }
        }
    } else {
        basics(c, tg, proto.as_deref());
    }
    let proto_ok = tt == "lambda" || proto.as_deref().is_some_and(|p| PROTOCOLS.contains(&p));
    if let (Some(hc), true) = (&tg.health_check, proto_ok) {
        health_check(c, tg, hc);
    }
    if let (Some(attrs), true) = (&tg.attributes, proto_ok) {
        attributes(c, tg, attrs);
    }
    if let Some(targets) = &tg.targets {
        self::targets(c, tt, targets);
    }
    super::nlb::target_group(c, tg);
    common::tags(c, &tg.tags);
}

/// Protocol, port, VPC and the settings that go with them (not lambda).
fn basics(c: &mut Check, tg: &RawTargetGroup, proto: Option<&str>) {
    match proto {
        None => c.hint("protocol", "`protocol` is required", one_of(PROTOCOLS)),
        Some(p) => {
            if one_of_values(c, "protocol", "protocol", p, PROTOCOLS)
                && tg.target_type() == "alb"
                && p != "TCP"
            {
                let hint = "set `protocol: TCP`";
                c.hint("protocol", "target type `alb` needs protocol TCP", hint);
            }
        }
    }
    match tg.port {
        None => c.err("port", "`port` is required (1..65535)"),
        Some(port) => {
            if common::port(c, "port", "port", port) && proto == Some("GENEVE") && port.0 != 6081 {
                c.hint(
                    "port",
                    "GENEVE target groups must use port 6081",
                    "set `port: 6081`",
                );
            }
        }
    }
    match &tg.vpc {
        None => c.hint(
            "vpc",
            "`vpc` is required",
            "give `vpc: vpc-...` or `vpc: { tags: { Name: ... } }`",
        ),
        Some(sel) => common::selector(c, "vpc", sel, "vpc-"),
    }
    if let Some(v) = &tg.protocol_version {
        let v = v.to_ascii_uppercase();
        if one_of_values(
            c,
            "protocol_version",
            "protocol version",
            &v,
            &["HTTP1", "HTTP2", "GRPC"],
        ) && !matches!(proto, Some("HTTP" | "HTTPS"))
        {
            not_applicable(
                c,
                "protocol_version",
                "protocol_version",
                "HTTP and HTTPS target groups",
            );
        }
    }
    if let Some(t) = &tg.ip_address_type {
        one_of_values(
            c,
            "ip_address_type",
            "IP address type",
            t,
            &["ipv4", "ipv6"],
        );
    }
}

fn health_check(c: &mut Check, tg: &RawTargetGroup, hc: &RawHealthCheck) {
    let proto = tg.protocol();
    let hc_proto = match &hc.protocol {
        Some(p) => {
            let p = p.to_ascii_uppercase();
            let allowed: &[&str] = if tg.is_http() {
                &["HTTP", "HTTPS"]
            } else {
                &["HTTP", "HTTPS", "TCP"]
            };
            if !one_of_values(
                c,
                "health_check.protocol",
                "health check protocol",
                &p,
                &["HTTP", "HTTPS", "TCP"],
            ) {
                return;
            }
            if !allowed.contains(&p.as_str()) {
                let tg_proto = proto.as_deref().unwrap_or("lambda");
                let msg = format!(
                    "health check protocol {p} cannot be used with {tg_proto} target groups"
                );
                c.hint("health_check.protocol", msg, one_of(allowed));
            }
            p
        }
        // AWS's default: the target group's protocol for HTTP(S), else TCP.
        None if tg.is_http() => proto.clone().unwrap_or_else(|| "HTTP".into()),
        None => "TCP".into(),
    };
    let http_check = matches!(hc_proto.as_str(), "HTTP" | "HTTPS");
    if hc.enabled == Some(false) && tg.target_type() != "lambda" {
        let hint = "only lambda target groups can turn health checks off; remove `enabled: false`";
        c.hint(
            "health_check.enabled",
            "health checks cannot be disabled",
            hint,
        );
    }
    if let Some(port) = &hc.port {
        let p = port.as_str();
        if p != "traffic-port" && !p.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n)) {
            let hint = "use `traffic-port` or a port number 1..65535";
            c.hint(
                "health_check.port",
                format!("invalid health check port `{p}`"),
                hint,
            );
        }
    }
    let interval = hc.interval.map(|i| {
        (
            i,
            secs_range(
                c,
                "health_check.interval",
                "health check interval",
                i,
                5,
                300,
            ),
        )
    });
    let t_ok = hc
        .timeout
        .is_none_or(|t| secs_range(c, "health_check.timeout", "health check timeout", t, 2, 120));
    let i_ok = interval.is_none_or(|(_, ok)| ok);
    health_rules::timeout_below_interval(c, tg, hc, &hc_proto, i_ok, t_ok);
    for (key, v) in [
        ("healthy_threshold", hc.healthy_threshold),
        ("unhealthy_threshold", hc.unhealthy_threshold),
    ] {
        if let Some(v) = v {
            let label = format!("health check {}", key.replace('_', " "));
            common::int_range(c, &format!("health_check.{key}"), &label, v, 2, 10);
        }
    }
    if let Some(path) = &hc.path {
        if !http_check {
            not_applicable(
                c,
                "health_check.path",
                "path",
                "HTTP and HTTPS health checks",
            );
        } else if !path.starts_with('/') || path.len() > 1024 {
            let hint = format!("write it as `/{}`", path.trim_start_matches('/'));
            c.hint(
                "health_check.path",
                format!("health check path `{path}` must start with `/`"),
                hint,
            );
        }
    }
    if let Some(m) = &hc.matcher {
        if !http_check {
            not_applicable(
                c,
                "health_check.matcher",
                "matcher",
                "HTTP and HTTPS health checks",
            );
        } else {
            matcher(c, tg, m.as_str());
        }
    }
}

/// HTTP codes 200..499 or, with `protocol_version: GRPC`, gRPC codes 0..99,
/// as a list of codes and ranges: `200`, `200,202`, `200-299`.
fn matcher(c: &mut Check, tg: &RawTargetGroup, m: &str) {
    let grpc = tg
        .protocol_version
        .as_deref()
        .is_some_and(|v| v.eq_ignore_ascii_case("GRPC"));
    let (lo, hi, kind) = if grpc {
        (0, 99, "gRPC")
    } else {
        let (lo, hi) = health_rules::http_codes(tg);
        (lo, hi, "HTTP")
    };
    let code_ok = |s: &str| {
        s.trim()
            .parse::<u32>()
            .is_ok_and(|n| (lo..=hi).contains(&n))
    };
    let ok = !m.is_empty()
        && m.split(',').all(|part| match part.split_once('-') {
            Some((a, b)) => {
                code_ok(a) && code_ok(b) && a.trim().parse::<u32>().ok() <= b.trim().parse().ok()
            }
            None => code_ok(part),
        });
    if !ok {
        let tg_kind = tg.protocol().unwrap_or_else(|| "lambda".into());
        let msg = format!(
            "invalid health check matcher `{m}`: {kind} codes must be {lo}..{hi} for {tg_kind} target groups"
        );
        let eg = if grpc {
            "`12` or `0-99`"
        } else {
            "`200`, `200,202` or `200-299`"
        };
        c.hint(
            "health_check.matcher",
            msg,
            format!("write codes or ranges such as {eg}"),
        );
    }
}

fn attributes(c: &mut Check, tg: &RawTargetGroup, a: &RawTgAttributes) {
    let http = tg.is_http();
    let proto = tg.protocol().unwrap_or_default();
    let nlb = matches!(
        proto.as_str(),
        "TCP" | "TLS" | "UDP" | "TCP_UDP" | "QUIC" | "TCP_QUIC"
    );
    if let Some(d) = a.deregistration_delay {
        secs_range(
            c,
            "attributes.deregistration_delay",
            "deregistration delay",
            d,
            0,
            3600,
        );
    }
    if let Some(s) = a.slow_start {
        if !http {
            not_applicable(
                c,
                "attributes.slow_start",
                "slow_start",
                "HTTP and HTTPS target groups",
            );
        } else if s.0 != 0 && !(30..=900).contains(&s.0) {
            c.hint(
                "attributes.slow_start",
                format!("slow start ({s}) must be 0 or between 30 and 900 s"),
                "use 0 to turn it off",
            );
        }
    }
    if let Some(alg) = &a.algorithm {
        let algs = [
            "round_robin",
            "least_outstanding_requests",
            "weighted_random",
        ];
        if one_of_values(c, "attributes.algorithm", "algorithm", alg, &algs) && !http {
            not_applicable(
                c,
                "attributes.algorithm",
                "algorithm",
                "HTTP and HTTPS target groups",
            );
        }
    }
    if a.anomaly_mitigation.is_some() && a.algorithm.as_deref() != Some("weighted_random") {
        let hint = "set `algorithm: weighted_random` or remove `anomaly_mitigation`";
        c.hint(
            "attributes.anomaly_mitigation",
            "`anomaly_mitigation` needs `algorithm: weighted_random`",
            hint,
        );
    }
    if let Some(s) = &a.stickiness {
        stickiness(c, tg, s);
    }
    if let Some(BoolOrWord::Word(w)) = &a.cross_zone {
        if w != "inherit" {
            c.hint(
                "attributes.cross_zone",
                format!("invalid cross_zone `{w}`"),
                "use `true`, `false` or `inherit`",
            );
        }
    }
    for (key, given) in [
        ("proxy_protocol_v2", a.proxy_protocol_v2.is_some()),
        ("preserve_client_ip", a.preserve_client_ip.is_some()),
        ("connection_termination", a.connection_termination.is_some()),
    ] {
        if given && !nlb {
            not_applicable(c, &format!("attributes.{key}"), key, NLB_PROTOCOLS);
        }
    }
    attribute_rules::target_group(c, tg, a);
}

fn stickiness(c: &mut Check, tg: &RawTargetGroup, s: &crate::spec::raw::RawTgStickiness) {
    let proto = tg.protocol().unwrap_or_else(|| "lambda".into());
    let types = [
        "lb_cookie",
        "app_cookie",
        "source_ip",
        "source_ip_dest_ip",
        "source_ip_dest_ip_proto",
    ];
    if let Some(t) = &s.kind {
        if !one_of_values(
            c,
            "attributes.stickiness.type",
            "stickiness type",
            t,
            &types,
        ) {
            return;
        }
        let allowed: &[&str] = match proto.as_str() {
            _ if tg.is_http() => &["lb_cookie", "app_cookie"],
            "TCP" | "UDP" | "TCP_UDP" => &["source_ip"],
            "GENEVE" => &["source_ip_dest_ip", "source_ip_dest_ip_proto"],
            _ => &[],
        };
        if !allowed.contains(&t.as_str()) {
            let msg = format!("stickiness type `{t}` cannot be used with {proto} target groups");
            let hint = if allowed.is_empty() {
                format!("{proto} target groups do not support stickiness; remove it")
            } else {
                one_of(allowed)
            };
            c.hint("attributes.stickiness.type", msg, hint);
            return;
        }
    }
    let ty = s.effective_type(tg);
    let cookie = matches!(ty.as_deref(), Some("lb_cookie" | "app_cookie"));
    if let Some(d) = s.duration {
        if !cookie {
            let hint = "set `type: lb_cookie` or `app_cookie`, or remove `duration`";
            c.hint(
                "attributes.stickiness.duration",
                "stickiness `duration` only applies to cookie stickiness",
                hint,
            );
        } else if !(1..=604_800).contains(&d.0) {
            c.err(
                "attributes.stickiness.duration",
                format!("stickiness duration ({d}) must be between 1 s and 7 d"),
            );
        }
    }
    let app = ty.as_deref() == Some("app_cookie");
    match (&s.cookie_name, app) {
        (None, true) => c.hint(
            "attributes.stickiness",
            "`app_cookie` stickiness needs `cookie_name`",
            "add `cookie_name: YOUR_COOKIE`",
        ),
        (Some(_), false) => c.hint(
            "attributes.stickiness.cookie_name",
            "`cookie_name` only applies to `type: app_cookie`",
            "set `type: app_cookie` or remove `cookie_name`",
        ),
        _ => {}
    }
}

fn targets(c: &mut Check, target_type: &str, t: &RawTargets) {
    if let Some(mode) = &t.mode {
        one_of_values(
            c,
            "targets.mode",
            "targets mode",
            mode,
            &["exclusive", "additive"],
        );
    }
    let list = t.list.as_deref().unwrap_or_default();
    if target_type == "lambda" && list.len() > 1 {
        c.err(
            "targets.list",
            "a lambda target group takes at most one target",
        );
    }
    let mut seen = BTreeSet::new();
    for (i, target) in list.iter().enumerate() {
        let rel = format!("targets.list[{i}]");
        if let Some(sel) = &target.instances {
            instance_target(c, &rel, target_type, target, sel);
            continue;
        }
        let Some(id) = &target.id else {
            c.hint(
                &rel,
                "a target needs `id` or `instances`",
                "write `{ id: i-0123..., port: 80 }` or `{ instances: { tags: { role: web } }, port: 80 }`",
            );
            continue;
        };
        target_id(c, &format!("{rel}.id"), target_type, id.as_str());
        if let Some(port) = target.port {
            if target_type == "lambda" {
                not_applicable(c, &format!("{rel}.port"), "port", "non-lambda targets");
            } else {
                common::port(c, &format!("{rel}.port"), "target port", port);
            }
        }
        if target.availability_zone.is_some() && target_type != "ip" {
            not_applicable(
                c,
                &format!("{rel}.availability_zone"),
                "availability_zone",
                "targets of `target_type: ip`",
            );
        }
        if !seen.insert((id.as_str(), target.port.map(|p| p.0))) {
            c.err(&rel, format!("target `{id}` is listed twice"));
        }
    }
}

/// `{ instances: { tags: {...} }, port: N }`: instance and ip target
/// groups only (an ip target is the instance's private IP).
fn instance_target(
    c: &mut Check,
    rel: &str,
    target_type: &str,
    target: &RawTarget,
    sel: &RawInstanceSelector,
) {
    let key = |k: &str| format!("{rel}.{k}");
    if target.id.is_some() {
        c.hint(
            &key("id"),
            "a target takes `id` or `instances`, not both",
            "list the instance by `id` in a target of its own",
        );
    }
    if !matches!(target_type, "instance" | "ip") {
        c.hint(
            &key("instances"),
            format!("instance selectors need target type `instance` or `ip`, not `{target_type}`"),
            "list the targets by `id`, or use `target_type: instance`",
        );
        return;
    }
    common::instance_selector(c, &key("instances"), sel);
    if let Some(port) = target.port {
        common::port(c, &key("port"), "target port", port);
    }
    if target.availability_zone.is_some() && target_type != "ip" {
        not_applicable(
            c,
            &key("availability_zone"),
            "availability_zone",
            "targets of `target_type: ip`",
        );
    }
}

fn target_id(c: &mut Check, rel: &str, target_type: &str, id: &str) {
    let (ok, expected) = match target_type {
        "instance" => (
            id.strip_prefix("i-")
                .is_some_and(|h| !h.is_empty() && h.chars().all(|ch| ch.is_ascii_hexdigit())),
            "an instance ID (`i-0123456789abcdef0`)",
        ),
        "ip" => (id.parse::<IpAddr>().is_ok(), "an IP address"),
        "lambda" => (
            id.starts_with("arn:") && id.contains(":lambda:"),
            "a Lambda function ARN",
        ),
        _ => (
            id.starts_with("arn:") && id.contains(":loadbalancer/app/"),
            "an application load balancer ARN",
        ),
    };
    if !ok {
        c.err(
            rel,
            format!("target `{id}` is not {expected} (target type `{target_type}`)"),
        );
    }
}
