//! Listeners, their rules and conditions, and actions (forward, redirect,
//! fixed response) as the spec writes them.
//!
//! A forward names an exported target group by name and any other by ARN
//! ([`Refs`]); a single target group without stickiness is written in the
//! short form. Redirect fields equal to AWS's defaults are left out.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::model::{Action, Conditions, Forward, Listener};

use super::emit::{duration, put, Obj};

/// How forwards name target groups.
pub(super) struct Refs<'a> {
    pub(super) exported: BTreeSet<String>,
    pub(super) arns: &'a BTreeMap<String, String>,
}

impl Refs<'_> {
    /// `("name", X)` for an exported target group, else `("arn", ARN)`.
    fn of(&self, name: &str, w: &mut Vec<String>) -> (&'static str, String) {
        if self.exported.contains(name) {
            return ("name", name.to_string());
        }
        if let Some(arn) = self.arns.get(name) {
            return ("arn", arn.clone());
        }
        if name.starts_with("arn:") {
            return ("arn", name.to_string());
        }
        w.push(format!(
            "target group `{name}` is used but was not found; the spec names it anyway"
        ));
        ("name", name.to_string())
    }
}

const ALPN: &[&str] = &[
    "HTTP1Only",
    "HTTP2Only",
    "HTTP2Optional",
    "HTTP2Preferred",
    "None",
];

pub(super) fn listener(l: &Listener, lb_type: &str, refs: &Refs, w: &mut Vec<String>) -> Value {
    let mut o = Obj::new();
    let proto = l.protocol.as_deref().unwrap_or_default();
    if lb_type != "gateway" {
        if let Some(port) = l.port {
            put(&mut o, "port", port);
        }
        put(&mut o, "protocol", proto);
    }
    let secure = matches!(proto, "HTTPS" | "TLS");
    if secure && !l.certificates.is_empty() {
        put(&mut o, "certificates", l.certificates.clone());
    }
    if let Some(p) = l.ssl_policy.as_deref().filter(|_| secure) {
        put(&mut o, "ssl_policy", p);
    }
    if let Some(p) = l
        .alpn_policy
        .as_deref()
        .filter(|p| proto == "TLS" && ALPN.contains(p))
    {
        put(&mut o, "alpn_policy", p);
    }
    let port = l.port.unwrap_or(0);
    let plain = action(&l.default_action, refs, w);
    let what = format!("listener on port {port}");
    let default_action = super::auth::with_steps(&l.default_auth, plain, &what, w);
    put(&mut o, "default_action", default_action);
    let protocol = (lb_type != "gateway").then_some(proto);
    let attributes = super::listener_attributes::attributes(&l.attributes, lb_type, protocol, w);
    super::emit::put_obj(&mut o, "attributes", attributes);
    if lb_type == "application" && !l.rules.is_empty() {
        let rules: Vec<Value> = l
            .rules
            .values()
            .map(|r| {
                let mut ro = Obj::new();
                put(&mut ro, "priority", r.priority);
                put(&mut ro, "conditions", conditions(&r.conditions));
                let plain = action(&r.action, refs, w);
                let what = format!("rule {} of the listener on port {port}", r.priority);
                let steps = super::auth::with_steps(&r.auth, plain, &what, w);
                put(&mut ro, "action", steps);
                if !r.transforms.is_empty() {
                    let t = serde_json::to_value(&r.transforms).unwrap_or(Value::Null);
                    put(&mut ro, "transforms", t);
                }
                Value::Object(ro)
            })
            .collect();
        put(&mut o, "rules", rules);
    }
    Value::Object(o)
}

/// The spec's `conditions`: the map form, or the list form when a kind
/// repeats (the model serialises in the spec's vocabulary).
fn conditions(c: &Conditions) -> Value {
    serde_json::to_value(c).unwrap_or(Value::Null)
}

pub(super) fn action(a: &Action, refs: &Refs, w: &mut Vec<String>) -> Value {
    match a {
        Action::Forward(f) => json!({ "forward": forward(f, refs, w) }),
        Action::Redirect(r) => {
            let mut o = Obj::new();
            for (key, v, default) in [
                ("protocol", &r.protocol, "#{protocol}"),
                ("port", &r.port, "#{port}"),
                ("host", &r.host, "#{host}"),
                ("path", &r.path, "/#{path}"),
                ("query", &r.query, "#{query}"),
            ] {
                if v != default {
                    put(&mut o, key, v.as_str());
                }
            }
            let status = r.status.trim_start_matches("HTTP_");
            match status.parse::<u16>() {
                Ok(n) => put(&mut o, "status", n),
                Err(_) => put(&mut o, "status", status),
            }
            json!({ "redirect": o })
        }
        Action::FixedResponse(f) => {
            let mut o = Obj::new();
            match f.status.parse::<u16>() {
                Ok(n) => put(&mut o, "status", n),
                Err(_) => put(&mut o, "status", f.status.as_str()),
            }
            if let Some(t) = &f.content_type {
                put(&mut o, "content_type", t.as_str());
            }
            if let Some(b) = &f.body {
                put(&mut o, "body", b.as_str());
            }
            json!({ "fixed_response": o })
        }
    }
}

fn forward(f: &Forward, refs: &Refs, w: &mut Vec<String>) -> Value {
    let stickiness = f.stickiness.filter(|s| (1..=604_800).contains(s));
    if let ([only], None) = (f.target_groups.as_slice(), stickiness) {
        return match refs.of(&only.name, w) {
            ("name", name) => json!(name),
            (key, v) => {
                let mut o = Obj::new();
                put(&mut o, key, v);
                Value::Object(o)
            }
        };
    }
    let several = f.target_groups.len() > 1;
    let list: Vec<Value> = f
        .target_groups
        .iter()
        .map(|t| {
            let (key, v) = refs.of(&t.name, w);
            let mut o = Obj::new();
            put(&mut o, key, v);
            if several {
                put(&mut o, "weight", t.weight);
            }
            Value::Object(o)
        })
        .collect();
    let mut o = Obj::new();
    put(&mut o, "target_groups", list);
    if let Some(s) = stickiness {
        o.insert("stickiness".into(), duration(s));
    }
    Value::Object(o)
}
