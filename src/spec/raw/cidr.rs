//! CIDR routing as written: the top-level `cidr_collections:` (name ->
//! locations -> CIDR blocks) and a record's `cidr:` members. Same rules as
//! the rest of `raw`; names, blocks and that a member's location exists are
//! checked by `validate::cidr`.

use indexmap::IndexMap;
use serde::Deserialize;

use super::dns::{RawAlias, RawR53HealthCheck};
use crate::spec::scalar::Text;

/// One entry of `cidr_collections:`: `{ locations: { hq: [10.1.0.0/16] } }`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCidrCollection {
    pub locations: Option<IndexMap<String, Vec<Text>>>,
}

/// A record's `cidr:`: the collection by name and one member per location.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCidr {
    pub collection: Option<String>,
    pub members: Option<Vec<RawCidrMember>>,
}

/// `{ id, location, values | alias, health_check }`; `location: "*"` is the
/// default for clients in no location of the collection.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCidrMember {
    pub id: Option<Text>,
    pub location: Option<Text>,
    pub values: Option<Vec<Text>>,
    pub alias: Option<RawAlias>,
    pub health_check: Option<RawR53HealthCheck>,
}
