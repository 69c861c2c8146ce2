//! Load balancers as spec `load_balancers` entries: type, scheme,
//! subnets or subnet mappings, security groups, attributes and tags.
//!
//! Listeners are written by `listener`; target groups they forward to are
//! named through the [`Refs`] that `export` builds.

use serde_json::Value;

use crate::model::{Attributes, LoadBalancer};

use super::emit::{extra, in_range, parse_bool, put, put_obj, tags, Obj};
use super::listener::{listener, Refs};

pub(super) fn load_balancer(lb: &LoadBalancer, refs: &Refs, w: &mut Vec<String>) -> Value {
    let mut o = Obj::new();
    let ty = lb.lb_type.as_str();
    put(&mut o, "type", ty);
    if !lb.scheme.is_empty() {
        put(&mut o, "scheme", lb.scheme.as_str());
    }
    if let Some(t) = lb.ip_address_type.as_deref().filter(|t| {
        matches!(*t, "ipv4" | "dualstack")
            || (*t == "dualstack-without-public-ipv4" && ty == "application")
    }) {
        put(&mut o, "ip_address_type", t);
    }
    if let Some(pool) = lb.ipam_pool.as_deref().filter(|_| ty == "application") {
        put(&mut o, "ipam_pool", pool);
    }
    if !lb.subnet_mappings.is_empty() && ty == "network" {
        let maps: Vec<Value> = lb
            .subnet_mappings
            .iter()
            .map(|m| {
                let mut s = Obj::new();
                put(&mut s, "subnet", m.subnet.as_str());
                if let Some(a) = &m.allocation_id {
                    put(&mut s, "allocation_id", a.as_str());
                }
                if let Some(ip) = &m.private_ipv4_address {
                    put(&mut s, "private_ipv4_address", ip.as_str());
                }
                Value::Object(s)
            })
            .collect();
        put(&mut o, "subnet_mappings", maps);
    } else {
        put(
            &mut o,
            "subnets",
            lb.subnets.iter().cloned().collect::<Vec<_>>(),
        );
    }
    if let Some(sgs) = lb
        .security_groups
        .as_ref()
        .filter(|s| !s.is_empty() && ty != "gateway")
    {
        put(
            &mut o,
            "security_groups",
            sgs.iter().cloned().collect::<Vec<_>>(),
        );
    }
    put_obj(&mut o, "attributes", lb_attributes(&lb.attributes, ty));
    let listeners: Vec<Value> = lb
        .listeners
        .values()
        .map(|l| listener(l, ty, refs, w))
        .collect();
    if !listeners.is_empty() {
        put(&mut o, "listeners", listeners);
    }
    put_obj(&mut o, "tags", tags(&lb.tags));
    Value::Object(o)
}

fn lb_attributes(a: &Attributes, ty: &str) -> Obj {
    let app = ty == "application";
    let mut o = Obj::new();
    let flag = |k: &str| a.get(k).and_then(|v| parse_bool(v));
    if let Some(v) = flag("load_balancing.cross_zone.enabled").filter(|_| !app) {
        put(&mut o, "cross_zone", v);
    }
    if let Some(v) = flag("deletion_protection.enabled") {
        put(&mut o, "deletion_protection", v);
    }
    if app {
        if let Some(t) = in_range(a.get("idle_timeout.timeout_seconds"), 1, 4000) {
            put(&mut o, "idle_timeout", t);
        }
        if let Some(v) = flag("routing.http2.enabled") {
            put(&mut o, "http2", v);
        }
        if let Some(v) = flag("routing.http.drop_invalid_header_fields.enabled") {
            put(&mut o, "drop_invalid_header_fields", v);
        }
    }
    let bucket = a.get("access_logs.s3.bucket").filter(|b| !b.is_empty());
    if let (Some(true), Some(bucket), false) =
        (flag("access_logs.s3.enabled"), bucket, ty == "gateway")
    {
        let mut logs = Obj::new();
        put(&mut logs, "bucket", bucket.as_str());
        if let Some(prefix) = a.get("access_logs.s3.prefix").filter(|p| !p.is_empty()) {
            put(&mut logs, "prefix", prefix.as_str());
        }
        put(&mut o, "access_logs", Value::Object(logs));
    }
    super::typed_attrs::load_balancer(a, ty, &mut o);
    // Only keys AWS takes for this type, so that the export validates.
    let accepted = extra(a)
        .into_iter()
        .filter(|(k, _)| crate::spec::aws_attributes::lb_accepts(k, ty))
        .collect();
    put_obj(&mut o, "extra", accepted);
    o
}
