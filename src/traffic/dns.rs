//! The DNS half of the traffic analysis: how weighted record sets that
//! alias a load balancer split traffic, and how long a failover record
//! takes, at worst, to fail over.

use serde::Serialize;

use super::{Analysis, Share};
use crate::model::dns::{AliasTarget, HealthCheckRef, Routing};
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
    pub seconds: u32,
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
                    match &m.health_check {
                        Some(HealthCheckRef::Managed(hc)) => {
                            let interval = hc.interval.unwrap_or(DEFAULT_INTERVAL);
                            let failure_threshold =
                                hc.failure_threshold.unwrap_or(DEFAULT_FAILURE_THRESHOLD);
                            let ttl = m.ttl.unwrap_or(ALIAS_TTL);
                            a.failovers.push(Failover {
                                record: record.clone(),
                                set_identifier: m.set_identifier.clone(),
                                role: role.clone(),
                                interval,
                                failure_threshold,
                                ttl,
                                ttl_assumed: m.ttl.is_none(),
                                seconds: interval * failure_threshold + ttl,
                            });
                        }
                        Some(HealthCheckRef::Id(id)) => a.notes.push(format!(
                            "failover record `{record}` ({role}) uses health check `{id}`, which lbctl does not manage: its failover time is not known"
                        )),
                        None => {}
                    }
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
