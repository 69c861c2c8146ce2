//! Route 53 state, desired or live: zones, record sets grouped by
//! (name, type), and the health checks lbctl manages.
//!
//! Names are absolute, lower-case, with a trailing dot (`www.example.com.`)
//! on both sides, so the diff compares like with like. As for load
//! balancers, `None` in a desired model means "not managed".

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::unmanaged::Unmanaged;

/// The name prefix of ownership records: lbctl records which stack owns a
/// (name, type) in a TXT record at `_lbctl.<type>.<name>` (type lower-case)
/// whose value is `"lbctl:stack=<stack>"`. One record per (name, type), so
/// changes to different types at one name never touch the same record.
pub const OWNER_PREFIX: &str = "_lbctl.";

/// TTL of ownership records.
pub const OWNER_TTL: u32 = 300;

/// The key of the hosted-zone tag that marks a zone as holding record sets
/// of a stack: `lbctl:stack:<stack>` (value [`ZONE_TAG_VALUE`]). One key per
/// stack, since several stacks may own records in one zone. It lets a plan
/// find every zone where the stack owns records, also those the spec no
/// longer lists.
pub const ZONE_TAG_PREFIX: &str = "lbctl:stack:";

/// The value of the hosted-zone tag (see [`ZONE_TAG_PREFIX`]).
pub const ZONE_TAG_VALUE: &str = "records";

/// Hosted zones by name (`example.com.`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dns {
    pub zones: BTreeMap<String, Zone>,
    /// Live only: names of the zones whose hosted-zone tag says the stack
    /// owns record sets in them (see [`zone_tag_key`]).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub tagged: BTreeSet<String>,
    /// Live only: every health check tagged with the stack, by ID, as read
    /// back. Listed only when the stack has a tagged zone; a check no live
    /// record uses is deleted.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub health_checks: BTreeMap<String, ManagedHealthCheck>,
    /// CIDR collections by name: desired, those of `cidr_collections:`;
    /// live, every collection of the account (read when the spec has one or
    /// a live record uses one).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub cidr_collections: BTreeMap<String, CidrCollection>,
}

/// A Route 53 CIDR collection: locations and their CIDR blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CidrCollection {
    /// Live only.
    pub id: Option<String>,
    /// Live only: `CollectionVersion`, which ChangeCidrCollection checks.
    pub version: Option<i64>,
    /// Location name -> CIDR blocks.
    pub locations: BTreeMap<String, BTreeSet<String>>,
}

/// The hosted-zone tag key for a stack: `lbctl:stack:<stack>`.
pub fn zone_tag_key(stack: &str) -> String {
    format!("{ZONE_TAG_PREFIX}{stack}")
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
    /// Live only: what the members carry that the spec cannot express (a
    /// traffic policy, mixed routing policies, settings of a managed health
    /// check), sorted. A set with any is never
    /// rewritten without `--force`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmanaged: Vec<Unmanaged>,
}

impl RecordSet {
    /// The unmanaged settings for people: `` `a.multivalue`, `b.multivalue`:
    /// what `` with the paths of one kind together, kinds joined by `; `.
    pub fn unmanaged_summary(&self) -> String {
        let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
        for u in &self.unmanaged {
            let path = format!("`{}`", u.path);
            match groups.iter_mut().find(|(what, _)| *what == u.what) {
                Some((_, paths)) => paths.push(path),
                None => groups.push((&u.what, vec![path])),
            }
        }
        groups
            .iter()
            .map(|(what, paths)| format!("{}: {what}", paths.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    }
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
    /// Multivalue answer (`MultiValueAnswer: true`): `multivalue` members.
    Multivalue,
    /// IP-based routing (`CidrRoutingConfig`): `cidr` members. `collection`
    /// is the collection's name (live: its ID when no collection of the
    /// account has it); `location` is `*` for the default.
    Cidr {
        collection: String,
        location: String,
    },
    /// Geoproximity routing (`GeoProximityLocation`): `geoproximity`
    /// members. Exactly one of `region`, `local_zone_group` and
    /// `coordinates` (latitude, longitude, as strings) is set.
    Geoproximity {
        region: Option<String>,
        local_zone_group: Option<String>,
        coordinates: Option<(String, String)>,
        bias: Option<i32>,
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

/// The ownership record's key for a record set key.
pub fn owner_key(key: &RecordKey) -> RecordKey {
    RecordKey {
        name: format!("{OWNER_PREFIX}{}.{}", key.rtype.to_lowercase(), key.name),
        rtype: "TXT".to_string(),
    }
}

/// The record set key an ownership record stands for, if `key` is one.
pub fn owned_key(key: &RecordKey) -> Option<RecordKey> {
    if key.rtype != "TXT" {
        return None;
    }
    let rest = key.name.strip_prefix(OWNER_PREFIX)?;
    let (rtype, name) = rest.split_once('.')?;
    if rtype.is_empty() || name.is_empty() {
        return None;
    }
    Some(RecordKey {
        name: name.to_string(),
        rtype: rtype.to_uppercase(),
    })
}

/// The ownership TXT value for a stack, quoted as Route 53 wants.
pub fn owner_value(stack: &str) -> String {
    format!("\"lbctl:stack={stack}\"")
}

/// The stack an ownership TXT value names.
pub fn parse_owner_value(value: &str) -> Option<String> {
    let v = value.trim().trim_matches('"');
    v.strip_prefix("lbctl:stack=").map(str::to_string)
}

/// The ownership record for a stack.
pub fn owner_record(stack: &str) -> Record {
    Record {
        set_identifier: None,
        routing: Routing::Simple,
        ttl: Some(OWNER_TTL),
        values: vec![owner_value(stack)],
        alias: None,
        health_check: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ownership_records_round_trip() {
        let key = RecordKey {
            name: "api.example.com.".into(),
            rtype: "AAAA".into(),
        };
        let owner = owner_key(&key);
        assert_eq!(owner.name, "_lbctl.aaaa.api.example.com.");
        assert_eq!(owned_key(&owner), Some(key));
        assert_eq!(owner_value("shop"), "\"lbctl:stack=shop\"");
        assert_eq!(
            parse_owner_value(&owner_value("shop")).as_deref(),
            Some("shop")
        );
        assert_eq!(parse_owner_value("\"v=spf1 -all\""), None);
        let plain = RecordKey {
            name: "_lbctl.example.com.".into(),
            rtype: "A".into(),
        };
        assert_eq!(owned_key(&plain), None);
    }

    #[test]
    fn unmanaged_settings_are_summed_up_by_kind() {
        let u = |path: &str, what: &str| Unmanaged {
            path: path.into(),
            what: what.into(),
        };
        let set = RecordSet {
            members: vec![],
            unmanaged: vec![
                u("a.multivalue", "multivalue answer routing"),
                u(
                    "a.traffic_policy_instance",
                    "created by traffic policy instance `t`",
                ),
                u("b.multivalue", "multivalue answer routing"),
            ],
        };
        assert_eq!(
            set.unmanaged_summary(),
            "`a.multivalue`, `b.multivalue`: multivalue answer routing; \
             `a.traffic_policy_instance`: created by traffic policy instance `t`"
        );
    }
}
