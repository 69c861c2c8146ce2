//! Selectors, resolved through EC2 at plan time: VPCs, subnets and security
//! groups by ID or tags (see `aws::ec2`), and running instances by tags
//! (see `aws::instances`). What they matched comes back in a [`Resolved`].
//!
//! Also the entry points the command pipeline uses for instance selectors
//! ([`instance_selectors`], [`instance_warnings`]), which live here so that
//! `Spec` itself needs no new methods.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::Spec;

/// What kind of EC2 object a selector picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SelectorKind {
    Vpc,
    Subnet,
    SecurityGroup,
}

/// An ID (`vpc-0abc`) or `{ tags: { Name: prod } }`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Selector {
    Id(String),
    Tags(BTreeMap<String, String>),
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Selector::Id(id) => write!(f, "{id}"),
            Selector::Tags(tags) => write!(f, "{{ tags: {} }}", show_tags(tags)),
        }
    }
}

/// An instance selector: `{ instances: { tags: {...} } }`, matching running
/// instances that have every tag. Always at least one tag (validation).
pub type InstanceTags = BTreeMap<String, String>;

/// `{ role: web, color: blue }`
pub fn show_tags(tags: &InstanceTags) -> String {
    let inner: Vec<String> = tags.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("{{ {} }}", inner.join(", "))
}

/// A running instance an instance selector matched, with its IPv4
/// addresses (`None`: the instance has no such address).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct InstanceInfo {
    pub id: String,
    pub private_ip: Option<String>,
    pub public_ip: Option<String>,
    /// Wavelength carrier IP.
    pub carrier_ip: Option<String>,
}

/// Which address of an instance a `weighted_from_instances` record uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AddressKind {
    Carrier,
    Public,
    Private,
}

impl AddressKind {
    /// The words of the spec, in the order messages list them.
    pub const NAMES: &'static [&'static str] = &["carrier", "public", "private"];

    /// `carrier`, `public` or `private` (any case).
    pub fn parse(word: &str) -> Option<AddressKind> {
        match word.trim().to_ascii_lowercase().as_str() {
            "carrier" => Some(AddressKind::Carrier),
            "public" => Some(AddressKind::Public),
            "private" => Some(AddressKind::Private),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            AddressKind::Carrier => "carrier",
            AddressKind::Public => "public",
            AddressKind::Private => "private",
        }
    }
}

impl InstanceInfo {
    /// The instance's address of one kind, if it has one.
    pub fn address(&self, kind: AddressKind) -> Option<&str> {
        match kind {
            AddressKind::Carrier => self.carrier_ip.as_deref(),
            AddressKind::Public => self.public_ip.as_deref(),
            AddressKind::Private => self.private_ip.as_deref(),
        }
    }
}

/// What each selector matched: IDs, sorted; empty when nothing matched.
/// Also the hosted zones the live read found, for the `dns:` section, and
/// the running instances each instance selector matched.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub matches: HashMap<(SelectorKind, Selector), Vec<String>>,
    pub zones: Vec<crate::model::dns::ZoneInfo>,
    /// Running instances by instance selector, sorted by ID; empty when
    /// nothing matched (which is not an error: a fleet may scale to zero).
    pub instances: HashMap<InstanceTags, Vec<InstanceInfo>>,
    /// The availability zone of every subnet the subnet selectors matched,
    /// by subnet ID (Outpost subnets left out), for the zone rules of load
    /// balancers (`desired::subnet_zones`).
    pub subnet_zones: HashMap<String, String>,
}

impl Resolved {
    /// The IDs a selector matched (empty if it was not resolved or matched
    /// nothing).
    pub fn get(&self, kind: SelectorKind, selector: &Selector) -> &[String] {
        self.matches
            .get(&(kind, selector.clone()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The running instances an instance selector matched (empty if it was
    /// not resolved or matched nothing).
    pub fn instances(&self, tags: &InstanceTags) -> &[InstanceInfo] {
        self.instances.get(tags).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every address (private, public, carrier) of every running instance
    /// the instance selectors found: a record pointing elsewhere points at
    /// no instance lbctl knows to be running.
    pub fn instance_addresses(&self) -> BTreeSet<String> {
        self.instances
            .values()
            .flatten()
            .flat_map(|i| [&i.private_ip, &i.public_ip, &i.carrier_ip])
            .flatten()
            .cloned()
            .collect()
    }
}

/// Every instance selector of the spec (targets and
/// `weighted_from_instances`), each once, in a stable order.
pub fn instance_selectors(spec: &Spec) -> Vec<InstanceTags> {
    super::desired::instance_selectors(spec)
}

/// Plan warnings about instance selectors once resolved: a selector that
/// matched no running instance, and instances skipped by
/// `weighted_from_instances` because they lack the requested address.
pub fn instance_warnings(spec: &Spec, resolved: &Resolved) -> Vec<String> {
    super::desired::instance_warnings(spec, resolved)
}
