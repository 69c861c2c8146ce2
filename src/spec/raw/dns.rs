//! The `dns:` section as written: hosted zones and their record sets.
//!
//! Same rules as the rest of `raw`: unknown keys are errors, nearly
//! everything is optional, enums stay strings, numbers are [`Int`] or
//! [`Seconds`]. Which routing key a record uses, required keys and ranges
//! are checked by `validate::dns`. The helpers at the bottom (absolute
//! names, set identifiers) are shared by validation and the model builder
//! so both see the same names.

use crate::model::vocab::HealthCheckType;
use serde::Deserialize;

use crate::spec::either::either;
use crate::spec::raw::RawInstanceSelector;
use crate::spec::scalar::{Int, Seconds, Text};

pub use super::dns_routing::{RawGeoproximity, RawMultivalue};

/// One entry of `dns:`: a hosted zone and the records lbctl manages in it.
/// Records are typed one by one (see `parse`), so one broken record does
/// not hide the problems of the others.
#[derive(Debug, Clone)]
pub struct RawZone {
    /// Position in its file's `dns` list (the zone's path is `dns[index]`).
    pub index: usize,
    pub zone: Option<RawZoneName>,
    /// (index in `records`, record); records that failed to type are left
    /// out (their problems are reported).
    pub records: Vec<(usize, RawRecord)>,
}

/// The zone entry before its records are typed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawZoneDoc {
    pub zone: Option<RawZoneName>,
    pub records: Option<Vec<serde_yaml::Value>>,
}

/// `zone: example.com`, `zone: { id: Z123 }` or
/// `zone: { name: example.com, private: true }`.
#[derive(Debug, Clone)]
pub enum RawZoneName {
    Name(String),
    Map(RawZoneMap),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawZoneMap {
    pub id: Option<String>,
    pub name: Option<String>,
    pub private: Option<bool>,
}

either!(
    RawZoneName,
    "a zone name or `{ id: ... }` or `{ name: ..., private: true }`",
    Name,
    Map
);

/// One record set: a (name, type) and exactly one of the routing keys.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecord {
    pub name: Option<Text>,
    #[serde(rename = "type")]
    pub rtype: Option<String>,
    pub ttl: Option<Seconds>,
    pub values: Option<Vec<Text>>,
    pub alias: Option<RawAlias>,
    pub weighted: Option<Vec<RawWeighted>>,
    pub failover: Option<RawFailover>,
    pub geolocation: Option<Vec<RawGeo>>,
    pub latency: Option<Vec<RawLatency>>,
    /// Multivalue answer members (see `raw::dns_routing`).
    pub multivalue: Option<Vec<RawMultivalue>>,
    /// Geoproximity members (see `raw::dns_routing`).
    pub geoproximity: Option<Vec<RawGeoproximity>>,
    /// CIDR members over a top-level collection (see `raw::cidr`).
    pub cidr: Option<super::cidr::RawCidr>,
    /// One weighted member per running instance (resolved at plan time).
    pub weighted_from_instances: Option<RawWeightedFromInstances>,
}

/// `weighted_from_instances: { instances: { tags: {...} }, address: ..., weight: N }`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeightedFromInstances {
    pub instances: Option<RawInstanceSelector>,
    /// `carrier`, `public` or `private`.
    pub address: Option<String>,
    pub weight: Option<Int>,
}

/// `{ load_balancer: web }`, `{ dns_name: ..., hosted_zone_id: ... }` or
/// `{ record: www }` (another record set of the same zone).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlias {
    pub load_balancer: Option<String>,
    /// A record set of the same zone, by name (relative or absolute).
    pub record: Option<Text>,
    /// The target record's type; the alias record's own type when left out.
    #[serde(rename = "type")]
    pub rtype: Option<String>,
    pub dns_name: Option<String>,
    pub hosted_zone_id: Option<String>,
    pub evaluate_target_health: Option<bool>,
}

/// A Route 53 health check: an existing ID, or one lbctl manages.
#[derive(Debug, Clone)]
// A spec holds tens of these, not millions: boxing the large variant would
// spread `Box::new` through the DNS code for no gain.
#[allow(clippy::large_enum_variant)]
pub enum RawR53HealthCheck {
    Id(String),
    Managed(RawManagedHealthCheck),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawManagedHealthCheck {
    #[serde(rename = "type")]
    pub check_type: Option<String>,
    pub fqdn: Option<String>,
    pub ip_address: Option<String>,
    pub port: Option<Int>,
    pub path: Option<String>,
    pub interval: Option<Seconds>,
    pub failure_threshold: Option<Int>,
    /// Required for `HTTP_STR_MATCH` / `HTTPS_STR_MATCH`.
    pub search_string: Option<String>,
    /// Health checker regions (at least 3); Route 53 uses all when left out.
    pub regions: Option<Vec<String>>,
    pub inverted: Option<bool>,
    pub disabled: Option<bool>,
    /// HTTPS checks; on by default.
    pub enable_sni: Option<bool>,
    /// Cannot change once the check exists.
    pub measure_latency: Option<bool>,
    /// `type: calculated`: the health checks it adds up.
    pub children: Option<Vec<RawR53HealthCheck>>,
    /// `type: calculated`: how many children must be healthy.
    pub healthy_threshold: Option<Int>,
    /// `type: cloudwatch_alarm`: the alarm it watches.
    pub alarm: Option<RawAlarm>,
    /// `type: cloudwatch_alarm`: `healthy`, `unhealthy` or `last_known`.
    pub insufficient_data: Option<String>,
    /// `type: recovery_control`: the routing control's ARN.
    pub routing_control: Option<String>,
}

/// `alarm: { name: ..., region: ... }` of a `cloudwatch_alarm` health check.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlarm {
    pub name: Option<String>,
    pub region: Option<String>,
}

either!(
    RawR53HealthCheck,
    "a health check ID or `{ type: HTTPS, fqdn: ..., ... }`",
    Id,
    Managed
);

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeighted {
    pub id: Option<Text>,
    pub weight: Option<Int>,
    pub values: Option<Vec<Text>>,
    pub alias: Option<RawAlias>,
    pub health_check: Option<RawR53HealthCheck>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFailover {
    pub primary: Option<RawFailoverMember>,
    pub secondary: Option<RawFailoverMember>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFailoverMember {
    pub id: Option<Text>,
    pub values: Option<Vec<Text>>,
    pub alias: Option<RawAlias>,
    pub health_check: Option<RawR53HealthCheck>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGeo {
    pub id: Option<Text>,
    pub continent: Option<String>,
    pub country: Option<String>,
    pub subdivision: Option<Text>,
    pub values: Option<Vec<Text>>,
    pub alias: Option<RawAlias>,
    pub health_check: Option<RawR53HealthCheck>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLatency {
    pub id: Option<Text>,
    pub region: Option<String>,
    pub values: Option<Vec<Text>>,
    pub alias: Option<RawAlias>,
    pub health_check: Option<RawR53HealthCheck>,
}

/// What every member of a record set has, whatever its routing policy.
#[derive(Debug, Clone)]
pub struct Member<'a> {
    /// Path of the member relative to the record: `weighted[0]`,
    /// `failover.primary`.
    pub rel: String,
    pub kind: MemberKind<'a>,
    /// The `id` as written.
    pub id: Option<&'a Text>,
    pub values: Option<&'a [Text]>,
    pub alias: Option<&'a RawAlias>,
    pub health_check: Option<&'a RawR53HealthCheck>,
}

/// The routing-specific part of a member.
#[derive(Debug, Clone, Copy)]
pub enum MemberKind<'a> {
    Simple,
    Weighted(&'a RawWeighted),
    Primary,
    Secondary,
    Geo(&'a RawGeo),
    Latency(&'a RawLatency),
    Multivalue,
    Geoproximity(&'a RawGeoproximity),
    Cidr(&'a super::cidr::RawCidr, &'a super::cidr::RawCidrMember),
}

/// The routing keys of a record, in the order messages list them.
pub const ROUTING_KEYS: &[&str] = &[
    "values",
    "alias",
    "weighted",
    "failover",
    "geolocation",
    "latency",
    "multivalue",
    "geoproximity",
    "cidr",
];

impl RawRecord {
    /// The type, upper-cased (`a` is accepted for `A`).
    pub fn rtype(&self) -> Option<String> {
        self.rtype.as_ref().map(|t| t.trim().to_ascii_uppercase())
    }

    /// The routing keys given, in [`ROUTING_KEYS`] order.
    pub fn routing_keys(&self) -> Vec<&'static str> {
        let given = [
            self.values.is_some(),
            self.alias.is_some(),
            self.weighted.is_some(),
            self.failover.is_some(),
            self.geolocation.is_some(),
            self.latency.is_some(),
            self.multivalue.is_some(),
            self.geoproximity.is_some(),
            self.cidr.is_some(),
        ];
        ROUTING_KEYS
            .iter()
            .zip(given)
            .filter_map(|(k, g)| g.then_some(*k))
            .collect()
    }

    /// Every member of the record set, whichever routing key it is under.
    /// A simple record (`values` or `alias`) is one member.
    pub fn members(&self) -> Vec<Member<'_>> {
        let mut out = Vec::new();
        if self.values.is_some() || self.alias.is_some() {
            out.push(Member {
                rel: String::new(),
                kind: MemberKind::Simple,
                id: None,
                values: self.values.as_deref(),
                alias: self.alias.as_ref(),
                health_check: None,
            });
        }
        for (i, w) in self.weighted.iter().flatten().enumerate() {
            out.push(Member {
                rel: format!("weighted[{i}]"),
                kind: MemberKind::Weighted(w),
                id: w.id.as_ref(),
                values: w.values.as_deref(),
                alias: w.alias.as_ref(),
                health_check: w.health_check.as_ref(),
            });
        }
        if let Some(f) = &self.failover {
            for (key, m, kind) in [
                ("primary", &f.primary, MemberKind::Primary),
                ("secondary", &f.secondary, MemberKind::Secondary),
            ] {
                let Some(m) = m else { continue };
                out.push(Member {
                    rel: format!("failover.{key}"),
                    kind,
                    id: m.id.as_ref(),
                    values: m.values.as_deref(),
                    alias: m.alias.as_ref(),
                    health_check: m.health_check.as_ref(),
                });
            }
        }
        for (i, g) in self.geolocation.iter().flatten().enumerate() {
            out.push(Member {
                rel: format!("geolocation[{i}]"),
                kind: MemberKind::Geo(g),
                id: g.id.as_ref(),
                values: g.values.as_deref(),
                alias: g.alias.as_ref(),
                health_check: g.health_check.as_ref(),
            });
        }
        for (i, l) in self.latency.iter().flatten().enumerate() {
            out.push(Member {
                rel: format!("latency[{i}]"),
                kind: MemberKind::Latency(l),
                id: l.id.as_ref(),
                values: l.values.as_deref(),
                alias: l.alias.as_ref(),
                health_check: l.health_check.as_ref(),
            });
        }
        super::dns_routing::members(self, &mut out);
        out
    }
}

impl Member<'_> {
    /// The member's set identifier: its `id`, or `primary`/`secondary` for
    /// failover members; `None` for a simple record (and for a routed
    /// member without `id`, which validation reports).
    pub fn set_identifier(&self) -> Option<String> {
        match (self.kind, self.id) {
            (MemberKind::Simple, _) => None,
            (_, Some(id)) => Some(id.0.clone()),
            (MemberKind::Primary, None) => Some("primary".into()),
            (MemberKind::Secondary, None) => Some("secondary".into()),
            _ => None,
        }
    }
}

impl RawZoneName {
    /// The zone's name, absolute and lower-case (`example.com.`), when the
    /// spec gives it.
    pub fn name(&self) -> Option<String> {
        match self {
            RawZoneName::Name(n) => Some(absolute_zone(n)),
            RawZoneName::Map(m) => m.name.as_deref().map(absolute_zone),
        }
    }

    /// The hosted zone ID, without a `/hostedzone/` prefix, when given.
    pub fn id(&self) -> Option<String> {
        match self {
            RawZoneName::Map(RawZoneMap { id: Some(id), .. }) => Some(zone_id(id)),
            _ => None,
        }
    }

    /// Whether a private zone is asked for; `None` when not said.
    pub fn private(&self) -> Option<bool> {
        match self {
            RawZoneName::Map(m) => m.private,
            RawZoneName::Name(_) => None,
        }
    }
}

/// AWS's name for a health check type as written (`calculated` ->
/// `CALCULATED`), if it is one (`model::vocab::HealthCheckType`).
pub fn aws_check_type(written: &str) -> Option<&'static str> {
    HealthCheckType::parse(written).map(HealthCheckType::aws_name)
}

pub use crate::model::dns::INSUFFICIENT_DATA;

/// `Example.COM` -> `example.com.`
pub fn absolute_zone(name: &str) -> String {
    let n = name.trim().to_ascii_lowercase();
    if n.ends_with('.') {
        n
    } else {
        format!("{n}.")
    }
}

/// `/hostedzone/Z123` -> `Z123`
pub fn zone_id(id: &str) -> String {
    let id = id.trim();
    id.strip_prefix("/hostedzone/").unwrap_or(id).to_string()
}

/// A record name made absolute in `zone` (which ends with a dot): `@` is
/// the apex, a trailing dot means already absolute, anything else is
/// relative to the zone. Lower-case.
pub fn absolute_record(name: &str, zone: &str) -> String {
    let n = name.trim().to_ascii_lowercase();
    if n == "@" {
        zone.to_string()
    } else if n.ends_with('.') {
        n
    } else {
        format!("{n}.{zone}")
    }
}

/// Whether the absolute `name` is `zone` or inside it.
pub fn in_zone(name: &str, zone: &str) -> bool {
    name == zone || name.ends_with(&format!(".{zone}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_names_are_made_absolute() {
        let z = "example.com.";
        assert_eq!(absolute_record("www", z), "www.example.com.");
        assert_eq!(absolute_record("@", z), "example.com.");
        assert_eq!(absolute_record("API.Example.com.", z), "api.example.com.");
        assert!(in_zone("example.com.", z));
        assert!(in_zone("a.b.example.com.", z));
        assert!(!in_zone("badexample.com.", z));
        assert_eq!(absolute_zone("Example.com"), z);
        assert_eq!(zone_id("/hostedzone/Z1"), "Z1");
    }

    #[test]
    fn zones_are_a_name_or_a_mapping() {
        let v: Vec<RawZoneName> =
            serde_yaml::from_str("[example.com, {id: Z1}, {name: in.example, private: true}]")
                .unwrap();
        assert_eq!(v[0].name().as_deref(), Some("example.com."));
        assert_eq!(v[1].id().as_deref(), Some("Z1"));
        assert_eq!(v[2].private(), Some(true));
    }
}
