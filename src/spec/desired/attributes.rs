//! Spec attributes -> ELBv2 attribute keys and values, written as AWS
//! reports them (`"30"`, `"true"`), only for the keys the spec sets.

use crate::model::Attributes;
use crate::spec::raw::{RawAccessLogs, RawLbAttributes, RawTargetGroup};
use crate::spec::scalar::BoolOrWord;

fn put(a: &mut Attributes, key: &str, value: impl ToString) {
    a.insert(key.to_string(), value.to_string());
}

pub fn target_group(tg: &RawTargetGroup) -> Attributes {
    let mut a = Attributes::new();
    let Some(r) = &tg.attributes else { return a };
    if let Some(d) = r.deregistration_delay {
        put(&mut a, "deregistration_delay.timeout_seconds", d.0);
    }
    if let Some(s) = r.slow_start {
        put(&mut a, "slow_start.duration_seconds", s.0);
    }
    if let Some(alg) = &r.algorithm {
        put(&mut a, "load_balancing.algorithm.type", alg);
    }
    if let Some(on) = r.anomaly_mitigation {
        put(
            &mut a,
            "load_balancing.algorithm.anomaly_mitigation",
            if on { "on" } else { "off" },
        );
    }
    if let Some(s) = &r.stickiness {
        if let Some(e) = s.enabled {
            put(&mut a, "stickiness.enabled", e);
        }
        if let Some(t) = &s.kind {
            put(&mut a, "stickiness.type", t);
        }
        if let Some(d) = s.duration {
            // The duration key is per cookie type.
            let key = match s.effective_type(tg).as_deref() {
                Some("app_cookie") => "stickiness.app_cookie.duration_seconds",
                _ => "stickiness.lb_cookie.duration_seconds",
            };
            put(&mut a, key, d.0);
        }
        if let Some(n) = &s.cookie_name {
            put(&mut a, "stickiness.app_cookie.cookie_name", n);
        }
    }
    if let Some(cz) = &r.cross_zone {
        let v = match cz {
            BoolOrWord::Bool(b) => b.to_string(),
            BoolOrWord::Word(_) => "use_load_balancer_configuration".to_string(),
        };
        put(&mut a, "load_balancing.cross_zone.enabled", v);
    }
    for (key, v) in [
        ("proxy_protocol_v2.enabled", r.proxy_protocol_v2),
        ("preserve_client_ip.enabled", r.preserve_client_ip),
        (
            "deregistration_delay.connection_termination.enabled",
            r.connection_termination,
        ),
    ] {
        if let Some(v) = v {
            put(&mut a, key, v);
        }
    }
    crate::spec::typed_attrs::target_group(r, &mut a);
    for (k, v) in r.extra.iter().flatten() {
        put(&mut a, k, &v.0);
    }
    a
}

pub fn load_balancer(attrs: Option<&RawLbAttributes>) -> Attributes {
    let mut a = Attributes::new();
    let Some(r) = attrs else { return a };
    for (key, v) in [
        ("load_balancing.cross_zone.enabled", r.cross_zone),
        ("deletion_protection.enabled", r.deletion_protection),
        ("routing.http2.enabled", r.http2),
        (
            "routing.http.drop_invalid_header_fields.enabled",
            r.drop_invalid_header_fields,
        ),
    ] {
        if let Some(v) = v {
            put(&mut a, key, v);
        }
    }
    if let Some(t) = r.idle_timeout {
        put(&mut a, "idle_timeout.timeout_seconds", t.0);
    }
    if let Some(RawAccessLogs::On(to)) = &r.access_logs {
        put(&mut a, "access_logs.s3.enabled", true);
        put(
            &mut a,
            "access_logs.s3.bucket",
            to.bucket.as_deref().unwrap_or_default(),
        );
        put(
            &mut a,
            "access_logs.s3.prefix",
            to.prefix.as_deref().unwrap_or_default(),
        );
    }
    crate::spec::typed_attrs::load_balancer(r, &mut a);
    for (k, v) in r.extra.iter().flatten() {
        put(&mut a, k, &v.0);
    }
    a
}
