//! Target groups as spec `target_groups` entries: protocol, health check,
//! attributes (stickiness included) and targets.
//!
//! Settings that do not apply to the group's protocol or target type, and
//! values out of the range validation accepts, are left out. Targets a spec
//! cannot name make the list `additive`, with a warning, so that applying
//! the export does not deregister them.

use std::net::IpAddr;

use serde_json::Value;

use crate::model::{Attributes, Matcher, TargetGroup};
use crate::spec::aws_attributes::{self, TgKind};

use super::emit::{duration, extra, in_range, parse_bool, put, put_obj, tags, Obj};

pub(super) fn target_group(tg: &TargetGroup, w: &mut Vec<String>) -> Value {
    let mut o = Obj::new();
    let lambda = tg.target_type == "lambda";
    let proto = tg
        .protocol
        .as_deref()
        .unwrap_or_default()
        .to_ascii_uppercase();
    let http = lambda || matches!(proto.as_str(), "HTTP" | "HTTPS");
    if !lambda {
        if !proto.is_empty() {
            put(&mut o, "protocol", proto.as_str());
        }
        if let Some(port) = tg.port {
            put(&mut o, "port", port);
        }
        if let Some(vpc) = &tg.vpc_id {
            put(&mut o, "vpc", vpc.as_str());
        }
    }
    put(&mut o, "target_type", tg.target_type.as_str());
    let version = tg
        .protocol_version
        .as_deref()
        .map(str::to_ascii_uppercase)
        .filter(|v| !lambda && http && matches!(v.as_str(), "HTTP1" | "HTTP2" | "GRPC"));
    if let Some(v) = &version {
        put(&mut o, "protocol_version", v.as_str());
    }
    if let Some(t) = tg
        .ip_address_type
        .as_deref()
        .filter(|t| matches!(*t, "ipv4" | "ipv6"))
    {
        put(&mut o, "ip_address_type", t);
    }
    let grpc = version.as_deref() == Some("GRPC");
    put_obj(&mut o, "health_check", health_check(tg, &proto, http, grpc));
    put_obj(&mut o, "attributes", tg_attributes(tg, &proto, http));
    o.insert("targets".into(), targets(tg, w));
    put_obj(&mut o, "tags", tags(&tg.tags));
    Value::Object(o)
}

fn health_check(tg: &TargetGroup, proto: &str, http: bool, grpc: bool) -> Obj {
    let hc = &tg.health_check;
    let lambda = tg.target_type == "lambda";
    let mut o = Obj::new();
    match hc.enabled {
        Some(true) => put(&mut o, "enabled", true),
        Some(false) if lambda => put(&mut o, "enabled", false),
        _ => {}
    }
    let allowed: &[&str] = if http {
        &["HTTP", "HTTPS"]
    } else {
        &["HTTP", "HTTPS", "TCP"]
    };
    // Lambda health checks have no protocol or port to set.
    let given = hc
        .protocol
        .as_deref()
        .map(str::to_ascii_uppercase)
        .filter(|p| !lambda && allowed.contains(&p.as_str()));
    if let Some(p) = &given {
        put(&mut o, "protocol", p.as_str());
    }
    // What validation takes the check's protocol to be.
    let hc_proto = given.unwrap_or_else(|| match (lambda, http) {
        (true, _) => "HTTP".into(),
        (false, true) => proto.to_string(),
        (false, false) => "TCP".into(),
    });
    let http_check = matches!(hc_proto.as_str(), "HTTP" | "HTTPS");
    if let Some(port) = hc.port.as_deref().filter(|_| !lambda) {
        if port == "traffic-port" {
            put(&mut o, "port", port);
        } else if let Ok(n) = port.parse::<u16>() {
            if n > 0 {
                put(&mut o, "port", n);
            }
        }
    }
    if let Some(path) = hc
        .path
        .as_deref()
        .filter(|p| http_check && p.starts_with('/') && p.len() <= 1024)
    {
        put(&mut o, "path", path);
    }
    let interval = hc.interval.filter(|i| (5..=300).contains(i));
    if let Some(i) = interval {
        put(&mut o, "interval", i);
    }
    let max_timeout = interval.unwrap_or(if lambda { 35 } else { 30 });
    if let Some(t) = hc
        .timeout
        .filter(|t| (2..=120).contains(t) && *t < max_timeout)
    {
        put(&mut o, "timeout", t);
    }
    for (key, v) in [
        ("healthy_threshold", hc.healthy_threshold),
        ("unhealthy_threshold", hc.unhealthy_threshold),
    ] {
        if let Some(v) = v.filter(|v| (2..=10).contains(v)) {
            put(&mut o, key, v);
        }
    }
    let codes = match &hc.matcher {
        Some(Matcher::HttpCode(c)) if !grpc => Some((c, 200, 499)),
        Some(Matcher::GrpcCode(c)) if grpc => Some((c, 0, 99)),
        _ => None,
    };
    if let Some((codes, lo, hi)) = codes.filter(|_| http_check) {
        let codes: String = codes.chars().filter(|c| !c.is_whitespace()).collect();
        if valid_codes(&codes, lo, hi) {
            put(&mut o, "matcher", codes);
        }
    }
    o
}

/// `200`, `200,202`, `200-299` with every code in `lo..=hi`.
fn valid_codes(m: &str, lo: u32, hi: u32) -> bool {
    let code = |s: &str| s.parse::<u32>().ok().filter(|n| (lo..=hi).contains(n));
    !m.is_empty()
        && m.split(',').all(|part| match part.split_once('-') {
            Some((a, b)) => matches!((code(a), code(b)), (Some(a), Some(b)) if a <= b),
            None => code(part).is_some(),
        })
}

fn tg_attributes(tg: &TargetGroup, proto: &str, http: bool) -> Obj {
    let a = &tg.attributes;
    let mut o = Obj::new();
    let nlb = matches!(
        proto,
        "TCP" | "TLS" | "UDP" | "TCP_UDP" | "QUIC" | "TCP_QUIC"
    );
    let lambda = tg.target_type == "lambda";
    if let Some(d) =
        in_range(a.get("deregistration_delay.timeout_seconds"), 0, 3600).filter(|_| !lambda)
    {
        put(&mut o, "deregistration_delay", d);
    }
    if let Some(s) = in_range(a.get("slow_start.duration_seconds"), 0, 900)
        .filter(|s| http && (*s == 0 || *s >= 30))
    {
        put(&mut o, "slow_start", s);
    }
    let algorithm = a
        .get("load_balancing.algorithm.type")
        .map(String::as_str)
        .filter(|alg| {
            http && matches!(
                *alg,
                "round_robin" | "least_outstanding_requests" | "weighted_random"
            )
        });
    if let Some(alg) = algorithm {
        put(&mut o, "algorithm", alg);
    }
    if algorithm == Some("weighted_random") {
        match a
            .get("load_balancing.algorithm.anomaly_mitigation")
            .map(String::as_str)
        {
            Some("on") => put(&mut o, "anomaly_mitigation", true),
            Some("off") => put(&mut o, "anomaly_mitigation", false),
            _ => {}
        }
    }
    put_obj(&mut o, "stickiness", stickiness(a, proto, http));
    match a
        .get("load_balancing.cross_zone.enabled")
        .map(String::as_str)
        .filter(|_| proto != "GENEVE")
    {
        Some("true") => put(&mut o, "cross_zone", true),
        Some("false") => put(&mut o, "cross_zone", false),
        Some("use_load_balancer_configuration") => put(&mut o, "cross_zone", "inherit"),
        _ => {}
    }
    for (key, name) in [
        ("proxy_protocol_v2.enabled", "proxy_protocol_v2"),
        ("preserve_client_ip.enabled", "preserve_client_ip"),
        (
            "deregistration_delay.connection_termination.enabled",
            "connection_termination",
        ),
    ] {
        if let Some(v) = a.get(key).and_then(|v| parse_bool(v)).filter(|_| nlb) {
            put(&mut o, name, v);
        }
    }
    // Keys AWS does not take for this kind of target group (moto reports
    // `waf.fail_open.enabled` on every one) would not validate.
    let version = tg.protocol_version.as_deref().map(str::to_ascii_uppercase);
    let kind = TgKind {
        protocol: Some(proto).filter(|p| !p.is_empty()),
        target_type: &tg.target_type,
        protocol_version: version.as_deref(),
    };
    super::typed_attrs::target_group(a, &kind, &mut o);
    let accepted = extra(a)
        .into_iter()
        .filter(|(k, _)| aws_attributes::tg_accepts(k, &kind))
        .collect();
    put_obj(&mut o, "extra", accepted);
    o
}

fn stickiness(a: &Attributes, proto: &str, http: bool) -> Obj {
    let mut o = Obj::new();
    if let Some(e) = a.get("stickiness.enabled").and_then(|v| parse_bool(v)) {
        put(&mut o, "enabled", e);
    }
    let allowed: &[&str] = match proto {
        _ if http => &["lb_cookie", "app_cookie"],
        "TCP" | "UDP" | "TCP_UDP" => &["source_ip"],
        "GENEVE" => &["source_ip_dest_ip", "source_ip_dest_ip_proto"],
        _ => &[],
    };
    let cookie_name = a
        .get("stickiness.app_cookie.cookie_name")
        .filter(|n| !n.is_empty());
    let given = a
        .get("stickiness.type")
        .map(String::as_str)
        .filter(|t| allowed.contains(t))
        // app_cookie stickiness is only valid with its cookie name.
        .filter(|t| *t != "app_cookie" || cookie_name.is_some());
    if let Some(t) = given {
        put(&mut o, "type", t);
    }
    // What the spec layer takes the type to be (RawTgStickiness::effective_type).
    let effective = given.or(match proto {
        _ if http => Some("lb_cookie"),
        "TCP" | "UDP" | "TCP_UDP" => Some("source_ip"),
        "GENEVE" => Some("source_ip_dest_ip_proto"),
        _ => None,
    });
    let duration_key = match effective {
        Some("lb_cookie") => Some("stickiness.lb_cookie.duration_seconds"),
        Some("app_cookie") => Some("stickiness.app_cookie.duration_seconds"),
        _ => None,
    };
    if let Some(d) = duration_key.and_then(|k| in_range(a.get(k), 1, 604_800)) {
        o.insert("duration".into(), duration(d));
    }
    if let (Some("app_cookie"), Some(name)) = (effective, cookie_name) {
        put(&mut o, "cookie_name", name.as_str());
    }
    o
}

fn targets(tg: &TargetGroup, w: &mut Vec<String>) -> Value {
    let tt = tg.target_type.as_str();
    let mut list = Vec::new();
    let mut skipped = Vec::new();
    for t in &tg.targets.list {
        if !valid_target(tt, &t.id) || (tt == "lambda" && !list.is_empty()) {
            skipped.push(t.to_string());
            continue;
        }
        let mut o = Obj::new();
        put(&mut o, "id", t.id.as_str());
        if tt != "lambda" {
            if let Some(port) = t.port {
                put(&mut o, "port", port);
            }
        }
        if let Some(az) = t.availability_zone.as_deref().filter(|_| tt == "ip") {
            put(&mut o, "availability_zone", az);
        }
        if let Some(id) = &t.quic_server_id {
            put(&mut o, "quic_server_id", id.as_str());
        }
        list.push(Value::Object(o));
    }
    let mut o = Obj::new();
    if !skipped.is_empty() {
        // Listed exclusively, the targets left out would be deregistered.
        put(&mut o, "mode", "additive");
        w.push(format!(
            "target group `{}`: targets {} cannot be written in a spec; `targets.mode` is `additive` so they are kept",
            tg.name,
            skipped.join(", ")
        ));
    }
    put(&mut o, "list", Value::Array(list));
    Value::Object(o)
}

fn valid_target(target_type: &str, id: &str) -> bool {
    match target_type {
        "instance" => id
            .strip_prefix("i-")
            .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit())),
        "ip" => id.parse::<IpAddr>().is_ok(),
        "lambda" => id.starts_with("arn:") && id.contains(":lambda:"),
        _ => id.starts_with("arn:") && id.contains(":loadbalancer/app/"),
    }
}
