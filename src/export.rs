//! Live state as a v1 spec (`lbctl export`): model -> YAML text.
//!
//! Pure: takes what `aws::export` read (a live [`Model`] cut down to the
//! exported resources) and writes a spec that `lbctl plan` accepts and
//! compares equal to the same live state. The diff compares only what the
//! spec sets, so every value written here must survive the spec layer
//! unchanged (`spec::desired` normalises the way AWS reports). Values that
//! lbctl's validation would reject for the resource (an attribute that does
//! not apply to the protocol, a value out of range) are left out rather
//! than written: left out, they are simply not managed.
//!
//! Keys are written in the order of the spec page, with `serde_json`'s
//! ordered maps, and turned into YAML with `serde_yaml`. No AWS calls.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use serde_json::{json, Map, Value};

use crate::diff::spec_attribute_name;
use crate::model::dns::{
    owned_key, parse_owner_value, Alias, AliasTarget, HealthCheckRef, ManagedHealthCheck, Record,
    RecordKey, RecordSet, Routing, Zone,
};
use crate::model::{
    owner, Action, Attributes, Conditions, Forward, Listener, LoadBalancer, Matcher, Model, Tags,
    TargetGroup, STACK_TAG,
};

/// The stack an export falls back to when the exported resources do not
/// share one.
pub const DEFAULT_STACK: &str = "exported";

type Obj = Map<String, Value>;

/// What the user asked to export (`lbctl export` flags, as plain data).
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// `--stack`: everything tagged with it, and record sets it owns.
    pub stack: Option<String>,
    /// `--load-balancer`: these, with the target groups they forward to.
    pub load_balancers: Vec<String>,
    /// `--zone`: hosted zones by name.
    pub zones: Vec<String>,
}

/// Which record sets of an exported zone go into the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Records {
    /// Those the stack owns (ownership records `_lbctl.<type>.<name>`).
    OwnedBy(String),
    /// Every record set but the apex SOA and NS and ownership records.
    All,
}

/// Live state cut down to what is exported.
#[derive(Debug, Clone)]
pub struct Selection {
    /// The exported target groups and load balancers; zones whole (as
    /// read), filtered by `records`.
    pub model: Model,
    pub records: Records,
    /// Name -> ARN of every live target group, for forwards to target
    /// groups that are not exported (written `{ arn: ... }`).
    pub target_group_arns: BTreeMap<String, String>,
    /// Exported load balancer -> (DNS name, canonical hosted zone ID), so
    /// that aliases to them are written `{ load_balancer: NAME }`.
    pub load_balancer_dns: BTreeMap<String, (String, String)>,
}

/// What `Aws::read_export` found.
#[derive(Debug, Clone)]
pub struct ExportRead {
    pub selection: Selection,
    /// The spec's `stack`: `--stack`, else the one the exported resources
    /// share, else [`DEFAULT_STACK`].
    pub stack: String,
    /// Things the user should know (printed on stderr).
    pub warnings: Vec<String>,
}

/// The spec text and what could not be exported faithfully.
#[derive(Debug, Clone)]
pub struct Exported {
    pub yaml: String,
    pub warnings: Vec<String>,
}

/// The `lbctl:stack` tag every exported load balancer and target group
/// carries, if there are any and they agree. Record sets do not count:
/// a stack inferred from them alone would plan to delete the load
/// balancers it owns and the export left out.
pub fn common_stack(selection: &Selection) -> Option<String> {
    let m = &selection.model;
    let owners: Vec<Option<String>> = m
        .load_balancers
        .values()
        .map(|lb| owned_by(&lb.tags))
        .chain(m.target_groups.values().map(|tg| owned_by(&tg.tags)))
        .collect();
    let first = owners.first()?.clone()?;
    owners
        .iter()
        .all(|o| o.as_deref() == Some(first.as_str()))
        .then_some(first)
        .filter(|s| valid_stack(s))
}

fn owned_by(tags: &Tags) -> Option<String> {
    owner(tags).map(str::to_string)
}

/// `[a-z0-9-]{1,32}`, as the spec wants `stack`.
pub fn valid_stack(s: &str) -> bool {
    (1..=32).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Owner of every owned (name, type) of a zone, from its ownership records.
pub fn owners_of(zone: &Zone) -> BTreeMap<RecordKey, String> {
    let mut out = BTreeMap::new();
    for (key, set) in &zone.record_sets {
        let Some(owned) = owned_key(key) else {
            continue;
        };
        let stack = set
            .members
            .iter()
            .flat_map(|m| &m.values)
            .find_map(|v| parse_owner_value(v));
        if let Some(stack) = stack {
            out.insert(owned, stack);
        }
    }
    out
}

/// The record sets of a zone that `records` selects, apex first.
pub fn selected_records<'a>(
    zone: &'a Zone,
    records: &Records,
) -> Vec<(&'a RecordKey, &'a RecordSet)> {
    let owners = owners_of(zone);
    let mut out: Vec<(&RecordKey, &RecordSet)> = zone
        .record_sets
        .iter()
        .filter(|(key, set)| {
            if set.members.is_empty() || owned_key(key).is_some() {
                return false;
            }
            match records {
                Records::OwnedBy(stack) => owners.get(*key) == Some(stack),
                Records::All => {
                    !(key.name == zone.name && matches!(key.rtype.as_str(), "SOA" | "NS"))
                }
            }
        })
        .collect();
    out.sort_by_key(|(key, _)| (key.name != zone.name, relative_name(&key.name, &zone.name)));
    out
}

/// The selection as a v1 spec for `stack`.
pub fn export(selection: &Selection, stack: &str, region: Option<&str>) -> Exported {
    let mut w = Vec::new();
    let m = &selection.model;
    let mut doc = Obj::new();
    doc.insert("version".into(), json!(1));
    doc.insert("stack".into(), json!(stack));
    if let Some(region) = region {
        doc.insert("region".into(), json!(region));
    }
    if !m.target_groups.is_empty() {
        let tgs: Obj = m
            .target_groups
            .iter()
            .map(|(name, tg)| (name.clone(), target_group(tg, &mut w)))
            .collect();
        doc.insert("target_groups".into(), Value::Object(tgs));
    }
    if !m.load_balancers.is_empty() {
        let refs = Refs {
            exported: m.target_groups.keys().cloned().collect(),
            arns: &selection.target_group_arns,
        };
        let lbs: Obj = m
            .load_balancers
            .iter()
            .map(|(name, lb)| (name.clone(), load_balancer(lb, &refs, &mut w)))
            .collect();
        doc.insert("load_balancers".into(), Value::Object(lbs));
    }
    if !m.dns.zones.is_empty() {
        let zones: Vec<Value> = m
            .dns
            .zones
            .values()
            .map(|z| zone(z, selection, &mut w))
            .collect();
        doc.insert("dns".into(), Value::Array(zones));
    }
    let body = serde_yaml::to_string(&Value::Object(doc)).expect("a JSON value serialises");
    let yaml = format!("# exported by lbctl from live state\n{body}");
    Exported { yaml, warnings: w }
}

fn put(o: &mut Obj, key: &str, v: impl Into<Value>) {
    o.insert(key.to_string(), v.into());
}

fn put_obj(o: &mut Obj, key: &str, v: Obj) {
    if !v.is_empty() {
        o.insert(key.to_string(), Value::Object(v));
    }
}

/// Tags a spec may give: not the stack tag, not AWS's own.
fn tags(t: &Tags) -> Obj {
    t.iter()
        .filter(|(k, _)| *k != STACK_TAG && !k.to_ascii_lowercase().starts_with("aws:"))
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect()
}

/// Durations of a day or an hour multiple in units, else seconds.
fn duration(secs: u64) -> Value {
    match secs {
        0 => json!(0),
        s if s % 86_400 == 0 => json!(format!("{}d", s / 86_400)),
        s if s % 3_600 == 0 => json!(format!("{}h", s / 3_600)),
        s => json!(s),
    }
}

fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn in_range(v: Option<&String>, lo: u64, hi: u64) -> Option<u64> {
    v.and_then(|s| s.parse::<u64>().ok())
        .filter(|n| (lo..=hi).contains(n))
}

/// Attributes the spec does not model, with a value to set.
fn extra(a: &Attributes) -> Obj {
    a.iter()
        .filter(|(k, v)| {
            spec_attribute_name(k).starts_with("extra.")
                && !v.is_empty()
                && !k.is_empty()
                && !k.contains(char::is_whitespace)
        })
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect()
}

// ---------------------------------------------------------------- target groups

fn target_group(tg: &TargetGroup, w: &mut Vec<String>) -> Value {
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
    let nlb = matches!(proto, "TCP" | "TLS" | "UDP" | "TCP_UDP");
    if let Some(d) = in_range(a.get("deregistration_delay.timeout_seconds"), 0, 3600) {
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
    put_obj(&mut o, "extra", extra(a));
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

// ---------------------------------------------------------------- load balancers

/// How forwards name target groups.
struct Refs<'a> {
    exported: BTreeSet<String>,
    arns: &'a BTreeMap<String, String>,
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

fn load_balancer(lb: &LoadBalancer, refs: &Refs, w: &mut Vec<String>) -> Value {
    let mut o = Obj::new();
    let ty = lb.lb_type.as_str();
    put(&mut o, "type", ty);
    if !lb.scheme.is_empty() {
        put(&mut o, "scheme", lb.scheme.as_str());
    }
    if let Some(t) = lb
        .ip_address_type
        .as_deref()
        .filter(|t| matches!(*t, "ipv4" | "dualstack"))
    {
        put(&mut o, "ip_address_type", t);
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
    put_obj(&mut o, "extra", extra(a));
    o
}

const ALPN: &[&str] = &[
    "HTTP1Only",
    "HTTP2Only",
    "HTTP2Optional",
    "HTTP2Preferred",
    "None",
];

fn listener(l: &Listener, lb_type: &str, refs: &Refs, w: &mut Vec<String>) -> Value {
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
    put(&mut o, "default_action", action(&l.default_action, refs, w));
    if lb_type == "application" && !l.rules.is_empty() {
        let rules: Vec<Value> = l
            .rules
            .values()
            .map(|r| {
                let mut ro = Obj::new();
                put(&mut ro, "priority", r.priority);
                put(&mut ro, "conditions", conditions(&r.conditions));
                put(&mut ro, "action", action(&r.action, refs, w));
                Value::Object(ro)
            })
            .collect();
        put(&mut o, "rules", rules);
    }
    Value::Object(o)
}

fn conditions(c: &Conditions) -> Value {
    let mut o = Obj::new();
    for (key, list) in [
        ("host_header", &c.host_header),
        ("path_pattern", &c.path_pattern),
    ] {
        if !list.is_empty() {
            put(&mut o, key, list.clone());
        }
    }
    if let Some(h) = &c.http_header {
        put(
            &mut o,
            "http_header",
            json!({ "name": h.name, "values": h.values }),
        );
    }
    if !c.http_request_method.is_empty() {
        put(&mut o, "http_request_method", c.http_request_method.clone());
    }
    if !c.query_string.is_empty() {
        let qs: Vec<Value> = c
            .query_string
            .iter()
            .map(|q| {
                let mut qo = Obj::new();
                if let Some(k) = &q.key {
                    put(&mut qo, "key", k.as_str());
                }
                put(&mut qo, "value", q.value.as_str());
                Value::Object(qo)
            })
            .collect();
        put(&mut o, "query_string", qs);
    }
    if !c.source_ip.is_empty() {
        put(&mut o, "source_ip", c.source_ip.clone());
    }
    Value::Object(o)
}

fn action(a: &Action, refs: &Refs, w: &mut Vec<String>) -> Value {
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

// ---------------------------------------------------------------- DNS

/// Record types the spec accepts (`spec::validate::dns::TYPES`).
const RECORD_TYPES: &[&str] = &[
    "A", "AAAA", "CNAME", "TXT", "MX", "SRV", "NS", "CAA", "PTR", "SPF", "NAPTR", "DS",
];
const CHECK_TYPES: &[&str] = &["HTTP", "HTTPS", "TCP", "HTTP_STR_MATCH", "HTTPS_STR_MATCH"];

fn zone(z: &Zone, selection: &Selection, w: &mut Vec<String>) -> Value {
    let mut o = Obj::new();
    let name = z.name.trim_end_matches('.');
    if z.private {
        put(&mut o, "zone", json!({ "name": name, "private": true }));
    } else {
        put(&mut o, "zone", name);
    }
    let records: Vec<Value> = selected_records(z, &selection.records)
        .into_iter()
        .filter_map(|(key, set)| record_set(&z.name, key, set, &selection.load_balancer_dns, w))
        .collect();
    put(&mut o, "records", records);
    Value::Object(o)
}

/// `www` for `www.example.com.` in `example.com.`, `@` for the apex; a
/// name outside the zone stays absolute.
pub fn relative_name(name: &str, zone: &str) -> String {
    if name == zone {
        return "@".into();
    }
    let in_zone = |n: &str| n == zone || n.ends_with(&format!(".{zone}"));
    match name.strip_suffix(&format!(".{zone}")) {
        // `a.example.com` relative to `example.com.` reads as a missing
        // dot to validation; such a name is written absolute.
        Some(rel) if !in_zone(&format!("{rel}.")) => rel.to_string(),
        _ => name.to_string(),
    }
}

/// Letters, digits, `-`, `_`, `*` and dots (`validate::dns::dns_name_problem`).
fn plain_name(name: &str) -> bool {
    let n = name.strip_suffix('.').unwrap_or(name);
    !n.is_empty()
        && n.len() <= 254
        && n.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_*".contains(c))
        })
}

fn record_set(
    zone: &str,
    key: &RecordKey,
    set: &RecordSet,
    lbs: &BTreeMap<String, (String, String)>,
    w: &mut Vec<String>,
) -> Option<Value> {
    let mut skip = |why: &str| {
        w.push(format!("record set `{key}` is left out: {why}"));
        None
    };
    if !RECORD_TYPES.contains(&key.rtype.as_str()) {
        return skip(&format!("type {} is not supported by spec v1", key.rtype));
    }
    let name = relative_name(&key.name, zone);
    if name != "@" && !plain_name(&name) {
        return skip("its name needs escapes the spec cannot write");
    }
    let members = &set.members;
    let kind = |r: &Record| match (&r.routing, &r.set_identifier) {
        (Routing::Simple, None) => "simple",
        (Routing::Simple, Some(_)) => "other",
        (Routing::Weighted { .. }, _) => "weighted",
        (Routing::Failover { .. }, _) => "failover",
        (Routing::Geolocation { .. }, _) => "geolocation",
        (Routing::Latency { .. }, _) => "latency",
    };
    let policy = kind(&members[0]);
    if policy == "other" {
        return skip(
            "its routing policy (multivalue, CIDR or geoproximity) is not supported by spec v1",
        );
    }
    if members.iter().any(|m| kind(m) != policy) || (policy == "simple" && members.len() > 1) {
        return skip("its members mix routing policies");
    }
    if members
        .iter()
        .any(|m| m.set_identifier.is_none() && policy != "simple")
    {
        return skip("a member has no set identifier");
    }
    let mut o = Obj::new();
    put(&mut o, "name", name);
    put(&mut o, "type", key.rtype.as_str());
    let ttls: BTreeSet<u32> = members
        .iter()
        .filter(|m| m.alias.is_none())
        .filter_map(|m| m.ttl)
        .collect();
    if let Some(ttl) = ttls.iter().next() {
        put(&mut o, "ttl", *ttl);
        if ttls.len() > 1 {
            w.push(format!(
                "record set `{key}`: members have different TTLs; the spec gives them all {ttl} s"
            ));
        }
    }
    let member = |r: &Record, w: &mut Vec<String>| member(key, r, lbs, w);
    match policy {
        "simple" => {
            let m = &members[0];
            if m.health_check.is_some() {
                w.push(format!(
                    "record set `{key}`: a simple record cannot have a health check in spec v1; it is left out"
                ));
            }
            o.extend(member(m, w));
        }
        "failover" => {
            let mut f = Obj::new();
            for m in members {
                let Routing::Failover { role } = &m.routing else {
                    continue;
                };
                let role = role.to_ascii_lowercase();
                let mut mo = Obj::new();
                if m.set_identifier.as_deref() != Some(role.as_str()) {
                    put(&mut mo, "id", m.set_identifier.clone().unwrap_or_default());
                }
                mo.extend(member(m, w));
                f.insert(role, Value::Object(mo));
            }
            put(&mut o, "failover", f);
        }
        _ => {
            let list: Vec<Value> = members
                .iter()
                .map(|m| {
                    let mut mo = Obj::new();
                    put(&mut mo, "id", m.set_identifier.clone().unwrap_or_default());
                    match &m.routing {
                        Routing::Weighted { weight } => put(&mut mo, "weight", *weight),
                        Routing::Geolocation {
                            continent,
                            country,
                            subdivision,
                        } => {
                            for (k, v) in [
                                ("continent", continent),
                                ("country", country),
                                ("subdivision", subdivision),
                            ] {
                                if let Some(v) = v {
                                    put(&mut mo, k, v.as_str());
                                }
                            }
                        }
                        Routing::Latency { region } => put(&mut mo, "region", region.as_str()),
                        _ => {}
                    }
                    mo.extend(member(m, w));
                    Value::Object(mo)
                })
                .collect();
            put(&mut o, policy, list);
        }
    }
    Some(Value::Object(o))
}

/// A member's `values` or `alias`, and its `health_check`.
fn member(
    key: &RecordKey,
    r: &Record,
    lbs: &BTreeMap<String, (String, String)>,
    w: &mut Vec<String>,
) -> Obj {
    let mut o = Obj::new();
    match &r.alias {
        Some(a) => put(&mut o, "alias", alias(key, a, lbs)),
        None => {
            let values: Vec<Value> = r.values.iter().map(|v| value(&key.rtype, v)).collect();
            put(&mut o, "values", values);
        }
    }
    if r.routing != Routing::Simple {
        if let Some(hc) = &r.health_check {
            put(&mut o, "health_check", health_check_ref(hc, w));
        }
    }
    o
}

/// TXT and SPF values as Route 53 writes them are quoted; a single plain
/// string is written unquoted (the spec quotes it again).
fn value(rtype: &str, v: &str) -> Value {
    if matches!(rtype, "TXT" | "SPF") {
        if let Some(inner) = v.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            let plain = !inner.is_empty()
                && inner.len() <= 255
                && !inner.contains(['"', '\\'])
                && inner.trim() == inner;
            if plain {
                return json!(inner);
            }
        }
    }
    json!(v)
}

/// Route 53's view of an alias DNS name: case, trailing dot and ELB's
/// `dualstack.` prefix do not matter.
fn dns_norm(name: &str) -> String {
    let s = name.trim_end_matches('.').to_ascii_lowercase();
    s.strip_prefix("dualstack.")
        .map(str::to_string)
        .unwrap_or(s)
}

fn alias(key: &RecordKey, a: &Alias, lbs: &BTreeMap<String, (String, String)>) -> Value {
    let mut o = Obj::new();
    match &a.target {
        AliasTarget::LoadBalancer(lb) => put(&mut o, "load_balancer", lb.as_str()),
        AliasTarget::Target {
            dns_name,
            hosted_zone_id,
        } => {
            let lb = lbs
                .iter()
                .find(|(_, (d, z))| dns_norm(d) == dns_norm(dns_name) && z == hosted_zone_id)
                .map(|(name, _)| name)
                .filter(|_| matches!(key.rtype.as_str(), "A" | "AAAA"));
            match lb {
                Some(lb) => put(&mut o, "load_balancer", lb.as_str()),
                None => {
                    put(&mut o, "dns_name", dns_name.trim_end_matches('.'));
                    put(&mut o, "hosted_zone_id", hosted_zone_id.as_str());
                }
            }
        }
    }
    if a.evaluate_target_health {
        put(&mut o, "evaluate_target_health", true);
    }
    Value::Object(o)
}

fn health_check_ref(hc: &HealthCheckRef, w: &mut Vec<String>) -> Value {
    match hc {
        HealthCheckRef::Id(id) => json!(id),
        HealthCheckRef::Managed(m) => match managed_check(m) {
            Some(v) => v,
            None => {
                let id = m.id.clone().unwrap_or_default();
                w.push(format!(
                    "health check `{id}` cannot be written inline; it is named by ID"
                ));
                json!(id)
            }
        },
    }
}

fn managed_check(m: &ManagedHealthCheck) -> Option<Value> {
    let ty = m.check_type.to_ascii_uppercase();
    if !CHECK_TYPES.contains(&ty.as_str()) || (m.fqdn.is_none() && m.ip_address.is_none()) {
        return None;
    }
    if ty == "TCP" && m.port.is_none() {
        return None;
    }
    let mut o = Obj::new();
    put(&mut o, "type", ty.as_str());
    if let Some(f) = &m.fqdn {
        put(&mut o, "fqdn", f.as_str());
    }
    if let Some(ip) = &m.ip_address {
        put(&mut o, "ip_address", ip.as_str());
    }
    if let Some(p) = m.port.filter(|p| *p > 0) {
        put(&mut o, "port", p);
    }
    if let Some(path) = m
        .path
        .as_deref()
        .filter(|p| ty != "TCP" && p.starts_with('/'))
    {
        put(&mut o, "path", path);
    }
    if let Some(i) = m.interval.filter(|i| matches!(i, 10 | 30)) {
        put(&mut o, "interval", i);
    }
    if let Some(n) = m.failure_threshold.filter(|n| (1..=10).contains(n)) {
        put(&mut o, "failure_threshold", n);
    }
    Some(Value::Object(o))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dns::{owner_key, owner_record, ZoneInfo};
    use crate::model::{
        FixedResponse, HealthCheck, Redirect, Rule, Target, Targets, WeightedTargetGroup,
    };

    fn tg(name: &str, protocol: &str, attrs: &[(&str, &str)], stack: Option<&str>) -> TargetGroup {
        let mut tags = Tags::from([("team".into(), "web".into()), ("aws:x".into(), "y".into())]);
        if let Some(s) = stack {
            tags.insert(STACK_TAG.into(), s.into());
        }
        TargetGroup {
            name: name.into(),
            protocol: Some(protocol.into()),
            port: Some(80),
            vpc_id: Some("vpc-1".into()),
            target_type: "ip".into(),
            protocol_version: Some("HTTP1".into()),
            ip_address_type: Some("ipv4".into()),
            health_check: HealthCheck {
                enabled: Some(true),
                protocol: Some("HTTP".into()),
                port: Some("traffic-port".into()),
                path: Some("/health".into()),
                interval: Some(30),
                timeout: Some(5),
                healthy_threshold: Some(5),
                unhealthy_threshold: Some(2),
                matcher: Some(Matcher::HttpCode("200-299".into())),
            },
            attributes: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            targets: Targets {
                mode: Default::default(),
                list: [Target {
                    id: "10.0.0.1".into(),
                    port: Some(80),
                    availability_zone: None,
                }]
                .into(),
            },
            tags,
        }
    }

    fn forward(names: &[(&str, u32)]) -> Action {
        Action::Forward(Forward {
            target_groups: names
                .iter()
                .map(|(n, w)| WeightedTargetGroup {
                    name: n.to_string(),
                    weight: *w,
                })
                .collect(),
            stickiness: None,
        })
    }

    fn lb(name: &str, stack: Option<&str>, default_action: Action) -> LoadBalancer {
        let listener = Listener {
            port: Some(80),
            protocol: Some("HTTP".into()),
            certificates: vec![],
            ssl_policy: None,
            alpn_policy: None,
            default_action,
            rules: BTreeMap::from([(
                10,
                Rule {
                    priority: 10,
                    conditions: Conditions {
                        path_pattern: vec!["/down".into()],
                        ..Conditions::default()
                    },
                    action: Action::FixedResponse(FixedResponse {
                        status: "503".into(),
                        content_type: Some("text/plain".into()),
                        body: Some("down".into()),
                    }),
                },
            )]),
        };
        LoadBalancer {
            name: name.into(),
            lb_type: "application".into(),
            scheme: "internet-facing".into(),
            ip_address_type: Some("ipv4".into()),
            subnets: ["subnet-a".to_string(), "subnet-b".to_string()].into(),
            subnet_mappings: vec![],
            security_groups: Some(["sg-1".to_string()].into()),
            attributes: Attributes::from([
                ("idle_timeout.timeout_seconds".into(), "60".into()),
                ("load_balancing.cross_zone.enabled".into(), "true".into()),
                (
                    "routing.http.xff_header_processing.mode".into(),
                    "append".into(),
                ),
                ("access_logs.s3.bucket".into(), String::new()),
            ]),
            listeners: BTreeMap::from([(80, listener)]),
            tags: stack
                .map(|s| Tags::from([(STACK_TAG.into(), s.into())]))
                .unwrap_or_default(),
        }
    }

    fn record(id: Option<&str>, routing: Routing, values: &[&str]) -> Record {
        Record {
            set_identifier: id.map(str::to_string),
            routing,
            ttl: Some(60),
            values: values.iter().map(|v| v.to_string()).collect(),
            alias: None,
            health_check: None,
        }
    }

    fn key(name: &str, rtype: &str) -> RecordKey {
        RecordKey {
            name: name.into(),
            rtype: rtype.into(),
        }
    }

    /// A zone with an owned weighted set, an unowned TXT at the apex, the
    /// apex SOA, an alias to `web` and the ownership records.
    fn zone(stack: &str) -> Zone {
        let mut sets = BTreeMap::new();
        let weighted = key("api.example.com.", "A");
        sets.insert(
            weighted.clone(),
            RecordSet {
                members: vec![
                    record(
                        Some("blue"),
                        Routing::Weighted { weight: 90 },
                        &["192.0.2.1"],
                    ),
                    record(
                        Some("green"),
                        Routing::Weighted { weight: 10 },
                        &["192.0.2.2"],
                    ),
                ],
            },
        );
        let www = key("www.example.com.", "A");
        sets.insert(
            www.clone(),
            RecordSet {
                members: vec![Record {
                    ttl: None,
                    values: vec![],
                    alias: Some(Alias {
                        target: AliasTarget::Target {
                            dns_name: "Web-1.us-east-1.elb.amazonaws.com.".into(),
                            hosted_zone_id: "Z1".into(),
                        },
                        evaluate_target_health: true,
                    }),
                    ..record(None, Routing::Simple, &[])
                }],
            },
        );
        for k in [&weighted, &www] {
            sets.insert(
                owner_key(k),
                RecordSet {
                    members: vec![owner_record(stack)],
                },
            );
        }
        sets.insert(
            key("example.com.", "TXT"),
            RecordSet {
                members: vec![record(None, Routing::Simple, &["\"v=spf1 -all\""])],
            },
        );
        sets.insert(
            key("example.com.", "SOA"),
            RecordSet {
                members: vec![record(None, Routing::Simple, &["ns. admin. 1 2 3 4 5"])],
            },
        );
        Zone {
            name: "example.com.".into(),
            id: Some("Z9".into()),
            private: false,
            record_sets: sets,
        }
    }

    fn selection(records: Records) -> Selection {
        let mut model = Model::default();
        let blue = tg(
            "blue",
            "HTTP",
            &[
                ("stickiness.enabled", "true"),
                ("stickiness.type", "app_cookie"),
                ("stickiness.app_cookie.cookie_name", "SESSION"),
                ("stickiness.app_cookie.duration_seconds", "3600"),
                ("stickiness.lb_cookie.duration_seconds", "86400"),
                ("slow_start.duration_seconds", "0"),
                ("proxy_protocol_v2.enabled", "false"),
                ("waf.fail_open.enabled", "false"),
            ],
            Some("s"),
        );
        model.target_groups.insert("blue".into(), blue);
        model.load_balancers.insert(
            "web".into(),
            lb("web", Some("s"), forward(&[("blue", 90), ("other", 10)])),
        );
        model.dns.zones.insert("example.com.".into(), zone("s"));
        Selection {
            model,
            records,
            target_group_arns: BTreeMap::from([(
                "other".to_string(),
                "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/other/1".to_string(),
            )]),
            load_balancer_dns: BTreeMap::from([(
                "web".to_string(),
                (
                    "web-1.us-east-1.elb.amazonaws.com".to_string(),
                    "Z1".to_string(),
                ),
            )]),
        }
    }

    fn doc(e: &Exported) -> serde_yaml::Value {
        serde_yaml::from_str(&e.yaml).unwrap()
    }

    #[test]
    fn target_group_attributes_follow_the_protocol() {
        let e = export(&selection(Records::All), "s", None);
        let d = doc(&e);
        let blue = &d["target_groups"]["blue"];
        let a = &blue["attributes"];
        assert_eq!(a["stickiness"]["type"], "app_cookie");
        assert_eq!(a["stickiness"]["duration"], "1h");
        assert_eq!(a["stickiness"]["cookie_name"], "SESSION");
        // NLB-only and the other cookie's duration are left out, unknown
        // keys go under extra.
        assert!(a.get("proxy_protocol_v2").is_none());
        assert_eq!(a["extra"]["waf.fail_open.enabled"], "false");
        assert_eq!(a.as_mapping().unwrap().len(), 3, "{}", e.yaml);
        assert_eq!(blue["health_check"]["matcher"], "200-299");
        assert!(blue["tags"].get("aws:x").is_none());
        assert!(blue["tags"].get(STACK_TAG).is_none());
        assert_eq!(blue["tags"]["team"], "web");
    }

    #[test]
    fn tcp_target_groups_drop_http_only_settings() {
        let mut t = tg(
            "t",
            "TCP",
            &[
                ("stickiness.type", "lb_cookie"),
                ("stickiness.lb_cookie.duration_seconds", "60"),
                ("proxy_protocol_v2.enabled", "true"),
                ("slow_start.duration_seconds", "0"),
            ],
            None,
        );
        t.health_check.protocol = Some("TCP".into());
        let v = target_group(&t, &mut vec![]);
        assert!(v.get("protocol_version").is_none());
        let hc = &v["health_check"];
        assert!(hc.get("path").is_none() && hc.get("matcher").is_none());
        let a = &v["attributes"];
        assert_eq!(a["proxy_protocol_v2"], true);
        assert!(a.get("slow_start").is_none());
        assert!(a.get("stickiness").is_none(), "{a}");
    }

    #[test]
    fn load_balancers_forward_by_name_or_arn() {
        let e = export(&selection(Records::All), "s", Some("us-east-1"));
        let d = doc(&e);
        assert_eq!(d["region"], "us-east-1");
        let web = &d["load_balancers"]["web"];
        let attrs = &web["attributes"];
        assert!(attrs.get("cross_zone").is_none(), "never on an ALB");
        assert_eq!(attrs["idle_timeout"], 60);
        assert_eq!(
            attrs["extra"]["routing.http.xff_header_processing.mode"],
            "append"
        );
        assert!(attrs["extra"].get("access_logs.s3.bucket").is_none());
        let fwd = &web["listeners"][0]["default_action"]["forward"]["target_groups"];
        assert_eq!(fwd[0]["name"], "blue");
        assert_eq!(fwd[0]["weight"], 90);
        assert_eq!(
            fwd[1]["arn"],
            "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/other/1"
        );
        let rule = &web["listeners"][0]["rules"][0];
        assert_eq!(rule["action"]["fixed_response"]["status"], 503);
        assert_eq!(rule["conditions"]["path_pattern"][0], "/down");
    }

    #[test]
    fn redirects_leave_out_aws_defaults() {
        let r = Action::Redirect(Redirect {
            protocol: "HTTPS".into(),
            port: "443".into(),
            host: "#{host}".into(),
            path: "/#{path}".into(),
            query: "#{query}".into(),
            status: "HTTP_302".into(),
        });
        let refs = Refs {
            exported: BTreeSet::new(),
            arns: &BTreeMap::new(),
        };
        let v = action(&r, &refs, &mut vec![]);
        assert_eq!(
            v,
            json!({"redirect": {"protocol": "HTTPS", "port": "443", "status": 302}})
        );
    }

    #[test]
    fn zones_export_owned_or_all_record_sets() {
        let z = zone("s");
        let names = |r: &Records| -> Vec<String> {
            selected_records(&z, r)
                .into_iter()
                .map(|(k, _)| k.to_string())
                .collect()
        };
        assert_eq!(
            names(&Records::OwnedBy("s".into())),
            ["api.example.com. A", "www.example.com. A"]
        );
        assert_eq!(
            names(&Records::All),
            [
                "example.com. TXT",
                "api.example.com. A",
                "www.example.com. A"
            ]
        );
        assert!(names(&Records::OwnedBy("other".into())).is_empty());
    }

    #[test]
    fn records_are_relative_grouped_and_aliases_name_load_balancers() {
        let e = export(&selection(Records::All), "s", None);
        let d = doc(&e);
        let records = &d["dns"][0]["records"];
        assert_eq!(d["dns"][0]["zone"], "example.com");
        assert_eq!(records[0]["name"], "@");
        assert_eq!(records[0]["values"][0], "v=spf1 -all");
        assert_eq!(records[1]["name"], "api");
        assert_eq!(records[1]["ttl"], 60);
        assert_eq!(records[1]["weighted"][1]["id"], "green");
        assert_eq!(records[1]["weighted"][1]["weight"], 10);
        assert_eq!(records[2]["alias"]["load_balancer"], "web");
        assert_eq!(records[2]["alias"]["evaluate_target_health"], true);
        assert!(records[2].get("ttl").is_none());
        assert!(e.warnings.is_empty(), "{:?}", e.warnings);
    }

    #[test]
    fn relative_names() {
        let z = "example.com.";
        assert_eq!(relative_name("example.com.", z), "@");
        assert_eq!(relative_name("a.b.example.com.", z), "a.b");
        assert_eq!(relative_name("other.org.", z), "other.org.");
        // Would read as a name missing its trailing dot.
        assert_eq!(
            relative_name("a.example.com.example.com.", z),
            "a.example.com.example.com."
        );
    }

    #[test]
    fn the_stack_is_the_tag_every_load_balancer_and_target_group_shares() {
        let mut s = selection(Records::All);
        assert_eq!(common_stack(&s).as_deref(), Some("s"));
        s.model.target_groups.get_mut("blue").unwrap().tags.clear();
        assert_eq!(common_stack(&s), None);
        s.model = Model::default();
        assert_eq!(common_stack(&s), None);
    }

    /// The exported text, loaded by the spec layer, is the live model again
    /// as far as the diff is concerned.
    #[test]
    fn an_export_plans_no_changes_against_its_source() {
        let s = selection(Records::OwnedBy("s".into()));
        let e = export(&s, "s", None);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.yaml");
        std::fs::write(&path, &e.yaml).unwrap();
        let spec = crate::spec::load(&[path]).unwrap_or_else(|e| panic!("{e}"));
        let resolved = crate::spec::Resolved {
            zones: vec![ZoneInfo {
                id: "Z9".into(),
                name: "example.com.".into(),
                private: false,
            }],
            ..Default::default()
        };
        let desired = spec.to_model(&resolved).unwrap();
        let mut names = BTreeMap::new();
        names.insert(
            "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/other/1".to_string(),
            "other".to_string(),
        );
        let plan = crate::diff::diff(&crate::diff::Input {
            stack: "s",
            desired: &desired,
            live: &s.model,
            in_use: &BTreeSet::new(),
            target_group_names: &names,
            load_balancer_dns: &s.load_balancer_dns,
            adopt: false,
            ttl_warning: 300,
            instance_addresses: &BTreeSet::new(),
        });
        assert!(plan.steps.is_empty(), "{:#?}\n{}", plan.steps, e.yaml);
        assert!(plan.conflicts.is_empty());
    }
}
