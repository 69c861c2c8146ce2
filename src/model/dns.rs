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
// A spec holds tens of these, not millions: boxing the large variant would
// spread `Box::new` through the DNS code for no gain.
#[allow(clippy::large_enum_variant)]
pub enum HealthCheckRef {
    /// An existing health check lbctl does not manage.
    Id(String),
    /// A health check lbctl creates and manages. On the live side this is
    /// a managed health check as read back (with its `id`).
    Managed(ManagedHealthCheck),
}

/// A Route 53 health check declared inline in the spec.
///
/// Fields added with the December 2026 additions are left out of JSON when
/// they hold their default, so plans of checks without them read as before.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedHealthCheck {
    /// Live only.
    pub id: Option<String>,
    /// AWS's type: `HTTP`, `HTTPS`, `TCP`, `HTTP_STR_MATCH`,
    /// `HTTPS_STR_MATCH`, `CALCULATED`, `CLOUDWATCH_METRIC`,
    /// `RECOVERY_CONTROL`.
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
    /// What `*_STR_MATCH` checks look for in the response body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search_string: Option<String>,
    /// Health checker regions, sorted; empty means Route 53's default (all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub inverted: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub disabled: bool,
    /// `None`: AWS's default (on for HTTPS checks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_sni: Option<bool>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub measure_latency: bool,
    /// `CALCULATED`: the checks it adds up (IDs, or checks lbctl manages).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<HealthCheckRef>,
    /// `CALCULATED`: how many children must be healthy (`HealthThreshold`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthy_threshold: Option<u32>,
    /// `CLOUDWATCH_METRIC`: the alarm watched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm: Option<AlarmRef>,
    /// `CLOUDWATCH_METRIC`: `Healthy`, `Unhealthy` or `LastKnownStatus`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insufficient_data: Option<String>,
    /// `RECOVERY_CONTROL`: the routing control's ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_control: Option<String>,
}

/// A CloudWatch alarm a `CLOUDWATCH_METRIC` health check watches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmRef {
    pub name: String,
    pub region: String,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// `insufficient_data` as written -> AWS's `InsufficientDataHealthStatus`.
pub const INSUFFICIENT_DATA: &[(&str, &str)] = &[
    ("healthy", "Healthy"),
    ("unhealthy", "Unhealthy"),
    ("last_known", "LastKnownStatus"),
];

/// The regions Route 53 checks from when a health check names none (the
/// `HealthCheckRegion` values): a list naming all of them is the default.
pub const HEALTH_CHECK_REGIONS: &[&str] = &[
    "ap-northeast-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "eu-west-1",
    "sa-east-1",
    "us-east-1",
    "us-west-1",
    "us-west-2",
];

/// Health checker regions as the model keeps them: sorted, once each, and
/// empty when they are all of [`HEALTH_CHECK_REGIONS`] (the default).
pub fn normalize_regions(regions: &[String]) -> Vec<String> {
    let set: BTreeSet<String> = regions.iter().map(|r| r.trim().to_string()).collect();
    if HEALTH_CHECK_REGIONS.iter().all(|r| set.contains(*r))
        && set.len() == HEALTH_CHECK_REGIONS.len()
    {
        return Vec::new();
    }
    set.into_iter().collect()
}

impl ManagedHealthCheck {
    /// Whether the check probes an endpoint (HTTP, HTTPS, TCP, string
    /// match), as opposed to adding up other checks, watching an alarm or
    /// following a routing control.
    pub fn is_endpoint(&self) -> bool {
        !matches!(
            self.check_type.as_str(),
            "CALCULATED" | "CLOUDWATCH_METRIC" | "RECOVERY_CONTROL"
        )
    }

    /// Whether the check speaks HTTPS (SNI applies).
    pub fn is_https(&self) -> bool {
        matches!(self.check_type.as_str(), "HTTPS" | "HTTPS_STR_MATCH")
    }

    /// The managed children of a calculated check.
    pub fn managed_children(&self) -> impl Iterator<Item = &ManagedHealthCheck> {
        self.children.iter().filter_map(|c| match c {
            HealthCheckRef::Managed(m) => Some(m),
            HealthCheckRef::Id(_) => None,
        })
    }
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
