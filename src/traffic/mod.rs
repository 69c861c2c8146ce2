//! Traffic-share analysis for `plan --traffic`: each target's expected share
//! of its listener's traffic in the state after apply (the desired model),
//! from the targets' availability zones, cross-zone load balancing, forward
//! weights and weighted DNS; and the worst-case failover time of failover
//! records (`dns`).
//!
//! Pure: the zones come in as data ([`Zones`], read by `crate::aws`), the
//! result goes out as data ([`Analysis`], rendered by `crate::render`).
//! Shares assume evenly spread clients and healthy targets; sticky
//! sessions, least-outstanding-requests and flow hashing are not modelled.

mod dns;
mod dns_routing;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{Action, LoadBalancer, Model, Target, TargetGroup};

pub use dns::{DnsPath, DnsShare, Failover, ALIAS_TTL};

/// A target or zone is disproportionate when it gets more than this many
/// times the average (or another zone's) per-target share.
pub const IMBALANCE: f64 = 1.5;

/// The zone of a target reachable from every zone (an IP outside the VPC,
/// registered with `availability_zone: all`).
pub const ALL_ZONES: &str = "all";

/// The zone shown for a target whose zone is not known.
pub const UNKNOWN_ZONE: &str = "unknown";

/// The zone shown for targets that have none (lambda, alb).
const NO_ZONE: &str = "-";

/// Where things are: availability zones by target ID (instance ID or IP
/// address) and by subnet ID. What is missing counts as unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Zones {
    pub targets: BTreeMap<String, String>,
    pub subnets: BTreeMap<String, String>,
}

/// One target's expected share of one listener's (or rule's) traffic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    pub load_balancer: String,
    /// `TCP:80`, `HTTP:80 rule 10`, `gateway`.
    pub listener: String,
    pub target_group: String,
    /// `id:port`; `(no targets)` for a target group without targets.
    pub target: String,
    /// The target's zone, [`ALL_ZONES`], [`UNKNOWN_ZONE`] or `-`.
    pub zone: String,
    /// Fraction (0..=1) of the listener's or rule's traffic.
    pub share: f64,
}

/// The whole analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Analysis {
    /// Default actions and rules, each as its own listener entry.
    pub shares: Vec<Share>,
    /// Members of weighted record sets that alias a load balancer.
    pub dns: Vec<DnsShare>,
    /// A record's traffic down to each target (record share x target share).
    pub via_dns: Vec<DnsPath>,
    pub failovers: Vec<Failover>,
    /// Disproportionate shares; also added to the plan's warnings.
    pub warnings: Vec<String>,
    /// Assumptions and what could not be analysed.
    pub notes: Vec<String>,
}

/// Analyses the desired model with the targets' zones.
pub fn analyse(model: &Model, zones: &Zones) -> Analysis {
    let mut a = Analysis::default();
    let mut checked: BTreeSet<(String, String)> = BTreeSet::new();
    let mut missing: BTreeSet<String> = BTreeSet::new();
    for lb in model.load_balancers.values() {
        for listener in lb.listeners.values() {
            let label = match (&listener.protocol, listener.port) {
                (Some(p), Some(port)) => format!("{p}:{port}"),
                _ => "gateway".to_string(),
            };
            let mut actions = vec![(label.clone(), &listener.default_action)];
            for (prio, rule) in &listener.rules {
                actions.push((format!("{label} rule {prio}"), &rule.action));
            }
            for (label, action) in actions {
                let Action::Forward(forward) = action else {
                    continue;
                };
                let total: u64 = forward.target_groups.iter().map(|t| t.weight as u64).sum();
                for wtg in &forward.target_groups {
                    let tg_share = if total == 0 {
                        0.0
                    } else {
                        wtg.weight as f64 / total as f64
                    };
                    let Some(tg) = model.target_groups.get(&wtg.name) else {
                        missing.insert(wtg.name.clone());
                        continue;
                    };
                    let within = target_group_shares(lb, tg, zones);
                    if checked.insert((lb.name.clone(), tg.name.clone())) {
                        a.warnings.extend(imbalance(lb, tg, &within));
                        a.warnings.extend(empty_zones(lb, tg, &within, zones));
                    }
                    let row = |target: String, zone: String, share: f64| Share {
                        load_balancer: lb.name.clone(),
                        listener: label.clone(),
                        target_group: tg.name.clone(),
                        target,
                        zone,
                        share,
                    };
                    if within.is_empty() {
                        a.shares
                            .push(row("(no targets)".into(), NO_ZONE.into(), tg_share));
                    }
                    for w in within {
                        a.shares.push(row(w.target, w.zone, tg_share * w.share));
                    }
                }
            }
        }
    }
    for name in missing {
        a.notes.push(format!(
            "target group `{name}` is not in the spec: its targets are not shown"
        ));
    }
    if a.shares.iter().any(|s| s.zone == UNKNOWN_ZONE) {
        a.notes.push(format!(
            "targets in zone `{UNKNOWN_ZONE}` could not be placed (not found in EC2): they count as one zone"
        ));
    }
    dns::analyse(model, &mut a);
    dns_routing::notes(model, &mut a);
    a
}

/// A target's share of its target group's traffic.
#[derive(Debug, Clone, PartialEq)]
struct Within {
    target: String,
    zone: String,
    share: f64,
    /// In a zone the load balancer does not enable.
    idle: bool,
}

/// Whether cross-zone load balancing is on for a target group behind a load
/// balancer: the target group's attribute, unless it defers to the load
/// balancer (`use_load_balancer_configuration`, or not set); then the load
/// balancer's, else AWS's default (on for ALB, off for NLB and GWLB).
pub fn cross_zone(lb: &LoadBalancer, tg: &TargetGroup) -> bool {
    const KEY: &str = "load_balancing.cross_zone.enabled";
    let flag = |v: Option<&String>| match v.map(String::as_str) {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    };
    flag(tg.attributes.get(KEY))
        .or_else(|| flag(lb.attributes.get(KEY)))
        .unwrap_or(lb.lb_type == "application")
}

/// The zones a load balancer enables, if all its subnets' zones are known.
fn enabled_zones(lb: &LoadBalancer, zones: &Zones) -> Option<BTreeSet<String>> {
    let subnets: BTreeSet<&String> = lb
        .subnets
        .iter()
        .chain(lb.subnet_mappings.iter().map(|m| &m.subnet))
        .collect();
    if subnets.is_empty() {
        return None;
    }
    subnets
        .into_iter()
        .map(|s| zones.subnets.get(s).cloned())
        .collect()
}

fn target_zone(t: &Target, zones: &Zones) -> String {
    t.availability_zone
        .clone()
        .or_else(|| zones.targets.get(&t.id).cloned())
        .unwrap_or_else(|| UNKNOWN_ZONE.to_string())
}

fn target_group_shares(lb: &LoadBalancer, tg: &TargetGroup, zones: &Zones) -> Vec<Within> {
    let zoned = matches!(tg.target_type.as_str(), "instance" | "ip");
    let placed: Vec<String> = tg
        .targets
        .list
        .iter()
        .map(|t| {
            if zoned {
                target_zone(t, zones)
            } else {
                NO_ZONE.to_string()
            }
        })
        .collect();
    let enabled = if zoned {
        enabled_zones(lb, zones)
    } else {
        None
    };
    let shares = split(&placed, !zoned || cross_zone(lb, tg), enabled.as_ref());
    tg.targets
        .list
        .iter()
        .zip(placed)
        .zip(shares)
        .map(|((t, zone), share)| Within {
            target: t.to_string(),
            idle: !eligible(&zone, enabled.as_ref()),
            zone,
            share,
        })
        .collect()
}

/// Whether a target in `zone` can get traffic at all: targets in a zone the
/// load balancer does not enable get none, cross-zone or not.
fn eligible(zone: &str, enabled: Option<&BTreeSet<String>>) -> bool {
    zone == ALL_ZONES || zone == UNKNOWN_ZONE || enabled.is_none_or(|e| e.contains(zone))
}

/// Each target's fraction of one target group's traffic, in the order of
/// `placed` (the targets' zones).
///
/// Cross-zone on: every target gets an equal share. Off: each zone with
/// targets gets an equal share (its load balancer node's), split equally
/// among that zone's targets; a target in [`ALL_ZONES`] is in every zone's
/// pool. Targets in a zone outside `enabled` get nothing.
pub fn split(placed: &[String], cross_zone: bool, enabled: Option<&BTreeSet<String>>) -> Vec<f64> {
    let ok: Vec<bool> = placed.iter().map(|z| eligible(z, enabled)).collect();
    let count = ok.iter().filter(|b| **b).count();
    let mut shares = vec![0.0; placed.len()];
    if count == 0 {
        return shares;
    }
    let nodes: BTreeSet<&str> = placed
        .iter()
        .zip(&ok)
        .filter(|(z, ok)| **ok && z.as_str() != ALL_ZONES)
        .map(|(z, _)| z.as_str())
        .collect();
    if cross_zone || nodes.is_empty() {
        for (s, ok) in shares.iter_mut().zip(&ok) {
            if *ok {
                *s = 1.0 / count as f64;
            }
        }
        return shares;
    }
    let node_share = 1.0 / nodes.len() as f64;
    for node in nodes {
        let pool: Vec<usize> = (0..placed.len())
            .filter(|&i| ok[i] && (placed[i] == node || placed[i] == ALL_ZONES))
            .collect();
        for &i in &pool {
            shares[i] += node_share / pool.len() as f64;
        }
    }
    shares
}

/// Warnings for targets and zones of one target group that get a
/// disproportionate share, and for targets that get none.
fn imbalance(lb: &LoadBalancer, tg: &TargetGroup, within: &[Within]) -> Vec<String> {
    let mut out = Vec::new();
    let why = if cross_zone(lb, tg) {
        String::new()
    } else {
        format!(
            " (cross-zone load balancing is off for `{}` behind `{}`)",
            tg.name, lb.name
        )
    };
    for w in within.iter().filter(|w| w.idle) {
        out.push(format!(
            "target `{}` of target group `{}` is in zone `{}`, which load balancer `{}` does not enable: it gets no traffic",
            w.target, tg.name, w.zone, lb.name
        ));
    }
    let n = within.len() as f64;
    for w in within {
        let ratio = w.share * n;
        if ratio > IMBALANCE + 1e-9 {
            out.push(format!(
                "target `{}` of target group `{}` gets {ratio:.1}x the average share ({} of the group's traffic){why}",
                w.target,
                tg.name,
                percent(w.share)
            ));
        }
    }
    // Per-target share by zone: the busiest zone against the quietest.
    let mut by_zone: BTreeMap<&str, f64> = BTreeMap::new();
    for w in within.iter().filter(|w| !w.idle && w.zone != ALL_ZONES) {
        let e = by_zone.entry(w.zone.as_str()).or_insert(0.0);
        *e = e.max(w.share);
    }
    let max = by_zone.iter().max_by(|a, b| a.1.total_cmp(b.1));
    let min = by_zone.iter().min_by(|a, b| a.1.total_cmp(b.1));
    if let (Some((hi, hi_share)), Some((lo, lo_share))) = (max, min) {
        if *lo_share > 0.0 && hi_share / lo_share > IMBALANCE + 1e-9 {
            out.push(format!(
                "targets in zone `{hi}` get {:.1}x the share of targets in zone `{lo}` in target group `{}`{why}\n  hint: balance the targets across zones, or turn cross-zone load balancing on",
                hi_share / lo_share,
                tg.name
            ));
        }
    }
    out
}

/// Warnings for zones the load balancer enables where the target group has
/// no target. Its node there has nothing local to send to: with cross-zone
/// load balancing off, requests reaching it fail; with it on, they all
/// cross zones. Silent when a target's zone is unknown or `all` (it may
/// serve that zone), and for groups without targets.
fn empty_zones(
    lb: &LoadBalancer,
    tg: &TargetGroup,
    within: &[Within],
    zones: &Zones,
) -> Vec<String> {
    let zoned = matches!(tg.target_type.as_str(), "instance" | "ip");
    let Some(enabled) = enabled_zones(lb, zones).filter(|_| zoned && !within.is_empty()) else {
        return Vec::new();
    };
    if within
        .iter()
        .any(|w| w.zone == ALL_ZONES || w.zone == UNKNOWN_ZONE)
    {
        return Vec::new();
    }
    let used: BTreeSet<&str> = within.iter().map(|w| w.zone.as_str()).collect();
    let effect = if cross_zone(lb, tg) {
        "traffic entering there crosses to other zones (cross-zone load balancing is on)"
    } else {
        "cross-zone load balancing is off, so requests reaching that zone's load balancer node have no target"
    };
    enabled
        .iter()
        .filter(|z| !used.contains(z.as_str()))
        .map(|z| {
            format!(
                "zone `{z}` is enabled on load balancer `{}` but target group `{}` has no target there: {effect}\n  hint: register targets in `{z}`, or remove its subnet from the load balancer",
                lb.name, tg.name
            )
        })
        .collect()
}

/// A fraction as a percentage with one decimal (`16.7%`).
pub fn percent(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}
