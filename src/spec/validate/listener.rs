//! Listener and rule rules: port and protocol by load balancer type, TLS
//! settings and rule priorities. Actions are checked in `action`, rule
//! conditions and transforms in `conditions`.

use std::collections::BTreeMap;

use super::common::{self, not_applicable, one_of_values};
use super::{action, conditions, Broken};
use crate::spec::diag::{one_of, Check};
use crate::spec::raw::{RawListener, RawRule};
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
            &["TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"]
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
    if let Some(a) = &l.attributes {
        let proto = if lb_type == "gateway" {
            None
        } else {
            proto.as_deref()
        };
        super::listener_attributes::check(c, lb_type, proto, a);
    }
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
    if let (Some(policy), true) = (&l.ssl_policy, secure) {
        super::ssl_policy::check(c, "ssl_policy", policy);
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
            Some(cond) => conditions::check(&mut rc, cond),
        }
        if let Some(t) = &r.transforms {
            conditions::transforms(&mut rc, t);
        }
        match &r.action {
            None => rc.hint("", "a rule needs `action`", "add `action: { forward: TG }`"),
            Some(a) => action::check(&mut rc, "action", a, "application", proto, spec, broken),
        }
    }
}
