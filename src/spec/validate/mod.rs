//! Validation of a merged spec: every rule of spec v1 that can be checked
//! without AWS, all problems collected, each with its place and, where a
//! fix is known, a hint.
//!
//! One file per resource kind (`target_group`, `load_balancer`,
//! `listener`, `action`; `dns` and `record` for Route 53); this file holds
//! the walk over the spec (shared checks are in `common`). Selectors are checked for shape
//! only; whether they match is `Spec::to_model`'s business.

mod action;
mod attribute_rules;
pub mod attributes;
mod auth;
mod cidr;
mod common;
mod conditions;
mod dns;
mod health_check;
mod health_rules;
mod limits;
mod listener;
pub mod listener_attributes;
mod load_balancer;
mod nlb;
mod places;
mod rdata;
mod rdata_svcb;
mod record;
mod record_alias;
mod routing;
pub mod safety;
pub mod ssl_policy;
mod target_group;
mod typed_attrs;

use std::collections::BTreeSet;

use super::diag::Check;
use super::location::join_key;
use super::{Diagnostic, Spec};

/// Names of target groups and load balancers that failed to parse: they
/// exist, so references to them must not be reported as undefined.
#[derive(Debug, Default)]
pub struct Broken {
    pub target_groups: BTreeSet<String>,
    pub load_balancers: BTreeSet<String>,
}

/// Check the whole spec, appending every problem to `out`.
pub fn validate(spec: &Spec, broken: &Broken, out: &mut Vec<Diagnostic>) {
    for (name, entry) in &spec.target_groups {
        let mut c = Check {
            src: &spec.sources[entry.file],
            out,
            what: format!("target group `{name}`"),
            base: join_key("target_groups", name),
        };
        target_group::check(&mut c, name, &entry.raw);
    }
    for (name, entry) in &spec.load_balancers {
        let mut c = Check {
            src: &spec.sources[entry.file],
            out,
            what: format!("load balancer `{name}`"),
            base: join_key("load_balancers", name),
        };
        load_balancer::check(&mut c, name, &entry.raw, spec, broken);
    }
    dns::check(spec, broken, out);
    cidr::collections(spec, out);
}
