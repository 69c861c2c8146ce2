//! Route 53 zones as spec `dns` entries: which record sets are exported,
//! their names relative to the zone, routing policies, values, aliases and
//! health checks.
//!
//! A record set the spec cannot write (an unsupported type or routing
//! policy, a name that needs escapes, members that mix policies, any
//! unmanaged live setting) is left out with a warning rather than written
//! wrong.

use crate::model::vocab::{HealthCheckType, RecordType};
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::model::dns::{
    owned_key, parse_owner_value, Alias, AliasTarget, HealthCheckRef, ManagedHealthCheck, Record,
    RecordKey, RecordSet, Routing, Zone,
};

use super::emit::{put, Obj};
use super::{Records, Selection};
use crate::model::dns::INSUFFICIENT_DATA;

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

pub(super) fn zone(z: &Zone, selection: &Selection, w: &mut Vec<String>) -> Value {
    let mut o = Obj::new();
    let name = z.name.trim_end_matches('.');
    if z.private {
        put(&mut o, "zone", json!({ "name": name, "private": true }));
    } else {
        put(&mut o, "zone", name);
    }
    let selected = selected_records(z, &selection.records);
    let keys: BTreeSet<&RecordKey> = selected.iter().map(|(key, _)| *key).collect();
    let records: Vec<Value> = selected
        .iter()
        .filter_map(|(key, set)| {
            let zone = (z.name.as_str(), z.id.as_deref(), &keys);
            record_set(zone, key, set, &selection.load_balancer_dns, w)
        })
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

/// A zone's name, ID and the record sets exported from it: aliases to
/// those are written as `record:`.
type ZoneOf<'a> = (&'a str, Option<&'a str>, &'a BTreeSet<&'a RecordKey>);

fn record_set(
    (zone, zone_id, exported): ZoneOf,
    key: &RecordKey,
    set: &RecordSet,
    lbs: &BTreeMap<String, (String, String)>,
    w: &mut Vec<String>,
) -> Option<Value> {
    let mut skip = |why: &str| {
        w.push(format!("record set `{key}` is left out: {why}"));
        None
    };
    if RecordType::parse(&key.rtype).is_none() {
        return skip(&format!("type {} is not supported by spec v1", key.rtype));
    }
    let name = relative_name(&key.name, zone);
    if name != "@" && !plain_name(&name) {
        return skip("its name needs escapes the spec cannot write");
    }
    if !set.unmanaged.is_empty() {
        return skip(&format!(
            "it has live settings the spec cannot express ({}); written as the spec can, it \
             would lose them",
            set.unmanaged_summary()
        ));
    }
    let members = &set.members;
    let kind = |r: &Record| match (&r.routing, &r.set_identifier) {
        (Routing::Simple, None) => "simple",
        (Routing::Simple, Some(_)) => "other",
        (Routing::Weighted { .. }, _) => "weighted",
        (Routing::Failover { .. }, _) => "failover",
        (Routing::Geolocation { .. }, _) => "geolocation",
        (Routing::Latency { .. }, _) => "latency",
        (Routing::Multivalue, _) => "multivalue",
        (Routing::Geoproximity { .. }, _) => "geoproximity",
        (Routing::Cidr { .. }, _) => "cidr",
    };
    let policy = kind(&members[0]);
    if policy == "other" {
        return skip(
            "a member has a set identifier but no routing policy, which spec v1 cannot write",
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
    let member =
        |r: &Record, w: &mut Vec<String>| member((zone, zone_id, exported), key, r, lbs, w);
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
                        Routing::Geoproximity { .. } => {
                            mo.extend(super::dns_routing::geoproximity(&m.routing))
                        }
                        Routing::Cidr { location, .. } => {
                            put(&mut mo, "location", location.as_str())
                        }
                        _ => {}
                    }
                    mo.extend(member(m, w));
                    Value::Object(mo)
                })
                .collect();
            match &members[0].routing {
                Routing::Cidr { collection, .. } => put(
                    &mut o,
                    "cidr",
                    json!({ "collection": collection, "members": list }),
                ),
                _ => put(&mut o, policy, list),
            }
        }
    }
    Some(Value::Object(o))
}

/// A member's `values` or `alias`, and its `health_check`.
fn member(
    zone: ZoneOf,
    key: &RecordKey,
    r: &Record,
    lbs: &BTreeMap<String, (String, String)>,
    w: &mut Vec<String>,
) -> Obj {
    let mut o = Obj::new();
    match &r.alias {
        Some(a) => put(&mut o, "alias", alias(zone, key, a, lbs)),
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

fn alias(
    zone: ZoneOf,
    key: &RecordKey,
    a: &Alias,
    lbs: &BTreeMap<String, (String, String)>,
) -> Value {
    let mut o = Obj::new();
    if let Some(name) = super::dns_routing::record_target(zone, key, a) {
        put(&mut o, "record", name);
        if a.evaluate_target_health {
            put(&mut o, "evaluate_target_health", true);
        }
        return Value::Object(o);
    }
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
        HealthCheckRef::Managed(m) => match managed_check(m, w) {
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

fn managed_check(m: &ManagedHealthCheck, w: &mut Vec<String>) -> Option<Value> {
    let ty = m.check_type.to_ascii_uppercase();
    let mut o = Obj::new();
    match ty.as_str() {
        "CALCULATED" => {
            put(&mut o, "type", "calculated");
            let children: Vec<Value> = m.children.iter().map(|c| health_check_ref(c, w)).collect();
            put(&mut o, "children", Value::Array(children));
            put(
                &mut o,
                "healthy_threshold",
                m.healthy_threshold.unwrap_or(0),
            );
        }
        "CLOUDWATCH_METRIC" => {
            let a = m.alarm.as_ref()?;
            put(&mut o, "type", "cloudwatch_alarm");
            put(
                &mut o,
                "alarm",
                json!({ "name": a.name, "region": a.region }),
            );
            let written = m.insufficient_data.as_deref().and_then(|s| {
                INSUFFICIENT_DATA
                    .iter()
                    .find(|(_, aws)| *aws == s)
                    .map(|(k, _)| *k)
            });
            if let Some(k) = written {
                put(&mut o, "insufficient_data", k);
            }
        }
        "RECOVERY_CONTROL" => {
            put(&mut o, "type", "recovery_control");
            put(&mut o, "routing_control", m.routing_control.as_deref()?);
        }
        _ => endpoint_check(m, &ty, &mut o)?,
    }
    if m.inverted {
        put(&mut o, "inverted", true);
    }
    if m.disabled {
        put(&mut o, "disabled", true);
    }
    Some(Value::Object(o))
}

fn endpoint_check(m: &ManagedHealthCheck, ty: &str, o: &mut Obj) -> Option<()> {
    if !HealthCheckType::parse(ty).is_some_and(HealthCheckType::is_endpoint)
        || (m.fqdn.is_none() && m.ip_address.is_none())
    {
        return None;
    }
    if ty == "TCP" && m.port.is_none() {
        return None;
    }
    if ty.ends_with("_STR_MATCH") && m.search_string.as_deref().is_none_or(str::is_empty) {
        return None;
    }
    put(o, "type", ty);
    if let Some(f) = &m.fqdn {
        put(o, "fqdn", f.as_str());
    }
    if let Some(ip) = &m.ip_address {
        put(o, "ip_address", ip.as_str());
    }
    if let Some(p) = m.port.filter(|p| *p > 0) {
        put(o, "port", p);
    }
    if let Some(path) = m
        .path
        .as_deref()
        .filter(|p| ty != "TCP" && p.starts_with('/'))
    {
        put(o, "path", path);
    }
    if let Some(i) = m.interval.filter(|i| matches!(i, 10 | 30)) {
        put(o, "interval", i);
    }
    if let Some(n) = m.failure_threshold.filter(|n| (1..=10).contains(n)) {
        put(o, "failure_threshold", n);
    }
    if let Some(s) = m
        .search_string
        .as_deref()
        .filter(|_| ty.ends_with("_STR_MATCH"))
    {
        put(o, "search_string", s);
    }
    if !m.regions.is_empty() {
        put(o, "regions", m.regions.clone());
    }
    if m.enable_sni == Some(false) && ty.starts_with("HTTPS") {
        put(o, "enable_sni", false);
    }
    if m.measure_latency {
        put(o, "measure_latency", true);
    }
    Some(())
}
