//! The routing kinds of the December 2026 additions as written:
//! `multivalue` and `geoproximity` members. Same rules as the rest of
//! `raw`: unknown keys are errors, everything optional; ranges and which
//! location key a geoproximity member uses are checked by
//! `validate::routing`.

use serde::Deserialize;

use super::dns::{Member, MemberKind, RawAlias, RawR53HealthCheck, RawRecord};
use crate::spec::scalar::{Int, Text};

/// A multivalue answer member: `{ id, values, health_check }` (Route 53
/// has no multivalue alias records).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMultivalue {
    pub id: Option<Text>,
    pub values: Option<Vec<Text>>,
    pub alias: Option<RawAlias>,
    pub health_check: Option<RawR53HealthCheck>,
}

/// A geoproximity member: exactly one of `region`, `local_zone_group` and
/// `coordinates`, an optional `bias` (-99..99).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGeoproximity {
    pub id: Option<Text>,
    pub region: Option<String>,
    pub local_zone_group: Option<String>,
    pub coordinates: Option<RawCoordinates>,
    pub bias: Option<Int>,
    pub values: Option<Vec<Text>>,
    pub alias: Option<RawAlias>,
    pub health_check: Option<RawR53HealthCheck>,
}

/// `{ latitude: "40.71", longitude: "-74.01" }`: strings, as Route 53
/// keeps them (at most two decimals).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCoordinates {
    pub latitude: Option<Text>,
    pub longitude: Option<Text>,
}

/// Appends the multivalue and geoproximity members of `r` to `out`.
pub(super) fn members<'a>(r: &'a RawRecord, out: &mut Vec<Member<'a>>) {
    for (i, m) in r.multivalue.iter().flatten().enumerate() {
        out.push(Member {
            rel: format!("multivalue[{i}]"),
            kind: MemberKind::Multivalue,
            id: m.id.as_ref(),
            values: m.values.as_deref(),
            alias: m.alias.as_ref(),
            health_check: m.health_check.as_ref(),
        });
    }
    let cidr = r
        .cidr
        .iter()
        .flat_map(|c| c.members.iter().flatten().map(move |m| (c, m)));
    for (i, (c, m)) in cidr.enumerate() {
        out.push(Member {
            rel: format!("cidr.members[{i}]"),
            kind: MemberKind::Cidr(c, m),
            id: m.id.as_ref(),
            values: m.values.as_deref(),
            alias: m.alias.as_ref(),
            health_check: m.health_check.as_ref(),
        });
    }
    for (i, g) in r.geoproximity.iter().flatten().enumerate() {
        out.push(Member {
            rel: format!("geoproximity[{i}]"),
            kind: MemberKind::Geoproximity(g),
            id: g.id.as_ref(),
            values: g.values.as_deref(),
            alias: g.alias.as_ref(),
            health_check: g.health_check.as_ref(),
        });
    }
}
