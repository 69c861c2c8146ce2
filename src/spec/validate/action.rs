//! Action rules (forward, redirect, fixed_response) and the checks that tie
//! a target group to the load balancer and listener that use it: protocol
//! compatibility and target-group references.

use std::collections::BTreeSet;

use super::common::{self, one_of_values};
use super::Broken;
use crate::spec::diag::{suggest, Check};
use crate::spec::raw::{RawAction, RawFixedResponse, RawForward, RawRedirect};
use crate::spec::Spec;

const CONTENT_TYPES: &[&str] = &[
    "text/plain",
    "text/css",
    "text/html",
    "application/javascript",
    "application/json",
];

pub fn check(
    c: &mut Check,
    rel: &str,
    a: &RawAction,
    lb_type: &str,
    proto: Option<&str>,
    spec: &Spec,
    broken: &Broken,
) {
    super::auth::check(c, rel, a, lb_type, proto, spec);
    let keys = [
        a.forward.is_some(),
        a.redirect.is_some(),
        a.fixed_response.is_some(),
    ];
    match keys.iter().filter(|k| **k).count() {
        1 => {}
        0 => {
            return c.hint(
                rel,
                "an action needs one of `forward`, `redirect` or `fixed_response`",
                "add e.g. `forward: TG`",
            )
        }
        _ => {
            return c.hint(
                rel,
                "an action takes exactly one of `forward`, `redirect` or `fixed_response`",
                "split it into separate rules or keep one key",
            )
        }
    }
    let app = lb_type == "application";
    let only_alb = |c: &mut Check, key: &str| {
        let hint =
            format!("{lb_type} load balancer listeners can only forward to one target group");
        c.hint(
            &format!("{rel}.{key}"),
            format!("`{key}` actions need an application load balancer"),
            hint,
        );
    };
    if a.redirect.is_some() && !app {
        return only_alb(c, "redirect");
    }
    if a.fixed_response.is_some() && !app {
        return only_alb(c, "fixed_response");
    }
    if let Some(r) = &a.redirect {
        redirect(c, &format!("{rel}.redirect"), r);
    }
    if let Some(f) = &a.fixed_response {
        fixed_response(c, &format!("{rel}.fixed_response"), f);
    }
    if let Some(f) = &a.forward {
        forward(
            c,
            &format!("{rel}.forward"),
            f,
            lb_type,
            proto,
            spec,
            broken,
        );
    }
}

fn forward(
    c: &mut Check,
    rel: &str,
    f: &RawForward,
    lb_type: &str,
    proto: Option<&str>,
    spec: &Spec,
    broken: &Broken,
) {
    let map = match f {
        RawForward::Name(name) => return uses(c, rel, name, lb_type, proto, spec, broken),
        RawForward::Map(m) => m,
    };
    match (&map.arn, &map.target_groups) {
        (Some(arn), None) => return arn_ref(c, rel, arn),
        (Some(_), Some(_)) => {
            return c.hint(
                rel,
                "give either `arn` or `target_groups` in `forward`",
                "use `target_groups: [{ arn: ... }]`",
            )
        }
        (None, None) => {
            return c.hint(
                rel,
                "`forward` needs a target group",
                "write `forward: TG` or `forward: { target_groups: [...] }`",
            )
        }
        (None, Some(_)) => {}
    }
    let list = map.target_groups.as_deref().unwrap_or_default();
    if list.is_empty() || list.len() > 5 {
        c.err(
            &format!("{rel}.target_groups"),
            format!("a forward takes 1 to 5 target groups, not {}", list.len()),
        );
    }
    super::nlb::weighted_forward(c, rel, lb_type, list.len(), map.stickiness.is_some());
    if let Some(s) = map.stickiness {
        if !(1..=604_800).contains(&s.0) {
            c.err(
                &format!("{rel}.stickiness"),
                format!("forward stickiness ({s}) must be between 1 s and 7 d"),
            );
        }
    }
    let mut seen = BTreeSet::new();
    for (i, w) in list.iter().enumerate() {
        let wrel = format!("{rel}.target_groups[{i}]");
        if let Some(weight) = w.weight {
            common::int_range(c, &format!("{wrel}.weight"), "weight", weight, 0, 999);
        }
        let name = match (&w.name, &w.arn) {
            (Some(n), None) => {
                uses(c, &format!("{wrel}.name"), n, lb_type, proto, spec, broken);
                n
            }
            (None, Some(arn)) => {
                arn_ref(c, &format!("{wrel}.arn"), arn);
                arn
            }
            _ => {
                c.hint(
                    &wrel,
                    "give either `name` or `arn` for each target group",
                    "write `{ name: web-blue, weight: 90 }`",
                );
                continue;
            }
        };
        if !seen.insert(name.as_str()) {
            c.err(
                &wrel,
                format!("target group `{name}` appears twice in one forward"),
            );
        }
    }
}

fn arn_ref(c: &mut Check, rel: &str, arn: &str) {
    if !(arn.starts_with("arn:") && arn.contains(":targetgroup/")) {
        c.err(rel, format!("`{arn}` is not a target group ARN"));
    }
}

/// A reference to a target group by name: it must be defined, and suit the
/// load balancer type and the listener protocol.
fn uses(
    c: &mut Check,
    rel: &str,
    name: &str,
    lb_type: &str,
    proto: Option<&str>,
    spec: &Spec,
    broken: &Broken,
) {
    let Some(entry) = spec.target_groups.get(name) else {
        if !broken.target_groups.contains(name) {
            let defined = spec.target_groups.keys().chain(&broken.target_groups);
            let names: Vec<&str> = defined.map(String::as_str).collect();
            let hint = suggest(name, &names, "defined target groups");
            c.hint(
                rel,
                format!("target group `{name}` is not defined in the spec"),
                hint,
            );
        }
        return;
    };
    let tg = &entry.raw;
    let tg_proto = if tg.target_type() == "lambda" {
        "lambda".to_string()
    } else {
        tg.protocol().unwrap_or_default()
    };
    let (fits, accepted) = match lb_type {
        "application" => (tg.is_http(), "HTTP, HTTPS or lambda"),
        "network" => (
            matches!(
                tg_proto.as_str(),
                "TCP" | "TLS" | "UDP" | "TCP_UDP" | "QUIC" | "TCP_QUIC"
            ),
            "TCP, TLS, UDP, TCP_UDP, QUIC or TCP_QUIC",
        ),
        _ => (tg_proto == "GENEVE", "GENEVE"),
    };
    if !fits {
        let msg = format!(
            "target group `{name}` ({tg_proto}) cannot be used by {lb_type} load balancers"
        );
        return c.hint(
            rel,
            msg,
            format!("{lb_type} load balancers forward to {accepted} target groups"),
        );
    }
    if lb_type == "network" {
        let ok: &[&str] = match proto {
            Some("TCP") => &["TCP", "TCP_UDP"],
            Some("UDP") => &["UDP", "TCP_UDP"],
            Some("TCP_UDP") => &["TCP_UDP"],
            Some("TLS") => &["TCP", "TLS"],
            // A QUIC listener forwards to QUIC target groups, a TCP_QUIC one
            // to TCP_QUIC ones (Network Load Balancer guide, "Listeners":
            // https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html).
            Some("QUIC") => &["QUIC"],
            Some("TCP_QUIC") => &["TCP_QUIC"],
            _ => return,
        };
        if !ok.contains(&tg_proto.as_str()) {
            let msg = format!(
                "{} listeners cannot forward to target group `{name}` ({tg_proto})",
                proto.unwrap_or_default()
            );
            c.hint(
                rel,
                msg,
                format!("use a target group with protocol {}", ok.join(" or ")),
            );
        }
    }
}

fn redirect(c: &mut Check, rel: &str, r: &RawRedirect) {
    match r.status.as_ref().map(|s| s.as_str()) {
        None => c.hint(
            rel,
            "a redirect needs `status`",
            "add `status: 301` (permanent) or `302` (temporary)",
        ),
        Some("301" | "302" | "HTTP_301" | "HTTP_302") => {}
        Some(s) => c.hint(
            &format!("{rel}.status"),
            format!("invalid redirect status `{s}`"),
            "use 301 or 302",
        ),
    }
    if let Some(p) = &r.protocol {
        let p = p.to_ascii_uppercase();
        if p != "#{PROTOCOL}" {
            one_of_values(
                c,
                &format!("{rel}.protocol"),
                "redirect protocol",
                &p,
                &["HTTP", "HTTPS"],
            );
        }
    }
    if let Some(port) = &r.port {
        let p = port.as_str();
        if p != "#{port}" && !p.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n)) {
            c.hint(
                &format!("{rel}.port"),
                format!("invalid redirect port `{p}`"),
                "use 1..65535 or `#{port}`",
            );
        }
    }
    if let Some(path) = &r.path {
        if !path.as_str().starts_with('/') {
            c.err(
                &format!("{rel}.path"),
                format!("redirect path `{path}` must start with `/`"),
            );
        }
    }
}

fn fixed_response(c: &mut Check, rel: &str, f: &RawFixedResponse) {
    match f.status.as_ref().map(|s| s.as_str()) {
        None => c.hint(
            rel,
            "a fixed response needs `status`",
            "add e.g. `status: 503`",
        ),
        Some(s) => {
            let ok = s.len() == 3 && s.parse::<u16>().is_ok() && matches!(&s[..1], "2" | "4" | "5");
            if !ok {
                c.hint(
                    &format!("{rel}.status"),
                    format!("invalid fixed response status `{s}`"),
                    "use a 2XX, 4XX or 5XX code",
                );
            }
        }
    }
    if let Some(t) = &f.content_type {
        one_of_values(
            c,
            &format!("{rel}.content_type"),
            "content type",
            t,
            CONTENT_TYPES,
        );
    }
    if let Some(body) = &f.body {
        let n = body.as_str().chars().count();
        if n > 1024 {
            c.err(
                &format!("{rel}.body"),
                format!("fixed response body is {n} characters; at most 1024 are allowed"),
            );
        }
    }
}
