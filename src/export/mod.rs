//! Live state as a v1 spec (`lbctl export`): model -> YAML text.
//!
//! Pure: takes what `aws::export` read (a live [`Model`] cut down to the
//! exported resources) and writes a spec that `lbctl plan` accepts and
//! compares equal to the same live state. The diff compares only what the
//! spec sets, so every value written here must survive the spec layer
//! unchanged (`spec::desired` normalises the way AWS reports). Values that
//! lbctl's validation would reject for the resource (an attribute that does
//! not apply to the protocol, a value out of range) are left out rather
//! than written: left out, they are simply not managed.
//!
//! Keys are written in the order of the spec page, with `serde_json`'s
//! ordered maps, and turned into YAML with `serde_yaml`. No AWS calls.
//!
//! `adopt` says what the stack does not own yet (the first apply needs
//! `--adopt`). One file per part of the spec: `target_group`, `load_balancer`,
//! `listener` (listeners, rules, actions and forwards), `dns` (zones,
//! record sets, aliases, Route 53 health checks); `emit` holds the small
//! JSON-building helpers they share. This file owns what the rest of the
//! crate sees: the request and selection types, the stack rules, and
//! [`export`] itself, which assembles the parts into one document.

mod adopt;
mod auth;
mod dns;
mod dns_routing;
mod emit;
mod listener;
mod listener_attributes;
mod load_balancer;
mod target_group;
#[cfg(test)]
mod tests;
mod typed_attrs;

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::model::{owner, Model, Tags};

use dns::zone;
use emit::Obj;
use listener::Refs;
use load_balancer::load_balancer;
use target_group::target_group;

pub use adopt::is_empty;
pub use dns::{owners_of, relative_name, selected_records};

/// The stack an export falls back to when the exported resources do not
/// share one.
pub const DEFAULT_STACK: &str = "exported";

/// What the user asked to export (`lbctl export` flags, as plain data).
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// `--stack`: everything tagged with it, and record sets it owns.
    pub stack: Option<String>,
    /// `--load-balancer`: these, with the target groups they forward to.
    pub load_balancers: Vec<String>,
    /// `--zone`: hosted zones by name.
    pub zones: Vec<String>,
}

/// Which record sets of an exported zone go into the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Records {
    /// Those the stack owns (ownership records `_lbctl.<type>.<name>`).
    OwnedBy(String),
    /// Every record set but the apex SOA and NS and ownership records.
    All,
}

/// Live state cut down to what is exported.
#[derive(Debug, Clone)]
pub struct Selection {
    /// The exported target groups and load balancers; zones whole (as
    /// read), filtered by `records`.
    pub model: Model,
    pub records: Records,
    /// Name -> ARN of every live target group, for forwards to target
    /// groups that are not exported (written `{ arn: ... }`).
    pub target_group_arns: BTreeMap<String, String>,
    /// Exported load balancer -> (DNS name, canonical hosted zone ID), so
    /// that aliases to them are written `{ load_balancer: NAME }`.
    pub load_balancer_dns: BTreeMap<String, (String, String)>,
}

/// What `Aws::read_export` found.
#[derive(Debug, Clone)]
pub struct ExportRead {
    pub selection: Selection,
    /// The spec's `stack`: `--stack`, else the one the exported resources
    /// share, else [`DEFAULT_STACK`].
    pub stack: String,
    /// Things the user should know (printed on stderr).
    pub warnings: Vec<String>,
}

/// The spec text and what could not be exported faithfully.
#[derive(Debug, Clone)]
pub struct Exported {
    pub yaml: String,
    pub warnings: Vec<String>,
}

/// The `lbctl:stack` tag every exported load balancer and target group
/// carries, if there are any and they agree. Record sets do not count:
/// a stack inferred from them alone would plan to delete the load
/// balancers it owns and the export left out.
pub fn common_stack(selection: &Selection) -> Option<String> {
    let m = &selection.model;
    let owners: Vec<Option<String>> = m
        .load_balancers
        .values()
        .map(|lb| owned_by(&lb.tags))
        .chain(m.target_groups.values().map(|tg| owned_by(&tg.tags)))
        .collect();
    let first = owners.first()?.clone()?;
    owners
        .iter()
        .all(|o| o.as_deref() == Some(first.as_str()))
        .then_some(first)
        .filter(|s| valid_stack(s))
}

fn owned_by(tags: &Tags) -> Option<String> {
    owner(tags).map(str::to_string)
}

/// `[a-z0-9-]{1,32}`, as the spec wants `stack`.
pub fn valid_stack(s: &str) -> bool {
    (1..=32).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The selection as a v1 spec for `stack`.
pub fn export(selection: &Selection, stack: &str, region: Option<&str>) -> Exported {
    let mut w = Vec::new();
    let m = &selection.model;
    let mut doc = Obj::new();
    doc.insert("version".into(), json!(1));
    doc.insert("stack".into(), json!(stack));
    if let Some(region) = region {
        doc.insert("region".into(), json!(region));
    }
    if !m.target_groups.is_empty() {
        let tgs: Obj = m
            .target_groups
            .iter()
            .map(|(name, tg)| (name.clone(), target_group(tg, &mut w)))
            .collect();
        doc.insert("target_groups".into(), Value::Object(tgs));
    }
    if !m.load_balancers.is_empty() {
        let refs = Refs {
            exported: m.target_groups.keys().cloned().collect(),
            arns: &selection.target_group_arns,
        };
        let lbs: Obj = m
            .load_balancers
            .iter()
            .map(|(name, lb)| (name.clone(), load_balancer(lb, &refs, &mut w)))
            .collect();
        doc.insert("load_balancers".into(), Value::Object(lbs));
    }
    if !m.dns.zones.is_empty() {
        let zones: Vec<Value> = m
            .dns
            .zones
            .values()
            .map(|z| zone(z, selection, &mut w))
            .collect();
        doc.insert("dns".into(), Value::Array(zones));
    }
    if let Some(collections) = dns_routing::cidr_collections(&m.dns) {
        doc.insert("cidr_collections".into(), collections);
    }
    let body = serde_yaml::to_string(&Value::Object(doc)).expect("a JSON value serialises");
    let mut yaml = String::from("# exported by lbctl from live state\n");
    if let Some(adopt) = adopt::adopt_warning(&adopt::not_owned(selection, stack), stack) {
        yaml.push_str(&format!("# {adopt}\n"));
        w.push(adopt);
    }
    yaml.push_str(&body);
    Exported { yaml, warnings: w }
}
