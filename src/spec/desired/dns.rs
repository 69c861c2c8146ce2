//! The `dns:` section -> desired [`Dns`]: each zone looked up among the
//! hosted zones AWS has, record names made absolute, one Route 53 record
//! per member, written as Route 53 reports them (TXT values quoted, alias
//! DNS names with a trailing dot, health check ports filled in) so that
//! apply followed by plan shows no changes.
//!
//! The spec is already validated; the problems left are the ones only AWS
//! can answer: a zone that does not exist, and record names of zones given
//! by ID that turn out to be outside the zone.

use std::collections::BTreeSet;

use crate::model::dns::{
    normalize_regions, AlarmRef, Alias, AliasTarget, Dns, HealthCheckRef, ManagedHealthCheck,
    Record, RecordKey, RecordSet, Routing, Zone, ZoneInfo, ZoneRef,
};
use crate::spec::diag::Source;
use crate::spec::raw::dns::{
    absolute_record, absolute_zone, aws_check_type, in_zone, zone_id, Member, MemberKind, RawAlias,
    RawR53HealthCheck, RawRecord, RawZone, RawZoneName, INSUFFICIENT_DATA,
};
use crate::spec::{Diagnostic, Resolved, Spec};

/// The TTL of a record that does not give one (the Route 53 console's).
pub const DEFAULT_TTL: u32 = 300;

/// Every hosted zone the spec names, each once, in file order.
pub fn zone_refs(spec: &Spec) -> Vec<ZoneRef> {
    let mut seen = BTreeSet::new();
    spec.dns
        .iter()
        .filter_map(|e| zone_ref(e.raw.zone.as_ref()?))
        .filter(|r| seen.insert(r.clone()))
        .collect()
}

fn zone_ref(zone: &RawZoneName) -> Option<ZoneRef> {
    match (zone.id(), zone.name()) {
        (Some(id), _) => Some(ZoneRef::Id(id)),
        (None, Some(name)) => Some(ZoneRef::Name {
            name,
            private: zone.private(),
        }),
        (None, None) => None,
    }
}

/// The desired Route 53 state; zones that cannot be found are reported in
/// `out`.
pub fn dns(spec: &Spec, resolved: &Resolved, out: &mut Vec<Diagnostic>) -> Dns {
    let mut dns = Dns::default();
    for e in &spec.dns {
        let src = &spec.sources[e.file];
        let z = &e.raw;
        let base = format!("dns[{}].zone", z.index);
        let Some(info) = z
            .zone
            .as_ref()
            .and_then(|zn| lookup(src, &base, zn, resolved, out))
        else {
            continue;
        };
        let name = absolute_zone(&info.name);
        if dns.zones.contains_key(&name) {
            let hint = "list each hosted zone once, with all its records; a public and a \
                        private zone of the same name cannot both be managed from one spec";
            let msg = format!("hosted zone `{name}` is listed twice");
            out.push(src.diag(&base, msg, Some(hint.into())));
            continue;
        }
        let zone = zone(src, z, &name, &info, resolved, out);
        dns.zones.insert(name, zone);
    }
    dns.cidr_collections = super::dns_routing::cidr_collections(spec);
    dns
}

/// The hosted zone a spec zone names, among those AWS has.
pub(super) fn lookup(
    src: &Source,
    path: &str,
    zone: &RawZoneName,
    resolved: &Resolved,
    out: &mut Vec<Diagnostic>,
) -> Option<ZoneInfo> {
    let found = match (zone.id(), zone.name()) {
        (Some(id), _) => resolved.zones.iter().find(|z| zone_id(&z.id) == id),
        (None, Some(name)) => {
            let private = zone.private().unwrap_or(false);
            resolved
                .zones
                .iter()
                .find(|z| absolute_zone(&z.name) == name && z.private == private)
        }
        (None, None) => return None,
    };
    if found.is_none() {
        let (what, hint) = match (zone.id(), zone.name(), zone.private()) {
            (Some(id), _, _) => (
                format!("hosted zone `{id}`"),
                "lbctl does not create hosted zones; create it first or check the ID",
            ),
            (None, Some(name), Some(true)) => (
                format!("private hosted zone `{name}`"),
                "lbctl does not create hosted zones; create it first or check the name",
            ),
            (None, name, _) => (
                format!("hosted zone `{}`", name.unwrap_or_default()),
                "lbctl does not create hosted zones; create it first or check the name",
            ),
        };
        out.push(src.diag(path, format!("{what} not found"), Some(hint.into())));
    }
    found.map(|z| ZoneInfo {
        id: zone_id(&z.id),
        name: z.name.clone(),
        private: z.private,
    })
}

fn zone(
    src: &Source,
    z: &RawZone,
    name: &str,
    info: &ZoneInfo,
    resolved: &Resolved,
    out: &mut Vec<Diagnostic>,
) -> Zone {
    let mut zone = Zone {
        name: name.to_string(),
        id: Some(info.id.clone()),
        private: info.private,
        record_sets: Default::default(),
    };
    for (j, r) in &z.records {
        let (Some(written), Some(rtype)) = (&r.name, r.rtype()) else {
            continue;
        };
        let path = format!("dns[{}].records[{j}].name", z.index);
        let abs = absolute_record(written.as_str(), name);
        // Validation checked this for zones given by name; a zone given by
        // ID has a name only now.
        if !in_zone(&abs, name) {
            let msg = format!("record name `{written}` is not in zone `{name}`");
            let hint = format!("write names relative to the zone, or end them with `.{name}`");
            out.push(src.diag(&path, msg, Some(hint)));
            continue;
        }
        let key = RecordKey {
            name: abs,
            rtype: rtype.clone(),
        };
        if zone.record_sets.contains_key(&key) {
            let msg = format!("`{key}` is listed twice in zone `{name}`");
            let hint = "merge them into one record; use a routing policy for several members";
            out.push(src.diag(&path, msg, Some(hint.into())));
            continue;
        }
        zone.record_sets
            .insert(key, record_set(r, &rtype, resolved, (name, &info.id)));
    }
    zone
}

/// One Route 53 record per member (per running instance for
/// `weighted_from_instances`), sorted by set identifier.
/// A zone's name and ID, for aliases to its own records.
type ZoneOf<'a> = (&'a str, &'a str);

fn record_set(r: &RawRecord, rtype: &str, resolved: &Resolved, zone: ZoneOf) -> RecordSet {
    let ttl = r.ttl.map_or(DEFAULT_TTL, |t| t.0 as u32);
    let mut members: Vec<Record> = match &r.weighted_from_instances {
        Some(w) => super::instances::members(resolved, w, ttl),
        None => r
            .members()
            .iter()
            .map(|m| record(m, rtype, ttl, zone))
            .collect(),
    };
    members.sort_by(|a, b| a.set_identifier.cmp(&b.set_identifier));
    RecordSet {
        members,
        unmanaged: Vec::new(),
    }
}

fn record(m: &Member, rtype: &str, ttl: u32, zone: ZoneOf) -> Record {
    let upper = |s: &str| s.trim().to_ascii_uppercase();
    let routing = match m.kind {
        MemberKind::Simple => Routing::Simple,
        MemberKind::Weighted(w) => Routing::Weighted {
            weight: w.weight.map_or(0, |n| n.0 as u32),
        },
        MemberKind::Primary => Routing::Failover {
            role: "PRIMARY".into(),
        },
        MemberKind::Secondary => Routing::Failover {
            role: "SECONDARY".into(),
        },
        MemberKind::Geo(g) => Routing::Geolocation {
            continent: g.continent.as_deref().map(upper),
            country: g.country.as_deref().map(upper),
            subdivision: g.subdivision.as_ref().map(|s| upper(s.as_str())),
        },
        MemberKind::Latency(l) => Routing::Latency {
            region: l.region.as_deref().unwrap_or_default().trim().to_string(),
        },
        MemberKind::Multivalue => Routing::Multivalue,
        MemberKind::Geoproximity(g) => super::dns_routing::geoproximity(g),
        MemberKind::Cidr(c, m) => Routing::Cidr {
            collection: c.collection.as_deref().unwrap_or_default().to_string(),
            location: m
                .location
                .as_ref()
                .map_or("", |l| l.as_str().trim())
                .to_string(),
        },
    };
    let alias = m.alias.map(|a| alias(a, zone));
    let values = match (&alias, m.values) {
        (None, Some(values)) => values
            .iter()
            .map(|v| value(rtype, v.as_str().trim()))
            .collect(),
        _ => Vec::new(),
    };
    Record {
        set_identifier: m.set_identifier(),
        routing,
        ttl: if alias.is_some() { None } else { Some(ttl) },
        values,
        alias,
        health_check: m.health_check.map(health_check),
    }
}

/// A value as Route 53 writes it: TXT and SPF values are quoted strings.
fn value(rtype: &str, v: &str) -> String {
    match rtype {
        "TXT" | "SPF" => quote(v),
        _ => v.to_string(),
    }
}

/// Quote a TXT value unless it already is quoted; a value longer than a
/// DNS character-string (255 bytes) is split into several strings, as
/// Route 53 requires.
pub fn quote(v: &str) -> String {
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        return v.to_string();
    }
    let mut parts = Vec::new();
    let mut rest = v;
    loop {
        let mut end = rest.len().min(255);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let (part, tail) = rest.split_at(end);
        let escaped = part.replace('\\', "\\\\").replace('"', "\\\"");
        parts.push(format!("\"{escaped}\""));
        if tail.is_empty() {
            break;
        }
        rest = tail;
    }
    parts.join(" ")
}

fn alias(a: &RawAlias, (zone, own_id): ZoneOf) -> Alias {
    let target = match (&a.load_balancer, &a.dns_name) {
        // Another record of this zone: its FQDN and the zone's own ID, as
        // Route 53 reports the alias back.
        _ if a.record.is_some() => AliasTarget::Target {
            dns_name: absolute_record(a.record.as_ref().map_or("", |r| r.as_str()), zone),
            hosted_zone_id: own_id.to_string(),
        },
        (Some(lb), _) => AliasTarget::LoadBalancer(lb.clone()),
        (None, dns_name) => AliasTarget::Target {
            dns_name: absolute_zone(dns_name.as_deref().unwrap_or_default()),
            hosted_zone_id: a.hosted_zone_id.as_deref().map(zone_id).unwrap_or_default(),
        },
    };
    Alias {
        target,
        evaluate_target_health: a.evaluate_target_health.unwrap_or(false),
    }
}

fn health_check(hc: &RawR53HealthCheck) -> HealthCheckRef {
    let h = match hc {
        RawR53HealthCheck::Id(id) => return HealthCheckRef::Id(id.trim().to_string()),
        RawR53HealthCheck::Managed(h) => h,
    };
    let written = h.check_type.as_deref().unwrap_or_default();
    let check_type = aws_check_type(written)
        .map(str::to_string)
        .unwrap_or_else(|| written.trim().to_ascii_uppercase());
    // Route 53 fills in the port for HTTP(S) checks; TCP needs one.
    let default_port = if check_type.starts_with("HTTPS") {
        Some(443)
    } else if check_type.starts_with("HTTP") {
        Some(80)
    } else {
        None
    };
    let insufficient_data = h.insufficient_data.as_deref().map(|s| {
        INSUFFICIENT_DATA
            .iter()
            .find(|(k, _)| *k == s.trim())
            .map_or(s.trim(), |(_, aws)| aws)
            .to_string()
    });
    HealthCheckRef::Managed(ManagedHealthCheck {
        id: None,
        fqdn: h.fqdn.as_ref().map(|f| f.trim().to_string()),
        ip_address: h.ip_address.as_ref().map(|ip| ip.trim().to_string()),
        port: h
            .port
            .and_then(|p| u16::try_from(p.0).ok())
            .or(default_port),
        path: h.path.clone(),
        interval: h.interval.map(|s| s.0 as u32),
        failure_threshold: h.failure_threshold.map(|n| n.0 as u32),
        search_string: h.search_string.clone(),
        regions: normalize_regions(h.regions.as_deref().unwrap_or_default()),
        inverted: h.inverted.unwrap_or(false),
        disabled: h.disabled.unwrap_or(false),
        enable_sni: h.enable_sni,
        measure_latency: h.measure_latency.unwrap_or(false),
        children: h.children.iter().flatten().map(health_check).collect(),
        healthy_threshold: h.healthy_threshold.map(|n| n.0 as u32),
        alarm: h.alarm.as_ref().map(|a| AlarmRef {
            name: a.name.as_deref().unwrap_or_default().trim().to_string(),
            region: a.region.as_deref().unwrap_or_default().trim().to_string(),
        }),
        insufficient_data,
        routing_control: h.routing_control.as_ref().map(|a| a.trim().to_string()),
        check_type,
    })
}

#[cfg(test)]
mod tests;
