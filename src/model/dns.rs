//! Route 53 state, desired or live: zones, record sets grouped by
//! (name, type), and the health checks lbctl manages.
//!
//! Names are absolute, lower-case, with a trailing dot (`www.example.com.`)
//! on both sides, so the diff compares like with like. As for load
//! balancers, `None` in a desired model means "not managed".

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The name prefix of ownership records: lbctl records which stack owns
/// (name, type) in a TXT record set at `_lbctl.<name>`, one string per
/// owned type: `"lbctl:stack=<stack> type=<TYPE>"`.
pub const OWNER_PREFIX: &str = "_lbctl.";

/// Hosted zones by name (`example.com.`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dns {
    pub zones: BTreeMap<String, Zone>,
}

/// A hosted zone and the record sets lbctl reads or manages in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Zone {
    /// `example.com.`
    pub name: String,
    /// Hosted zone ID (`Z123...`): given in the spec with `{ id: ... }`,
    /// always known on the live side.
    pub id: Option<String>,
    pub private: bool,
    /// Record sets by (name, type). Desired: what the spec lists (ownership
    /// records are not listed). Live: every record set of the zone,
    /// ownership records included.
    pub record_sets: BTreeMap<RecordKey, RecordSet>,
}

/// Identity of a record set: absolute name and type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RecordKey {
    /// `api.example.com.`
    pub name: String,
    /// `A`, `AAAA`, `CNAME`, `TXT`, `MX`, `SRV`, ...
    #[serde(rename = "type")]
    pub rtype: String,
}

impl std::fmt::Display for RecordKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.name, self.rtype)
    }
}

/// Every Route 53 record of one (name, type): a single member for a simple
/// record, one member per set identifier for a routing policy. Members are
/// kept sorted by set identifier.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordSet {
    pub members: Vec<Record>,
}

/// One Route 53 resource record set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// `None` for a simple record.
    pub set_identifier: Option<String>,
    pub routing: Routing,
    /// `None` for an alias.
    pub ttl: Option<u32>,
    /// Values as Route 53 writes them (TXT values quoted). Compared as a
    /// set: Route 53 does not keep their order.
    pub values: Vec<String>,
    pub alias: Option<Alias>,
    pub health_check: Option<HealthCheckRef>,
}

/// The routing policy of one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Routing {
    Simple,
    Weighted {
        weight: u32,
    },
    Failover {
        /// `PRIMARY` or `SECONDARY`.
        role: String,
    },
    Geolocation {
        continent: Option<String>,
        /// `*` for the default location.
        country: Option<String>,
        subdivision: Option<String>,
    },
    Latency {
        region: String,
    },
}

/// An alias record's target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alias {
    pub target: AliasTarget,
    pub evaluate_target_health: bool,
}

/// Where an alias points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AliasTarget {
    /// A load balancer of the spec, by name: its DNS name and canonical
    /// hosted zone are looked up when planning and again when applying (so
    /// a load balancer created in the same apply works).
    LoadBalancer(String),
    /// Any alias target. `dns_name` lower-case with a trailing dot.
    Target {
        dns_name: String,
        hosted_zone_id: String,
    },
}

/// The health check of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthCheckRef {
    /// An existing health check lbctl does not manage.
    Id(String),
    /// A health check lbctl creates and manages. On the live side this is
    /// a managed health check as read back (with its `id`).
    Managed(ManagedHealthCheck),
}

/// A Route 53 health check declared inline in the spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedHealthCheck {
    /// Live only.
    pub id: Option<String>,
    /// `HTTP`, `HTTPS`, `TCP`, `HTTP_STR_MATCH`, `HTTPS_STR_MATCH`.
    #[serde(rename = "type")]
    pub check_type: String,
    pub fqdn: Option<String>,
    pub ip_address: Option<String>,
    pub port: Option<u16>,
    pub path: Option<String>,
    /// 10 or 30.
    pub interval: Option<u32>,
    /// 1..10.
    pub failure_threshold: Option<u32>,
}

/// How the spec names a hosted zone; what the reader looks up.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ZoneRef {
    /// By name (`example.com.`); `private` picks between a public and a
    /// private zone of the same name (`None`: public).
    Name { name: String, private: Option<bool> },
    /// By hosted zone ID (`Z123...`).
    Id(String),
}

/// A hosted zone as found in AWS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneInfo {
    pub id: String,
    /// `example.com.`
    pub name: String,
    pub private: bool,
}

/// Parse an ownership TXT value (`"lbctl:stack=shop type=A"`, quotes
/// included) into (stack, type).
pub fn parse_owner_value(value: &str) -> Option<(String, String)> {
    let v = value.trim().trim_matches('"');
    let rest = v.strip_prefix("lbctl:stack=")?;
    let (stack, rtype) = rest.split_once(" type=")?;
    Some((stack.to_string(), rtype.to_string()))
}

/// The ownership TXT value for (stack, type), quoted as Route 53 wants.
pub fn owner_value(stack: &str, rtype: &str) -> String {
    format!("\"lbctl:stack={stack} type={rtype}\"")
}

/// The name of the ownership record set for a record name.
pub fn owner_name(name: &str) -> String {
    format!("{OWNER_PREFIX}{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_values_round_trip() {
        let v = owner_value("shop", "AAAA");
        assert_eq!(v, "\"lbctl:stack=shop type=AAAA\"");
        assert_eq!(parse_owner_value(&v), Some(("shop".into(), "AAAA".into())));
        assert_eq!(parse_owner_value("\"v=spf1 -all\""), None);
    }
}
