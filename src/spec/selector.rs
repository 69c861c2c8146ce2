//! Selectors for VPCs, subnets and security groups: an ID or a set of tags,
//! resolved through EC2 at plan time (see `aws::ec2`).

use std::collections::{BTreeMap, HashMap};

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
            Selector::Tags(tags) => {
                let inner: Vec<String> = tags.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                write!(f, "{{ tags: {{ {} }} }}", inner.join(", "))
            }
        }
    }
}

/// What each selector matched: IDs, sorted; empty when nothing matched.
/// Also the hosted zones the live read found, for the `dns:` section.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub matches: HashMap<(SelectorKind, Selector), Vec<String>>,
    pub zones: Vec<crate::model::dns::ZoneInfo>,
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
}
