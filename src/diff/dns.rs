//! Route 53 record sets and the health checks lbctl manages for them.
//!
//! Ownership: a (name, type) the spec lists is the stack's; the zone
//! records that in an ownership TXT record (see `model::dns::owner_key`).
//! A (name, type) owned by another stack, or present but owned by nobody,
//! is a conflict unless adopting; one the stack owns but the spec no longer
//! lists is deleted; everything else in the zone is never touched.
//!
//! Zones the spec no longer lists are found by their hosted-zone tag for
//! the stack and planned like a zone the spec lists with no records
//! (`dns_stack`).
//!
//! A changed record set is one step: DELETE of the live members that
//! change and CREATE of their replacements, which the executor sends in one
//! change batch.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::dns::{
    owned_key, owner_key, owner_record, parse_owner_value, Alias, AliasTarget, Dns, HealthCheckRef,
    Record, RecordKey, RecordSet, Routing, Zone,
};
use crate::plan::{Change, Conflict, Kind, Op, Plan, StepAction};

use super::dns_health::{delete_managed_checks, health_checks};
use super::{dns_stack as stack, step, Ctx};

/// What the DNS diff needs besides the two models.
pub(super) struct DnsInput<'a> {
    /// Load balancer name -> (DNS name, canonical hosted zone ID), live.
    pub load_balancer_dns: &'a BTreeMap<String, (String, String)>,
    /// Load balancers this plan creates or replaces: their DNS names are
    /// known only after apply.
    pub new_load_balancers: BTreeSet<String>,
    /// Record sets with a TTL above this get a warning when they change.
    pub ttl_warning: u32,
    /// Addresses of the running instances the spec's instance selectors
    /// matched, to name stale members (see [`stale_members`]).
    pub instance_addresses: &'a BTreeSet<String>,
}

/// Every zone the spec lists, then every zone tagged for the stack that it
/// does not list (the stack's record sets there are deleted), then the
/// stack's health checks no record uses.
pub(super) fn zones(ctx: &Ctx, desired: &Dns, live: &Dns, input: &DnsInput, plan: &mut Plan) {
    let empty = Zone::default();
    for (zone_name, want) in &desired.zones {
        let have = live.zones.get(zone_name).unwrap_or(&empty);
        zone(ctx, zone_name, want, have, input, plan);
        stack::zone_tag(
            ctx.stack,
            zone_name,
            keeps(ctx, want, have),
            have,
            live,
            plan,
        );
    }
    for zone_name in live
        .tagged
        .iter()
        .filter(|z| !desired.zones.contains_key(*z))
    {
        let Some(have) = live.zones.get(zone_name) else {
            continue;
        };
        let want = Zone {
            name: have.name.clone(),
            id: have.id.clone(),
            private: have.private,
            record_sets: BTreeMap::new(),
        };
        zone(ctx, zone_name, &want, have, input, plan);
        stack::zone_tag(ctx.stack, zone_name, false, have, live, plan);
    }
    stack::unused_health_checks(live, plan);
}

/// Whether the stack owns a (name, type) of `want` once the plan is
/// applied: one it owns already, or one it may claim.
fn keeps(ctx: &Ctx, want: &Zone, have: &Zone) -> bool {
    let owners = owners(have);
    want.record_sets
        .keys()
        .any(|key| may_own(ctx, owners.get(key).map(String::as_str), have, key))
}

/// Whether the stack may write `key`: it owns it, adopts, or nobody owns
/// it and no record set of that name and type exists.
fn may_own(ctx: &Ctx, owner: Option<&str>, have: &Zone, key: &RecordKey) -> bool {
    let exists = have
        .record_sets
        .get(key)
        .is_some_and(|s| !s.members.is_empty());
    owner == Some(ctx.stack) || ctx.adopt || (owner.is_none() && !exists)
}

/// Owner of every owned (name, type) of a live zone.
fn owners(zone: &Zone) -> BTreeMap<RecordKey, String> {
    let mut out = BTreeMap::new();
    for (key, set) in &zone.record_sets {
        if let Some(owned) = owned_key(key) {
            let stack = set
                .members
                .iter()
                .flat_map(|m| &m.values)
                .find_map(|v| parse_owner_value(v));
            if let Some(stack) = stack {
                out.insert(owned, stack);
            }
        }
    }
    out
}

fn zone(ctx: &Ctx, zone_name: &str, want: &Zone, have: &Zone, input: &DnsInput, plan: &mut Plan) {
    let first = plan.steps.len();
    zone_steps(ctx, zone_name, want, have, input, plan);
    let zone_id = want.id.as_deref().or(have.id.as_deref());
    super::dns_alias::show_record_aliases(&mut plan.steps[first..], zone_name, zone_id);
}

fn zone_steps(
    ctx: &Ctx,
    zone_name: &str,
    want: &Zone,
    have: &Zone,
    input: &DnsInput,
    plan: &mut Plan,
) {
    let owners = owners(have);
    let empty = RecordSet::default();
    for (key, wset) in &want.record_sets {
        let hset = have.record_sets.get(key).unwrap_or(&empty);
        let owner = owners.get(key).map(String::as_str);
        let owned = owner == Some(ctx.stack);
        if !may_own(ctx, owner, have, key) {
            plan.conflicts.push(Conflict {
                kind: Kind::RecordSet,
                name: key.to_string(),
                owner: owner.map(str::to_string),
            });
            continue;
        }
        record_set(zone_name, key, wset, hset, input, plan);
        plan.warnings.extend(super::unmanaged_dns::kept(key, hset));
        if !owned {
            claim(ctx.stack, zone_name, key, have, plan);
        }
    }
    for (key, owner) in &owners {
        if owner == ctx.stack && !want.record_sets.contains_key(key) {
            let hset = have.record_sets.get(key).unwrap_or(&empty);
            if !hset.members.is_empty() {
                plan.warnings
                    .extend(super::unmanaged_dns::dropped(key, hset));
                plan.steps.push(step(
                    StepAction::Delete,
                    Kind::RecordSet,
                    &key.to_string(),
                    member_changes(&hset.members, &[], input),
                    Op::RecordSet {
                        zone: zone_name.to_string(),
                        key: key.clone(),
                        delete: hset.members.clone(),
                        create: vec![],
                    },
                ));
                delete_managed_checks(&hset.members, &[], plan);
            }
            release(zone_name, key, have, plan);
        }
    }
}

/// Write the ownership record of `key` for `stack` (replacing another
/// stack's when adopting).
fn claim(stack: &str, zone: &str, key: &RecordKey, have: &Zone, plan: &mut Plan) {
    let okey = owner_key(key);
    let delete = have
        .record_sets
        .get(&okey)
        .map(|s| s.members.clone())
        .unwrap_or_default();
    let mut s = step(
        if delete.is_empty() {
            StepAction::Create
        } else {
            StepAction::Update
        },
        Kind::RecordSet,
        &okey.to_string(),
        vec![Change::new("owner", serde_json::Value::Null, stack)],
        Op::RecordSet {
            zone: zone.to_string(),
            key: okey,
            delete,
            create: vec![owner_record(stack)],
        },
    );
    s.notes.push(format!(
        "ownership record: `{key}` belongs to stack `{stack}`"
    ));
    plan.steps.push(s);
}

fn release(zone: &str, key: &RecordKey, have: &Zone, plan: &mut Plan) {
    let okey = owner_key(key);
    if let Some(set) = have.record_sets.get(&okey) {
        let mut s = step(
            StepAction::Delete,
            Kind::RecordSet,
            &okey.to_string(),
            vec![],
            Op::RecordSet {
                zone: zone.to_string(),
                key: okey,
                delete: set.members.clone(),
                create: vec![],
            },
        );
        s.notes.push(format!("ownership record of `{key}`"));
        plan.steps.push(s);
    }
}

/// Compare alias DNS names the way Route 53 treats them: case-insensitive,
/// with or without the trailing dot and ELB's `dualstack.` prefix.
fn dns_eq(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let s = s.trim_end_matches('.').to_ascii_lowercase();
        s.strip_prefix("dualstack.")
            .map(str::to_string)
            .unwrap_or(s)
    };
    norm(a) == norm(b)
}

/// Whether a desired member is already what the live member is. Values
/// compare as sets; a managed health check compares on the settings the
/// spec gives.
fn member_eq(want: &Record, have: &Record, input: &DnsInput) -> bool {
    if want.set_identifier != have.set_identifier || want.routing != have.routing {
        return false;
    }
    if want.ttl.is_some() && want.ttl != have.ttl {
        return false;
    }
    let set = |v: &[String]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    if set(&want.values) != set(&have.values) {
        return false;
    }
    let alias_ok = match (&want.alias, &have.alias) {
        (None, None) => true,
        (Some(w), Some(h)) => {
            w.evaluate_target_health == h.evaluate_target_health
                && match (&w.target, &h.target) {
                    (
                        AliasTarget::LoadBalancer(lb),
                        AliasTarget::Target {
                            dns_name,
                            hosted_zone_id,
                        },
                    ) => {
                        !input.new_load_balancers.contains(lb)
                            && input
                                .load_balancer_dns
                                .get(lb)
                                .is_some_and(|(d, z)| dns_eq(d, dns_name) && z == hosted_zone_id)
                    }
                    (
                        AliasTarget::Target {
                            dns_name: wd,
                            hosted_zone_id: wz,
                        },
                        AliasTarget::Target {
                            dns_name: hd,
                            hosted_zone_id: hz,
                        },
                    ) => dns_eq(wd, hd) && wz == hz,
                    _ => false,
                }
        }
        _ => false,
    };
    alias_ok && health_check_eq(&want.health_check, &have.health_check)
}

fn health_check_eq(want: &Option<HealthCheckRef>, have: &Option<HealthCheckRef>) -> bool {
    match (want, have) {
        (None, None) => true,
        (Some(HealthCheckRef::Id(w)), Some(HealthCheckRef::Id(h))) => w == h,
        (Some(HealthCheckRef::Id(w)), Some(HealthCheckRef::Managed(h))) => {
            h.id.as_deref() == Some(w)
        }
        (Some(HealthCheckRef::Managed(w)), Some(HealthCheckRef::Managed(h))) => {
            // Same check (its settings are the health check step's
            // business); no ID means a new check is being created.
            w.id.is_some() && w.id == h.id
        }
        _ => false,
    }
}

fn record_set(
    zone: &str,
    key: &RecordKey,
    wset: &RecordSet,
    hset: &RecordSet,
    input: &DnsInput,
    plan: &mut Plan,
) {
    let members = health_checks(zone, key, wset, hset, plan);
    let unchanged = |w: &Record| hset.members.iter().any(|h| member_eq(w, h, input));
    let create: Vec<Record> = members.iter().filter(|w| !unchanged(w)).cloned().collect();
    let delete: Vec<Record> = hset
        .members
        .iter()
        .filter(|h| !members.iter().any(|w| member_eq(w, h, input)))
        .cloned()
        .collect();
    delete_managed_checks(&hset.members, &members, plan);
    if create.is_empty() && delete.is_empty() {
        return;
    }
    stale_members(key, &delete, input, plan);
    let action = if hset.members.is_empty() {
        StepAction::Create
    } else {
        StepAction::Update
    };
    let mut s = step(
        action,
        Kind::RecordSet,
        &key.to_string(),
        member_changes(&delete, &create, input),
        Op::RecordSet {
            zone: zone.to_string(),
            key: key.clone(),
            delete,
            create,
        },
    );
    if let Some(note) = shares(&hset.members, &members) {
        s.notes.push(note);
    }
    let old_ttl = hset.members.iter().filter_map(|m| m.ttl).max();
    if let Some(ttl) = old_ttl.filter(|t| *t > input.ttl_warning) {
        plan.warnings.push(format!(
            "record set `{key}` has a TTL of {ttl} s: resolvers may keep the old answer for up to {ttl} s after apply"
        ));
    }
    plan.steps.push(s);
}

/// Warn about removed members that were made for an instance
/// (`weighted_from_instances`: set identifier = instance ID) and whose
/// address belongs to no running instance the spec selects: until the
/// plan is applied, resolvers hand out an address nothing answers on (a
/// blackhole). Members of instances that are still running but no longer
/// selected, or whose weight changes, are removed without a warning.
fn stale_members(key: &RecordKey, delete: &[Record], input: &DnsInput, plan: &mut Plan) {
    for d in delete {
        let Some(id) = d.set_identifier.as_deref().filter(|id| is_instance_id(id)) else {
            continue;
        };
        if !matches!(d.routing, Routing::Weighted { .. }) || d.values.is_empty() {
            continue;
        }
        if d.values
            .iter()
            .any(|v| input.instance_addresses.contains(v.as_str()))
        {
            continue;
        }
        plan.warnings.push(format!(
            "record set `{key}`: member `{id}` points at {}, which no running instance the spec \
             selects has: resolvers send clients to an address nothing answers on until this \
             plan is applied",
            d.values.join(", ")
        ));
    }
}

/// `i-` and hex digits.
fn is_instance_id(id: &str) -> bool {
    id.strip_prefix("i-")
        .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A member's label in plan output: its set identifier, or `value`.
fn label(r: &Record) -> String {
    r.set_identifier.clone().unwrap_or_else(|| "record".into())
}

/// A member as shown in a plan.
fn show(r: &Record, input: &DnsInput) -> serde_json::Value {
    let mut v = serde_json::Map::new();
    match &r.routing {
        Routing::Simple => {}
        Routing::Weighted { weight } => {
            v.insert("weight".into(), (*weight).into());
        }
        Routing::Failover { role } => {
            v.insert("failover".into(), role.clone().into());
        }
        Routing::Geolocation {
            continent,
            country,
            subdivision,
        } => {
            let loc = [continent, country, subdivision]
                .iter()
                .filter_map(|x| x.as_deref())
                .collect::<Vec<_>>()
                .join("/");
            v.insert("geolocation".into(), loc.into());
        }
        Routing::Latency { region } => {
            v.insert("region".into(), region.clone().into());
        }
        other => {
            let (key, value) = super::unmanaged_dns::show_routing(other);
            v.insert(key.into(), value);
        }
    }
    if let Some(ttl) = r.ttl {
        v.insert("ttl".into(), ttl.into());
    }
    if !r.values.is_empty() {
        v.insert("values".into(), r.values.clone().into());
    }
    if let Some(a) = &r.alias {
        v.insert("alias".into(), show_alias(a, input));
    }
    match &r.health_check {
        Some(HealthCheckRef::Id(id)) => {
            v.insert("health_check".into(), id.clone().into());
        }
        Some(HealthCheckRef::Managed(m)) => {
            let id = m.id.clone().unwrap_or_else(|| "(new)".into());
            v.insert("health_check".into(), id.into());
        }
        None => {}
    }
    serde_json::Value::Object(v)
}

/// An alias by the spec's keys: `load_balancer` (with its DNS name, as
/// far as known) or `dns_name` and `hosted_zone_id`, and always
/// `evaluate_target_health`, so that each shows when it changes. A live
/// alias to a load balancer of the plan shows as that load balancer.
fn show_alias(a: &Alias, input: &DnsInput) -> serde_json::Value {
    let mut v = serde_json::Map::new();
    let known = |lb: &str| {
        input
            .load_balancer_dns
            .get(lb)
            .filter(|_| !input.new_load_balancers.contains(lb))
    };
    match &a.target {
        AliasTarget::LoadBalancer(lb) => {
            v.insert("load_balancer".into(), lb.clone().into());
            let dns = known(lb).map_or("(known after apply)".to_string(), |(d, _)| d.clone());
            v.insert("dns_name".into(), dns.into());
        }
        AliasTarget::Target {
            dns_name,
            hosted_zone_id,
        } => {
            let lb = input
                .load_balancer_dns
                .iter()
                .find(|(_, (d, z))| dns_eq(d, dns_name) && z == hosted_zone_id);
            match lb {
                Some((name, (d, _))) => {
                    v.insert("load_balancer".into(), name.clone().into());
                    v.insert("dns_name".into(), d.clone().into());
                }
                None => {
                    v.insert("dns_name".into(), dns_name.clone().into());
                    v.insert("hosted_zone_id".into(), hosted_zone_id.clone().into());
                }
            }
        }
    }
    v.insert(
        "evaluate_target_health".into(),
        a.evaluate_target_health.into(),
    );
    serde_json::Value::Object(v)
}

fn member_changes(delete: &[Record], create: &[Record], input: &DnsInput) -> Vec<Change> {
    let mut out = Vec::new();
    for c in create {
        let before = delete
            .iter()
            .find(|d| d.set_identifier == c.set_identifier)
            .map(|d| show(d, input));
        out.push(Change::new(label(c), before, show(c, input)));
    }
    for d in delete {
        if !create.iter().any(|c| c.set_identifier == d.set_identifier) {
            out.push(Change::new(
                label(d),
                show(d, input),
                serde_json::Value::Null,
            ));
        }
    }
    out
}

fn weight_shares(members: &[Record]) -> BTreeMap<String, f64> {
    let weights: Vec<(String, u32)> = members
        .iter()
        .filter_map(|m| match m.routing {
            Routing::Weighted { weight } => Some((label(m), weight)),
            _ => None,
        })
        .collect();
    let total: u32 = weights.iter().map(|(_, w)| w).sum();
    weights
        .into_iter()
        .map(|(k, w)| {
            let share = if total == 0 {
                0.0
            } else {
                100.0 * f64::from(w) / f64::from(total)
            };
            (k, share)
        })
        .collect()
}

/// "traffic: blue 50% -> 90%, green 50% -> 10%" for weighted sets.
pub fn shares(before: &[Record], after: &[Record]) -> Option<String> {
    let b = weight_shares(before);
    let a = weight_shares(after);
    if a.is_empty() && b.is_empty() {
        return None;
    }
    let ids: BTreeSet<&String> = b.keys().chain(a.keys()).collect();
    let fmt = |v: Option<&f64>| match v {
        Some(v) => format!("{}%", (v * 10.0).round() / 10.0),
        None => "-".to_string(),
    };
    let parts: Vec<String> = ids
        .into_iter()
        .map(|id| format!("{id} {} -> {}", fmt(b.get(id)), fmt(a.get(id))))
        .collect();
    Some(format!("traffic share: {}", parts.join(", ")))
}

#[cfg(test)]
mod stale_tests {
    //! Stale members of instance record sets (`weighted_from_instances`).

    use std::collections::{BTreeMap, BTreeSet};

    use super::super::{diff, Input, TTL_WARNING};
    use crate::model::dns::{owner_key, owner_record, Record, RecordKey, RecordSet, Routing, Zone};
    use crate::model::Model;

    const ZONE: &str = "example.com.";

    fn member(id: &str, ip: &str) -> Record {
        Record {
            set_identifier: Some(id.into()),
            routing: Routing::Weighted { weight: 10 },
            ttl: Some(30),
            values: vec![ip.into()],
            alias: None,
            health_check: None,
        }
    }

    fn model(members: Vec<Record>, owned: bool) -> Model {
        let key = RecordKey {
            name: format!("edge.{ZONE}"),
            rtype: "A".into(),
        };
        let mut zone = Zone {
            name: ZONE.into(),
            id: Some("Z1".into()),
            ..Default::default()
        };
        if owned {
            let set = RecordSet {
                members: vec![owner_record("shop")],
                ..Default::default()
            };
            zone.record_sets.insert(owner_key(&key), set);
        }
        zone.record_sets.insert(
            key,
            RecordSet {
                members,
                ..Default::default()
            },
        );
        let mut m = Model::default();
        m.dns.zones.insert(ZONE.into(), zone);
        m
    }

    fn warnings(desired: Vec<Record>, live: Vec<Record>, running: &[&str]) -> Vec<String> {
        let running: BTreeSet<String> = running.iter().map(|s| s.to_string()).collect();
        diff(&Input {
            stack: "shop",
            desired: &model(desired, false),
            live: &model(live, true),
            in_use: &BTreeSet::new(),
            target_group_names: &BTreeMap::new(),
            load_balancer_dns: &BTreeMap::new(),
            adopt: false,
            ttl_warning: TTL_WARNING,
            instance_addresses: &running,
        })
        .warnings
    }

    #[test]
    fn a_removed_member_of_a_gone_instance_is_named() {
        let got = warnings(
            vec![member("i-0b", "10.0.0.2"), member("i-0c", "10.0.0.3")],
            vec![member("i-0a", "10.0.0.1"), member("i-0b", "10.0.0.2")],
            &["10.0.0.2", "10.0.0.3"],
        );
        assert_eq!(
            got,
            [
                "record set `edge.example.com. A`: member `i-0a` points at 10.0.0.1, which no \
              running instance the spec selects has: resolvers send clients to an address \
              nothing answers on until this plan is applied"
            ]
        );
    }

    #[test]
    fn an_address_change_names_the_old_address() {
        let got = warnings(
            vec![member("i-0a", "10.0.0.9")],
            vec![member("i-0a", "10.0.0.1")],
            &["10.0.0.9"],
        );
        assert_eq!(got.len(), 1);
        assert!(got[0].contains("`i-0a` points at 10.0.0.1"), "{got:?}");
    }

    #[test]
    fn running_or_unmanaged_members_are_removed_quietly() {
        // Still running (no longer selected), or not an instance member.
        let got = warnings(
            vec![],
            vec![member("i-0a", "10.0.0.1"), member("blue", "10.0.0.7")],
            &["10.0.0.1"],
        );
        assert!(got.is_empty(), "{got:?}");
    }
}
