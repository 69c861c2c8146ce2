//! The DNS half of the traffic analysis: how weighted record sets that
//! alias a load balancer split traffic, and how long a failover record
//! takes, at worst, to fail over.

use serde::Serialize;

use super::{Analysis, Share};
use crate::model::dns::{AliasTarget, HealthCheckRef, ManagedHealthCheck, Record, Routing};
use crate::model::Model;

/// The TTL assumed for an alias record, which has none of its own: 60
/// seconds, the TTL of a load balancer's DNS name.
pub const ALIAS_TTL: u32 = 60;

/// Route 53's default health check interval (seconds).
const DEFAULT_INTERVAL: u32 = 30;
/// Route 53's default failure threshold.
const DEFAULT_FAILURE_THRESHOLD: u32 = 3;

/// A member of a weighted record set that aliases a load balancer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DnsShare {
    /// `api.example.com. A`
    pub record: String,
    pub set_identifier: Option<String>,
    pub load_balancer: String,
    /// Fraction of the record's answers: weight / sum of the set's weights.
    pub share: f64,
}

/// One target's share of a weighted record's traffic on one listener.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DnsPath {
    pub record: String,
    pub set_identifier: Option<String>,
    pub target: Share,
}

/// The worst-case failover time of a failover record with a health check
/// lbctl manages: interval x failure threshold + TTL.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failover {
    pub record: String,
    pub set_identifier: Option<String>,
    /// `PRIMARY` or `SECONDARY`.
    pub role: String,
    pub interval: u32,
    pub failure_threshold: u32,
    pub ttl: u32,
    /// The record is an alias: `ttl` is [`ALIAS_TTL`], assumed.
    pub ttl_assumed: bool,
    /// The check is inverted: Route 53 fails over when the endpoint is
    /// healthy, in the same time.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inverted: bool,
    pub seconds: u32,
}

/// The failover figure of one failover member, or a note saying why there
/// is none (Route 53 API reference, `HealthCheckConfig` `Disabled` and
/// `Inverted`). A disabled check is healthy to Route 53 (the member never
/// fails over); an inverted one is unhealthy while the endpoint is healthy;
/// a calculated check changes once enough children have (the slowest
/// child it may wait for decides); an alarm or a routing control changes
/// when they do, which lbctl cannot know.
fn failover(record: &str, m: &Record, role: &str, a: &mut Analysis) {
    let hc = match &m.health_check {
        Some(HealthCheckRef::Managed(hc)) => hc,
        Some(HealthCheckRef::Id(id)) => {
            a.notes.push(format!(
                "failover record `{record}` ({role}) uses health check `{id}`, which lbctl does not manage: its failover time is not known"
            ));
            return;
        }
        None => return,
    };
    if hc.disabled {
        a.notes.push(format!(
            "failover record `{record}` ({role}): its health check is disabled, which Route 53 \
             treats as healthy, so it never fails over{}",
            if hc.inverted {
                " (inverted: it is always unhealthy, so Route 53 never answers with it)"
            } else {
                ""
            }
        ));
        return;
    }
    let Some((interval, failure_threshold)) = detection(hc) else {
        a.notes.push(format!(
            "failover record `{record}` ({role}): its `{}` health check changes when {}, so its failover time is not known",
            hc.check_type,
            match hc.check_type.as_str() {
                "CLOUDWATCH_METRIC" => "its CloudWatch alarm does",
                "RECOVERY_CONTROL" => "its routing control is switched",
                _ => "children lbctl does not manage do",
            }
        ));
        return;
    };
    if hc.inverted {
        a.notes.push(format!(
            "failover record `{record}` ({role}): its health check is inverted, so Route 53 fails \
             over when the endpoint answers healthy"
        ));
    }
    let ttl = m.ttl.unwrap_or(ALIAS_TTL);
    a.failovers.push(Failover {
        record: record.to_string(),
        set_identifier: m.set_identifier.clone(),
        role: role.to_string(),
        interval,
        failure_threshold,
        ttl,
        ttl_assumed: m.ttl.is_none(),
        inverted: hc.inverted,
        seconds: interval * failure_threshold + ttl,
    });
}

/// Interval and failure threshold that decide how soon a check changes:
/// its own for an endpoint check; for a calculated one, those of its
/// slowest child (every child managed, none disabled).
fn detection(hc: &ManagedHealthCheck) -> Option<(u32, u32)> {
    if hc.is_endpoint() {
        return Some((
            hc.interval.unwrap_or(DEFAULT_INTERVAL),
            hc.failure_threshold.unwrap_or(DEFAULT_FAILURE_THRESHOLD),
        ));
    }
    if hc.check_type != "CALCULATED" || hc.children.is_empty() {
        return None;
    }
    hc.children
        .iter()
        .map(|c| match c {
            HealthCheckRef::Managed(m) if m.is_endpoint() && !m.disabled => detection(m),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .max_by_key(|(i, t)| i * t)
}

pub(super) fn analyse(model: &Model, a: &mut Analysis) {
    for zone in model.dns.zones.values() {
        for (key, set) in &zone.record_sets {
            let record = key.to_string();
            let weights: Vec<u32> = set
                .members
                .iter()
                .filter_map(|m| match m.routing {
                    Routing::Weighted { weight } => Some(weight),
                    _ => None,
                })
                .collect();
            let total: u64 = weights.iter().map(|w| *w as u64).sum();
            for m in &set.members {
                if let Routing::Weighted { weight } = m.routing {
                    let Some(AliasTarget::LoadBalancer(lb)) = m.alias.as_ref().map(|a| &a.target)
                    else {
                        continue;
                    };
                    // All weights zero: Route 53 answers with each equally.
                    let share = if total == 0 {
                        1.0 / weights.len() as f64
                    } else {
                        weight as f64 / total as f64
                    };
                    a.dns.push(DnsShare {
                        record: record.clone(),
                        set_identifier: m.set_identifier.clone(),
                        load_balancer: lb.clone(),
                        share,
                    });
                    for s in a.shares.iter().filter(|s| &s.load_balancer == lb) {
                        a.via_dns.push(DnsPath {
                            record: record.clone(),
                            set_identifier: m.set_identifier.clone(),
                            target: Share {
                                share: share * s.share,
                                ..s.clone()
                            },
                        });
                    }
                }
                if let Routing::Failover { role } = &m.routing {
                    failover(&record, m, role, a);
                }
            }
        }
    }
    if a.failovers.iter().any(|f| f.ttl_assumed) {
        a.notes.push(format!(
            "failover times of alias records assume a TTL of {ALIAS_TTL} s (the load balancer's DNS TTL)"
        ));
    }
}
