//! Instance selectors -> desired state: target group targets
//! (`{ instances: { tags: ... }, port: N }`) and the members of
//! `weighted_from_instances` record sets, from the running instances in a
//! [`Resolved`]; and the plan warnings they call for.
//!
//! A selector that matches nothing is not an error (a fleet may scale to
//! zero); it and instances without the requested address are reported as
//! warnings by [`instance_warnings`], never as spec errors.

use std::collections::BTreeSet;

use crate::model::dns::{Record, Routing};
use crate::model::Target;
use crate::spec::raw::dns::{absolute_record, RawRecord, RawWeightedFromInstances, RawZone};
use crate::spec::raw::{RawTarget, RawTargetGroup};
use crate::spec::selector::{show_tags, AddressKind, InstanceInfo, InstanceTags};
use crate::spec::{Resolved, Spec};

/// Every instance selector of the spec, each once, sorted.
pub fn instance_selectors(spec: &Spec) -> Vec<InstanceTags> {
    let mut all = BTreeSet::new();
    for e in spec.target_groups.values() {
        for t in target_list(&e.raw) {
            if let Some(sel) = &t.instances {
                all.insert(sel.key());
            }
        }
    }
    for (_, r) in records(spec) {
        if let Some(sel) = r
            .weighted_from_instances
            .as_ref()
            .and_then(|w| w.instances.as_ref())
        {
            all.insert(sel.key());
        }
    }
    all.retain(|tags| !tags.is_empty());
    all.into_iter().collect()
}

fn target_list(tg: &RawTargetGroup) -> &[RawTarget] {
    tg.targets
        .as_ref()
        .and_then(|t| t.list.as_deref())
        .unwrap_or_default()
}

/// Every record of every zone, with its zone.
fn records(spec: &Spec) -> impl Iterator<Item = (&RawZone, &RawRecord)> {
    spec.dns
        .iter()
        .flat_map(|e| e.raw.records.iter().map(move |(_, r)| (&e.raw, r)))
}

/// The targets an instance selector stands for: one per running instance
/// (its ID; its private IP for `ip` target groups), on `port`.
pub fn targets(
    resolved: &Resolved,
    t: &RawTarget,
    target_type: &str,
    port: Option<u16>,
) -> Vec<Target> {
    let Some(sel) = &t.instances else {
        return Vec::new();
    };
    resolved
        .instances(&sel.key())
        .iter()
        .filter_map(|i| {
            let id = match target_type {
                "ip" => i.private_ip.clone()?,
                _ => i.id.clone(),
            };
            Some(Target {
                id,
                port,
                availability_zone: t.availability_zone.clone(),
                quic_server_id: t.quic_server_id.clone(),
            })
        })
        .collect()
}

/// One weighted member per running instance that has the address asked
/// for: set identifier = instance ID, the address as the only value.
pub fn members(resolved: &Resolved, w: &RawWeightedFromInstances, ttl: u32) -> Vec<Record> {
    let (Some(sel), Some(kind)) = (
        &w.instances,
        w.address.as_deref().and_then(AddressKind::parse),
    ) else {
        return Vec::new();
    };
    let weight = w.weight.map_or(0, |n| n.0 as u32);
    resolved
        .instances(&sel.key())
        .iter()
        .filter_map(|i| {
            Some(Record {
                set_identifier: Some(i.id.clone()),
                routing: Routing::Weighted { weight },
                ttl: Some(ttl),
                values: vec![i.address(kind)?.to_string()],
                alias: None,
                health_check: None,
            })
        })
        .collect()
}

/// Plan warnings: selectors that match no running instance, instances an
/// `ip` target group cannot register (no private IP), and instances a
/// `weighted_from_instances` record skips (no address of the kind asked
/// for).
pub fn instance_warnings(spec: &Spec, resolved: &Resolved) -> Vec<String> {
    let mut out = Vec::new();
    for (name, e) in &spec.target_groups {
        let tt = e.raw.target_type();
        for t in target_list(&e.raw) {
            let Some(sel) = &t.instances else { continue };
            let key = sel.key();
            let found = resolved.instances(&key);
            let what = format!("target group `{name}`");
            if found.is_empty() {
                out.push(nothing(&what, &key));
            } else if tt == "ip" {
                let missing = without(found, |i| i.private_ip.is_none());
                if !missing.is_empty() {
                    out.push(format!(
                        "{what}: {} without a private IPv4 address not registered: {}",
                        plural(missing.len(), "instance"),
                        missing.join(", ")
                    ));
                }
            }
        }
    }
    for (zone, r) in records(spec) {
        let Some(w) = &r.weighted_from_instances else {
            continue;
        };
        let (Some(sel), Some(kind)) = (
            &w.instances,
            w.address.as_deref().and_then(AddressKind::parse),
        ) else {
            continue;
        };
        let key = sel.key();
        let found = resolved.instances(&key);
        let what = format!("record set `{}`", record_label(zone, r, resolved));
        if found.is_empty() {
            out.push(nothing(&what, &key));
            continue;
        }
        let missing = without(found, |i| i.address(kind).is_none());
        if !missing.is_empty() {
            let why = match kind {
                AddressKind::Carrier => " (carrier IPs exist only in Wavelength zones)",
                AddressKind::Public => "",
                AddressKind::Private => "",
            };
            out.push(format!(
                "{what}: {} without a {} IP get no record{why}: {}",
                plural(missing.len(), "instance"),
                kind.name(),
                missing.join(", ")
            ));
        }
    }
    // Two targets with one selector would say the same thing twice.
    let mut seen = BTreeSet::new();
    out.retain(|w| seen.insert(w.clone()));
    out
}

fn nothing(what: &str, key: &InstanceTags) -> String {
    format!(
        "{what}: instance selector `{{ tags: {} }}` matches no running instance",
        show_tags(key)
    )
}

fn without(found: &[InstanceInfo], lacks: impl Fn(&InstanceInfo) -> bool) -> Vec<String> {
    found
        .iter()
        .filter(|i| lacks(i))
        .map(|i| i.id.clone())
        .collect()
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `edge.example.com. A` when the zone's name is known (given, or found
/// by ID), else the name as written.
fn record_label(zone: &RawZone, r: &RawRecord, resolved: &Resolved) -> String {
    let written = r.name.as_ref().map(|n| n.as_str()).unwrap_or("?");
    let zone_name = zone.zone.as_ref().and_then(|z| {
        z.name().or_else(|| {
            let id = z.id()?;
            resolved
                .zones
                .iter()
                .find(|info| crate::spec::raw::dns::zone_id(&info.id) == id)
                .map(|info| crate::spec::raw::dns::absolute_zone(&info.name))
        })
    });
    let name = match zone_name {
        Some(z) => absolute_record(written, &z),
        None => written.to_string(),
    };
    format!("{name} {}", r.rtype().unwrap_or_default())
}

#[cfg(test)]
mod tests;
