//! Listener and rule rules: port and protocol by load balancer type, TLS
//! settings, rule priorities and conditions. Actions are checked in
//! `action`.

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::common::{self, not_applicable, one_of_values};
use super::{action, Broken};
use crate::spec::diag::{one_of, Check};
use crate::spec::raw::{RawConditions, RawListener, RawRule};
use crate::spec::scalar::Text;
use crate::spec::Spec;

const ALPN: &[&str] = &[
    "HTTP1Only",
    "HTTP2Only",
    "HTTP2Optional",
    "HTTP2Preferred",
    "None",
];

pub fn check(c: &mut Check, lb_type: &str, l: &RawListener, spec: &Spec, broken: &Broken) {
    let proto = l.protocol();
    if lb_type == "gateway" {
        for (key, given) in [
            ("port", l.port.is_some()),
            ("protocol", l.protocol.is_some()),
        ] {
            if given {
                let hint = format!("remove `{key}`; the gateway listener is written `- default_action: {{ forward: TG }}`");
                c.hint(key, format!("a gateway listener has no `{key}`"), hint);
            }
        }
    } else {
        match l.port {
            None => c.err("", "`port` is required (1..65535)"),
            Some(p) => {
                common::port(c, "port", "listener port", p);
            }
        }
        let allowed: &[&str] = if lb_type == "application" {
            &["HTTP", "HTTPS"]
        } else {
            &["TCP", "TLS", "UDP", "TCP_UDP"]
        };
        match &proto {
            None => c.hint("", "`protocol` is required", one_of(allowed)),
            Some(p) if !allowed.contains(&p.as_str()) => {
                let msg = format!("protocol {p} cannot be used by {lb_type} load balancers");
                c.hint("protocol", msg, one_of(allowed));
            }
            Some(_) => {}
        }
    }
    tls(c, proto.as_deref(), l);
    match &l.default_action {
        None => c.hint(
            "",
            "`default_action` is required",
            "add `default_action: { forward: TG }`",
        ),
        Some(a) => action::check(
            c,
            "default_action",
            a,
            lb_type,
            proto.as_deref(),
            spec,
            broken,
        ),
    }
    if let Some(rules) = &l.rules {
        if lb_type != "application" {
            not_applicable(
                c,
                "rules",
                "rules",
                "listeners of application load balancers",
            );
        } else {
            self::rules(c, rules, proto.as_deref(), spec, broken);
        }
    }
}

/// Certificates, SSL policy and ALPN policy.
fn tls(c: &mut Check, proto: Option<&str>, l: &RawListener) {
    let secure = matches!(proto, Some("HTTPS" | "TLS"));
    let certs = l.certificates.as_deref().unwrap_or_default();
    if secure && certs.is_empty() {
        let hint = "add `certificates: [arn:aws:acm:...]`";
        c.hint(
            "",
            format!(
                "{} listeners need `certificates`",
                proto.unwrap_or_default()
            ),
            hint,
        );
    }
    if !secure && l.certificates.is_some() {
        not_applicable(c, "certificates", "certificates", "HTTPS and TLS listeners");
    }
    for (i, cert) in certs.iter().enumerate() {
        if !cert.as_str().starts_with("arn:") {
            let msg = format!("certificate `{cert}` is not an ARN");
            c.hint(
                &format!("certificates[{i}]"),
                msg,
                "give the certificate's ACM or IAM ARN",
            );
        }
    }
    if l.ssl_policy.is_some() && !secure {
        not_applicable(c, "ssl_policy", "ssl_policy", "HTTPS and TLS listeners");
    }
    if let Some(alpn) = &l.alpn_policy {
        if proto != Some("TLS") {
            not_applicable(c, "alpn_policy", "alpn_policy", "TLS listeners");
        } else {
            one_of_values(c, "alpn_policy", "ALPN policy", alpn, ALPN);
        }
    }
}

fn rules(c: &mut Check, rules: &[RawRule], proto: Option<&str>, spec: &Spec, broken: &Broken) {
    let mut seen: BTreeMap<i64, usize> = BTreeMap::new();
    for (i, r) in rules.iter().enumerate() {
        let rel = format!("rules[{i}]");
        let what = match r.priority {
            Some(p) => format!("{} rule {}", c.what, p.0),
            None => format!("{} rule #{i}", c.what),
        };
        let mut rc = c.sub(&rel, what);
        match r.priority {
            None => rc.err("", "`priority` is required (1..50000)"),
            Some(p) => {
                if common::int_range(&mut rc, "priority", "priority", p, 1, 50000) {
                    if let Some(first) = seen.insert(p.0, i) {
                        let msg = format!("priority {} is already used by rule #{first}", p.0);
                        rc.hint(
                            "priority",
                            msg,
                            "priorities must be unique within a listener",
                        );
                    }
                }
            }
        }
        match &r.conditions {
            None => rc.hint(
                "",
                "a rule needs `conditions`",
                "add e.g. `conditions: { path_pattern: [\"/api/*\"] }`",
            ),
            Some(cond) => conditions(&mut rc, cond),
        }
        match &r.action {
            None => rc.hint("", "a rule needs `action`", "add `action: { forward: TG }`"),
            Some(a) => action::check(&mut rc, "action", a, "application", proto, spec, broken),
        }
    }
}

fn conditions(c: &mut Check, cond: &RawConditions) {
    let given = [
        cond.host_header.is_some(),
        cond.path_pattern.is_some(),
        cond.http_header.is_some(),
        cond.http_request_method.is_some(),
        cond.query_string.is_some(),
        cond.source_ip.is_some(),
    ];
    if !given.contains(&true) {
        let hint = "use host_header, path_pattern, http_header, http_request_method, query_string or source_ip";
        return c.hint("conditions", "a rule needs at least one condition", hint);
    }
    limits(c, cond);
    for (key, list) in [
        ("host_header", &cond.host_header),
        ("path_pattern", &cond.path_pattern),
        ("http_request_method", &cond.http_request_method),
        ("source_ip", &cond.source_ip),
    ] {
        let Some(list) = list else { continue };
        let rel = format!("conditions.{key}");
        if list.is_empty() {
            c.err(&rel, format!("condition `{key}` needs at least one value"));
        }
        for (i, v) in list.iter().enumerate() {
            value(c, &format!("{rel}[{i}]"), key, v, |v| match key {
                "http_request_method" => method(v),
                "source_ip" => cidr(v),
                _ => Ok(()),
            });
        }
    }
    if let Some(h) = &cond.http_header {
        if h.name.as_str().is_empty() {
            c.err(
                "conditions.http_header.name",
                "condition `http_header` needs a header `name`",
            );
        }
        if h.values.is_empty() {
            c.err(
                "conditions.http_header.values",
                "condition `http_header` needs at least one value",
            );
        }
        for (i, v) in h.values.iter().enumerate() {
            value(
                c,
                &format!("conditions.http_header.values[{i}]"),
                "http_header",
                v,
                |_| Ok(()),
            );
        }
    }
    for (i, q) in cond.query_string.iter().flatten().enumerate() {
        let rel = format!("conditions.query_string[{i}]");
        if let Some(k) = &q.key {
            value(c, &format!("{rel}.key"), "query_string", k, |_| Ok(()));
        }
        value(c, &format!("{rel}.value"), "query_string", &q.value, |_| {
            Ok(())
        });
    }
}

/// AWS takes at most 3 values per condition and 5 per rule, counting
/// every value of every condition (a query string pair is one value).
fn limits(c: &mut Check, cond: &RawConditions) {
    let len = |l: &Option<Vec<Text>>| l.as_ref().map_or(0, Vec::len);
    let counts = [
        ("host_header", len(&cond.host_header)),
        ("path_pattern", len(&cond.path_pattern)),
        (
            "http_header",
            cond.http_header.as_ref().map_or(0, |h| h.values.len()),
        ),
        ("http_request_method", len(&cond.http_request_method)),
        (
            "query_string",
            cond.query_string.as_ref().map_or(0, Vec::len),
        ),
        ("source_ip", len(&cond.source_ip)),
    ];
    for (key, n) in counts {
        if n > 3 {
            c.hint(
                &format!("conditions.{key}"),
                format!("condition `{key}` has {n} values; AWS takes at most 3 per condition"),
                "split the rule into several rules with the same action, or use a wildcard",
            );
        }
    }
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    if total > 5 {
        c.hint(
            "conditions",
            format!("the conditions have {total} values in all; AWS takes at most 5 per rule"),
            "every value of every condition counts; split the rule into several rules with the same action",
        );
    }
}

/// One condition value: non-empty, at most 128 characters, and `extra`.
fn value(
    c: &mut Check,
    rel: &str,
    key: &str,
    v: &Text,
    extra: impl Fn(&str) -> Result<(), String>,
) {
    let v = v.as_str();
    if v.is_empty() || v.chars().count() > 128 {
        c.err(
            rel,
            format!("condition `{key}` values must be 1 to 128 characters"),
        );
    } else if let Err(msg) = extra(v) {
        c.err(rel, msg);
    }
}

fn method(v: &str) -> Result<(), String> {
    if v.chars()
        .all(|ch| ch.is_ascii_uppercase() || ch == '_' || ch == '-')
    {
        Ok(())
    } else {
        Err(format!(
            "HTTP method `{v}` may only use A-Z, `_` and `-` (methods are upper case)"
        ))
    }
}

fn cidr(v: &str) -> Result<(), String> {
    let ok = v.split_once('/').is_some_and(|(ip, len)| {
        match (ip.parse::<IpAddr>(), len.parse::<u8>()) {
            (Ok(IpAddr::V4(_)), Ok(n)) => n <= 32,
            (Ok(IpAddr::V6(_)), Ok(n)) => n <= 128,
            _ => false,
        }
    });
    if ok {
        Ok(())
    } else {
        Err(format!("`{v}` is not a CIDR block (like `10.0.0.0/8`)"))
    }
}
